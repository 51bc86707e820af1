import { spawn } from 'node:child_process';
import { ONE_JS } from './paths.js';
import type { BenchmarkName, BenchPlan } from './plan.js';

/**
 * Runs `node dist/bench/one.js <name>` and returns the JSON it prints. Sequential by design:
 * two benchmarks at once on 2 cores would slow each other down. Its stderr is passed through
 * so that a crash shows its stack.
 */
export function runChild<T>(name: BenchmarkName, plan: BenchPlan): Promise<T> {
  // --expose-gc: measureRun reads the live heap after a full GC (see RunMeasurement.liveHeapMB).
  const args = ['--expose-gc', ONE_JS, name, ...(plan.mode === 'quick' ? ['--quick'] : [])];
  return new Promise<T>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) return reject(new Error(`benchmark ${name} failed (${signal ?? `exit code ${code}`})`));
      const last = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`benchmark ${name} printed no JSON result (got ${JSON.stringify(last.slice(0, 200))})`));
      }
    });
  });
}
