import { trafficOf } from './data.js';
import { fmtNumber, fmtTick } from './format.js';
import { OUTCOME_COLORS } from './palette.js';
import { captionKeys } from './chartFrame.js';
import { timelineChart } from './timeline.js';
import type { Variant } from './types.js';

/** Operations per second by outcome — one stacked chart per variant (hidden with it). */
export function operationsCharts(parent: Element, variants: Variant[]): void {
  // One shared y maximum, so the variants' charts compare at a glance.
  let yMax = 0;
  for (const v of variants) for (const x of trafficOf(v.result.timeline).all) yMax = Math.max(yMax, x);
  for (const v of variants) {
    const t = v.result.timeline;
    const fig = timelineChart(parent, {
      id: `ops-${v.index}`,
      title: `Operations per second — ${v.name}`,
      note: 'by arrival time',
      variant: v.index,
      height: 120,
      y: 'linear',
      yMax: yMax > 0 ? niceCeil(yMax) : 1,
      stack: true,
      showFaultLabels: v.index === variants[0].index,
      format: (x) => `${fmtNumber(x)}/s`,
      axisFormat: fmtTick,
      series: () => [
        { vi: v.index, label: 'succeeded', values: t.okPerSec, color: OUTCOME_COLORS.ok },
        { vi: v.index, label: 'degraded', values: t.degradedPerSec, color: OUTCOME_COLORS.degraded },
        { vi: v.index, label: 'failed', values: t.failedPerSec, color: OUTCOME_COLORS.failed },
      ],
      readout: (b, ctx) => [
        { label: 'succeeded', value: `${fmtNumber(ctx.at(t.okPerSec)[b])}/s`, color: OUTCOME_COLORS.ok },
        { label: 'degraded', value: `${fmtNumber(ctx.at(t.degradedPerSec)[b])}/s`, color: OUTCOME_COLORS.degraded },
        { label: 'failed', value: `${fmtNumber(ctx.at(t.failedPerSec)[b])}/s`, color: OUTCOME_COLORS.failed },
      ],
    });
    captionKeys(fig, [
      { label: 'succeeded', color: OUTCOME_COLORS.ok },
      { label: 'degraded (fallback)', color: OUTCOME_COLORS.degraded },
      { label: 'failed', color: OUTCOME_COLORS.failed },
    ]);
  }
}

/** 1, 2, 2.5, 5 × 10^k, at or above x. */
export function niceCeil(x: number): number {
  const e = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * e >= x) return m * e;
  return 10 * e;
}
