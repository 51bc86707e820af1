import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { SIMPY_DIR } from './paths.js';
import type { Trials } from './trials.js';

/** Debian's python3-simpy3 lives in the system Python, not in a pyenv or venv one. */
export const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';

export interface SimpyInfo {
  python: string;
  pythonVersion: string;
  simpyVersion: string;
}

/** What bench/simpy/*.py print (one JSON object). */
export interface SimpyResult extends Trials {
  model: 'mm1' | 'chain';
  simulatedMs: number;
  requests: number;
  succeeded?: number;
  completed?: number;
  failed?: number;
  timeouts?: number;
  wallMs: number;
  events: number;
  meanLatencyMs: number;
  peakRssKb: number;
  /** Added here: simulated requests per wall-second. */
  requestsPerSec: number;
  eventsPerSec: number;
}

/** SimPy's version, or null when `import simpy` fails (then the comparison is skipped). */
export function detectSimpy(): SimpyInfo | null {
  const r = spawnSync(PYTHON, ['-c', 'import simpy, sys; print(simpy.__version__); print(sys.version.split()[0])'], { encoding: 'utf8' });
  if (r.status !== 0 || r.error) return null;
  const [simpyVersion, pythonVersion] = r.stdout.trim().split('\n');
  return { python: PYTHON, pythonVersion, simpyVersion };
}

/** Runs bench/simpy/<model>.py with `args` and reads its JSON line. */
export function runSimpy(model: 'mm1' | 'chain', args: string[]): Promise<SimpyResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [join(SIMPY_DIR, `${model}.py`), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`SimPy ${model} failed (exit code ${code})`));
      try {
        const r = JSON.parse(out.trim().split('\n').pop() ?? '') as SimpyResult;
        r.requestsPerSec = r.requests / (r.wallMs / 1000);
        r.eventsPerSec = r.events / (r.wallMs / 1000);
        resolve(r);
      } catch {
        reject(new Error(`SimPy ${model} printed no JSON result`));
      }
    });
  });
}

export function simpyMm1(customers: number): Promise<SimpyResult> {
  return runSimpy('mm1', ['--customers', String(customers), '--rho', '0.8', '--service-mean-ms', '1']);
}

export function simpyChain(durationMs: number): Promise<SimpyResult> {
  return runSimpy('chain', ['--duration-s', String(durationMs / 1000), '--rate', '1000']);
}
