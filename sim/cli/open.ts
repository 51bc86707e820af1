import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** Opens a file in the desktop's browser; a missing opener is not an error worth failing for. */
export function openInBrowser(file: string): void {
  const path = resolve(file);
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', path] : [path];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => process.stderr.write(`faultline: could not open a browser; the report is at ${path}\n`));
    child.unref();
  } catch {
    process.stderr.write(`faultline: could not open a browser; the report is at ${path}\n`);
  }
}
