/** Number formatting shared by the terminal table and the Markdown summary. */

/** 1234567 → "1.23 M"; keeps three significant digits. */
export function si(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toPrecision(3)} G`;
  if (abs >= 1e6) return `${(n / 1e6).toPrecision(3)} M`;
  if (abs >= 1e3) return `${(n / 1e3).toPrecision(3)} k`;
  return n.toPrecision(3);
}

/** A simulated or wall span in ms → "1 h", "10 min", "1250 s", "0.84 s". */
export function span(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 10_000) return `${Math.round(ms / 1000)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms.toFixed(0)} ms`;
}

/** A simulated span in words for labels → "1 h", "10 min", "20 s". */
export function spanLabel(msSim: number): string {
  return msSim >= 3_600_000 ? `${msSim / 3_600_000} h` : msSim >= 60_000 ? `${msSim / 60_000} min` : `${msSim / 1000} s`;
}

export function mb(n: number): string {
  return `${n.toFixed(0)} MB`;
}

/** Megabytes, or "?" for a figure not measured (no --expose-gc, or results from before it was). */
export function mbOrUnknown(n: number | null | undefined): string {
  return n === null || n === undefined ? '?' : mb(n);
}

/** "<label> 10 MB at both" or "<label> 34 MB and 17 MB": one figure of two runs, long run first. */
export function bothOrEach(label: string, long: number, short: number): string {
  return mb(long) === mb(short) ? `${label} ${mb(long)} at both` : `${label} ${mb(long)} and ${mb(short)}`;
}

export function ms(n: number, digits = 2): string {
  return `${n.toFixed(digits)} ms`;
}

export function pct(x: number, digits = 2): string {
  return `${(x * 100).toFixed(digits)}%`;
}

/** Every trial's rate, in the order run: "2.09 M, 2.29 M, 2.52 M". */
export function trialList(x: { trialRates?: number[] }): string {
  return (x.trialRates ?? []).map(si).join(', ');
}

export function ratio(x: number): string {
  return `${x.toFixed(x >= 10 ? 0 : 2)}×`;
}

export function verdict(pass: boolean | null): string {
  return pass === null ? 'n/a ' : pass ? 'PASS' : 'MISS';
}

/** Left-aligned text columns, the first column padded to the widest cell. */
export function columns(rows: string[][], gap = '  '): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join(gap).trimEnd());
}
