import { summarizeVariant } from './aggregate.js';
import type { RunPlan } from './plan.js';
import type { RawRun } from './rawRun.js';
import type { SweepResult } from './results.js';

/** One curve per variant across the sweep's points. */
export function sweepCurves(plan: RunPlan, runsOf: (variant: string, point: number) => RawRun[]): SweepResult {
  const sweep = plan.sweep!;
  const curves = plan.variants.map((v, vi) => {
    const summaries = sweep.points.map((p, pi) => summarizeVariant(v.name, '', p.scenarios[vi], runsOf(v.name, pi), null).summary);
    return {
      variant: v.name,
      availability: summaries.map((s) => s.availability),
      p99Ms: summaries.map((s) => s.latencyMs.p99),
      doubleProcessing: summaries.map((s) => s.doubleProcessing),
      amplification: summaries.map((s) => s.amplification),
    };
  });
  return { param: sweep.param, values: sweep.points.map((p) => p.value), hysteresis: sweep.hysteresis, curves };
}
