import { describe, expect, it } from 'vitest';
import type { VariantResult } from '../../sim/run/results.js';
import { simulateBundled } from '../helpers/sim.js';
import { mean } from '../helpers/stats.js';

/**
 * The arithmetic behind the scenario: checkout has 2 × 200 = 400 threads; an order holds one
 * for ~100 ms, so 150 orders/s use ~15 (4%). A thread holds for as long as its fraud call
 * waits: during the 20 s partition every call is lost, and without a timeout it waits for
 * ever, so 150/s take all 400 threads within ~2.7 s and keep them after the network is back.
 * With a timeout T the partition holds 150/s × T threads: 150 for T = 1 s (they fit), 15,000
 * for T = 100 s (they do not, until the first stuck calls time out, ~T after they were sent).
 */
const run = simulateBundled('no-timeouts');
const v = (name: string) => run.results.get(name)!;
const base = v('baseline');
const partition = run.set.base.faults[0];
const partitionEndMs = partition.atMs + partition.forMs;
const durationMs = run.set.base.durationMs;
const bucketMs = base.timeline.bucketMs;

/** Availability of the operations that arrived in [fromMs, toMs) (all replications). */
function availabilityBetween(r: VariantResult, fromMs: number, toMs: number): number {
  let ok = 0;
  let all = 0;
  for (let b = Math.ceil(fromMs / bucketMs); (b + 1) * bucketMs <= toMs; b++) {
    ok += r.timeline.okPerSec[b] + r.timeline.degradedPerSec[b];
    all += r.timeline.okPerSec[b] + r.timeline.degradedPerSec[b] + r.timeline.failedPerSec[b];
  }
  return ok / all;
}
const checkoutBusy = (r: VariantResult, fromMs: number, toMs: number) =>
  mean(r.timeline.services.checkout.utilization.slice(Math.ceil(fromMs / bucketMs), Math.floor(toMs / bucketMs)));

describe('no timeouts: a 20 s partition becomes an outage that only a restart would end (scenarios/no-timeouts.yaml)', () => {
  it('without a timeout, lost calls hold every thread for good and checkout never comes back', () => {
    // From a few seconds into the partition to the end of the run, every thread is busy…
    expect(checkoutBusy(base, partition.atMs + 5000, durationMs)).toBeGreaterThan(0.99);
    // …the accept queues (100 per instance) are full to the end, and orders are refused.
    const q = base.timeline.services.checkout.queueDepth;
    expect(q[q.length - 1]).toBe(200);
    expect(base.services.checkout.rejected).toBeGreaterThan(0);
    // Not one order succeeds after the network is back: "did not recover" in every replication.
    expect(availabilityBetween(base, partitionEndMs, durationMs)).toBe(0);
    expect(base.summary.recovery[0].recoveredRuns).toBe(0);
  });

  it('with a 1 s timeout, orders fail during the partition only, and checkout is back the moment the network is', () => {
    const t = v('timeout');
    // Inside the partition (its first and last second left out) every fraud call times out.
    expect(availabilityBetween(t, partition.atMs + 1000, partitionEndMs - 1000)).toBeLessThan(0.01);
    expect(t.calls['checkout->fraud.score'].timeouts).toBeGreaterThan(0);
    // 150 threads of 400 at most: the pool never runs out.
    expect(checkoutBusy(t, partition.atMs, partitionEndMs)).toBeLessThan(0.5);
    expect(t.services.checkout.rejected).toBe(0);
    expect(t.summary.recovery[0].recoveredRuns).toBe(3);
    // The last calls sent into the partition time out 1 s after it: recovered within 2 s.
    expect(t.summary.recovery[0].recoveredAfterMs!).toBeLessThan(2000);
    expect(availabilityBetween(t, partitionEndMs + 2000, durationMs)).toBeGreaterThan(0.999);
    // The baseline loses everything after the partition (~86% of the run); the timeout only
    // the partition (20 s of 210 s ≈ 10%): a 60-point margin, and intervals that do not overlap.
    expect(t.summary.availability! - base.summary.availability!).toBeGreaterThan(0.6);
    expect(t.replications.availability.ci95![0]).toBeGreaterThan(base.replications.availability.ci95![1]);
    expect(t.vsBaseline!.availability.significant).toBe(true);
  });

  it('a 100 s timeout recovers, but only once the calls stuck in the partition time out — over a minute later', () => {
    const lax = v('lax-timeout');
    expect(lax.summary.recovery[0].recoveredRuns).toBe(3);
    // The threads fill ~2.7 s into the partition and free ~100 s after that: ~83 s after the
    // partition ends. Between 60 s and 100 s.
    expect(lax.summary.recovery[0].recoveredAfterMs!).toBeGreaterThan(60_000);
    expect(lax.summary.recovery[0].recoveredAfterMs!).toBeLessThan(100_000);
    // Better than none, worse than a short one: intervals apart on both sides.
    expect(lax.replications.availability.ci95![0]).toBeGreaterThan(base.replications.availability.ci95![1]);
    expect(lax.replications.availability.ci95![1]).toBeLessThan(v('timeout').replications.availability.ci95![0]);
  });

  it('a timeout with a fallback keeps every order: those placed during the partition are accepted unscored', () => {
    const f = v('timeout-fallback');
    expect(f.summary.failed).toBe(0);
    // 150 orders/s × ~20 s × 3 replications are degraded; at least 80% of that.
    expect(f.summary.degraded).toBeGreaterThan(0.8 * 150 * 20 * 3);
    expect(f.calls['checkout->fraud.score'].fallbacks).toBe(f.summary.degraded);
  });
});
