import { describe, expect, it } from 'vitest';
import type { VariantResult } from '../../sim/run/results.js';
import { simulateBundled } from '../helpers/sim.js';
import { mean } from '../helpers/stats.js';

/**
 * The fluid argument behind the scenario (test/theory/metastable.test.ts validates it on a
 * bare model): inventory holds one of its c = 10 connections for ~11.7 ms per lookup (0.5 ms
 * of work, 1 ms of network to its database, a 10.2 ms mean query), so it serves at most
 * C ≈ 855 lookups/s. Good state: 400 pages/s, one attempt each, ρ ≈ 0.47. Bad state: every
 * attempt waits longer than the 200 ms timeout, each page makes r = 3 attempts and inventory
 * still serves all of them (it does not know their callers left): 1200/s > 855/s, so the
 * queue only grows and the bad state sustains itself after the stall that caused it.
 */
const run = simulateBundled('retry-storm');
const v = (name: string) => run.results.get(name)!;
const base = v('baseline');
const stall = run.set.base.faults[0];
const stallEndMs = stall.atMs + stall.forMs;
const durationMs = run.set.base.durationMs;
const bucketMs = base.timeline.bucketMs;

/** The buckets wholly inside [fromMs, toMs). */
const buckets = (fromMs: number, toMs: number) => {
  const out: number[] = [];
  for (let b = Math.ceil(fromMs / bucketMs); (b + 1) * bucketMs <= toMs; b++) out.push(b);
  return out;
};

/** Availability of the operations that arrived in the last minute of the run (all replications). */
function lastMinuteAvailability(r: VariantResult): number {
  let ok = 0;
  let all = 0;
  for (const b of buckets(durationMs - 60_000, durationMs)) {
    ok += r.timeline.okPerSec[b] + r.timeline.degradedPerSec[b];
    all += r.timeline.okPerSec[b] + r.timeline.degradedPerSec[b] + r.timeline.failedPerSec[b];
  }
  return ok / all;
}
/** Requests received by all services per operation, for operations of the last minute. */
const lastMinuteAmplification = (r: VariantResult) => mean(buckets(durationMs - 60_000, durationMs).map((b) => r.timeline.amplification[b]!));

describe('a retry storm: a 10 s database stall becomes a permanent outage (scenarios/retry-storm.yaml)', () => {
  it('before the stall inventory is under half busy; after it, saturated: the same load, a second stable state', () => {
    const util = base.timeline.services.inventory.utilization;
    // ρ = 400/s × 11.7 ms / 10 ≈ 0.47 (±0.1 for the 30 s sample and the rounding of the mean).
    const before = mean(buckets(30_000, stall.atMs).map((b) => util[b]));
    expect(before).toBeGreaterThan(0.37);
    expect(before).toBeLessThan(0.57);
    // After it, every connection is busy to the end, serving lookups nobody waits for.
    const after = mean(buckets(durationMs - 60_000, durationMs).map((b) => util[b]));
    expect(after).toBeGreaterThan(0.99);
  });

  it('the baseline does not recover: in every replication, pages still fail at the end of the run', () => {
    expect(base.summary.recovery[0].recoveredRuns).toBe(0);
    expect(base.summary.recovery[0].recoveredAfterMs).toBeNull();
    // Not a slow recovery but a stable bad state: almost nothing succeeds in the last minute,
    // more than 100 s after the stall ended.
    expect(lastMinuteAvailability(base)).toBeLessThan(0.02);
    // Every page makes its three attempts, and each reaches inventory and then its database:
    // 1 + 3 + 3 = 7 requests per page (3 when healthy). 6.8 leaves room for the few that get
    // through on a lucky attempt.
    expect(lastMinuteAmplification(base)).toBeGreaterThan(6.8);
    // The backlog keeps growing: offered 1200/s, served ~855/s.
    const q = base.timeline.services.inventory.queueDepth;
    const at = (ms: number) => q[Math.floor(ms / bucketMs) - 1];
    expect(at(durationMs)).toBeGreaterThan(at(stallEndMs + 30_000) + 0.5 * 345 * (durationMs - stallEndMs - 30_000) / 1000);
  });

  it('backoff with jitter does not break the loop: it delays the three attempts, it removes none', () => {
    const b = v('backoff-jitter');
    expect(b.summary.recovery[0].recoveredRuns).toBe(0);
    expect(lastMinuteAvailability(b)).toBeLessThan(0.02);
    expect(lastMinuteAmplification(b)).toBeGreaterThan(6.8);
    // Open-loop pages keep arriving whatever the old ones wait: the totals match the
    // baseline's within 2 points (the delays only reshuffle which attempts fall in the stall).
    expect(Math.abs(b.summary.availability! - base.summary.availability!)).toBeLessThan(0.02);
  });

  for (const fix of ['retry-budget', 'breaker', 'deadline-propagation']) {
    it(`${fix} breaks the loop: the shop recovers within seconds, in every replication`, () => {
      const f = v(fix);
      expect(f.summary.recovery[0].recoveredRuns).toBe(3);
      // The slowest, the budget, drains the stall's backlog at ~855 − 440 = 415 lookups/s:
      // a few seconds; 20 s is the same bound as the theory test's.
      expect(f.summary.recovery[0].recoveredAfterMs!).toBeLessThan(20_000);
      expect(lastMinuteAvailability(f)).toBeGreaterThan(0.99);
      // Overall: the baseline loses everything after the stall (~20% available), a fix only
      // the stall itself and its drain (≤ 10% of the 150 s measured). A margin of 60 points,
      // and 95% intervals that do not overlap.
      expect(f.summary.availability! - base.summary.availability!).toBeGreaterThan(0.6);
      expect(f.replications.availability.ci95![0]).toBeGreaterThan(base.replications.availability.ci95![1]);
      expect(f.vsBaseline!.availability.significant).toBe(true);
    });
  }

  it('each fix works by its own mechanism', () => {
    const edge = 'storefront->inventory.lookup';
    // The budget refuses retries once its tokens are spent.
    expect(v('retry-budget').calls[edge].budgetDenied).toBeGreaterThan(0);
    expect(base.calls[edge].budgetDenied).toBe(0);
    // The breaker opens and fails calls without sending them, so the backlog drains.
    expect(v('breaker').calls[edge].breakerOpened).toBeGreaterThan(0);
    expect(v('breaker').calls[edge].shortCircuited).toBeGreaterThan(0);
    // Deadline propagation: inventory stops waiting on its database at the storefront's
    // deadline (a timeout on a call that has none of its own), so a lookup whose caller has
    // gone holds a connection for at most what is left of its 200 ms, not for the whole
    // (stalled) query. The connections are then free soon enough that the queue never gets
    // longer than the timeout. The baseline waits for every query.
    const d = v('deadline-propagation');
    const db = 'inventory->inventory-db.query';
    expect(d.calls[db].timeouts).toBeGreaterThan(0);
    expect(base.calls[db].timeouts).toBe(0);
    // Inventory, no longer serving lookups for nobody, is about as busy over the run as in
    // the good state (0.47, plus the stall), against ~0.9 for the baseline.
    expect(d.services.inventory.utilization!).toBeLessThan(0.6);
    expect(base.services.inventory.utilization!).toBeGreaterThan(0.85);
  });
});
