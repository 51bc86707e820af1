import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../version.js';
import { scenarioFor, type RunPlan } from './plan.js';
import type { RawRun } from './rawRun.js';
import { runOne, type RunTask } from './runOne.js';

export interface ExecuteOptions {
  /** Worker threads; 0 runs in this thread (blocking it). */
  jobs: number;
  maxEvents: number;
  /** Called as runs progress: runs finished, runs in all, and the overall fraction done. */
  onProgress?: (finished: number, total: number, fraction: number) => void;
  /** Aborting stops the workers; the result then says how far it got. */
  signal?: AbortSignal;
}

export interface Execution {
  /** Finished runs, in task order (a stopped execution may miss some). */
  raws: RawRun[];
  stopped: boolean;
}

function workerPath(): string {
  const here = fileURLToPath(new URL('./worker.js', import.meta.url));
  // From the TypeScript sources (tests), use the built worker.
  return existsSync(here) ? here : join(packageRoot(), 'dist', 'sim', 'run', 'worker.js');
}

/**
 * Runs tasks on worker threads. Each run is independent and seeded by its task alone, so the
 * results do not depend on how many workers there are or which one ran what: they are put
 * back in task order before anything is aggregated.
 */
export async function executeTasks(plan: RunPlan, tasks: RunTask[], options: ExecuteOptions): Promise<Execution> {
  const total = tasks.length;
  const results = new Map<number, RawRun>();
  const fractions = new Map<number, number>();
  const report = () => {
    let partial = results.size;
    for (const f of fractions.values()) partial += f;
    options.onProgress?.(results.size, total, total === 0 ? 1 : partial / total);
  };
  if (options.jobs === 0) {
    for (const task of tasks) {
      if (options.signal?.aborted) return { raws: ordered(results), stopped: true };
      results.set(task.index, runOne(scenarioFor(plan, task), task, options.maxEvents));
      report();
    }
    return { raws: ordered(results), stopped: false };
  }

  const jobs = Math.max(1, Math.min(options.jobs, total));
  const queue = [...tasks];
  const workers: Worker[] = [];
  // Set when the execution is interrupted or a run fails: the workers' runs stop at their next
  // progress report (see worker.ts), so no thread is torn down from outside (see closeWorkers).
  const stop = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const busy = new Set<Worker>();
  let allIdle: (() => void) | null = null;
  const idle = (w: Worker) => {
    busy.delete(w);
    if (busy.size === 0) allIdle?.();
  };
  return new Promise<Execution>((resolve, reject) => {
    let settled = false;
    const finish = (stopped: boolean, error?: Error) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      if (stopped || error) Atomics.store(stop, 0, 1);
      // Whatever the runs still going report is dropped: a stopped run is not a result.
      const idleNow = busy.size === 0 ? Promise.resolve() : new Promise<void>((res) => (allIdle = res));
      void idleNow
        .then(() => closeWorkers(workers))
        .finally(() => (error ? reject(error) : resolve({ raws: ordered(results), stopped })));
    };
    const onAbort = () => finish(true);
    options.signal?.addEventListener('abort', onAbort);
    if (options.signal?.aborted) return finish(true);

    const feed = (w: Worker) => {
      const task = queue.shift();
      if (!task) return false;
      busy.add(w);
      w.postMessage({ scenario: scenarioFor(plan, task), task, maxEvents: options.maxEvents });
      return true;
    };
    for (let i = 0; i < jobs; i++) {
      const w = new Worker(workerPath(), { workerData: { stop } });
      workers.push(w);
      w.on('message', (msg: { type: string; index: number; raw?: RawRun; fraction?: number; message?: string }) => {
        if (msg.type !== 'progress') idle(w);
        if (settled) return;
        if (msg.type === 'progress') {
          fractions.set(msg.index, msg.fraction!);
          report();
          return;
        }
        if (msg.type === 'error') {
          // The worker sends its error's stack: one line for the message (the CLI prints it as
          // one line), the whole of it as the stack (shown with FAULTLINE_DEBUG=1).
          const text = msg.message ?? 'unknown error';
          const error = new Error(`a simulation run failed: ${text.split('\n')[0]}`);
          error.stack = text;
          return finish(false, error);
        }
        fractions.delete(msg.index);
        results.set(msg.index, msg.raw!);
        report();
        if (results.size === total) finish(false);
        else feed(w);
      });
      w.on('error', (e) => {
        idle(w);
        finish(false, e);
      });
      feed(w);
    }
    if (total === 0) finish(false);
  });
}

/**
 * Ends idle workers by asking them to close their port, and waits until each has exited.
 * Why not terminate(): tearing a thread's V8 isolate down from outside aborts the whole process
 * now and then, with a native stack trace: while a background optimizing compile for it is still
 * running, about once in 60 runs here ("NodePlatform::ForIsolate: Assertion (data.first) !=
 * nullptr", a known Node/V8 race at isolate disposal), or in the middle of hdr-histogram-js's
 * zlib.deflateSync ("CompressionStream ... close before init", seen once on Ctrl-C during a
 * sweep). A thread that leaves its event loop itself goes through Node's ordinary shutdown.
 * Workers are only asked when idle (every run has reported, or stopped), so each closes at once.
 */
function closeWorkers(workers: Worker[]): Promise<void> {
  return Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.threadId === -1) return resolve(); // already gone
          w.once('exit', () => resolve());
          w.postMessage({ type: 'close' });
        }),
    ),
  ).then(() => undefined);
}

function ordered(results: Map<number, RawRun>): RawRun[] {
  return [...results.keys()].sort((a, b) => a - b).map((k) => results.get(k)!);
}
