import { unionKeys } from './data.js';
import { fmtFraction } from './format.js';
import { BREAKER_COLORS } from './palette.js';
import { visibleVariants } from './state.js';
import { timelineChart } from './timeline.js';
import type { TipRow } from './tooltip.js';
import type { Variant } from './types.js';

/**
 * Circuit-breaker state bands: per call site with a breaker, a band per variant, filled from
 * the bottom by the share of the callers' breakers that were open (vermillion), then half-open
 * (orange), over a pale "closed" band.
 */
export function breakerCharts(parent: Element, variants: Variant[]): number {
  const keys = unionKeys(variants, (v) => v.result.timeline.breakers);
  for (const key of keys) {
    const withBreaker = () => visibleVariants().filter((v) => v.result.timeline.breakers[key]);
    const count = variants.filter((v) => v.result.timeline.breakers[key]).length;
    timelineChart(parent, {
      id: `breaker-${key}`,
      title: `Breaker on ${key}`,
      note: 'pale: closed · orange: half-open · vermillion: open (share of the callers’ breakers)',
      height: 36 + Math.max(1, count) * 24,
      y: 'bands',
      format: fmtFraction,
      series: () => [],
      bands: () => withBreaker().map((v) => ({ label: v.name, vi: v.index })),
      drawBands: (ctx, y, rows) => {
        rows.forEach((row, i) => {
          const v = visibleVariants().find((x) => x.index === row.vi)!;
          const b = v.result.timeline.breakers[key];
          const open = ctx.at(b.open);
          const half = ctx.at(b.halfOpen);
          const top = y(`${i}`) ?? 0;
          const h = y.bandwidth();
          const x0 = ctx.x(ctx.from * ctx.bucketMs);
          ctx.g
            .append('rect')
            .attr('class', 'mark band-closed')
            .attr('data-variant', v.index)
            .attr('x', x0)
            .attr('width', Math.max(1, ctx.x((ctx.to + 1) * ctx.bucketMs) - x0))
            .attr('y', top)
            .attr('height', h)
            .attr('fill', BREAKER_COLORS.closed);
          for (let k = ctx.from; k <= ctx.to; k++) {
            const o = open[k] ?? 0;
            const hh = half[k] ?? 0;
            if (o <= 0 && hh <= 0) continue;
            const xa = ctx.x(k * ctx.bucketMs);
            const w = Math.max(0.8, ctx.x((k + 1) * ctx.bucketMs) - xa + 0.3);
            if (o > 0) ctx.g.append('rect').attr('class', 'mark band-open').attr('data-variant', v.index).attr('x', xa).attr('width', w).attr('y', top + h * (1 - o)).attr('height', h * o).attr('fill', BREAKER_COLORS.open);
            if (hh > 0) {
              ctx.g
                .append('rect')
                .attr('class', 'mark band-half-open')
                .attr('data-variant', v.index)
                .attr('x', xa)
                .attr('width', w)
                .attr('y', top + h * Math.max(0, 1 - o - hh))
                .attr('height', h * Math.min(hh, 1 - o))
                .attr('fill', BREAKER_COLORS.halfOpen);
            }
          }
        });
      },
      readout: (point, ctx) =>
        withBreaker().flatMap((v): TipRow[] => {
          const b = v.result.timeline.breakers[key];
          return [
            { label: v.name, head: true, color: v.color },
            { label: 'open', value: fmtFraction(ctx.at(b.open)[point] ?? 0), color: BREAKER_COLORS.open },
            { label: 'half-open', value: fmtFraction(ctx.at(b.halfOpen)[point] ?? 0), color: BREAKER_COLORS.halfOpen },
          ];
        }),
    });
  }
  return keys.length;
}
