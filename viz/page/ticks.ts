/** Ticks at 1-2-5 × 10^k inside the domain; thinned to powers of ten when there are too many. */
export function logTicks([lo, hi]: [number, number], max: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const t = m * 10 ** e;
      if (t >= lo * 0.999999 && t <= hi * 1.000001) out.push(Number(t.toPrecision(6)));
    }
  }
  if (out.length > max) {
    const decades = out.filter((t) => Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9);
    if (decades.length >= 2) return decades;
  }
  return out.length ? out : [lo, hi];
}
