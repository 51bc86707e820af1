import { describe, expect, it } from 'vitest';
import { draw as drawN } from '../helpers/draw.js';
import { meanOf, normalPdf, normalQuantile, type Dist } from '../../sim/engine/distributions.js';
import { loadScenarioText } from '../../sim/scenario/load.js';
import { binomialSE, mean, quantile, quantileSE, replicationBound, Z } from '../helpers/stats.js';
import { simulate } from '../helpers/sim.js';

/**
 * The distributions of DESIGN §4 as a user writes them: YAML text → the loader (units, the
 * lognormal's p99 → sigma, percentile keys, mix weights) → a Dist → makeSampler. Each check
 * compares draws with the numbers written in the YAML, not with the Dist the loader built, so a
 * wrong conversion fails here even though distributions.test.ts (which starts from a Dist) passes.
 * Tolerances: Z = 4.5 standard errors of the estimate (test/helpers/stats.ts), each SE stated.
 */

const N = 200_000;

/** The Dist the loader builds for `work: <yaml>` on an endpoint. */
function workDist(yaml: string): Dist {
  const text = `
name: dist
duration: 1s
traffic:
  users: {target: svc.op, rate: 1/s}
services:
  svc:
    endpoints:
      op:
        work: ${yaml}
`;
  return loadScenarioText(text, 'dist.yaml').base.services[0].endpoints[0].work;
}

const draw = (dist: Dist, key: string, n = N): Float64Array => drawN(dist, key, n);

/** The share of draws at or below x: an empirical CDF value, a binomial proportion. */
const shareAtMost = (xs: Float64Array, x: number) => xs.reduce((a, v) => a + (v <= x ? 1 : 0), 0) / xs.length;

/** z such that Φ(z) = 0.99, written out (not the simulator's constant): ln(p99/median) / z99 = sigma. */
const Z99 = normalQuantile(0.99);

describe('lognormal from YAML', () => {
  /** The lognormal density with this median and p99, at x. */
  const density = (median: number, p99: number) => {
    const sigma = Math.log(p99 / median) / Z99;
    return (x: number) => normalPdf(Math.log(x / median) / sigma) / (x * sigma);
  };

  it('{median: 3ms, p99: 25ms} draws a median of 3 ms and a p99 of 25 ms', () => {
    const xs = draw(workDist('{lognormal: {median: 3ms, p99: 25ms}}'), 'ln');
    const sorted = Float64Array.from(xs).sort();
    const f = density(3, 25);
    // SE of a sample quantile: sqrt(p(1−p)/n) / f(x_p), with f the density the YAML describes.
    expect(Math.abs(quantile(sorted, 0.5) - 3)).toBeLessThan(Z * quantileSE(0.5, N, f(3)));
    expect(Math.abs(quantile(sorted, 0.99) - 25)).toBeLessThan(Z * quantileSE(0.99, N, f(25)));
    // And the same through the CDF: half the draws at or below 3 ms, 99% at or below 25 ms.
    expect(Math.abs(shareAtMost(xs, 3) - 0.5)).toBeLessThan(Z * binomialSE(0.5, N));
    expect(Math.abs(shareAtMost(xs, 25) - 0.99)).toBeLessThan(Z * binomialSE(0.99, N));
  });

  it('the units inside a distribution are converted to ms: {median: 3000us, p99: 0.025s} is the same distribution', () => {
    const ms = workDist('{lognormal: {median: 3ms, p99: 25ms}}');
    const mixed = workDist('{lognormal: {median: 3000us, p99: 0.025s}}');
    if (ms.kind !== 'lognormal' || mixed.kind !== 'lognormal') throw new Error('expected lognormals');
    expect(mixed.median).toBeCloseTo(3, 9);
    expect(mixed.sigma).toBeCloseTo(ms.sigma, 9);
  });

  it('{median, sigma}: sigma is the unitless shape, so p99 = median · e^(sigma · z99)', () => {
    const xs = draw(workDist('{lognormal: {median: 10ms, sigma: 0.5}}'), 'ln-sigma');
    const sorted = Float64Array.from(xs).sort();
    const p99 = 10 * Math.exp(0.5 * Z99);
    const f = density(10, p99);
    expect(Math.abs(quantile(sorted, 0.5) - 10)).toBeLessThan(Z * quantileSE(0.5, N, f(10)));
    expect(Math.abs(quantile(sorted, 0.99) - p99)).toBeLessThan(Z * quantileSE(0.99, N, f(p99)));
  });

  it('a p99 equal to the median is a constant', () => {
    const xs = draw(workDist('{lognormal: {median: 7ms, p99: 7ms}}'), 'ln-flat', 1000);
    expect(new Set(xs)).toEqual(new Set([7]));
  });
});

describe('mix from YAML', () => {
  it('gives the mixture mean, and the right share from each part', () => {
    // Disjoint supports tell the parts apart by value: [1, 2] ms, [10, 20] ms, [50, 100] ms.
    // Weights need not sum to 1: 2:1:1 is 50%, 25%, 25%.
    const d = workDist(`
          mix:
            - {weight: 2, uniform: {min: 1ms, max: 2ms}}
            - {weight: 1, uniform: {min: 10ms, max: 20ms}}
            - {weight: 1, uniform: {min: 50ms, max: 100ms}}`);
    const xs = draw(d, 'mix');
    const parts: Array<[share: number, lo: number, hi: number]> = [
      [0.5, 1, 2],
      [0.25, 10, 20],
      [0.25, 50, 100],
    ];
    for (const [share, lo, hi] of parts) {
      const got = xs.reduce((a, x) => a + (x >= lo && x <= hi ? 1 : 0), 0) / N;
      expect(Math.abs(got - share), `[${lo}, ${hi}]`).toBeLessThan(Z * binomialSE(share, N));
    }
    // Nothing falls between the parts.
    expect(xs.every((x) => (x >= 1 && x <= 2) || (x >= 10 && x <= 20) || (x >= 50 && x <= 100))).toBe(true);
    // The mixture mean Σ wᵢ·μᵢ, and its variance E[X²] − μ² with E[X²] of a uniform = (a² + ab + b²)/3.
    const mu = parts.reduce((a, [w, lo, hi]) => a + (w * (lo + hi)) / 2, 0);
    const ex2 = parts.reduce((a, [w, lo, hi]) => a + (w * (lo * lo + lo * hi + hi * hi)) / 3, 0);
    expect(meanOf(d)).toBeCloseTo(mu, 9);
    expect(Math.abs(mean(xs) - mu)).toBeLessThan((Z * Math.sqrt(ex2 - mu * mu)) / Math.sqrt(N));
  });

  it('a cache hit/miss mix: 90% exactly 1 ms, and the misses keep their own lognormal median', () => {
    const d = workDist(`
          mix:
            - {weight: 0.9, constant: 1ms}
            - {weight: 0.1, lognormal: {median: 20ms, p99: 100ms}}`);
    const xs = draw(d, 'cache');
    const misses = Float64Array.from(xs.filter((x) => x !== 1)).sort();
    // A lognormal draw is exactly 1 ms with probability 0, so the misses are the draws ≠ 1.
    expect(Math.abs(misses.length / N - 0.1)).toBeLessThan(Z * binomialSE(0.1, N));
    const sigma = Math.log(100 / 20) / Z99;
    const f20 = normalPdf(0) / (20 * sigma);
    expect(Math.abs(quantile(misses, 0.5) - 20)).toBeLessThan(Z * quantileSE(0.5, misses.length, f20));
    // Mean: 0.9 · 1 + 0.1 · 20 · e^(σ²/2).
    expect(meanOf(d)).toBeCloseTo(0.9 + 0.1 * 20 * Math.exp((sigma * sigma) / 2), 9);
  });

  it('a mix drawn by a running service has the mixture mean (work per request, through a whole run)', () => {
    // 80% 2 ms, 20% 12 ms: mean 4 ms. Each replication's mean work is one estimate; the check
    // is the replications' t-interval (ALPHA = 0.001), valid whatever the draws' distribution.
    const run = simulate(
      `
name: mix-run
duration: 20s
seed: 5
traffic:
  users: {target: svc.op, rate: 200/s}
services:
  svc:
    concurrency: 1000
    endpoints:
      op:
        work:
          mix:
            - {weight: 0.8, constant: 2ms}
            - {weight: 0.2, constant: 12ms}
`,
      { replications: 5 },
    );
    const perRun = run.raws.get('baseline')!.map((r) => r.services.svc.workSumMs / r.services.svc.workDraws);
    const { mean: m, halfWidth } = replicationBound(perRun);
    expect(Math.abs(m - 4)).toBeLessThan(halfWidth);
    // A wrong share (say 70/30, mean 5 ms) is 1 ms off; the interval must be narrow enough to see it.
    expect(halfWidth).toBeLessThan(0.5);
  });
});

describe('percentiles from YAML', () => {
  /** Each stated point (p, value): a share p of the draws at or below value, within Z binomial SEs. */
  const expectHits = (xs: Float64Array, points: Array<[p: number, value: number]>) => {
    for (const [p, value] of points) {
      expect(Math.abs(shareAtMost(xs, value) - p), `p${p * 100} = ${value}`).toBeLessThan(Z * binomialSE(p, xs.length));
    }
  };

  it('{p50: 10ms, p90: 40ms, p99: 120ms, max: 300ms} hits its stated percentiles (min defaults to 0)', () => {
    const xs = draw(workDist('{percentiles: {p50: 10ms, p90: 40ms, p99: 120ms, max: 300ms}}'), 'pc');
    expectHits(xs, [
      [0.5, 10],
      [0.9, 40],
      [0.99, 120],
    ]);
    expect(xs.every((x) => x >= 0 && x <= 300)).toBe(true);
    // Between two stated points it is linear: halfway from p50 to p90 (25 ms) is p70.
    expectHits(xs, [[0.7, 25]]);
    // The sample quantiles too. At a stated point the density changes, so the SE uses the
    // smaller of the two densities around it, (p1 − p0)/(v1 − v0): the wider, safe bound.
    const sorted = Float64Array.from(xs).sort();
    const quantiles: Array<[p: number, value: number, density: number]> = [
      [0.5, 10, Math.min(0.5 / 10, 0.4 / 30)],
      [0.9, 40, Math.min(0.4 / 30, 0.09 / 80)],
      [0.99, 120, Math.min(0.09 / 80, 0.01 / 180)],
    ];
    for (const [p, value, density] of quantiles) {
      expect(Math.abs(quantile(sorted, p) - value), `p${p * 100}`).toBeLessThan(Z * quantileSE(p, N, density));
    }
  });

  it('a given min is the floor, and the key order in the YAML does not matter', () => {
    const xs = draw(workDist('{percentiles: {max: 50ms, p90: 20ms, min: 2ms, p50: 5ms}}'), 'pc-min');
    expect(xs.every((x) => x >= 2 && x <= 50)).toBe(true);
    // And it starts at the floor: the smallest of 200k draws is within 0.01 ms of it
    // (P(X < 2.01 ms) = 0.5 · 0.01/3 per draw; missing it in every draw has probability ≈ e⁻³³³).
    expect(xs.reduce((a, x) => Math.min(a, x), Infinity)).toBeLessThan(2.01);
    expectHits(xs, [
      [0.5, 5],
      [0.9, 20],
    ]);
    // Below p50 it is linear from min: p25 is halfway between 2 and 5 ms.
    expectHits(xs, [[0.25, 3.5]]);
  });

  it('dashboard keys: p999 is 99.9%, and p99.9 means the same', () => {
    const a = workDist('{percentiles: {p50: 10ms, p999: 500ms, max: 1s}}');
    const b = workDist('{percentiles: {p50: 10ms, p99.9: 500ms, max: 1s}}');
    expect(b).toEqual(a);
    const xs = draw(a, 'pc-999', 1_000_000);
    expectHits(xs, [
      [0.5, 10],
      [0.999, 500],
    ]);
  });

  it('its mean is the area under the piecewise-linear quantile function', () => {
    const d = workDist('{percentiles: {p50: 10ms, p90: 40ms, p99: 120ms, max: 300ms}}');
    // Σ (p1 − p0)(v0 + v1)/2 over the segments from (0, 0).
    const exact = 0.5 * 5 + 0.4 * 25 + 0.09 * 80 + 0.01 * 210;
    expect(meanOf(d)).toBeCloseTo(exact, 9);
    const xs = draw(d, 'pc-mean');
    // E[X²] of a segment with X linear in U over [p0, p1]: (p1 − p0)(v0² + v0v1 + v1²)/3.
    const seg: Array<[number, number, number]> = [
      [0.5, 0, 10],
      [0.4, 10, 40],
      [0.09, 40, 120],
      [0.01, 120, 300],
    ];
    const ex2 = seg.reduce((a, [w, v0, v1]) => a + (w * (v0 * v0 + v0 * v1 + v1 * v1)) / 3, 0);
    expect(Math.abs(mean(xs) - exact)).toBeLessThan((Z * Math.sqrt(ex2 - exact * exact)) / Math.sqrt(N));
  });
});
