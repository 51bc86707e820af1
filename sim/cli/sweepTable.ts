import pc from 'picocolors';
import type { Results } from '../run/results.js';
import { HYSTERESIS_GAP } from '../run/sweep.js';
import { formatCount, formatMs, formatPercent, formatTimes } from './format.js';
import { pad, width } from './text.js';

type Sweep = NonNullable<Results['sweep']>;
type Curve = Sweep['curves'][number];

const METRICS: Array<{ title: string; show(c: Curve, i: number): string }> = [
  { title: 'availability', show: (c, i) => formatPercent(c.availability[i]) },
  { title: 'p99', show: (c, i) => formatMs(c.p99Ms[i]) },
  { title: 'double-processed', show: (c, i) => formatCount(c.doubleProcessing[i]) },
  { title: 'amplification', show: (c, i) => formatTimes(c.amplification[i]) },
];


/**
 * A sweep's curves in the terminal: a row per metric and variant, a column per swept value
 * (↑/↓ on the way up and down a hysteresis ramp), and the curves that did not come back.
 */
export function renderSweep(sweep: Sweep, color = pc.isColorSupported): string {
  const c = pc.createColors(color);
  const heads = sweep.values.map((v, i) => `${v}${sweep.directions ? (sweep.directions[i] === 'up' ? '↑' : '↓') : ''}`);
  const rows: string[][] = [];
  for (const m of METRICS) {
    sweep.curves.forEach((curve, ci) => rows.push([ci === 0 ? m.title : '', curve.variant, ...heads.map((_, i) => m.show(curve, i))]));
  }
  const header = [`${sweep.param} =`, '', ...heads];
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]))));
  const line = (cells: string[]) => cells.map((cell, i) => pad(cell, widths[i], i >= 2)).join('  ');
  const lines = [c.bold(line(header))];
  rows.forEach((r) => lines.push(line(r)));
  for (const curve of sweep.curves) {
    if (curve.metastable) {
      lines.push(c.red(`${curve.variant}: metastable — on the way down, availability stayed more than ${HYSTERESIS_GAP * 100} points below the way up at ${curve.metastableAt!.join(', ')}`));
    }
  }
  return lines.join('\n');
}
