import { relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROOT } from './paths.js';
import { planRuns } from '../sim/run/plan.js';
import { executeTasks, type Execution } from '../sim/run/pool.js';
import { runOne } from '../sim/run/runOne.js';
import { LIMITS } from '../sim/scenario/limits.js';
import type { BenchPlan } from './plan.js';
import { loadBenchScenario } from './scenarioText.js';

export interface SpeedupMeasurement {
  scenario: string;
  simulatedMs: number;
  replications: number;
  /** Best wall time of `trials` executions with 1 and with 2 worker threads. */
  jobs1Ms: number;
  jobs2Ms: number;
  speedup: number;
  /** jobs1Ms / replications: what one run took on one worker. */
  runMs: number;
  /** Same RawRuns with 1 and 2 workers (determinism: results must not depend on --jobs). */
  identical: boolean;
  /** Every timed execution, in order (the figures above are the best of each). */
  trials: Array<{ jobs: number; ms: number }>;
}

/**
 * The parallel speed-up of `replications` runs of the chain on worker threads, --jobs 1 vs
 * --jobs 2, through the same executeTasks the CLI uses. The span is sized so that one run
 * takes about `speedupRunWallMs`: runs much shorter than a second would measure worker
 * start-up rather than parallelism, and the engine's speed changes under us, so the span is
 * calibrated here rather than fixed in the file.
 */
export async function measureSpeedup(plan: BenchPlan): Promise<SpeedupMeasurement> {
  const name = 'chain';
  const task = { index: 0, variant: 'baseline', replication: 0, point: -1 };
  const timeRun = (durationMs: number): number => {
    const scenario = loadBenchScenario(name, { durationMs }).base;
    const t0 = performance.now();
    runOne(scenario, task, LIMITS.defaultMaxEvents);
    return performance.now() - t0;
  };
  // Whole seconds, at least 5 s and at most 1 h of simulated time.
  const clamp = (ms: number) => Math.min(3_600_000, Math.max(5000, Math.round(ms / 1000) * 1000));
  // Two steps, because a run has a fixed cost (building the world, encoding the results) on
  // top of its per-event cost: a short run (which also warms the JIT) gives a first guess,
  // and one run at that guess corrects it.
  const first = clamp((plan.speedupCalibrationMs * plan.speedupRunWallMs) / timeRun(plan.speedupCalibrationMs));
  const simulatedMs = clamp((first * plan.speedupRunWallMs) / timeRun(first));

  const set = loadBenchScenario(name, { durationMs: simulatedMs, replications: plan.speedupReplications });
  const runPlan = planRuns(set, null);
  const timed = async (jobs: number): Promise<[number, Execution]> => {
    const start = performance.now();
    const exec = await executeTasks(runPlan, runPlan.tasks, { jobs, maxEvents: LIMITS.defaultMaxEvents });
    return [performance.now() - start, exec];
  };
  // Interleaved trials, best of each: the machine is shared (other engineers build and test
  // on the same 2 cores), and a burst of someone else's work during one trial would
  // otherwise decide the verdict. The minimum is the least disturbed measurement.
  const trials: Array<{ jobs: number; ms: number }> = [];
  let one: Execution | null = null;
  let two: Execution | null = null;
  for (let t = 0; t < plan.speedupTrials; t++) {
    for (const jobs of [1, 2]) {
      const [ms, exec] = await timed(jobs);
      trials.push({ jobs, ms });
      if (jobs === 1) one ??= exec;
      else two ??= exec;
    }
  }
  const best = (jobs: number) => Math.min(...trials.filter((t) => t.jobs === jobs).map((t) => t.ms));
  const jobs1Ms = best(1);
  const jobs2Ms = best(2);
  return {
    scenario: relative(ROOT, set.file),
    simulatedMs,
    replications: plan.speedupReplications,
    jobs1Ms,
    jobs2Ms,
    speedup: jobs1Ms / jobs2Ms,
    runMs: jobs1Ms / plan.speedupReplications,
    identical: JSON.stringify(one!.raws) === JSON.stringify(two!.raws) && one!.raws.length === plan.speedupReplications,
    trials,
  };
}
