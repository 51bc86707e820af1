import { variantColor, variantDash } from './palette.js';
import type { Results, Variant } from './types.js';

/** The results embedded in the page (a JSON script element, never executed). */
export function readResults(): Results {
  const node = document.getElementById('faultline-results');
  if (node === null || node.textContent === null) throw new Error('the report holds no results');
  return JSON.parse(node.textContent) as Results;
}

export function variantsOf(results: Results): Variant[] {
  return results.variants.map((result, index) => ({ index, name: result.name, result, color: variantColor(index), dash: variantDash(index) }));
}

/** A number or null: results use null where a value is undefined (no successful request...). */
export function num(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** Sorted keys, so the page lays things out the same way whatever order a file lists them in. */
export function keysOf(o: Record<string, unknown> | null | undefined): string[] {
  return o ? Object.keys(o) : [];
}

/** The union of a record's keys over the variants, in first-seen order. */
export function unionKeys(variants: Variant[], pick: (v: Variant) => Record<string, unknown> | null | undefined): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const v of variants) {
    for (const k of keysOf(pick(v))) {
      if (!seen.has(k)) {
        seen.add(k);
        out.push(k);
      }
    }
  }
  return out;
}

type Timeline = Results['variants'][number]['timeline'];
const totalsCache = new WeakMap<Timeline, { all: number[]; served: number[] }>();

/** Operations per second per bucket: all of them, and those served (succeeded or degraded). */
export function trafficOf(t: Timeline): { all: number[]; served: number[] } {
  let c = totalsCache.get(t);
  if (!c) {
    const served = t.okPerSec.map((ok, i) => (ok ?? 0) + (t.degradedPerSec[i] ?? 0));
    c = { served, all: served.map((s, i) => s + (t.failedPerSec[i] ?? 0)) };
    totalsCache.set(t, c);
  }
  return c;
}
