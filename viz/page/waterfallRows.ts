import type { Span } from './types.js';

/** A span placed in the waterfall: its depth in the tree, in depth-first order. */
export interface Row {
  span: Span;
  depth: number;
}

/**
 * Orders a trace's spans as a tree, depth first, children by start time: the order a person
 * reads a waterfall in. Zero-length "queued" spans (no wait for a worker) are left out: they
 * say nothing. Spans whose parent is missing hang from the root.
 */
export function waterfallRows(spans: Span[]): Row[] {
  const kept = spans.filter((s) => !(s.kind === 'queued' && s.endMs - s.startMs < 1e-6));
  const ids = new Set(spans.map((s) => s.id));
  const children = new Map<number, Span[]>();
  const roots: Span[] = [];
  for (const s of kept) {
    if (s.parent < 0 || !ids.has(s.parent)) roots.push(s);
    else children.set(s.parent, [...(children.get(s.parent) ?? []), s]);
  }
  // A kept span under a dropped one climbs to the nearest kept ancestor.
  const keptIds = new Set(kept.map((s) => s.id));
  const byId = new Map(spans.map((s) => [s.id, s]));
  for (const s of kept) {
    let p = s.parent;
    if (p < 0 || keptIds.has(p) || !ids.has(p)) continue;
    while (p >= 0 && !keptIds.has(p)) p = byId.get(p)?.parent ?? -1;
    children.set(s.parent, (children.get(s.parent) ?? []).filter((c) => c.id !== s.id));
    if (p < 0) roots.push(s);
    else children.set(p, [...(children.get(p) ?? []), s]);
  }
  const byStart = (a: Span, b: Span) => a.startMs - b.startMs || a.id - b.id;
  const out: Row[] = [];
  const visit = (s: Span, depth: number, guard: number) => {
    if (guard > 64) return;
    out.push({ span: s, depth });
    for (const c of (children.get(s.id) ?? []).sort(byStart)) visit(c, depth + 1, guard + 1);
  };
  for (const r of roots.sort(byStart)) visit(r, 0, 0);
  return out;
}

/** The outcomes drawn as problems. */
export function isBadOutcome(outcome: string | null): boolean {
  return outcome !== null && !['ok', 'applied', 'suppressed', 'degraded'].includes(outcome);
}
