import { el, emptyNote } from './dom.js';
import { fmtMs, fmtPct, fmtPctTick } from './format.js';
import { state, visibleVariants } from './state.js';
import type { TipRow } from './tooltip.js';
import { xyChart, type XYSpec } from './xyChart.js';

/**
 * The latency CDF of successful operations, a line per variant, on a log time axis. The tail
 * view plots 1 − CDF on a log axis too, which spreads p99 and p99.9 apart.
 */
export function cdfChart(parent: Element): void {
  if (!state.variants.some((v) => (v.result.latencyCdf ?? []).length > 0)) {
    parent.appendChild(el('h3', { class: 'subhead' }, 'Latency distribution'));
    emptyNote(parent, 'No operation succeeded in any variant: there is no latency to show.');
    return;
  }
  let tail = false;
  const guides: Array<[number, string]> = [
    [0.5, 'p50'],
    [0.99, 'p99'],
    [0.999, 'p99.9'],
  ];
  const spec: XYSpec = {
    id: 'latency-cdf',
    title: 'Latency distribution',
    note: 'share of successful operations at or under a latency',
    height: 300,
    x: { type: 'log', format: fmtMs, title: 'latency (log scale)' },
    y: { type: 'linear', format: (v) => fmtPct(v), tickFormat: fmtPctTick, domain: () => [0, 1] },
    series: () =>
      visibleVariants().map((v) => ({
        vi: v.index,
        label: v.name,
        color: v.color,
        dash: v.dash,
        points: (v.result.latencyCdf ?? []).map(([ms, q]): [number, number | null] => [ms, tail ? (1 - q > 1e-9 ? 1 - q : null) : q]),
      })),
    guides: (g, _x, y, w) => {
      for (const [q, label] of tail ? guides : guides.slice(0, 2)) {
        const yv = y(tail ? 1 - q : q);
        g.append('line').attr('class', 'guide').attr('x1', 0).attr('x2', w).attr('y1', yv).attr('y2', yv);
        g.append('text').attr('class', 'guide-label').attr('x', w - 2).attr('y', yv - 3).attr('text-anchor', 'end').text(label);
      }
    },
    readout: (ms) => {
      const rows: TipRow[] = visibleVariants().map((v) => {
        const q = fractionAt(v.result.latencyCdf ?? [], ms);
        return { label: v.name, value: tail ? `${fmtPct(1 - q)} slower` : `${fmtPct(q)} faster`, color: v.color };
      });
      return { title: `at ${fmtMs(ms)}`, rows };
    },
  };
  const chart = xyChart(parent, spec);
  const toggle = el('button', { type: 'button', class: 'chart-toggle', 'aria-pressed': 'false' }, 'Tail view (1 − CDF)');
  toggle.addEventListener('click', () => {
    tail = !tail;
    toggle.setAttribute('aria-pressed', String(tail));
    spec.y = tail
      ? { type: 'log', format: (v) => fmtPct(v), tickFormat: fmtPctTick, domain: () => [tailFloor(), 1] }
      : { type: 'linear', format: (v) => fmtPct(v), tickFormat: fmtPctTick, domain: () => [0, 1] };
    const note = chart.figure.querySelector('.chart-note');
    if (note) note.textContent = tail ? 'share of successful operations slower than a latency (log scale: the tail spread out)' : 'share of successful operations at or under a latency';
    chart.redraw();
  });
  chart.figure.querySelector('figcaption')?.appendChild(toggle);
}

/** The smallest tail fraction worth showing: one in ten thousand, or what the CDF resolves. */
function tailFloor(): number {
  let min = 1e-4;
  for (const v of visibleVariants()) {
    for (const [, q] of v.result.latencyCdf ?? []) if (1 - q > 1e-9) min = Math.min(min, 1 - q);
  }
  return Math.max(1e-6, min);
}

/** The CDF at ms: the fraction of the last point at or below it. */
export function fractionAt(cdf: Array<[number, number]>, ms: number): number {
  let q = 0;
  for (const [x, f] of cdf) {
    if (x <= ms) q = f;
    else break;
  }
  return q;
}
