import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

/** The repository root, and the built CLI the tests spawn (`npm run build` first). */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = join(REPO, 'bin', 'faultline.js');

export function assertBuilt(): void {
  if (!existsSync(join(REPO, 'dist', 'sim', 'cli', 'main.js'))) {
    throw new Error('the CLI is not built: run `npm run build` before the CLI tests');
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/faultline.js ...args` in `cwd`, without a TTY and without colour. */
export function runCli(args: string[], cwd: string, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', FAULTLINE_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`faultline ${args.join(' ')} did not finish in ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', rej);
    child.on('close', (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr });
    });
  });
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `faultline-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The temp folder of a test file that spawns the CLI: made before its tests (once the CLI is
 * known to be built) and removed after them. Call it at the top level of the file.
 * `workdir(files)` makes a fresh subfolder holding `files` (name → text); `root()` is the folder.
 */
export function useTempDir(prefix: string): { root: () => string; workdir: (files?: Record<string, string>) => string } {
  let dir = '';
  let n = 0;
  beforeAll(() => {
    assertBuilt();
    dir = makeTempDir(prefix);
  });
  afterAll(() => {
    if (dir) removeDir(dir);
  });
  return {
    root: () => dir,
    workdir: (files = {}) => {
      const d = join(dir, `w${n++}`);
      mkdirSync(d);
      for (const [file, text] of Object.entries(files)) writeFileSync(join(d, file), text);
      return d;
    },
  };
}

/** `text` with `from` (which must occur exactly once) replaced by `to`: a fixture edit that cannot silently miss. */
export function replaceOnce(text: string, from: string, to: string): string {
  const i = text.indexOf(from);
  if (i < 0 || text.indexOf(from, i + 1) >= 0) throw new Error(`fixture edit: ${JSON.stringify(from)} must occur exactly once`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}

/** stderr as lines, without the final newline. */
export function lines(text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/**
 * The 1-based line and column of `sub` inside the only occurrence of `needle` in `text`
 * (`sub` defaults to the whole needle). Throws if the needle is missing or not unique, so a
 * fixture edit cannot silently move what a test points at.
 */
export function positionOf(text: string, needle: string, sub: string = needle): { line: number; col: number } {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`fixture does not contain ${JSON.stringify(needle)}`);
  if (text.indexOf(needle, i + 1) >= 0) throw new Error(`fixture contains ${JSON.stringify(needle)} more than once`);
  const j = needle.indexOf(sub);
  if (j < 0) throw new Error(`${JSON.stringify(sub)} is not inside ${JSON.stringify(needle)}`);
  const offset = i + j;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, col };
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A small valid scenario: api.get calls db.query; 10 s at 10/s. */
export const SMALL = `name: small
seed: 7
duration: 10s
traffic:
  shoppers:
    target: api.get
    rate: 10/s
    timeout: 2s
services:
  api:
    instances: 2
    endpoints:
      get:
        work: 1ms
        steps:
          - call: db.query
            timeout: 500ms
  db:
    endpoints:
      query:
        work: 2ms
`;
