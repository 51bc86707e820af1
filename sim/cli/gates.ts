import type { Results, VariantResult } from '../run/results.js';
import { parseDuration, parseProbability } from '../scenario/units.js';
import { UsageError } from './errors.js';
import { formatMs, formatPercent } from './format.js';

/** An SLO gate: `availability=99.9%`, `p99=300ms`, `doubleProcessing=0`, `amplification=2`, `recovery=60s`. */
export interface Gate {
  metric: string;
  text: string;
  threshold: number;
  /** Fails when the value is below the threshold (availability) or above it (everything else). */
  failsBelow: boolean;
  read(v: VariantResult): number | null;
  show(x: number | null): string;
  /** The sweep curve that holds this metric at every sweep point; null: sweeps have none. */
  curve: SweepCurveMetric | null;
}

type SweepCurveMetric = 'availability' | 'p99Ms' | 'doubleProcessing' | 'amplification';
type SweepCurve = NonNullable<Results['sweep']>['curves'][number];

const LATENCY = ['p50', 'p90', 'p99', 'p999', 'p99.9', 'mean', 'max'];

export function parseGates(specs: string[]): Gate[] {
  return specs.map((spec) => {
    const m = /^\s*([A-Za-z0-9.]+)\s*=\s*(.+?)\s*$/.exec(spec);
    if (!m) throw new UsageError(`--fail-under: expected metric=value such as availability=99.9% (found ${JSON.stringify(spec)})`);
    const [, metric, text] = m;
    if (metric === 'availability') {
      const p = parseProbability(text);
      if (typeof p !== 'number') throw new UsageError(`--fail-under availability: ${p.error}`);
      return { metric, text, threshold: p, failsBelow: true, read: (v) => v.summary.availability, show: formatPercent, curve: 'availability' };
    }
    if (LATENCY.includes(metric)) {
      const ms = parseDuration(text);
      if (typeof ms !== 'number') throw new UsageError(`--fail-under ${metric}: ${ms.error}`);
      const key = (metric === 'p99.9' ? 'p999' : metric) as keyof VariantResult['summary']['latencyMs'];
      return { metric, text, threshold: ms, failsBelow: false, read: (v) => v.summary.latencyMs[key], show: formatMs, curve: key === 'p99' ? 'p99Ms' : null };
    }
    if (metric === 'recovery') {
      const ms = parseDuration(text);
      if (typeof ms !== 'number') throw new UsageError(`--fail-under recovery: ${ms.error}`);
      const read = (v: VariantResult) => {
        let worst = 0;
        for (const r of v.summary.recovery) {
          if (r.recoveredAfterMs === null) return Infinity; // not recovered, or too short to tell
          worst = Math.max(worst, r.recoveredAfterMs);
        }
        return worst;
      };
      return { metric, text, threshold: ms, failsBelow: false, read, show: (x) => (x === Infinity ? 'did not recover' : formatMs(x)), curve: null };
    }
    if (metric === 'doubleProcessing' || metric === 'amplification') {
      const x = Number(text);
      if (text.trim() === '' || !Number.isFinite(x) || x < 0) throw new UsageError(`--fail-under ${metric}: expected a number ≥ 0 (found ${JSON.stringify(text)})`);
      const read = metric === 'doubleProcessing' ? (v: VariantResult) => v.summary.doubleProcessing : (v: VariantResult) => v.summary.amplification;
      return { metric, text, threshold: x, failsBelow: false, read, show: (y) => (y === null ? '—' : String(y)), curve: metric };
    }
    throw new UsageError(
      `--fail-under: unknown metric ${JSON.stringify(metric)} (expected availability, p50, p90, p99, p999, mean, max, doubleProcessing, amplification or recovery)`,
    );
  });
}

/**
 * Gates a sweep can check: at every sweep point, so only metrics its curves hold. Throws a
 * UsageError for the others, before anything runs.
 */
export function checkSweepGates(gates: Gate[]): void {
  const other = gates.find((g) => g.curve === null);
  if (other) {
    throw new UsageError(`--fail-under ${other.metric}: a sweep is gated at every point, on what its curves hold (expected availability, p99, doubleProcessing or amplification)`);
  }
}

const missedBy = (g: Gate, x: number | null): boolean => x === null || (g.failsBelow ? x < g.threshold : x > g.threshold);

/**
 * The misses: one line per metric and variant that did not meet its gate. A sweep must meet
 * each gate at every point: its line names the worst point and how many missed.
 */
export function checkGates(results: Results, gates: Gate[], variants: string[] | null): string[] {
  const misses: string[] = [];
  const sweep = results.sweep;
  for (const v of results.variants) {
    if (variants !== null && !variants.includes(v.name)) continue;
    const curve = sweep?.curves.find((c) => c.variant === v.name);
    for (const g of gates) {
      const miss = curve && sweep ? sweepMiss(g, curve, sweep) : missedBy(g, g.read(v)) ? { shown: g.show(g.read(v)), where: '', count: '' } : null;
      if (miss !== null) {
        misses.push(`${v.name}: ${g.metric} ${miss.shown}${miss.where} ${g.failsBelow ? 'is below' : 'is above'} the gate ${g.metric}=${g.text}${miss.count}`);
      }
    }
  }
  return misses;
}

/** The worst point that missed (`89.7%`, ` at traffic.users.rate=400`, ` (2 of 3 points missed)`), or null if none did. */
function sweepMiss(g: Gate, curve: SweepCurve, sweep: NonNullable<Results['sweep']>): { shown: string; where: string; count: string } | null {
  const values: Array<number | null> = curve[g.curve!];
  let worst = -1;
  let count = 0;
  values.forEach((x, i) => {
    if (!missedBy(g, x)) return;
    count++;
    const w = values[worst];
    if (worst < 0 || x === null || (w !== null && (g.failsBelow ? x < w : x > w))) worst = i;
  });
  if (count === 0) return null;
  const dir = sweep.directions ? ` (${sweep.directions[worst]})` : '';
  return { shown: g.show(values[worst]), where: ` at ${sweep.param}=${sweep.values[worst]}${dir}`, count: ` (${count} of ${values.length} points missed)` };
}
