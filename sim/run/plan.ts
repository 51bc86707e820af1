import type { Scenario, ScenarioSet } from '../scenario/types.js';
import type { RunTask } from './runOne.js';

export interface PlannedVariant {
  name: string;
  description: string;
}

/** A sweep point: the parameter's value and, per variant, the scenario at that value. */
export interface SweepPoint {
  value: number | string;
  scenarios: Scenario[];
}

/**
 * The grid of runs: sweep points × variants × replications, in that order. Task i's position
 * is fixed by the plan alone, so a shard k/n (tasks with i mod n = k − 1) is the same slice on
 * every machine.
 */
export interface RunPlan {
  file: string;
  variants: PlannedVariant[];
  /** Per variant, the scenario to run (outside a sweep). */
  scenarios: Scenario[];
  replications: number;
  sweep: { param: string; hysteresis: boolean; points: SweepPoint[] } | null;
  tasks: RunTask[];
}

export function planRuns(set: ScenarioSet, selected: string[] | null, sweep: RunPlan['sweep'] = null): RunPlan {
  const all = [{ name: 'baseline', description: 'The scenario as written.', scenario: set.base }, ...set.variants];
  const chosen = all.filter((v) => v.name === 'baseline' || selected === null || selected.includes(v.name));
  const replications = set.base.replications;
  const tasks: RunTask[] = [];
  const points = sweep ? sweep.points.length : 1;
  for (let p = 0; p < points; p++) {
    for (const v of chosen) {
      for (let r = 0; r < replications; r++) {
        tasks.push({ index: tasks.length, variant: v.name, replication: r, point: sweep ? p : -1 });
      }
    }
  }
  return {
    file: set.file,
    variants: chosen.map((v) => ({ name: v.name, description: v.description })),
    scenarios: chosen.map((v) => v.scenario),
    replications,
    sweep,
    tasks,
  };
}

/** The scenario a task runs. */
export function scenarioFor(plan: RunPlan, task: RunTask): Scenario {
  const v = plan.variants.findIndex((x) => x.name === task.variant);
  return task.point >= 0 && plan.sweep ? plan.sweep.points[task.point].scenarios[v] : plan.scenarios[v];
}

/** The tasks of shard k of n (1-based k). */
export function shardTasks(plan: RunPlan, k: number, n: number): RunTask[] {
  return plan.tasks.filter((t) => t.index % n === k - 1);
}
