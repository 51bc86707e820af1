import { formatDurationMs } from '../scenario/units.js';

/** Availability as a percentage with enough decimals to tell 99.9% from 99.99%. */
export function formatPercent(p: number | null): string {
  if (p === null) return '—';
  const pct = p * 100;
  if (pct === 100) return '100%';
  const decimals = pct >= 99.99 ? 3 : pct >= 99 ? 2 : pct >= 10 ? 1 : 2;
  return `${pct.toFixed(decimals)}%`;
}

/** A sign for a difference: +, − (a real minus), or ± for none. */
export function sign(x: number): string {
  return x > 0 ? '+' : x < 0 ? '−' : '±';
}

/** A difference of percentages, in percentage points. */
export function formatPp(d: number): string {
  const v = Math.abs(d * 100);
  const s = v >= 1 ? v.toFixed(1) : v >= 0.01 ? v.toFixed(2) : v.toFixed(3);
  return `${sign(d)}${s}pp`;
}

/** A difference of counts per run, with at most one decimal. */
export function formatDeltaCount(d: number): string {
  return `${sign(d)}${Number(Math.abs(d).toFixed(1))}`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  return formatDurationMs(ms);
}

export function formatDeltaMs(ms: number): string {
  return `${sign(ms)}${formatDurationMs(Math.abs(ms))}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatTimes(x: number | null): string {
  if (x === null) return '—';
  return `${x < 10 ? x.toFixed(2) : x.toFixed(1)}×`;
}
