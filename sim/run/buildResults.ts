import { toolVersion } from '../version.js';
import { summarizeVariant } from './aggregate.js';
import type { RunPlan } from './plan.js';
import type { RawRun } from './rawRun.js';
import type { Results } from './results.js';
import { sweepCurves } from './sweep.js';

/**
 * Aggregates a plan's runs into the results. Runs are grouped by (point, variant) and taken
 * in replication order, so the bytes depend only on the runs, not on how they were computed.
 */
export function buildResults(plan: RunPlan, raws: RawRun[], command: string, maxEvents: number | null): Results {
  const base = plan.scenarios[0];
  const runsOf = (variant: string, point: number) =>
    raws.filter((r) => r.variant === variant && r.point === point).sort((a, b) => a.replication - b.replication);
  // Outside a points sweep the variants are reported at point −1 (for a ramp: the whole ramp);
  // in a points sweep, at its first point.
  const point = plan.sweep?.kind === 'points' ? 0 : -1;
  const baselineRuns = runsOf('baseline', point);
  const variants = plan.variants.map((v, i) => {
    const scenario = plan.sweep?.kind === 'points' ? plan.sweep.points[0].scenarios[i] : plan.scenarios[i];
    return summarizeVariant(v.name, v.description, scenario, runsOf(v.name, point), v.name === 'baseline' ? null : baselineRuns);
  });
  const results: Results = {
    tool: { name: 'faultline', version: toolVersion() },
    scenario: {
      name: base.name,
      title: base.title,
      description: base.description,
      lesson: base.lesson,
      file: plan.file,
      seed: base.seed,
      replications: plan.replications,
      durationMs: base.durationMs,
      warmupMs: base.warmupMs,
      drainMs: base.drainMs,
    },
    run: { command, maxEvents },
    variants,
  };
  if (plan.sweep) results.sweep = sweepCurves(plan, runsOf);
  return results;
}
