import { parentPort, workerData } from 'node:worker_threads';
import type { Scenario } from '../scenario/types.js';
import { runOne, type RunTask } from './runOne.js';

/** A worker thread: runs the tasks it is sent, one at a time, and posts each RawRun back. */
export interface WorkerRequest {
  scenario: Scenario;
  task: RunTask;
  maxEvents: number;
}

/** Set by the pool when the execution is interrupted or a run fails (see executeTasks). */
const stop = (workerData as { stop: Int32Array }).stop;

parentPort!.on('message', (msg: WorkerRequest | { type: 'close' }) => {
  // Asked to finish: closing the port ends this thread's event loop, so the thread exits the
  // ordinary way (see closeWorkers in pool.ts).
  if ('type' in msg) {
    parentPort!.close();
    return;
  }
  try {
    const raw = runOne(msg.scenario, msg.task, msg.maxEvents, (fraction) => {
      // Asked to stop: the run ends here, and the pool drops what it reports.
      if (Atomics.load(stop, 0) === 1) return false;
      parentPort!.postMessage({ type: 'progress', index: msg.task.index, fraction });
    });
    parentPort!.postMessage({ type: 'done', index: msg.task.index, raw });
  } catch (e) {
    parentPort!.postMessage({ type: 'error', index: msg.task.index, message: (e as Error).stack ?? String(e) });
  }
});
