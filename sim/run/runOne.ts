import { World } from '../model/world.js';
import type { Scenario } from '../scenario/types.js';
import { collectRawRun } from './collect.js';
import type { RawRun } from './rawRun.js';

export interface RunTask {
  /** Position in the plan's grid (sweep point × variant × replication). */
  index: number;
  variant: string;
  replication: number;
  point: number;
}

/** Operations traced per run for the report's waterfalls (replication 0 only). */
export const TRACE_SAMPLE = 400;

/**
 * The seed of one replication, derived from the scenario seed. Every variant and sweep point
 * uses the same one: they are compared on common random numbers.
 */
export function replicationSeedKey(seed: number, replication: number): string {
  return `${seed}/replication-${replication}`;
}

/** The world of one task, not yet run: its replication's seed, and the trace sample on replication 0. */
export function worldFor(scenario: Scenario, task: RunTask): World {
  return new World(scenario, {
    seedKey: replicationSeedKey(scenario.seed, task.replication),
    traceTarget: task.replication === 0 ? TRACE_SAMPLE : 0,
  });
}

/** Runs one task to completion (or to the event budget) and returns what it measured. */
export function runOne(scenario: Scenario, task: RunTask, maxEvents: number, onProgress?: (fraction: number) => boolean | void): RawRun {
  const world = worldFor(scenario, task);
  const outcome = world.run(maxEvents, onProgress);
  return collectRawRun(world, task.variant, task.replication, task.point, outcome);
}
