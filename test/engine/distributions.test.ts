import { describe, expect, it } from 'vitest';
import { draw as drawN } from '../helpers/draw.js';
import { meanOf, normalCdf, normalPdf, normalQuantile, quantileOf, standardExponential, standardNormal, Z99, type Dist } from '../../sim/engine/distributions.js';
import { RandomStream } from '../../sim/engine/random.js';
import { binomialSE, mean, quantile, quantileSE, variance, Z } from '../helpers/stats.js';

const N = 200_000;

const minOf = (xs: Float64Array) => xs.reduce((a, b) => Math.min(a, b), Infinity);
const maxOf = (xs: Float64Array) => xs.reduce((a, b) => Math.max(a, b), -Infinity);

const draw = (dist: Dist, key: string, n = N): Float64Array => drawN(dist, key, n);

/** The sample mean is within Z standard errors (sd/√n) of the exact mean. */
function expectMean(xs: Float64Array, exactMean: number, exactSd: number) {
  expect(Math.abs(mean(xs) - exactMean)).toBeLessThan((Z * exactSd) / Math.sqrt(xs.length));
}

/** Each sample quantile is within Z standard errors of the exact one (SE from the density at it). */
function expectQuantiles(xs: Float64Array, points: Array<[p: number, exact: number, density: number]>) {
  const sorted = Float64Array.from(xs).sort();
  for (const [p, exact, density] of points) {
    expect(Math.abs(quantile(sorted, p) - exact), `p${p * 100}`).toBeLessThan(Z * quantileSE(p, xs.length, density) + 1e-9);
  }
}

describe('distributions', () => {
  it('constant always gives its value', () => {
    const xs = draw({ kind: 'constant', value: 7 }, 'c', 100);
    expect(new Set(xs)).toEqual(new Set([7]));
  });

  it('uniform{min,max}: mean, spread and quantiles', () => {
    const d: Dist = { kind: 'uniform', min: 20, max: 200 };
    const xs = draw(d, 'u');
    expectMean(xs, 110, 180 / Math.sqrt(12));
    expect(minOf(xs)).toBeGreaterThanOrEqual(20);
    expect(maxOf(xs)).toBeLessThan(200);
    expectQuantiles(xs, [0.1, 0.5, 0.9, 0.99].map((p) => [p, 20 + 180 * p, 1 / 180]));
  });

  it('exponential{mean}: mean, variance and quantiles', () => {
    const d: Dist = { kind: 'exponential', mean: 5 };
    const xs = draw(d, 'e');
    expectMean(xs, 5, 5);
    // Var of the sample variance of an exponential: (μ4 − σ⁴)/n with μ4 = 9σ⁴.
    expect(Math.abs(variance(xs) - 25)).toBeLessThan(Z * Math.sqrt((9 * 625 - 625) / xs.length));
    expectQuantiles(xs, [0.5, 0.9, 0.99, 0.999].map((p) => [p, -5 * Math.log(1 - p), (1 - p) / 5]));
  });

  it('normal{mean,sd}: mean, sd and quantiles when truncation at 0 is negligible', () => {
    const d: Dist = { kind: 'normal', mean: 10, sd: 2 };
    const xs = draw(d, 'n');
    expectMean(xs, 10, 2);
    expect(Math.abs(Math.sqrt(variance(xs)) - 2)).toBeLessThan((Z * 2) / Math.sqrt(2 * xs.length));
    expectQuantiles(xs, [0.01, 0.5, 0.99].map((p) => [p, 10 + 2 * normalQuantile(p), normalPdf(normalQuantile(p)) / 2]));
  });

  it('normal is truncated at 0 (resampled, not clamped): its mean is the truncated mean', () => {
    const d: Dist = { kind: 'normal', mean: 1, sd: 1 };
    const xs = draw(d, 'nt');
    expect(minOf(xs)).toBeGreaterThanOrEqual(0);
    // No mass piles up at exactly 0, as clamping would put 16% there.
    expect(xs.filter((x) => x === 0).length).toBe(0);
    const m = meanOf(d);
    expect(m).toBeCloseTo(1 + normalPdf(-1) / (1 - normalCdf(-1)), 6);
    expectMean(xs, m, 1);
    const lo = normalCdf(-1);
    expectQuantiles(xs, [0.25, 0.5, 0.9].map((p) => {
      const x = quantileOf(d, p)!;
      return [p, x, normalPdf(x - 1) / (1 - lo)];
    }));
  });

  it('lognormal{median,p99}: its median and p99 are the ones given', () => {
    const median = 3;
    const p99 = 25;
    const sigma = Math.log(p99 / median) / Z99;
    const d: Dist = { kind: 'lognormal', median, sigma };
    const xs = draw(d, 'ln');
    const density = (x: number) => normalPdf(Math.log(x / median) / sigma) / (x * sigma);
    expectQuantiles(xs, [
      [0.5, median, density(median)],
      [0.99, p99, density(p99)],
    ]);
    const sd = Math.sqrt((Math.exp(sigma * sigma) - 1) * median * median * Math.exp(sigma * sigma));
    expectMean(xs, meanOf(d), sd);
  });

  it('percentiles{min,p50,p90,p99,max}: a piecewise-linear quantile function through the points', () => {
    const points: Array<[number, number]> = [[0, 1], [0.5, 10], [0.9, 40], [0.99, 120], [1, 300]];
    const d: Dist = { kind: 'percentiles', points };
    const xs = draw(d, 'pc');
    const sorted = Float64Array.from(xs).sort();
    expect(sorted[0]).toBeGreaterThanOrEqual(1);
    expect(sorted[sorted.length - 1]).toBeLessThanOrEqual(300);
    // Between two points the density is (p1 − p0)/(v1 − v0).
    expectQuantiles(xs, [
      [0.5, 10, 0.4 / 30],
      [0.9, 40, 0.09 / 80],
      [0.99, 120, 0.01 / 180],
    ]);
    const m = meanOf(d);
    expect(m).toBeCloseTo(0.5 * 5.5 + 0.4 * 25 + 0.09 * 80 + 0.01 * 210, 9);
    expectMean(xs, m, Math.sqrt(variance(xs)));
  });

  it('mix picks each part with its weight', () => {
    const d: Dist = { kind: 'mix', parts: [{ weight: 9, dist: { kind: 'constant', value: 1 } }, { weight: 1, dist: { kind: 'exponential', mean: 40 } }] };
    const xs = draw(d, 'mix');
    // The exponential part lands on exactly 1 with probability 0.
    const miss = xs.filter((x) => x !== 1).length / xs.length;
    expect(Math.abs(miss - 0.1)).toBeLessThan(Z * binomialSE(0.1, xs.length));
    expect(meanOf(d)).toBeCloseTo(0.9 + 4, 9);
  });

  it('standardNormal has the moments and quantiles of N(0, 1)', () => {
    const rng = new RandomStream('zig');
    const n = 1_000_000;
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) xs[i] = standardNormal(rng);
    expect(Math.abs(mean(xs))).toBeLessThan(Z / Math.sqrt(n));
    // Var(s²) = 2/(n−1) for a normal sample.
    expect(Math.abs(variance(xs) - 1)).toBeLessThan(Z * Math.sqrt(2 / n));
    // Excess kurtosis 0: E[x⁴] = 3 with Var(x⁴) = 105 − 9 = 96.
    let m4 = 0;
    for (const x of xs) m4 += x ** 4;
    expect(Math.abs(m4 / n - 3)).toBeLessThan(Z * Math.sqrt(96 / n));
    // The tails, where the ziggurat's rejection and tail algorithm do their work.
    const sorted = Float64Array.from(xs).sort();
    for (const p of [0.0001, 0.001, 0.01, 0.5, 0.99, 0.999, 0.9999]) {
      const z = normalQuantile(p);
      expect(Math.abs(quantile(sorted, p) - z), `p=${p}`).toBeLessThan(Z * quantileSE(p, n, normalPdf(z)));
    }
  });

  it('standardExponential has the moments and quantiles of Exp(1), in its tail beyond the ziggurat too', () => {
    const rng = new RandomStream('zig-exp');
    const n = 1_000_000;
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) xs[i] = standardExponential(rng);
    expect(Math.abs(mean(xs) - 1)).toBeLessThan(Z / Math.sqrt(n));
    // Var(s²) ≈ (μ₄ − σ⁴)/n = (9 − 1)/n for Exp(1).
    expect(Math.abs(variance(xs) - 1)).toBeLessThan(Z * Math.sqrt(8 / n));
    const sorted = Float64Array.from(xs).sort();
    // Quantile −ln(1 − p), density 1 − p there; p = 0.9999 lies beyond the base layer's R ≈ 7.7.
    for (const p of [0.0001, 0.01, 0.5, 0.9, 0.99, 0.999, 0.9999]) {
      expect(Math.abs(quantile(sorted, p) + Math.log(1 - p)), `p=${p}`).toBeLessThan(Z * quantileSE(p, n, 1 - p));
    }
    // The share drawn by the tail algorithm (beyond R) is e^−R, binomially.
    const R = 7.697117470131487;
    const beyond = xs.filter((x) => x > R).length / n;
    expect(Math.abs(beyond - Math.exp(-R))).toBeLessThan(Z * binomialSE(Math.exp(-R), n));
    // Kolmogorov–Smirnov against 1 − e^−x: D below its 0.1% critical value 1.95/√n.
    let d = 0;
    for (let i = 0; i < n; i++) {
      const F = 1 - Math.exp(-sorted[i]);
      d = Math.max(d, Math.abs(F - (i + 1) / n), Math.abs(F - i / n));
    }
    expect(d).toBeLessThan(1.95 / Math.sqrt(n));
  });

  it('normalQuantile inverts normalCdf', () => {
    for (const p of [1e-6, 0.001, 0.025, 0.3, 0.5, 0.8, 0.975, 0.999999]) {
      expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
    }
    expect(normalQuantile(0.99)).toBeCloseTo(Z99, 8);
  });
});
