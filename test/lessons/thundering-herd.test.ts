import { describe, expect, it } from 'vitest';
import type { RawRun } from '../../sim/run/rawRun.js';
import type { VariantResult } from '../../sim/run/results.js';
import { simulateBundled } from '../helpers/sim.js';

/**
 * The arithmetic behind the scenario: 400 polls/s lasting 20–30 s keep ~10,000 polls open.
 * The gateway's outage breaks them all at the same instant; with a constant 2 s reconnect
 * delay those phones retry at exactly the same moments, joined by the ~4,000 polls that
 * arrived during the outage (those at random moments, since arrivals are Poisson). When the
 * gateway is back, ~10,000 session restores reach sessions within a millisecond: 32 workers at
 * ~3.6 ms each serve ~8,900/s, so about 4,400 are served within the 500 ms timeout and the rest
 * time out — still queued, and still served (ghost work). The timed-out phones come back
 * 2 s + 500 ms later, together again: a smaller wave every 2.5 s until the herd is through.
 * Jitter draws each phone's delay at random, which spreads the herd over the delay.
 */
const run = simulateBundled('thundering-herd');
const v = (name: string) => run.results.get(name)!;
const raws = (name: string) => run.raws.get(name)!;
const base = v('baseline');
const outage = run.set.base.faults[0];
const outageEndMs = outage.atMs + outage.forMs;
const bucketMs = base.timeline.bucketMs;
const WINDOW_MS = 15_000; // after the outage: the herd is through well within it
const endBucket = Math.floor(outageEndMs / bucketMs);
const windowBuckets = WINDOW_MS / bucketMs;

/** Sessions' queue depth (the largest in each 250 ms bucket) from the outage's end on, for one replication. */
const depthAfter = (r: RawRun) => r.timeline.services.sessions.queueDepth.slice(endBucket, endBucket + windowBuckets);
const peak = (r: RawRun) => Math.max(...depthAfter(r));
/** The waves: maximal runs of buckets with more than `level` queued, as [first bucket, peak]. */
function waves(r: RawRun, level: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  depthAfter(r).forEach((d, i, all) => {
    if (d <= level) return;
    if (i === 0 || all[i - 1] <= level) out.push([i, d]);
    else out[out.length - 1][1] = Math.max(out[out.length - 1][1], d);
  });
  return out;
}
/** How long after the outage sessions' queue last held more than `level` (0 if never). */
function herdMs(r: RawRun, level: number): number {
  const d = depthAfter(r);
  let last = -1;
  d.forEach((x, i) => {
    if (x > level) last = i;
  });
  return (last + 1) * bucketMs;
}
/** The largest per-operation amplification among operations arriving in the 10 s after the outage. */
const ampPeakAfter = (r: VariantResult) => Math.max(...r.timeline.amplification.slice(endBucket, endBucket + 10_000 / bucketMs).map((a) => a ?? 0));

describe('a thundering herd: phones cut off together reconnect together (scenarios/thundering-herd.yaml)', () => {
  it('with a constant delay, the whole herd reaches the recovering service in the same instant', () => {
    for (const r of raws('baseline')) {
      // ~10,000 restores at once (the phones cut off together); 5,000 is half of them.
      expect(peak(r)).toBeGreaterThan(5000);
      // It is the herd's first wave: the queue is at its peak in the first 250 ms.
      expect(depthAfter(r)[0]).toBe(peak(r));
    }
  });

  it('the waves come back in lock-step, every 2 s of backoff + 500 ms of timeout, each smaller', () => {
    for (const r of raws('baseline')) {
      const w = waves(r, 500);
      // ~4,400 of each wave get through, so ~10,000 need at least 2 more waves.
      expect(w.length).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < w.length; i++) {
        // Periodic at 2.5 s: ±1 bucket for the network and where the wave falls in its bucket.
        expect(Math.abs((w[i][0] - w[i - 1][0]) * bucketMs - 2500)).toBeLessThanOrEqual(bucketMs);
        expect(w[i][1]).toBeLessThan(w[i - 1][1]);
      }
    }
    // Each wave times out what sessions cannot serve in 500 ms, and serves it anyway.
    expect(base.calls['push-gateway->sessions.restore'].timeouts).toBeGreaterThan(5000);
  });

  it('jitter breaks the lock-step: one bump, a quarter of the height, no timeouts; exponential backoff flattens it', () => {
    for (const r of raws('jitter-only')) {
      // 14,000 restores spread over 2 s = 7,000/s, under the ~8,900/s sessions serves: the
      // queue peaks around 2,500 (~0.3 s of work, under the timeout), not 10,000.
      expect(peak(r)).toBeLessThan(5000);
      expect(waves(r, 500).length).toBe(1);
    }
    for (const r of raws('full-jitter')) {
      // Delays doubling to 8–16 s by the end of the outage: a few hundred restores per second.
      expect(peak(r)).toBeLessThan(500);
    }
    expect(v('jitter-only').calls['push-gateway->sessions.restore'].timeouts).toBe(0);
    expect(v('full-jitter').calls['push-gateway->sessions.restore'].timeouts).toBe(0);
  });

  it('the recovering service is back to normal within a second with jitter, after several seconds without', () => {
    for (const r of raws('baseline')) expect(herdMs(r, 100)).toBeGreaterThanOrEqual(5000); // 3 waves, 2.5 s apart
    for (const r of raws('jitter-only')) expect(herdMs(r, 100)).toBeLessThanOrEqual(2500); // one 2 s window
    for (const r of raws('full-jitter')) expect(herdMs(r, 100)).toBeLessThanOrEqual(1000);
  });

  it('operations that arrive in step with a wave pay for it: the amplification timeline spikes, the jittered one stays flat', () => {
    // A healthy poll is 3 requests (gateway, sessions, mailbox); every timed-out attempt adds
    // 2 (gateway, sessions). Spikes above 4.5 mean most operations of the bucket timed out at
    // least once; jittered, none does (3 ± rounding).
    expect(ampPeakAfter(base)).toBeGreaterThan(4.5);
    expect(ampPeakAfter(v('jitter-only'))).toBeLessThan(3.1);
    expect(ampPeakAfter(v('full-jitter'))).toBeLessThan(3.1);
  });

  it('over the run, jitter saves the timed-out attempts: amplification drops by a third of a request per poll, intervals apart', () => {
    for (const name of ['jitter-only', 'full-jitter']) {
      const f = v(name);
      // ~10,000 timed-out attempts × 2 requests per replication, over ~32,000 polls: ~0.6.
      expect(base.replications.amplification.mean! - f.replications.amplification.mean!).toBeGreaterThan(0.3);
      expect(f.replications.amplification.ci95![1]).toBeLessThan(base.replications.amplification.ci95![0]);
      expect(f.vsBaseline!.amplification.significant).toBe(true);
    }
  });

  it('the phones are patient, so availability hardly moves; exponential backoff makes them reconnect later', () => {
    for (const name of ['baseline', 'jitter-only', 'full-jitter']) expect(v(name).summary.availability!).toBeGreaterThan(0.999);
    // The price of exponential backoff: a phone cut off by the outage waits up to 8–16 s
    // after it, not 2 s. The p99 (cut-off polls: ~25 s before + 10 s outage + reconnect +
    // a new ~25 s poll) is ~10 s later than with a constant jittered delay; 5 s margin.
    expect(v('full-jitter').replications.p99Ms.mean! - v('jitter-only').replications.p99Ms.mean!).toBeGreaterThan(5000);
    expect(v('full-jitter').replications.p99Ms.ci95![0]).toBeGreaterThan(v('jitter-only').replications.p99Ms.ci95![1]);
  });
});
