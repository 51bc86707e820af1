import { captionKeys } from './chartFrame.js';
import { d3 } from './d3.js';
import { unionKeys } from './data.js';
import { el, emptyNote } from './dom.js';
import { fmtFraction, fmtNumber } from './format.js';
import { visibleVariants } from './state.js';
import { timelineChart, type BandRow } from './timeline.js';
import type { TipRow } from './tooltip.js';
import type { Variant } from './types.js';
import type { Agg } from './rebucket.js';

/**
 * Per service, a heat strip per variant: worker utilization, and the longest wait queue.
 * Strips stay readable with many services (a line chart each would not), and share the
 * timelines' axis, window and crosshair; hover for the numbers.
 */
export function serviceHeatCharts(parent: Element, variants: Variant[]): void {
  const services = unionKeys(variants, (v) => v.result.timeline.services);
  heat(parent, variants, services, {
    id: 'utilization',
    title: 'Worker utilization per service',
    note: 'busy workers / workers',
    pick: (v, s) => v.result.timeline.services[s]?.utilization,
    agg: 'mean',
    max: () => 1,
    color: (t) => d3.interpolateBlues(0.05 + 0.95 * t),
    format: fmtFraction,
    keys: [
      { label: '0%', color: d3.interpolateBlues(0.05) },
      { label: '50%', color: d3.interpolateBlues(0.525) },
      { label: '100%', color: d3.interpolateBlues(1) },
    ],
  });
  const maxDepth = Math.max(0, ...variants.flatMap((v) => services.map((s) => Math.max(0, ...(v.result.timeline.services[s]?.queueDepth ?? [0])))));
  if (maxDepth === 0) {
    parent.appendChild(el('h3', { class: 'subhead' }, 'Requests waiting for a worker, per service'));
    emptyNote(parent, 'No request waited for a worker, in any service or variant: every pool had a free worker whenever a request arrived.');
    return;
  }
  heat(parent, variants, services, {
    id: 'queue-depth',
    title: 'Requests waiting for a worker, per service',
    note: `longest wait queue per interval (darkest: ${fmtNumber(maxDepth)})`,
    pick: (v, s) => v.result.timeline.services[s]?.queueDepth,
    agg: 'max',
    max: () => maxDepth,
    color: (t) => d3.interpolatePurples(0.04 + 0.96 * t),
    format: fmtNumber,
    sqrt: true,
    keys: [
      { label: '0', color: d3.interpolatePurples(0.04) },
      { label: fmtNumber(maxDepth / 4), color: d3.interpolatePurples(0.52) },
      { label: fmtNumber(maxDepth), color: d3.interpolatePurples(1) },
    ],
  });
}

interface HeatSpec {
  id: string;
  title: string;
  note: string;
  pick(v: Variant, service: string): number[] | undefined;
  agg: Agg;
  max(): number;
  color(t: number): string;
  format(v: number): string;
  sqrt?: boolean;
  keys: Array<{ label: string; color: string }>;
}

function heat(parent: Element, variants: Variant[], services: string[], h: HeatSpec): void {
  const rows = (): BandRow[] => {
    const out: BandRow[] = [];
    const shown = visibleVariants();
    services.forEach((s, si) => {
      if (si > 0 && shown.length > 1) out.push({ label: '', vi: -1, spacer: true });
      let first = true;
      for (const v of shown) {
        if (!h.pick(v, s)) continue;
        out.push({ label: first ? s : '', vi: v.index, group: s });
        first = false;
      }
    });
    return out;
  };
  const rowH = variants.length > 1 ? 9 : 14;
  const n = services.length * variants.length + (variants.length > 1 ? services.length - 1 : 0);
  const fig = timelineChart(parent, {
    id: h.id,
    title: h.title,
    note: h.note,
    height: 34 + Math.max(1, n) * (rowH + 2),
    y: 'bands',
    format: h.format,
    series: () => [],
    bands: rows,
    drawBands: (ctx, y, bandRows) => {
      const max = h.max();
      const scale = (x: number) => (max > 0 ? (h.sqrt ? Math.sqrt(Math.max(0, x) / max) : Math.max(0, x) / max) : 0);
      bandRows.forEach((row, i) => {
        if (row.spacer) return;
        const v = variants.find((x) => x.index === row.vi)!;
        const values = ctx.at(h.pick(v, row.group!) ?? [], h.agg);
        const top = y(`${i}`) ?? 0;
        const g = ctx.g.append('g').attr('data-variant', v.index);
        // A pale base strip (a measured zero is still a mark), then a cell per interval above zero.
        const x0 = ctx.x(ctx.from * ctx.bucketMs);
        g.append('rect')
          .attr('class', 'mark heat-base')
          .attr('data-variant', v.index)
          .attr('x', x0)
          .attr('width', Math.max(1, ctx.x((ctx.to + 1) * ctx.bucketMs) - x0))
          .attr('y', top)
          .attr('height', y.bandwidth())
          .attr('fill', h.color(0));
        for (let k = ctx.from; k <= ctx.to; k++) {
          const val = values[k];
          if (val === null || val === undefined || !(val > 0)) continue;
          const xa = ctx.x(k * ctx.bucketMs);
          g.append('rect')
            .attr('class', 'mark heat-cell')
            .attr('data-variant', v.index)
            .attr('x', xa)
            .attr('width', Math.max(0.8, ctx.x((k + 1) * ctx.bucketMs) - xa + 0.35))
            .attr('y', top)
            .attr('height', y.bandwidth())
            .attr('fill', h.color(Math.min(1, scale(val))));
        }
      });
    },
    readout: (point, ctx, row) => {
      const group = row && !row.spacer ? row.group! : null;
      const list = group ? [group] : services;
      return list.flatMap((s): TipRow[] => [
        { label: s, head: true },
        ...visibleVariants()
          .filter((v) => h.pick(v, s))
          .map((v) => {
            const val = ctx.at(h.pick(v, s)!, h.agg)[point];
            return { label: v.name, value: val === null || val === undefined ? '—' : h.format(val), color: v.color };
          }),
      ]);
    },
  });
  if (h.keys.length) captionKeys(fig, h.keys);
}
