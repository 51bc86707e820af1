import { describe, expect, it } from 'vitest';
import type { Dist } from '../../sim/engine/distributions.js';
import type { Scenario } from '../../sim/scenario/types.js';
import { simulateBundled } from '../helpers/sim.js';
import { binomialSE, quantileSE, Z } from '../helpers/stats.js';

const run = simulateBundled('chatty-services');
const sequential = run.results.get('baseline')!;
const batched = run.results.get('batched')!;
const parallel = run.results.get('parallel')!;

const ci = (v: typeof sequential, m: 'availability' | 'p50Ms' | 'p99Ms' | 'meanMs') => v.replications[m].ci95!;
/** Interval a lies wholly above interval b. */
const above = (a: [number, number], b: [number, number]) => a[0] > b[1];

// ---------------------------------------------------------------------------------------
// An independent model of the page's latency, built from the scenario's own distributions:
// no queueing (the pools are far from busy: see the scenario's comments), so a page is its
// client round trip + its work + its catalog round trips — ten in a row, one, or the slowest
// of ten side by side. Drawn with a generator of the test's own (not the engine's).

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967297;
  };
}

function lognormalOf(d: Dist): { median: number; sigma: number } {
  if (d.kind !== 'lognormal') throw new Error(`expected a lognormal, found ${d.kind}`);
  return d;
}

function sampler(seed: number) {
  const u = mulberry32(seed);
  let spare: number | null = null;
  const normal = () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(u()));
    const th = 2 * Math.PI * u();
    spare = r * Math.sin(th);
    return r * Math.cos(th);
  };
  return (d: Dist) => {
    const { median, sigma } = lognormalOf(d);
    return median * Math.exp(sigma * normal());
  };
}

function endpointWork(s: Scenario, service: string, endpoint: string): Dist {
  return s.services.find((x) => x.name === service)!.endpoints.find((e) => e.name === endpoint)!.work;
}

type Shape = 'sequential' | 'batched' | 'parallel';

/** Sorted Monte Carlo draws of one page's latency. */
function modelLatencies(shape: Shape, n: number, seed: number): Float64Array {
  const s = run.set.base;
  const net = s.links.default.latency;
  expect(s.links.pairs.size).toBe(0);
  const page = endpointWork(s, 'web', 'product-page');
  const item = endpointWork(s, 'catalog', 'item');
  const items = endpointWork(s, 'catalog', 'items');
  const draw = sampler(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = draw(net) + draw(page) + draw(net);
    if (shape === 'batched') t += draw(net) + draw(items) + draw(net);
    else {
      let sum = 0;
      let max = 0;
      for (let k = 0; k < 10; k++) {
        const call = draw(net) + draw(item) + draw(net);
        sum += call;
        max = Math.max(max, call);
      }
      t += shape === 'sequential' ? sum : max;
    }
    out[i] = t;
  }
  return out.sort();
}

/** The model's p-quantile, and the density there (for the sample quantile's standard error). */
function modelQuantile(sorted: Float64Array, p: number): { q: number; density: number } {
  const n = sorted.length;
  const at = (pp: number) => sorted[Math.min(n - 1, Math.floor(pp * n))];
  const h = 0.002;
  return { q: at(p), density: (2 * h) / (at(p + h) - at(p - h)) };
}

const MC = 400_000;
const models: Record<Shape, Float64Array> = {
  sequential: modelLatencies('sequential', MC, 1),
  batched: modelLatencies('batched', MC, 2),
  parallel: modelLatencies('parallel', MC, 3),
};

describe('chatty services: ten round trips vs one batch vs a fan-out (scenarios/chatty-services.yaml)', () => {
  it('latency adds up per round trip: ten calls in a row cost several times one batched call', () => {
    // The sequential page's median is a sum of ten round trips (~4.5 ms each); the batch is one
    // round trip a bit slower than a single lookup. Ten round trips against one leave the
    // sequential page at least 3× slower at the median and 2× at the p99 — margins below the
    // ~5× and ~2.7× the distributions give, so the check is about the shape, not the digits.
    expect(sequential.summary.latencyMs.p50!).toBeGreaterThan(3 * batched.summary.latencyMs.p50!);
    expect(sequential.summary.latencyMs.p99!).toBeGreaterThan(2 * batched.summary.latencyMs.p99!);
    // And it is not luck: the replications' intervals do not overlap.
    expect(above(ci(sequential, 'p50Ms'), ci(batched, 'p50Ms'))).toBe(true);
    expect(above(ci(sequential, 'p99Ms'), ci(batched, 'p99Ms'))).toBe(true);
  });

  it('the page latency is exactly the sum of its round trips, the one round trip, or the slowest of ten', () => {
    // Each variant's measured p50 and p99 against the independent model above. Tolerance: Z
    // standard errors of a sample quantile over the variant's successful operations (the
    // model's own Monte Carlo error is ~8× smaller and the histogram's 0.1%), plus 1% for the
    // little queueing the model leaves out.
    for (const [shape, v] of [['sequential', sequential], ['batched', batched], ['parallel', parallel]] as const) {
      const n = v.summary.succeeded + v.summary.degraded;
      for (const p of [0.5, 0.99]) {
        const { q, density } = modelQuantile(models[shape], p);
        const measured = p === 0.5 ? v.summary.latencyMs.p50! : v.summary.latencyMs.p99!;
        const tol = Z * quantileSE(p, n, density) + 0.01 * q;
        expect(Math.abs(measured - q), `${shape} p${p * 100}: measured ${measured}, model ${q.toFixed(2)}`).toBeLessThan(tol);
      }
    }
  });

  it('a fan-out fixes the median, but its tail is the slowest of ten calls: worse than the batch', () => {
    // Median: the fan-out waits for the slowest of ten calls, not their sum — a third of the
    // sequential page or less (the model gives ~0.3).
    expect(parallel.summary.latencyMs.p50!).toBeLessThan(sequential.summary.latencyMs.p50! / 2.5);
    expect(above(ci(sequential, 'p50Ms'), ci(parallel, 'p50Ms'))).toBe(true);
    // Tail: the page's p99 is at least the p99 of the max of ten calls, which is one call's
    // 0.99^(1/10) ≈ p99.9 quantile. From the scenario's item lookup (median 2 ms, p99 20 ms)
    // that alone is ~43 ms, above the batch's whole-page p99 (~35 ms).
    const item = lognormalOf(endpointWork(run.set.base, 'catalog', 'item'));
    const maxOfTenP99 = item.median * Math.exp(item.sigma * 3.0902); // Φ⁻¹(0.999) = 3.0902
    expect(parallel.summary.latencyMs.p99!).toBeGreaterThan(maxOfTenP99);
    // The fan-out's tail is worse than the batch's by a fifth at least (the model gives ~40%),
    // and the intervals do not overlap.
    expect(parallel.summary.latencyMs.p99!).toBeGreaterThan(1.2 * batched.summary.latencyMs.p99!);
    expect(above(ci(parallel, 'p99Ms'), ci(batched, 'p99Ms'))).toBe(true);
    // Summing ten calls smooths the tail (the slow ones are averaged with fast ones); taking
    // the slowest of ten does not: the fan-out's p99/p50 is above the sequential page's.
    const ratio = (v: typeof sequential) => v.summary.latencyMs.p99! / v.summary.latencyMs.p50!;
    expect(ratio(parallel)).toBeGreaterThan(ratio(sequential));
  });

  it('ten calls are ten chances to fail: sequential and fan-out at 0.999¹⁰, the batch at 0.999', () => {
    // Each call fails on its own with the catalog's 0.1% error rate: successes are binomial
    // over the operations, so the tolerance is Z binomial standard errors.
    for (const [v, calls] of [[sequential, 10], [parallel, 10], [batched, 1]] as const) {
      const expected = 0.999 ** calls;
      expect(Math.abs(v.summary.availability! - expected)).toBeLessThan(Z * binomialSE(expected, v.summary.requests));
    }
    // Z standard errors are small enough to tell 1 call from 10 apart (≈ 0.9 points).
    expect(Z * binomialSE(0.999 ** 10, sequential.summary.requests)).toBeLessThan((0.999 - 0.999 ** 10) / 4);
    // Batching wins the nines back, beyond the replications' noise.
    expect(above(batched.summary.availabilityCI95!, sequential.summary.availabilityCI95!)).toBe(true);
    expect(batched.vsBaseline!.availability.significant).toBe(true);
    // Fanning out does not: the same ten calls fail just as often. The two variants draw the
    // errors in a different order, so their difference is that of two independent binomial
    // proportions: within Z·√2 standard errors.
    expect(Math.abs(parallel.vsBaseline!.availability.delta!)).toBeLessThan(Z * Math.SQRT2 * binomialSE(0.999 ** 10, sequential.summary.requests));
  });

  it('chatty pages put ten times the requests on the catalog', () => {
    // Received requests per page: the web tier, then one catalog request per call made. A
    // sequential page stops at its first failed call, so it makes Σ 0.999^k (k < 10) ≈ 9.955
    // calls on average; the fan-out always sends all ten; the batch one.
    // The tolerance: Z standard errors of the mean number of calls per page over the pages
    // (a page failing at call k makes k calls instead of ten).
    const pFailAt = (k: number) => 0.999 ** (k - 1) * 0.001; // fails at call k (1-based)
    const calls = [...Array.from({ length: 10 }, (_, i) => [i + 1, pFailAt(i + 1)]), [10, 0.999 ** 10]];
    const seqCalls = calls.reduce((a, [k, p]) => a + k * p, 0);
    const seqVar = calls.reduce((a, [k, p]) => a + p * (k - seqCalls) ** 2, 0);
    expect(Math.abs(sequential.summary.amplification! - (1 + seqCalls))).toBeLessThan(Z * Math.sqrt(seqVar / sequential.summary.requests));
    expect(parallel.summary.amplification!).toBeCloseTo(11, 6);
    expect(batched.summary.amplification!).toBeCloseTo(2, 6);
    expect(sequential.services.catalog.received).toBeGreaterThan(9 * batched.services.catalog.received);
  });
});
