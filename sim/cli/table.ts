import pc from 'picocolors';
import type { Delta, Results, VariantResult } from '../run/results.js';
import { bestValue } from '../../viz/page/best.js';
import { renderSweep } from './sweepTable.js';
import { pad, width } from './text.js';
import { formatCount, formatDeltaCount, formatDeltaMs, formatMs, formatPercent, formatPp, formatTimes, sign } from './format.js';

interface Column {
  title: string;
  value(v: VariantResult): number | null;
  /** Higher is better? */
  higherBetter: boolean;
  show(v: VariantResult): string;
  delta?(d: NonNullable<VariantResult['vsBaseline']>): { text: string; d: Delta } | null;
}

/**
 * Worst recovery over the faults: null if any fault did not recover (metastable), −1 with no
 * faults, −2 when every fault ended too close to the end of the run to tell.
 */
function worstRecovery(v: VariantResult): number | null {
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

const COLUMNS: Column[] = [
  {
    title: 'availability',
    value: (v) => v.summary.availability,
    higherBetter: true,
    show: (v) => {
      const ci = v.summary.availabilityCI95;
      const a = formatPercent(v.summary.availability);
      return ci ? `${a} ±${((ci[1] - ci[0]) * 50).toFixed(ci[1] - ci[0] < 0.0002 ? 3 : 2)}` : a;
    },
    delta: (d) => (d.availability.delta === null ? null : { text: formatPp(d.availability.delta), d: d.availability }),
  },
  {
    title: 'p50',
    value: (v) => v.summary.latencyMs.p50,
    higherBetter: false,
    show: (v) => formatMs(v.summary.latencyMs.p50),
    delta: (d) => (d.p50Ms.delta === null ? null : { text: formatDeltaMs(d.p50Ms.delta), d: d.p50Ms }),
  },
  {
    title: 'p99',
    value: (v) => v.summary.latencyMs.p99,
    higherBetter: false,
    show: (v) => formatMs(v.summary.latencyMs.p99),
    delta: (d) => (d.p99Ms.delta === null ? null : { text: formatDeltaMs(d.p99Ms.delta), d: d.p99Ms }),
  },
  { title: 'p99.9', value: (v) => v.summary.latencyMs.p999, higherBetter: false, show: (v) => formatMs(v.summary.latencyMs.p999) },
  {
    title: 'double-processed',
    value: (v) => v.summary.doubleProcessing,
    higherBetter: false,
    show: (v) => formatCount(v.summary.doubleProcessing),
    delta: (d) => (d.doubleProcessing.delta === null ? null : { text: `${formatDeltaCount(d.doubleProcessing.delta)}/run`, d: d.doubleProcessing }),
  },
  {
    title: 'amplification',
    value: (v) => v.summary.amplification,
    higherBetter: false,
    show: (v) => formatTimes(v.summary.amplification),
    delta: (d) => (d.amplification.delta === null ? null : { text: `${sign(d.amplification.delta)}${Math.abs(d.amplification.delta).toFixed(2)}×`, d: d.amplification }),
  },
  {
    title: 'recovery',
    value: (v) => {
      const w = worstRecovery(v);
      return w === null ? Infinity : w < 0 ? null : w;
    },
    higherBetter: false,
    show: (v) => {
      const w = worstRecovery(v);
      return w === null ? 'did not recover' : w === -2 ? 'too short to tell' : w < 0 ? '—' : formatMs(w);
    },
  },
];


/**
 * The terminal table of DESIGN §5: a row per variant, the best value per column marked ★,
 * and under each variant its paired deltas against the baseline (* = significant at 95%).
 */
export function renderTable(results: Results, color = pc.isColorSupported): string {
  const c = pc.createColors(color);
  const vs = results.variants;
  const s = results.scenario;
  const lines: string[] = [];
  lines.push(c.bold(`${s.title}`) + c.dim(`  (${s.name})`));
  const reps = s.replications === 1 ? '1 replication' : `${s.replications} replications`;
  lines.push(c.dim(`seed ${s.seed} · ${reps} · ${formatMs(s.durationMs)} simulated${s.warmupMs > 0 ? ` (warmup ${formatMs(s.warmupMs)})` : ''} · ${formatCount(vs[0]?.summary.requests ?? 0)} operations per variant`));
  const sweep = results.sweep;
  if (sweep) {
    lines.push(c.dim(sweep.hysteresis ? 'the table: over the whole ramp; the curves, step by step, below' : `the table: at ${sweep.param}=${sweep.values[0]}, the sweep's first value; the curves below`));
  }
  lines.push('');

  const best = COLUMNS.map((col) => bestValue(vs.map((v) => col.value(v)), col.higherBetter));
  const header = ['variant', ...COLUMNS.map((col) => col.title)];
  const rows: string[][] = [];
  const deltas: string[][] = [];
  for (const v of vs) {
    rows.push([
      v.name,
      ...COLUMNS.map((col, i) => {
        const text = col.show(v);
        return best[i] !== null && col.value(v) === best[i] ? `${text} ★` : text;
      }),
    ]);
    const d = v.vsBaseline;
    deltas.push(
      d === null
        ? []
        : ['  vs baseline', ...COLUMNS.map((col) => {
            const x = col.delta?.(d);
            if (!x) return '';
            return x.d.significant === null ? x.text : `${x.text}${x.d.significant ? '*' : ' n.s.'}`;
          })],
    );
  }
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i])), ...deltas.map((r) => width(r[i] ?? ''))));
  lines.push(c.bold(header.map((h, i) => pad(h, widths[i], i > 0)).join('  ')));
  rows.forEach((row, ri) => {
    const cells = row.map((cell, i) => {
      let t = pad(cell, widths[i], i > 0);
      if (cell.endsWith('★')) t = c.green(c.bold(t));
      if (cell === 'did not recover') t = c.red(c.bold(t));
      return t;
    });
    lines.push(cells.join('  '));
    if (deltas[ri].length > 0) lines.push(c.dim(deltas[ri].map((cell, i) => pad(cell, widths[i], i > 0)).join('  ')));
  });
  const notes: string[] = [];
  if (vs.some((v) => v.vsBaseline !== null) && s.replications > 1) notes.push('* significant: the paired 95% interval excludes 0; n.s. not significant');
  if (vs.some((v) => v.vsBaseline !== null) && s.replications === 1) notes.push('run --replications 5 or more for confidence intervals and significance');
  if (vs.some((v) => worstRecovery(v) === null)) notes.push(c.red('did not recover: a metastable failure — the system stayed degraded after the fault ended'));
  for (const v of vs) {
    if (v.stop.truncatedRuns > 0) notes.push(c.red(`${v.name}: ${v.stop.truncatedRuns} run(s) stopped at the event budget; results are incomplete`));
  }
  if (notes.length > 0) {
    lines.push('');
    lines.push(...notes.map((n) => c.dim(n)));
  }
  if (sweep) lines.push('', renderSweep(sweep, color));
  return lines.join('\n');
}
