import { describe, expect, it } from 'vitest';
import type { VariantResult } from '../../sim/run/results.js';
import { simulateBundled } from '../helpers/sim.js';

/**
 * The arithmetic behind the scenario. The index's work is lognormal with median m = 20 ms and
 * p99 200 ms (σ = ln 10 / 2.3263 ≈ 0.99); the network adds ~1 ms per round trip and the
 * index, ~31–55% busy with 16 workers per instance, almost never queues. An attempt with a
 * 20 ms timeout therefore times out with probability q = P(work > 19 ms) = 1 − Φ(ln(19/20)/σ)
 * ≈ 0.52, independently of the other attempts; with 3 attempts a search makes 1 + q + q² ≈ 1.8
 * of them and fails with probability q³ ≈ 0.14. The index never fails: every timeout is false.
 */
const run = simulateBundled('timeout-tuning');
const v = (name: string) => run.results.get(name)!;
const base = v('baseline');
const fix = v('p999-timeout');
const edge = 'search->index.lookup';

/** Φ, the standard normal CDF (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
function phi(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
const sigma = Math.log(200 / 20) / 2.3263;
/** P(an attempt outlives a timeout of t ms): its work exceeds t less the ~1 ms round trip. */
const pTimeout = (tMs: number) => 1 - phi(Math.log((tMs - 1) / 20) / sigma);
const timeoutShare = (r: VariantResult) => r.calls[edge].timeouts / r.calls[edge].attempts;
const attemptsPerSearch = (r: VariantResult) => r.calls[edge].attempts / r.summary.requests;

describe('timeout tuning: a timeout at the median vs one above the p99.9 (scenarios/timeout-tuning.yaml)', () => {
  it('at the median, about half the attempts time out — and every one of them is false: the index answered them all', () => {
    const q = timeoutShare(base);
    // q ≈ 0.52 from the lognormal; ±0.03 covers the network's spread and the rare queueing
    // (the sample is ~240,000 attempts: the binomial noise is ±0.001).
    expect(Math.abs(q - pTimeout(20))).toBeLessThan(0.03);
    // The index did every attempt's work and failed none: nobody was waiting for half of it.
    const index = base.services.index;
    expect(index.failed).toBe(0);
    expect(index.succeeded).toBe(index.received);
    expect(index.received).toBe(base.calls[edge].attempts);
  });

  it('the retries multiply the work: 1 + q + q² attempts per search, and the index is as much busier (ghost work)', () => {
    const q = timeoutShare(base);
    expect(Math.abs(attemptsPerSearch(base) - (1 + q + q * q))).toBeLessThan(0.02);
    // Nearly twice the fix's load for the same searches: the index is busier in proportion
    // (±5% for the difference between the mean work and the work of timed-out attempts, which
    // are the slow ones — their share of the busy time is larger than of the attempts).
    const busier = base.services.index.utilization! / fix.services.index.utilization!;
    expect(busier).toBeGreaterThan(1.6);
    expect(Math.abs(busier / (attemptsPerSearch(base) / attemptsPerSearch(fix)) - 1)).toBeLessThan(0.05);
    // …and still a search fails when all three attempts time out: q³ (±1 point).
    expect(Math.abs(1 - base.summary.availability! - q ** 3)).toBeLessThan(0.01);
    // Without the retries, the false timeouts are failures: about half the searches.
    const noRetries = v('no-retries');
    expect(Math.abs(1 - noRetries.summary.availability! - timeoutShare(noRetries))).toBeLessThan(0.01);
    expect(noRetries.summary.availability!).toBeLessThan(0.55);
  });

  it('just above the p99.9, almost nothing times out, every search succeeds and the index does only the work it must', () => {
    // P(work > 449 ms) ≈ 0.08%; 0.3% allows for the network and the sample (~135,000 attempts).
    expect(timeoutShare(fix)).toBeLessThan(0.003);
    expect(attemptsPerSearch(fix)).toBeLessThan(1.003);
    // The baseline loses q³ ≈ 14% of its searches; a 10-point margin, intervals apart.
    expect(fix.summary.availability! - base.summary.availability!).toBeGreaterThan(0.1);
    expect(fix.replications.availability.ci95![0]).toBeGreaterThan(base.replications.availability.ci95![1]);
    expect(fix.vsBaseline!.availability.significant).toBe(true);
    // Amplification (requests received per search: search + index attempts) drops from
    // ~2.8 to ~2.0, intervals apart.
    expect(base.replications.amplification.mean! - fix.replications.amplification.mean!).toBeGreaterThan(0.6);
    expect(fix.replications.amplification.ci95![1]).toBeLessThan(base.replications.amplification.ci95![0]);
  });

  it("beware the latency columns: the median timeout's p99 looks better, because only fast answers get through", () => {
    // Successful searches in the baseline are those with an attempt under 20 ms; the fix
    // keeps the slow ones (they succeed). So the baseline's p99 is below the fix's.
    expect(base.replications.p99Ms.ci95![1]).toBeLessThan(fix.replications.p99Ms.ci95![0]);
  });

  it('a timeout at the p99 with a retry trims the tail for 1% more attempts', () => {
    const p99 = v('p99-timeout');
    // ~1% of attempts time out (0.5–2%), and each is retried, usually fast.
    expect(timeoutShare(p99)).toBeGreaterThan(0.005);
    expect(timeoutShare(p99)).toBeLessThan(0.02);
    expect(p99.summary.availability!).toBeGreaterThan(0.9999);
    // The slowest searches now end near 200 ms + a short retry rather than at the index's
    // p99.9 (~430 ms): the p99.9 is well below the p99.9-timeout's (20% margin).
    expect(p99.summary.latencyMs.p999!).toBeLessThan(0.8 * fix.summary.latencyMs.p999!);
  });
});
