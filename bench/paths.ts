import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../sim/version.js';

/**
 * Where the benchmark's inputs and outputs live. The runner runs from dist/bench/, but the
 * scenarios, the Python models and the outputs stay in the source tree: resolve them from the
 * package root, not from this file.
 */
export const ROOT = packageRoot();
export const SCENARIOS_DIR = join(ROOT, 'bench', 'scenarios');
export const SIMPY_DIR = join(ROOT, 'bench', 'simpy');
export const RESULTS_DIR = join(ROOT, 'bench', 'results');
export const DOCS_FILE = join(ROOT, 'docs', 'benchmarks.md');

/** The compiled child entry point, beside this file (dist/bench/one.js). */
export const ONE_JS = fileURLToPath(new URL('./one.js', import.meta.url));
