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
}

const LATENCY = ['p50', 'p90', 'p99', 'p999', 'p99.9', 'mean', 'max'];

export function parseGates(specs: string[]): Gate[] {
  return specs.map((spec) => {
    const m = /^\s*([A-Za-z0-9.]+)\s*=\s*(.+?)\s*$/.exec(spec);
    if (!m) throw new UsageError(`--fail-under: expected metric=value such as availability=99.9% (found ${JSON.stringify(spec)})`);
    const [, metric, text] = m;
    if (metric === 'availability') {
      const p = parseProbability(text);
      if (typeof p !== 'number') throw new UsageError(`--fail-under availability: ${p.error}`);
      return { metric, text, threshold: p, failsBelow: true, read: (v) => v.summary.availability, show: formatPercent };
    }
    if (LATENCY.includes(metric)) {
      const ms = parseDuration(text);
      if (typeof ms !== 'number') throw new UsageError(`--fail-under ${metric}: ${ms.error}`);
      const key = (metric === 'p99.9' ? 'p999' : metric) as keyof VariantResult['summary']['latencyMs'];
      return { metric, text, threshold: ms, failsBelow: false, read: (v) => v.summary.latencyMs[key], show: formatMs };
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
      return { metric, text, threshold: ms, failsBelow: false, read, show: (x) => (x === Infinity ? 'did not recover' : formatMs(x)) };
    }
    if (metric === 'doubleProcessing' || metric === 'amplification') {
      const x = Number(text);
      if (text.trim() === '' || !Number.isFinite(x) || x < 0) throw new UsageError(`--fail-under ${metric}: expected a number ≥ 0 (found ${JSON.stringify(text)})`);
      const read = metric === 'doubleProcessing' ? (v: VariantResult) => v.summary.doubleProcessing : (v: VariantResult) => v.summary.amplification;
      return { metric, text, threshold: x, failsBelow: false, read, show: (y) => (y === null ? '—' : String(y)) };
    }
    throw new UsageError(
      `--fail-under: unknown metric ${JSON.stringify(metric)} (expected availability, p50, p90, p99, p999, mean, max, doubleProcessing, amplification or recovery)`,
    );
  });
}

/** The misses: one line per metric and variant that did not meet its gate. */
export function checkGates(results: Results, gates: Gate[], variants: string[] | null): string[] {
  const misses: string[] = [];
  for (const v of results.variants) {
    if (variants !== null && !variants.includes(v.name)) continue;
    for (const g of gates) {
      const x = g.read(v);
      const missed = x === null || (g.failsBelow ? x < g.threshold : x > g.threshold);
      if (missed) {
        misses.push(`${v.name}: ${g.metric} ${g.show(x)} ${g.failsBelow ? 'is below' : 'is above'} the gate ${g.metric}=${g.text}`);
      }
    }
  }
  return misses;
}
