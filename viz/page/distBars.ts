import { barChart } from './barChart.js';
import { unionKeys } from './data.js';
import { fmtCount, fmtPct, fmtTick, fmtTimes } from './format.js';
import { OKABE_ITO } from './palette.js';
import { visibleVariants } from './state.js';
import type { Variant } from './types.js';

/** Requests each service received per user operation: where the work (and the retries) land. */
export function amplificationChart(parent: Element, variants: Variant[]): void {
  const services = unionKeys(variants, (v) => v.result.services);
  barChart(parent, {
    id: 'amplification',
    title: 'Amplification per service',
    note: 'requests received per user operation (retries and redeliveries included)',
    format: (v) => `${fmtTick(v)}×`,
    reference: { value: 1, label: '1×' },
    groups: () =>
      services.map((name) => ({
        label: name,
        bars: visibleVariants()
          .filter((v) => v.result.services[name])
          .map((v) => {
            const s = v.result.services[name];
            const a = s.amplification ?? 0;
            return {
              vi: v.index,
              label: v.name,
              color: v.color,
              segments: [{ value: a, color: v.color, label: 'amplification' }],
              text: fmtTimes(s.amplification),
              tip: [
                { label: 'received per user operation', value: fmtTimes(s.amplification) },
                { label: 'received', value: fmtCount(s.received) },
                { label: 'succeeded', value: fmtCount(s.succeeded) },
                { label: 'failed', value: fmtCount(s.failed) },
                { label: 'rejected (queue full)', value: fmtCount(s.rejected) },
                { label: 'refused (down)', value: fmtCount(s.refused) },
                ...(s.lostInQueue ? [{ label: 'lost in queue (went down)', value: fmtCount(s.lostInQueue) }] : []),
                { label: 'utilization', value: fmtPct(s.utilization) },
              ],
            };
          }),
      })),
  });
}

/** Per effect: how many times it ran, how many of those were duplicates, how many were suppressed. */
export function effectsChart(parent: Element, variants: Variant[]): boolean {
  const effects = unionKeys(variants, (v) => v.result.effects);
  if (effects.length === 0) return false;
  barChart(parent, {
    id: 'effects',
    title: 'Side effects: executions and duplicates',
    note: 'solid: first executions · vermillion: duplicates · hatched: duplicates suppressed by idempotency',
    format: fmtTick,
    groups: () =>
      effects.map((name) => ({
        label: name,
        bars: visibleVariants()
          .filter((v) => v.result.effects[name])
          .map((v) => {
            const e = v.result.effects[name];
            const first = Math.max(0, e.executions - e.duplicated);
            return {
              vi: v.index,
              label: v.name,
              color: v.color,
              segments: [
                { value: first, color: v.color, label: 'first executions' },
                { value: e.duplicated, color: OKABE_ITO.vermillion, label: 'duplicates' },
                { value: e.suppressed, color: '#555', label: 'suppressed', hatch: true },
              ],
              text: e.duplicated > 0 ? `${fmtCount(e.duplicated)} dup (${fmtPct(e.operations > 0 ? e.duplicated / e.operations : 0)})` : e.suppressed > 0 ? `${fmtCount(e.suppressed)} suppressed` : 'no duplicates',
              tip: [
                { label: 'operations with the effect', value: fmtCount(e.operations) },
                { label: 'executions', value: fmtCount(e.executions) },
                { label: 'duplicate executions', value: fmtCount(e.duplicated), color: OKABE_ITO.vermillion },
                { label: 'suppressed (idempotent)', value: fmtCount(e.suppressed) },
                { label: 'summed over the replications', head: true, muted: true },
              ],
            };
          }),
      })),
  });
  return true;
}
