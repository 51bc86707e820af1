import { el, section } from './dom.js';
import { fmtCount, fmtMs, fmtPct, fmtPctTick, fmtTick, fmtTimes } from './format.js';
import { visibleVariants } from './state.js';
import type { Results } from './types.js';
import { xyChart } from './xyChart.js';

type Curve = NonNullable<Results['sweep']>['curves'][number];

/**
 * Sweep curves: each compared metric against the swept parameter, a line per variant. In a
 * hysteresis sweep the way back down is dashed: where it does not retrace the way up, the
 * system is metastable — it stays broken after the load that broke it is gone.
 */
export function renderSweep(parent: Element, results: Results): boolean {
  const sw = results.sweep;
  if (!sw || !Array.isArray(sw.values) || sw.values.length === 0 || !Array.isArray(sw.curves)) return false;
  const numeric = sw.values.every((x) => typeof x === 'number' && Number.isFinite(x));
  const labels = numeric ? [] : [...new Set(sw.values.map(String))];
  const xs = sw.values.map((x) => (numeric ? (x as number) : labels.indexOf(String(x))));
  // Where the way back down starts: the results say so (directions), or the values turn.
  let turn: number | undefined;
  if (sw.hysteresis) {
    const down = sw.directions ? sw.directions.indexOf('down') : -1;
    if (down > 0) turn = down;
    else {
      for (let i = 1; i < xs.length; i++) {
        if (xs[i] < xs[i - 1]) {
          turn = i;
          break;
        }
      }
    }
  }
  /** The points on the way down at the loads where a curve was found metastable. */
  const ringsOf = (c: Curve): number[] => {
    const at = new Set((c.metastableAt ?? []).map(String));
    if (at.size === 0) return [];
    return sw.values.map((v, i) => (at.has(String(v)) && (turn === undefined || i >= turn) ? i : -1)).filter((i) => i >= 0);
  };
  const s = section(
    parent,
    'sweep',
    `Sweep: ${sw.param}`,
    `Each point is a full run at that value of ${sw.param}.${sw.hysteresis ? ' The parameter went up, then back down: dashed lines are the way back.' : ''} The sections above show the first point (${sw.param} = ${String(sw.values[0])}).`,
  );
  const metastable = sw.curves.filter((c) => c.metastable);
  if (metastable.length > 0) {
    const where = (c: Curve) => (c.metastableAt && c.metastableAt.length ? ` (at ${c.metastableAt.map(String).join(', ')})` : '');
    s.appendChild(
      el(
        'p',
        { class: 'warning' },
        `Metastable: ${metastable.map((c) => `${c.variant}${where(c)}`).join('; ')} did not come back on the way down — the system stayed degraded after the load went away (ringed points).`,
      ),
    );
  }
  const grid = el('div', { class: 'two-up' });
  s.appendChild(grid);
  const metrics: Array<{ id: string; title: string; pick: (c: Curve) => Array<number | null>; format: (v: number) => string; tick: (v: number) => string; log?: boolean }> = [
    { id: 'availability', title: 'availability', pick: (c) => c.availability, format: fmtPct, tick: fmtPctTick },
    { id: 'p99', title: 'p99 latency', pick: (c) => c.p99Ms, format: fmtMs, tick: fmtMs, log: true },
    { id: 'double', title: 'double-processed operations', pick: (c) => c.doubleProcessing, format: fmtCount, tick: fmtTick },
    { id: 'amplification', title: 'amplification', pick: (c) => c.amplification, format: fmtTimes, tick: (v) => `${fmtTick(v)}×` },
  ];
  const byName = (name: string) => visibleVariants().find((v) => v.name === name);
  for (const m of metrics) {
    const cell = el('div');
    grid.appendChild(cell);
    xyChart(cell, {
      id: `sweep-${m.id}`,
      title: m.title,
      note: `vs ${sw.param}`,
      height: 230,
      small: true,
      x: { type: numeric ? 'linear' : 'point', format: fmtTick, labels, title: sw.param },
      y: { type: m.log ? 'log' : 'linear', format: m.format, tickFormat: m.tick },
      series: () =>
        sw.curves.flatMap((c) => {
          const v = byName(c.variant);
          if (!v) return [];
          const ys = m.pick(c) ?? [];
          return [
            { vi: v.index, label: v.name, color: v.color, dash: v.dash, markers: true, returnFrom: turn, rings: m.id === 'availability' ? ringsOf(c) : [], points: xs.map((x, i): [number, number | null] => [x, ys[i] ?? null]) },
          ];
        }),
    });
  }
  return true;
}
