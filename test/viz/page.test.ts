import { describe, expect, test } from 'vitest';
import { bestValues, COLUMNS, deltaDirection, worstRecovery } from '../../viz/page/columns.js';
import { fmtClock, fmtCount, fmtMs, fmtPct, fmtPp, fmtTimes } from '../../viz/page/format.js';
import { variantColor, variantDash } from '../../viz/page/palette.js';
import { layoutTopology } from '../../viz/page/topologyLayout.js';
import type { Span, Variant, VariantResult } from '../../viz/page/types.js';
import { isBadOutcome, waterfallRows } from '../../viz/page/waterfallRows.js';

/** The page's pure parts, without a browser. */

describe('format', () => {
  test('durations follow the terminal table, with µs', () => {
    expect([fmtMs(0), fmtMs(0.25), fmtMs(12.3456), fmtMs(1500), fmtMs(90_000), fmtMs(null)]).toEqual(['0ms', '250µs', '12.35ms', '1.5s', '1.5m', '—']);
  });
  test('availability keeps the digits that tell the nines apart', () => {
    expect([fmtPct(1), fmtPct(0.99995), fmtPct(0.9959), fmtPct(0.802), fmtPct(0.05), fmtPct(null)]).toEqual(['100%', '99.995%', '99.59%', '80.2%', '5.00%', '—']);
  });
  test('deltas and counts', () => {
    expect([fmtPp(-0.198), fmtPp(0.0041), fmtPp(0)]).toEqual(['−19.8pp', '+0.41pp', '±0.000pp']);
    expect([fmtCount(1234567), fmtCount(-5), fmtTimes(3.993), fmtTimes(12.34)]).toEqual(['1,234,567', '−5', '3.99×', '12.3×']);
    expect([fmtClock(0), fmtClock(65_000), fmtClock(3_723_000), fmtClock(13_500, 1), fmtClock(59_950, 1)]).toEqual(['0:00', '1:05', '1:02:03', '0:13.5', '1:00.0']);
  });
});

describe('palette', () => {
  test('every variant of the first fourteen gets a distinct colour-and-dash pair', () => {
    const pairs = new Set(Array.from({ length: 14 }, (_, i) => `${variantColor(i)} ${variantDash(i)}`));
    expect(pairs.size).toBe(14);
    expect(variantDash(0)).toBe('');
  });
});

function variant(index: number, s: Partial<VariantResult['summary']>, recovery: Array<number | null> = []): Variant {
  const summary = {
    requests: 1000,
    succeeded: 990,
    degraded: 0,
    failed: 10,
    unfinished: 0,
    availability: 0.99,
    availabilityCI95: null,
    latencyMs: { mean: 10, p50: 8, p90: 15, p99: 40, p999: 80, max: 100 },
    doubleProcessing: 0,
    amplification: 2,
    recovery: recovery.map((r) => ({ fault: 'f', endedAtMs: 1000, recoveredAfterMs: r, recoveredRuns: r === null ? 0 : 1, runs: 1 })),
    ...s,
  };
  return { index, name: `v${index}`, color: variantColor(index), dash: variantDash(index), result: { name: `v${index}`, summary } as unknown as VariantResult };
}

describe('comparison columns', () => {
  test('the best value per column: highest availability, lowest everything else; ties mark nobody', () => {
    const vs = [variant(0, { availability: 0.99 }, [500]), variant(1, { availability: 0.999, amplification: 3 }, [null]), variant(2, { availability: 0.95, amplification: 2 }, [200])];
    const best = bestValues(vs);
    const at = (id: string) => best[COLUMNS.findIndex((c) => c.id === id)];
    expect(at('availability')).toBe(0.999);
    expect(at('amplification')).toBe(2);
    expect(at('p99')).toBeNull(); // all equal
    expect(at('recovery')).toBe(200); // not recovered counts as worst
    // Two variants, one that never recovers: the one that does is the best, not a "tie".
    const two = bestValues([variant(0, {}, [null]), variant(1, {}, [0])]);
    expect(two[COLUMNS.findIndex((c) => c.id === 'recovery')]).toBe(0);
    // Nobody recovers: nothing to mark.
    expect(bestValues([variant(0, {}, [null]), variant(1, {}, [null])])[COLUMNS.findIndex((c) => c.id === 'recovery')]).toBeNull();
    expect(worstRecovery(vs[1].result)).toBeNull();
    expect(worstRecovery(variant(3, {}).result)).toBe(-1);
  });
  test('a delta is better or worse by the column’s direction', () => {
    const avail = COLUMNS.find((c) => c.id === 'availability')!;
    const p99 = COLUMNS.find((c) => c.id === 'p99')!;
    expect(deltaDirection(avail, { delta: 0.01, ci95: null, significant: true })).toBe('better');
    expect(deltaDirection(p99, { delta: 5, ci95: null, significant: true })).toBe('worse');
    expect(deltaDirection(p99, { delta: 0, ci95: null, significant: false })).toBe('same');
  });
});

const span = (id: number, parent: number, kind: Span['kind'], startMs: number, endMs: number, outcome: string | null = 'ok'): Span => ({ id, parent, kind, name: `${kind}${id}`, startMs, endMs, outcome });

describe('waterfallRows', () => {
  test('orders spans depth first, children by start, and drops zero-length waits for a worker', () => {
    const rows = waterfallRows([
      span(0, -1, 'operation', 0, 100),
      span(1, 0, 'attempt', 0, 50, 'timeout'),
      span(2, 1, 'queued', 1, 1, null),
      span(3, 1, 'work', 1, 40),
      span(4, 0, 'retry-wait', 50, 60, null),
      span(5, 0, 'attempt', 60, 100),
      span(6, 5, 'queued', 61, 70, null),
      span(7, 5, 'effect', 90, 90, 'duplicate'),
    ]);
    expect(rows.map((r) => `${r.span.id}@${r.depth}`)).toEqual(['0@0', '1@1', '3@2', '4@1', '5@1', '6@2', '7@2']);
  });
  test('a span under a dropped one climbs to the nearest kept ancestor; a missing parent makes a root', () => {
    const rows = waterfallRows([span(0, -1, 'operation', 0, 10), span(1, 0, 'queued', 1, 1, null), span(2, 1, 'work', 1, 5), span(3, 99, 'delivery', 6, 8)]);
    expect(rows.map((r) => `${r.span.id}@${r.depth}`)).toEqual(['0@0', '2@1', '3@0']);
  });
  test('outcomes that read as problems', () => {
    expect(['ok', 'applied', 'suppressed', 'degraded', null].map(isBadOutcome)).toEqual([false, false, false, false, false]);
    expect(['error', 'timeout', 'duplicate', 'rejected'].map(isBadOutcome)).toEqual([true, true, true, true]);
  });
});

describe('layoutTopology', () => {
  const topology: VariantResult['topology'] = {
    traffic: [{ name: 'users', target: 'gw.get', arrivals: 'poisson', ratePerSec: 100, users: null }],
    services: [
      { name: 'gw', kind: 'service', instances: 2, concurrency: 8, endpoints: ['get'] },
      { name: 'db', kind: 'database', instances: 1, concurrency: 4, endpoints: ['read'] },
      { name: 'worker', kind: 'service', instances: 1, concurrency: 4, endpoints: ['run'] },
    ],
    queues: [{ name: 'jobs', consumer: 'worker.run', delivery: 'at-least-once' }],
    links: [],
    edges: [
      { key: 'users->gw.get', kind: 'client', from: 'users', to: 'gw' },
      { key: 'gw->db.read', kind: 'call', from: 'gw', to: 'db' },
      { key: 'gw->jobs', kind: 'publish', from: 'gw', to: 'jobs' },
      { key: 'jobs->worker.run', kind: 'delivery', from: 'jobs', to: 'worker' },
      { key: 'worker->db.read', kind: 'call', from: 'worker', to: 'db' },
    ],
  };
  test('puts each node one column right of its furthest caller', () => {
    const { nodes, edges } = layoutTopology({ topology } as VariantResult);
    const layer = Object.fromEntries(nodes.map((n) => [n.id, n.layer]));
    expect(layer).toEqual({ 't:users': 0, 's:gw': 1, 'q:jobs': 2, 's:worker': 3, 's:db': 4 });
    expect(edges.map((e) => `${e.from.id}>${e.to.id}:${e.kind}`)).toContain('q:jobs>s:worker:delivery');
    expect(edges.every((e) => !e.back)).toBe(true);
  });
  test('is deterministic and survives a publish/consume loop', () => {
    const loop = { ...topology, edges: [...topology.edges, { key: 'worker->jobs', kind: 'publish' as const, from: 'worker', to: 'jobs' }] };
    const a = layoutTopology({ topology: loop } as VariantResult);
    const b = layoutTopology({ topology: loop } as VariantResult);
    expect(a).toEqual(b);
    expect(a.edges.some((e) => e.back)).toBe(true);
    expect(Math.max(...a.nodes.map((n) => n.layer))).toBeLessThan(a.nodes.length);
  });
});

describe('waterfallScale', () => {
  const load = async () => {
    // The page takes d3 from the global the report's inlined d3 sets.
    (globalThis as Record<string, unknown>).d3 = await import('d3');
    return (await import('../../viz/page/waterfallScale.js')).waterfallScale;
  };

  test('cuts an idle stretch to a fixed width, keeping both sides readable and in order', async () => {
    const waterfallScale = await load();
    const spans = [span(0, -1, 'operation', 0, 40), span(1, 0, 'attempt', 0, 40), span(2, 0, 'delivery', 45, 100), span(3, 0, 'delivery', 2075, 2090)];
    const s = waterfallScale(spans, 800, null);
    expect(s.gaps).toHaveLength(1);
    expect(s.gaps[0].ms).toBeCloseTo(1975);
    expect(s.gaps[0].x1 - s.gaps[0].x0).toBe(46);
    // Monotonic, and the work before the cut gets most of the width.
    const xs = [0, 40, 100, 1000, 2075, 2090].map(s.x);
    for (let i = 1; i < xs.length; i++) expect(xs[i]).toBeGreaterThanOrEqual(xs[i - 1]);
    expect(s.x(100)).toBeGreaterThan(300);
    expect(s.invert(s.x(2080))).toBeCloseTo(2080);
    expect(s.ticks.every((t) => t < 100 || t > 2075)).toBe(true);
  });

  test('stays linear without idle stretches, and when zoomed', async () => {
    const waterfallScale = await load();
    const spans = [span(0, -1, 'operation', 0, 100), span(1, 0, 'attempt', 0, 50), span(2, 0, 'retry-wait', 50, 60), span(3, 0, 'attempt', 60, 100)];
    const s = waterfallScale(spans, 510, null);
    expect(s.gaps).toEqual([]);
    expect(s.x(51)).toBeCloseTo(255); // [0, 102]: 2% of room after the end
    const z = waterfallScale([span(0, -1, 'operation', 0, 10), span(1, 0, 'delivery', 1000, 1010)], 500, [0, 10]);
    expect(z.gaps).toEqual([]);
    expect(z.x(5)).toBeCloseTo(250);
  });
});
