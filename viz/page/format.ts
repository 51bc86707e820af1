/**
 * Number formatting for people, the same rules as the terminal table (sim/cli/format.ts), so
 * the report and the table always show the same digits. No locale-dependent output: the page
 * looks the same everywhere.
 */

const trim = (x: number) => String(Number(x.toPrecision(4)));

/** 1500 → "1.5s", 0.25 → "250µs", null → "—". */
export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const abs = Math.abs(ms);
  if (abs === 0) return '0ms';
  if (abs < 1) return `${trim(ms * 1000)}µs`;
  if (abs < 1000) return `${trim(ms)}ms`;
  if (abs < 60_000) return `${trim(ms / 1000)}s`;
  if (abs < 3_600_000) return `${trim(ms / 60_000)}m`;
  return `${trim(ms / 3_600_000)}h`;
}

/** A clock-like time on a timeline: 0:45, 2:30, 1:02:03; with decimals, 0:13.5. */
export function fmtClock(ms: number, decimals = 0): string {
  const scale = 10 ** decimals;
  const total = Math.round((ms / 1000) * scale) / scale;
  const whole = Math.floor(total);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = total - h * 3600 - m * 60;
  const ss = s.toFixed(decimals).padStart(decimals > 0 ? 3 + decimals : 2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Availability with enough decimals to tell 99.9% from 99.99%. */
export function fmtPct(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  const pct = p * 100;
  if (pct === 100) return '100%';
  const decimals = pct >= 99.99 ? 3 : pct >= 99 ? 2 : pct >= 10 ? 1 : 2;
  return `${pct.toFixed(decimals)}%`;
}

/** A plain fraction (utilization, breaker open time) as a percentage. */
export function fmtFraction(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  const pct = p * 100;
  return `${pct >= 10 || pct === 0 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

/** A difference of percentages, in percentage points. */
export function fmtPp(d: number): string {
  const v = d * 100;
  const s = Math.abs(v) >= 1 ? v.toFixed(1) : Math.abs(v) >= 0.01 ? v.toFixed(2) : v.toFixed(3);
  return `${v > 0 ? '+' : v < 0 ? '−' : '±'}${s.replace('-', '')}pp`;
}

export function fmtDeltaMs(ms: number): string {
  return `${ms > 0 ? '+' : ms < 0 ? '−' : '±'}${fmtMs(Math.abs(ms))}`;
}

/** Integers with thousands separators (1,234,567), independent of the reader's locale. */
export function fmtCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const neg = n < 0;
  const [int, frac] = String(Math.abs(n)).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '−' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

/** A rate or a mean count, kept short: 1.23k, 45.6, 0.12. */
export function fmtNumber(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const abs = Math.abs(x);
  if (abs >= 1e6) return `${trim(x / 1e6)}M`;
  if (abs >= 1e4) return `${trim(x / 1e3)}k`;
  if (abs >= 100) return String(Math.round(x));
  if (abs >= 10) return String(Number(x.toFixed(1)));
  if (abs === 0) return '0';
  return String(Number(x.toPrecision(2)));
}

/** Amplification: 3.99×. */
export function fmtTimes(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${x < 10 ? x.toFixed(2) : x.toFixed(1)}×`;
}

export function fmtSigned(x: number, digits = 2, unit = ''): string {
  const s = Math.abs(x).toFixed(digits);
  return `${x > 0 ? '+' : x < 0 ? '−' : '±'}${s}${unit}`;
}

/** Singular or plural: plural(1, 'run') → "1 run". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${fmtCount(n)} ${n === 1 ? word : many}`;
}

/** Shortens a label to n characters with an ellipsis. */
export function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** An axis tick: as few digits as it needs (20, 2.5, 1.2k). */
export function fmtTick(x: number): string {
  const abs = Math.abs(x);
  if (abs >= 1e6) return `${Number((x / 1e6).toPrecision(3))}M`;
  if (abs >= 1e4) return `${Number((x / 1e3).toPrecision(3))}k`;
  return String(Number(x.toPrecision(4)));
}

/** A fraction as a percentage tick: 0%, 99.5%, 100%. */
export function fmtPctTick(p: number): string {
  return `${Number((p * 100).toPrecision(4))}%`;
}
