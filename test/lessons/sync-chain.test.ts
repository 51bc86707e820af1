import { describe, expect, it } from 'vitest';
import type { Dist } from '../../sim/engine/distributions.js';
import type { Scenario } from '../../sim/scenario/types.js';
import { simulateBundled } from '../helpers/sim.js';
import { binomialSE, Z } from '../helpers/stats.js';

const run = simulateBundled('sync-chain');
const four = run.results.get('baseline')!;
const ten = run.results.get('ten-hops')!;
const retry = run.results.get('edge-retry')!;

/** Φ⁻¹(0.99): a lognormal's p99 is median · e^(2.3263 σ). */
const Z99 = 2.3263478740408408;

/** The chain's hops, from the traffic's target down the call steps, as (service, work). */
function hops(s: Scenario): Array<{ service: string; work: Dist; errorRate: number }> {
  const out: Array<{ service: string; work: Dist; errorRate: number }> = [];
  let ref: { service: string; endpoint: string } | null = s.traffic[0].target;
  while (ref !== null) {
    const svc = s.services.find((x) => x.name === ref!.service)!;
    const ep = svc.endpoints.find((e) => e.name === ref!.endpoint)!;
    out.push({ service: svc.name, work: ep.work, errorRate: ep.errorRate });
    const next = ep.steps[0];
    ref = next && next.kind === 'call' ? next.target : null;
  }
  return out;
}

function p99Of(d: Dist): number {
  if (d.kind !== 'lognormal') throw new Error(`expected a lognormal, found ${d.kind}`);
  return d.median * Math.exp(d.sigma * Z99);
}

describe('a synchronous chain multiplies failure (scenarios/sync-chain.yaml)', () => {
  it('four hops at 99.9% each give 0.999⁴ ≈ 99.60%; ten hops give 0.999¹⁰ ≈ 99.00%', () => {
    for (const [v, variant, n] of [[four, 'baseline', 4], [ten, 'ten-hops', 10]] as const) {
      const chain = hops(variant === 'baseline' ? run.set.base : run.set.variants.find((x) => x.name === variant)!.scenario);
      expect(chain.length).toBe(n);
      expect(chain.every((h) => h.errorRate === 0.001)).toBe(true);
      // Each operation meets the hops' error draws independently: successes are binomial over
      // the operations, so the tolerance is Z binomial standard errors.
      const expected = 0.999 ** n;
      expect(Math.abs(v.summary.availability! - expected), variant).toBeLessThan(Z * binomialSE(expected, v.summary.requests));
    }
    // The tolerance is tight enough to tell a hop more or less apart (0.1 point).
    expect(Z * binomialSE(0.999 ** 4, four.summary.requests)).toBeLessThan(0.001);
    // Six more hops cost six tenths of a point, beyond the replications' noise.
    expect(ten.summary.availabilityCI95![1]).toBeLessThan(four.summary.availabilityCI95![0]);
    expect(ten.vsBaseline!.availability.significant).toBe(true);
  });

  it('retries at the edge buy the nines back, at a measurable amplification cost', () => {
    // Three attempts fail only if all three do: (1 − 0.999⁴)³ ≈ 6e-8, so no failure is
    // expected in ~160,000 operations (a few would already mean something is off).
    expect(retry.summary.failed).toBeLessThanOrEqual(2);
    expect(retry.summary.availabilityCI95![0]).toBeGreaterThan(four.summary.availabilityCI95![1]);
    expect(retry.vsBaseline!.availability.significant).toBe(true);
    // The cost: every failed attempt is sent again. An attempt reaches hop k with probability
    // 0.999^(k−1), so it makes Σ 0.999^k (k < 4) ≈ 3.994 requests; a retry follows a failed
    // attempt, q = 1 − 0.999⁴: amplification ≈ 3.994 · (1 + q + q²). The difference with the
    // baseline is ~0.016 requests per operation: small but significant (paired), and it
    // matches the formula within Z relative standard errors of a count of ~q·n retries
    // (1/√(q·n) ≈ 4%).
    const perAttempt = [0, 1, 2, 3].reduce((a, k) => a + 0.999 ** k, 0);
    const q = 1 - 0.999 ** 4;
    expect(four.summary.amplification!).toBeCloseTo(perAttempt, 2);
    const extra = retry.summary.amplification! - four.summary.amplification!;
    expect(Math.abs(extra / (perAttempt * (q + q * q)) - 1)).toBeLessThan(Z / Math.sqrt(q * retry.summary.requests));
    expect(retry.vsBaseline!.amplification.significant).toBe(true);
    expect(retry.vsBaseline!.amplification.delta!).toBeGreaterThan(0);
    expect(retry.calls['shoppers->gateway.checkout'].retries).toBeGreaterThan(0.5 * q * retry.summary.requests);
  });

  it("the chain's p99 is well below the sum of its hops' p99s (all hops are rarely slow together)", () => {
    const chain = hops(run.set.base);
    const hopP99s = chain.map((h) => p99Of(h.work));
    // From the scenario: 12 + 30 + 60 + 20 ms of work p99s, plus the network (8 one-way
    // crossings at ~0.5 ms, their p99 ~0.73 ms each).
    const net = run.set.base.links.default.latency;
    if (net.kind !== 'normal') throw new Error('expected a normal network latency');
    const sumOfP99s = hopP99s.reduce((a, b) => a + b, 0) + 2 * chain.length * (net.mean + Z99 * net.sd);
    const p99 = four.summary.latencyMs.p99!;
    // The sum of p99s would need all hops in their top 1% at once (probability 1e-8). The
    // chain's p99 is set by one slow hop on top of typical others: ~80 ms against ~125 ms.
    // Below 75% of the sum, in every replication (its interval's top), is "well below".
    expect(p99).toBeLessThan(0.75 * sumOfP99s);
    expect(four.replications.p99Ms.ci95![1]).toBeLessThan(0.75 * sumOfP99s);
    // …and it is still above the slowest hop's own p99 (it includes that hop, plus the rest).
    expect(p99).toBeGreaterThan(Math.max(...hopP99s));
  });
});
