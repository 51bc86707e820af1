import type { Scenario, ScenarioSet } from '../scenario/types.js';
import type { RunTask } from './runOne.js';
import type { Ramp } from './sweepSpec.js';

export interface PlannedVariant {
  name: string;
  description: string;
}

/** A sweep point: the parameter's value and, per variant, the scenario at that value. */
export interface SweepPoint {
  label: number | string;
  scenarios: Scenario[];
}

/**
 * A sweep: independent runs at each value (`points`), or one run per variant whose load
 * ramps up through the values and back down (`ramp`, for hysteresis).
 */
export type PlanSweep = { kind: 'points'; param: string; points: SweepPoint[] } | { kind: 'ramp'; param: string; ramp: Ramp };

/** What the command line asks to sweep: one loaded scenario set per value, or a ramp. */
export type SweepInput = { kind: 'points'; param: string; labels: Array<number | string>; sets: ScenarioSet[] } | { kind: 'ramp'; param: string; ramp: Ramp };

/**
 * The grid of runs: sweep points × variants × replications, in that order. Task i's position
 * is fixed by the plan alone, so a shard k/n (tasks with i mod n = k − 1) is the same slice on
 * every machine.
 */
export interface RunPlan {
  file: string;
  variants: PlannedVariant[];
  /** Per variant, the scenario to run (outside a points sweep). */
  scenarios: Scenario[];
  replications: number;
  sweep: PlanSweep | null;
  tasks: RunTask[];
}

export function planRuns(set: ScenarioSet, selected: string[] | null, sweep: SweepInput | null = null): RunPlan {
  const chosen = (s: ScenarioSet) =>
    [{ name: 'baseline', description: 'The scenario as written.', scenario: s.base }, ...s.variants].filter(
      (v) => v.name === 'baseline' || selected === null || selected.includes(v.name),
    );
  const variants = chosen(set);
  const replications = set.base.replications;
  let planSweep: PlanSweep | null = null;
  if (sweep?.kind === 'points') {
    planSweep = { kind: 'points', param: sweep.param, points: sweep.sets.map((s, i) => ({ label: sweep.labels[i], scenarios: chosen(s).map((v) => v.scenario) })) };
  } else if (sweep?.kind === 'ramp') {
    planSweep = { kind: 'ramp', param: sweep.param, ramp: sweep.ramp };
  }
  const tasks: RunTask[] = [];
  const points = planSweep?.kind === 'points' ? planSweep.points.length : 1;
  for (let p = 0; p < points; p++) {
    for (const v of variants) {
      for (let r = 0; r < replications; r++) {
        tasks.push({ index: tasks.length, variant: v.name, replication: r, point: planSweep?.kind === 'points' ? p : -1 });
      }
    }
  }
  return {
    file: set.file,
    variants: variants.map((v) => ({ name: v.name, description: v.description })),
    scenarios: variants.map((v) => v.scenario),
    replications,
    sweep: planSweep,
    tasks,
  };
}

/** The scenario a task runs. */
export function scenarioFor(plan: RunPlan, task: RunTask): Scenario {
  const v = plan.variants.findIndex((x) => x.name === task.variant);
  return task.point >= 0 && plan.sweep?.kind === 'points' ? plan.sweep.points[task.point].scenarios[v] : plan.scenarios[v];
}

/** The tasks of shard k of n (1-based k). */
export function shardTasks(plan: RunPlan, k: number, n: number): RunTask[] {
  return plan.tasks.filter((t) => t.index % n === k - 1);
}
