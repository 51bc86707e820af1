import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: this file is sim/version.ts in the sources and dist/sim/version.js when built. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (pkg.name === 'faultline') return dir;
    } catch {
      // not here; look one folder up
    }
    dir = dirname(dir);
  }
  throw new Error('faultline: cannot find its package.json');
}

let cached: string | null = null;

export function toolVersion(): string {
  cached ??= JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version as string;
  return cached;
}
