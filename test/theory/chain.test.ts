import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../sim/metrics/latencyHistogram.js';
import { binomialSE, quantileSE, Z } from '../helpers/stats.js';
import { simulate } from '../helpers/sim.js';

/** A chain of hops, each calling the next; enough workers that nobody queues. */
function chain(hops: Array<{ work: string; errorRate?: string }>, rate: string, duration: string): string {
  const services = hops
    .map((h, i) => {
      const next = i + 1 < hops.length ? `\n        steps: [{call: hop${i + 1}.serve}]` : '';
      return `  hop${i}:
    concurrency: 10000
    endpoints:
      serve:
        work: ${h.work}
        errorRate: ${h.errorRate ?? 0}${next}`;
    })
    .join('\n');
  return `
name: chain
duration: ${duration}
seed: 5
traffic:
  users: {target: hop0.serve, rate: ${rate}}
services:
${services}
`;
}

describe('a synchronous chain', () => {
  it('of 4 hops at 0.1% errors each has availability 0.999⁴', () => {
    const run = simulate(chain(Array.from({ length: 4 }, () => ({ work: '1ms', errorRate: '0.1%' })), '1000/s', '300s'), { replications: 2 });
    const s = run.results.get('baseline')!.summary;
    const expected = 0.999 ** 4;
    // Each operation fails independently (its own error draws), so the count of successes is
    // binomial: the tolerance is Z binomial standard errors over all operations.
    expect(s.requests).toBeGreaterThan(590_000);
    expect(Math.abs(s.availability! - expected)).toBeLessThan(Z * binomialSE(expected, s.requests));
    // And it is distinguishable from 3 or 5 hops' worth of failure.
    expect(Z * binomialSE(expected, s.requests)).toBeLessThan((0.999 ** 3 - expected) / 2);
  });

  it("has an end-to-end p99 that matches the hypoexponential, well below the sum of the hops' p99s", () => {
    // Without queueing or network, end-to-end latency is the sum of independent exponential
    // works with rates λᵢ = 1, 1/2, 1/3, 1/4 per ms: a hypoexponential distribution.
    const means = [1, 2, 3, 4];
    const run = simulate(chain(means.map((m) => ({ work: `{exponential: {mean: ${m}ms}}` })), '200/s', '600s'), { replications: 1 });
    const raw = run.raws.get('baseline')![0];
    const rates = means.map((m) => 1 / m);
    const coef = rates.map((li, i) => rates.reduce((p, lj, j) => (j === i ? p : (p * lj) / (lj - li)), 1));
    const cdf = (t: number) => 1 - coef.reduce((s, c, i) => s + c * Math.exp(-rates[i] * t), 0);
    const pdf = (t: number) => coef.reduce((s, c, i) => s + c * rates[i] * Math.exp(-rates[i] * t), 0);
    let lo = 0;
    let hi = 1000;
    for (let i = 0; i < 100; i++) {
      const mid = (lo + hi) / 2;
      if (cdf(mid) < 0.99) lo = mid;
      else hi = mid;
    }
    const p99 = lo;
    const sumOfHopP99s = means.reduce((s, m) => s + m * Math.log(100), 0);
    expect(p99).toBeLessThan(0.7 * sumOfHopP99s);

    const measured = LatencyHistogram.decode(raw.ops.latency).percentileMs(99);
    // Operations are independent here (nobody waits), so the sample p99's standard error is
    // √(p(1−p)/n)/f(t₉₉); HdrHistogram adds at most 0.1%.
    const n = raw.ops.latency.count;
    expect(Math.abs(measured - p99), `measured ${measured} vs ${p99}`).toBeLessThan(Z * quantileSE(0.99, n, pdf(p99)) + 0.001 * p99);
    // The mean is the sum of the means, exactly in expectation.
    const sd = Math.sqrt(means.reduce((s, m) => s + m * m, 0));
    expect(Math.abs(raw.ops.latency.sumMs / n - 10)).toBeLessThan((Z * sd) / Math.sqrt(n));
  });
});
