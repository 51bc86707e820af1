import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packageRoot } from '../sim/version.js';
import { bundleModules, readModules } from './bundle.js';

/**
 * What a report inlines: d3's minified build, and the page code (compiled by tsc into
 * dist/viz/page, joined into one script). Read once per process.
 */

let d3Source: string | null = null;
let pageSource: string | null = null;

/** d3.min.js from the installed d3 package (its exports map only names the package root). */
export function d3Script(): string {
  if (d3Source === null) {
    const require = createRequire(join(packageRoot(), 'package.json'));
    const file = join(dirname(require.resolve('d3')), 'd3.min.js');
    d3Source = readFileSync(file, 'utf8');
  }
  return d3Source;
}

export function pageScript(): string {
  if (pageSource === null) {
    const dir = join(packageRoot(), 'dist', 'viz', 'page');
    if (!existsSync(join(dir, 'main.js'))) throw new Error(`the report's page code is not built (${dir}/main.js is missing): run npm run build`);
    pageSource = bundleModules(readModules(dir), 'main');
  }
  return pageSource;
}
