import { BucketHistogram } from '../metrics/bucketHistogram.js';
import { summarizeVariant, r6 } from './aggregate.js';
import type { RunPlan } from './plan.js';
import type { RawRun } from './rawRun.js';
import type { SweepResult } from './results.js';
import type { Ramp } from './sweepSpec.js';

/**
 * On the way down, availability this far below the way up at the same load marks the curve
 * metastable: the system did not come back when the load did.
 */
export const HYSTERESIS_GAP = 0.05;

/** One curve per variant across the sweep's values. */
export function sweepCurves(plan: RunPlan, runsOf: (variant: string, point: number) => RawRun[]): SweepResult {
  const sweep = plan.sweep!;
  if (sweep.kind === 'ramp') return rampCurves(plan, sweep.param, sweep.ramp, runsOf);
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
  return { param: sweep.param, values: sweep.points.map((p) => p.label), hysteresis: false, curves };
}

/**
 * Curves of a ramp: each step is measured over the second half of its hold (the first half
 * lets the system settle at the new load), from the timeline of every replication.
 */
function rampCurves(plan: RunPlan, param: string, ramp: Ramp, runsOf: (variant: string, point: number) => RawRun[]): SweepResult {
  const curves = plan.variants.map((v) => {
    const runs = runsOf(v.name, -1);
    const t0 = runs[0].timeline;
    const steps = ramp.values.map((_, i) => {
      const from = Math.ceil(((i + 0.5) * ramp.stepMs) / t0.bucketMs);
      const to = Math.min(t0.buckets, Math.floor(((i + 1) * ramp.stepMs) / t0.bucketMs));
      let good = 0;
      let total = 0;
      let received = 0;
      let doubled = 0;
      const h = new BucketHistogram();
      for (const r of runs) {
        const t = r.timeline;
        for (let b = from; b < to; b++) {
          good += t.ok[b] + t.degraded[b];
          total += t.ok[b] + t.degraded[b] + t.failed[b];
          received += t.received[b];
          doubled += t.doubleProcessed[b];
          const l = t.latency[b];
          if (l !== null) h.merge(BucketHistogram.decode(l));
        }
      }
      return {
        availability: total === 0 ? null : r6(good / total),
        p99Ms: h.count === 0 ? null : r6(h.percentileMs(99)),
        doubleProcessing: doubled,
        amplification: total === 0 ? null : r6(received / total),
      };
    });
    // The same load on the way up (index k) and on the way down (index 2n − 2 − k).
    const n = (ramp.values.length + 1) / 2;
    const metastableAt: Array<number | string> = [];
    for (let k = 0; k < n - 1; k++) {
      const up = steps[k].availability;
      const down = steps[2 * n - 2 - k].availability;
      if (up !== null && (down === null || down < up - HYSTERESIS_GAP)) metastableAt.push(ramp.labels[k]);
    }
    return {
      variant: v.name,
      availability: steps.map((s) => s.availability),
      p99Ms: steps.map((s) => s.p99Ms),
      doubleProcessing: steps.map((s) => s.doubleProcessing),
      amplification: steps.map((s) => s.amplification),
      metastable: metastableAt.length > 0,
      metastableAt,
    };
  });
  return { param, values: ramp.labels, hysteresis: true, directions: ramp.directions, stepMs: ramp.stepMs, curves };
}
