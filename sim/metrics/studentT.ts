/**
 * Two-sided 95% Student t critical values, t(0.975, df), for df = 1..30 (standard tables);
 * beyond 30 a Cornish–Fisher expansion around the normal quantile (error < 1e-4).
 */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08,
  2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

function tCritical95(df: number): number {
  if (df < 1) return NaN;
  if (df <= 30) return T975[df - 1];
  const z = 1.959963984540054;
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3;
}

export interface MeanCI {
  /** null (in JSON) when no replication measured the metric. */
  mean: number | null;
  /** 95% interval for the mean; null with fewer than two values. */
  ci95: [number, number] | null;
}

/** The mean of `xs` and its 95% Student t confidence interval. */
export function meanCI(xs: number[]): MeanCI {
  const n = xs.length;
  if (n === 0) return { mean: null, ci95: null };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, ci95: null };
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  const half = tCritical95(n - 1) * Math.sqrt(variance / n);
  return { mean, ci95: [mean - half, mean + half] };
}
