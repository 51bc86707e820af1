import { describe, expect, it } from 'vitest';
import { simulateBundled } from '../helpers/sim.js';

// The timeline-level behaviour is tested in test/async/sync-vs-async.test.ts; this is the
// headline lesson.
const run = simulateBundled('checkout-async');
const sync = run.results.get('baseline')!;
const async = run.results.get('async-fulfilment')!;

describe('checkout, sync vs async fulfilment, under a fulfilment outage (scenarios/checkout-async.yaml)', () => {
  it("putting fulfilment behind a queue keeps checkout up: the async availability interval lies wholly above the sync one's", () => {
    const outage = run.set.base.faults[0];
    const measuredMs = run.set.base.durationMs - run.set.base.warmupMs;
    // The sync chain loses about the outage's share of the measured time (60 s of 330 s,
    // ~18%); the queue loses none of it. A margin of 15 points (the outage's share, less the
    // operations near its edges that got through), and intervals that do not overlap.
    expect(async.summary.availability! - sync.summary.availability!).toBeGreaterThan(0.15);
    expect(async.summary.availability! - sync.summary.availability!).toBeLessThan(outage.forMs / measuredMs + 0.02);
    expect(async.summary.availabilityCI95![0]).toBeGreaterThan(sync.summary.availabilityCI95![1]);
    expect(async.vsBaseline!.availability.significant).toBe(true);
    // Delayed, not lost: every fulfilment request published is eventually processed.
    expect(async.queues['fulfilment-requests'].completionRate).toBe(1);
  });
});
