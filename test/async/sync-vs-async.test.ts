import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';
import { simulate } from '../helpers/sim.js';

describe('checkout under a one-minute fulfilment outage (scenarios/checkout-async.yaml)', () => {
  const run = simulate(readFileSync(join(REPO, 'scenarios', 'checkout-async.yaml'), 'utf8'));
  const sync = run.results.get('baseline')!;
  const async = run.results.get('async-fulfilment')!;
  const outage = sync.timeline.faults[0];
  const bucketMs = sync.timeline.bucketMs;
  // Buckets (by arrival) wholly inside the outage, and wholly outside it (after warmup). An
  // operation reaches fulfilment only after charging the card (up to its 1 s timeout), so
  // those arriving in the 2 s before either edge of the outage may land on the other side
  // of it: they are left out.
  const inside = (b: number) => b * bucketMs >= outage.atMs + 5000 && (b + 1) * bucketMs <= outage.endMs - 2000;
  const outside = (b: number) => b * bucketMs >= 30_000 && ((b + 1) * bucketMs <= outage.atMs - 2000 || b * bucketMs >= outage.endMs);
  const bucketsWhere = (f: (b: number) => boolean) => Array.from({ length: sync.timeline.buckets }, (_, b) => b).filter(f);

  it('the synchronous chain fails during the outage and only then', () => {
    expect(outage.endMs - outage.atMs).toBe(60_000);
    for (const b of bucketsWhere(inside)) expect(sync.timeline.availability[b]).toBeLessThan(0.01);
    for (const b of bucketsWhere(outside)) expect(sync.timeline.availability[b]).toBeGreaterThan(0.99);
    // About the outage's share of the measured time is lost.
    expect(sync.summary.availability!).toBeLessThan(1 - 55 / 330);
  });

  it('with the queue, user-facing availability stays high through the outage', () => {
    expect(async.summary.availability!).toBeGreaterThan(0.999);
    for (const b of bucketsWhere(inside)) expect(async.timeline.availability[b]).toBeGreaterThan(0.99);
  });

  it('the queue depth rises during the outage, and completion catches up once it ends', () => {
    const depth = async.timeline.queues['fulfilment-requests'].depth;
    const at = (ms: number) => depth[Math.floor(ms / bucketMs)];
    // ~100 orders/s pile up for a minute.
    expect(at(outage.atMs - 5000)).toBeLessThan(50);
    expect(at(outage.endMs - 1000)).toBeGreaterThan(4000);
    // Consumers drain the backlog after the outage: within a minute it is back to normal.
    let caughtUpMs = -1;
    for (let b = Math.ceil(outage.endMs / bucketMs); b < depth.length; b++) {
      if (depth[b] < 50) {
        caughtUpMs = b * bucketMs - outage.endMs;
        break;
      }
    }
    expect(caughtUpMs).toBeGreaterThanOrEqual(0);
    expect(caughtUpMs).toBeLessThan(60_000);
    const q = async.queues['fulfilment-requests'];
    expect(q.deadLettered).toBe(0);
    expect(q.completionRate).toBe(1);
    // Work published during the outage waited for it: the end-to-end tail is tens of seconds.
    expect(async.queues['fulfilment-requests'].endToEndMs.p99!).toBeGreaterThan(20_000);
    expect(async.queues['fulfilment-requests'].endToEndMs.p50!).toBeLessThan(1000);
  });
});
