import { formatDurationMs } from '../scenario/units.js';

/** Availability as a percentage with enough decimals to tell 99.9% from 99.99%. */
export function formatPercent(p: number | null): string {
  if (p === null) return '—';
  const pct = p * 100;
  if (pct === 100) return '100%';
  const decimals = pct >= 99.99 ? 3 : pct >= 99 ? 2 : pct >= 10 ? 1 : 2;
  return `${pct.toFixed(decimals)}%`;
}

/** A difference of percentages, in percentage points. */
export function formatPp(d: number): string {
  const v = d * 100;
  const s = Math.abs(v) >= 1 ? v.toFixed(1) : Math.abs(v) >= 0.01 ? v.toFixed(2) : v.toFixed(3);
  return `${v > 0 ? '+' : ''}${s}pp`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  return formatDurationMs(ms);
}

export function formatDeltaMs(ms: number): string {
  return `${ms > 0 ? '+' : ms < 0 ? '−' : '±'}${formatDurationMs(Math.abs(ms))}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatTimes(x: number | null): string {
  if (x === null) return '—';
  return `${x < 10 ? x.toFixed(2) : x.toFixed(1)}×`;
}
