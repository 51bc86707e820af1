import { bestValue } from './best.js';
import { num } from './data.js';
import { fmtCount, fmtDeltaMs, fmtMs, fmtPct, fmtPp, fmtSigned, fmtTimes } from './format.js';
import type { Variant, VariantResult } from './types.js';

type Delta = { delta: number | null; ci95: [number, number] | null; significant: boolean | null };

/** One compared metric: how to read it, show it, rank it and show its delta against the baseline. */
export interface Column {
  id: string;
  title: string;
  /** What the metric means, shown on hover. */
  help: string;
  value(v: VariantResult): number | null;
  higherBetter: boolean;
  show(v: VariantResult): string;
  /** A second line under the value (the CI, a rate per run). */
  sub?(v: VariantResult): string | null;
  /** The paired difference against the baseline, if the results hold one. */
  delta?(v: VariantResult): { text: string; d: Delta } | null;
  /** Formats a value of the delta's unit (for the CI in the tooltip). */
  deltaUnit?(x: number): string;
}

/**
 * Worst recovery over the faults (as in the terminal table): null if one did not recover, −1
 * with no faults, −2 when every fault ended too close to the end of the run to tell.
 */
export function worstRecovery(v: VariantResult): number | null {
  const told = v.summary.recovery.filter((r) => !r.undetermined);
  if (v.summary.recovery.length === 0) return -1;
  if (told.length === 0) return -2;
  let worst = 0;
  for (const r of told) {
    if (r.recoveredAfterMs === null) return null;
    worst = Math.max(worst, r.recoveredAfterMs);
  }
  return worst;
}

const dpPerRun = (d: number) => `${fmtSigned(d, Number.isInteger(d) ? 0 : 1)}/run`;

export const COLUMNS: Column[] = [
  {
    id: 'availability',
    title: 'availability',
    help: 'User operations that succeeded (degraded answers included) / operations that arrived after the warm-up, at the traffic source.',
    value: (v) => num(v.summary.availability),
    higherBetter: true,
    show: (v) => fmtPct(v.summary.availability),
    sub: (v) => {
      const ci = v.summary.availabilityCI95;
      return ci ? `95% CI ${fmtPct(ci[0])} – ${fmtPct(ci[1])}` : null;
    },
    delta: (v) => (v.vsBaseline && v.vsBaseline.availability.delta !== null ? { text: fmtPp(v.vsBaseline.availability.delta), d: v.vsBaseline.availability } : null),
    deltaUnit: fmtPp,
  },
  {
    id: 'p50',
    title: 'p50',
    help: 'Median latency of successful user operations, measured at the traffic source.',
    value: (v) => num(v.summary.latencyMs.p50),
    higherBetter: false,
    show: (v) => fmtMs(v.summary.latencyMs.p50),
    delta: (v) => (v.vsBaseline && v.vsBaseline.p50Ms.delta !== null ? { text: fmtDeltaMs(v.vsBaseline.p50Ms.delta), d: v.vsBaseline.p50Ms } : null),
    deltaUnit: fmtDeltaMs,
  },
  {
    id: 'p99',
    title: 'p99',
    help: '99th percentile latency of successful user operations: one in a hundred is slower.',
    value: (v) => num(v.summary.latencyMs.p99),
    higherBetter: false,
    show: (v) => fmtMs(v.summary.latencyMs.p99),
    delta: (v) => (v.vsBaseline && v.vsBaseline.p99Ms.delta !== null ? { text: fmtDeltaMs(v.vsBaseline.p99Ms.delta), d: v.vsBaseline.p99Ms } : null),
    deltaUnit: fmtDeltaMs,
  },
  {
    id: 'p999',
    title: 'p99.9',
    help: '99.9th percentile latency of successful user operations: one in a thousand is slower.',
    value: (v) => num(v.summary.latencyMs.p999),
    higherBetter: false,
    show: (v) => fmtMs(v.summary.latencyMs.p999),
  },
  {
    id: 'double',
    title: 'double-processed',
    help: 'Operations whose non-idempotent side effect ran more than once (a second charge, a second shipment), over all replications.',
    value: (v) => v.summary.doubleProcessing,
    higherBetter: false,
    show: (v) => fmtCount(v.summary.doubleProcessing),
    sub: (v) => {
      const perRun = num(v.replications?.doubleProcessing?.mean);
      const share = v.summary.requests > 0 ? v.summary.doubleProcessing / v.summary.requests : null;
      if (v.summary.doubleProcessing === 0) return null;
      return `${perRun === null ? '' : `${fmtCount(Number(perRun.toPrecision(4)))}/run · `}${share === null ? '' : `${fmtPct(share)} of ops`}`;
    },
    delta: (v) => (v.vsBaseline && v.vsBaseline.doubleProcessing.delta !== null ? { text: dpPerRun(v.vsBaseline.doubleProcessing.delta), d: v.vsBaseline.doubleProcessing } : null),
    deltaUnit: (x) => fmtSigned(x, Number.isInteger(x) ? 0 : 1),
  },
  {
    id: 'amplification',
    title: 'amplification',
    help: 'Requests received by all services per user operation: how much work one click causes, retries included.',
    value: (v) => num(v.summary.amplification),
    higherBetter: false,
    show: (v) => fmtTimes(v.summary.amplification),
    delta: (v) =>
      v.vsBaseline && v.vsBaseline.amplification.delta !== null ? { text: `${fmtSigned(v.vsBaseline.amplification.delta, 2)}×`, d: v.vsBaseline.amplification } : null,
    deltaUnit: (x) => `${fmtSigned(x, 2)}×`,
  },
  {
    id: 'recovery',
    title: 'recovery',
    help: 'After each fault ends: the time until the success rate is back near its pre-fault level and holds there. The worst fault is shown.',
    value: (v) => {
      const w = worstRecovery(v);
      return w === null ? Infinity : w < 0 ? null : w;
    },
    higherBetter: false,
    show: (v) => {
      const w = worstRecovery(v);
      return w === null ? 'not recovered' : w === -2 ? 'too short to tell' : w < 0 ? '—' : fmtMs(w);
    },
    sub: (v) => {
      const n = v.summary.recovery.length;
      if (n === 0) return 'no faults';
      const stuck = v.summary.recovery.filter((r) => r.recoveredAfterMs === null && !r.undetermined).length;
      return stuck > 0 ? `${stuck} of ${n} fault${n === 1 ? '' : 's'}` : `worst of ${n} fault${n === 1 ? '' : 's'}`;
    },
  },
];

/**
 * The best value of each column over the given variants, or null when there is nothing to
 * rank (one variant, or everyone ties: a column where all tie marks nobody).
 */
export function bestValues(variants: Variant[]): Array<number | null> {
  return COLUMNS.map((col) => bestValue(variants.map((v) => col.value(v.result)), col.higherBetter));
}

/** Whether a delta is an improvement, a regression, or neither (zero, or no significance). */
export function deltaDirection(col: Column, d: Delta): 'better' | 'worse' | 'same' {
  if (d.delta === null || d.delta === 0) return 'same';
  const up = d.delta > 0;
  return up === col.higherBetter ? 'better' : 'worse';
}
