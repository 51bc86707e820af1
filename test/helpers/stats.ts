/**
 * Tolerances derived from the sample size: a check passes when the estimate is within `z`
 * standard errors of the exact value. z = 4.5 keeps the false-alarm rate of the whole suite
 * negligible (two-sided normal tail ≈ 7e-6 per check) while still catching real bias: each
 * test states the standard error it uses and why.
 */
export const Z = 4.5;

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

export function variance(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] - m) ** 2;
  return s / (xs.length - 1);
}

/** The sample quantile (type 1, the inverse of the empirical CDF). */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/**
 * Standard error of the empirical p-quantile of n draws from a density f at the quantile:
 * sqrt(p(1−p)/n) / f(x_p) (the asymptotic variance of a sample quantile).
 */
export function quantileSE(p: number, n: number, densityAtQuantile: number): number {
  return Math.sqrt((p * (1 - p)) / n) / densityAtQuantile;
}

/** A binomial proportion's standard error. */
export function binomialSE(p: number, n: number): number {
  return Math.sqrt((p * (1 - p)) / n);
}

/** Student t density with df degrees of freedom. */
function tDensity(x: number, df: number): number {
  const lnGamma = (z: number): number => {
    // Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for z > 0.
    const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
    if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lnGamma(1 - z);
    z -= 1;
    let a = c[0];
    const t = z + 7.5;
    for (let i = 1; i < 9; i++) a += c[i] / (z + i);
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
  };
  const k = Math.exp(lnGamma((df + 1) / 2) - lnGamma(df / 2)) / Math.sqrt(df * Math.PI);
  return k * Math.pow(1 + (x * x) / df, -(df + 1) / 2);
}

/** The two-sided critical value t such that P(|T| > t) = alpha, by bisection on a Simpson integral. */
export function tCritical(alpha: number, df: number): number {
  const tailAbove = (x: number): number => {
    // P(T > x) = 1/2 − ∫₀ˣ f.
    const n = 2000;
    const h = x / n;
    let s = tDensity(0, df) + tDensity(x, df);
    for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * tDensity(i * h, df);
    return 0.5 - (s * h) / 3;
  };
  let lo = 0;
  let hi = 200;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (2 * tailAbove(mid) > alpha) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The false-alarm rate of each replication-based check: a 99.9% interval. Seeds are fixed, so
 * a check is deterministic — ALPHA is the chance that a correct model fails for the chosen
 * seed (once, visibly), not a flake rate; a wider interval would blunt the checks.
 */
export const ALPHA = 0.001;

/**
 * Checks that the mean of per-replication estimates is consistent with the exact value:
 * |mean − exact| < t(ALPHA, R−1) · s/√R. Replications are independent, so this holds even
 * when the samples inside a run are autocorrelated (as queue waiting times are).
 */
export function replicationBound(values: number[]): { mean: number; halfWidth: number } {
  const R = values.length;
  return { mean: mean(values), halfWidth: (tCritical(ALPHA, R - 1) * Math.sqrt(variance(values))) / Math.sqrt(R) };
}
