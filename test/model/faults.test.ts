import { describe, expect, it } from 'vitest';
import type { VariantResult } from '../../sim/run/results.js';
import { binomialSE, Z } from '../helpers/stats.js';
import { simulate } from '../helpers/sim.js';

/** Sums a timeline series over the buckets wholly inside [fromMs, toMs). */
function window(v: VariantResult, fromMs: number, toMs: number) {
  const t = v.timeline;
  let ok = 0;
  let all = 0;
  const perSec = 1000 / t.bucketMs;
  for (let b = Math.ceil(fromMs / t.bucketMs); (b + 1) * t.bucketMs <= toMs; b++) {
    const good = t.okPerSec[b] + t.degradedPerSec[b];
    ok += good / perSec;
    all += (good + t.failedPerSec[b]) / perSec;
  }
  return { ok, all, availability: ok / all };
}

const oneService = (faults: string, opts = '') => `
name: faults
duration: 60s
seed: 17
${opts}
traffic:
  users: {target: api.get, rate: 500/s}
services:
  api:
    instances: 2
    concurrency: 1000
    endpoints: {get: {work: 10ms}}
faults:
${faults}
`;

describe('faults', () => {
  it('errors: overlapping error faults compose as independent failures, 1 − (1 − p)(1 − q)', () => {
    const run = simulate(
      oneService(`  - {target: api, kind: errors, rate: 20%, at: 10s, for: 20s}
  - {target: api, kind: errors, rate: 50%, at: 20s, for: 20s}`),
    );
    const v = run.results.get('baseline')!;
    // Operations arrive and finish within 10 ms; windows start a bucket late to be clean.
    for (const [from, to, p] of [
      [1_000, 9_900, 0],
      [10_100, 19_900, 0.2],
      [20_100, 29_900, 1 - 0.8 * 0.5],
      [30_100, 39_900, 0.5],
      [40_100, 59_900, 0],
    ] as const) {
      const w = window(v, from, to);
      const expected = 1 - p;
      expect(Math.abs(w.availability - expected), `[${from}, ${to})`).toBeLessThanOrEqual(Z * binomialSE(expected, w.all) + 1e-12);
    }
  });

  it('errors on one instance (svc#0) fail only the requests that instance serves', () => {
    const run = simulate(oneService(`  - {target: api#0, kind: errors, rate: 100%, at: 10s, for: 20s}`));
    const w = window(run.results.get('baseline')!, 10_100, 29_900);
    // Round robin over two instances: every other request goes to api#0.
    expect(Math.abs(w.availability - 0.5)).toBeLessThan(0.01);
  });

  it('latency: factors multiply and additions add, while their windows overlap', () => {
    const run = simulate(
      oneService(`  - {target: api, kind: latency, factor: 2, at: 10s, for: 10s}
  - {target: api, kind: latency, add: 5ms, at: 15s, for: 10s}`),
    );
    const p50 = run.results.get('baseline')!.timeline.p50Ms;
    const bucketMs = run.results.get('baseline')!.timeline.bucketMs;
    const at = (ms: number) => p50[Math.floor(ms / bucketMs)]!;
    // Constant 10 ms work, no network: the latency is the work. Histogram resolution: 1/64.
    for (const [ms, expected] of [
      [5_000, 10],
      [12_000, 20],
      [17_000, 25],
      [22_000, 15],
      [30_000, 10],
    ] as const) {
      expect(Math.abs(at(ms) - expected) / expected, `at ${ms} ms`).toBeLessThan(1 / 64);
    }
  });

  it('capacity: a capacity fault leaves only the workers it says, and queued work waits for them', () => {
    const run = simulate(`
name: capacity
duration: 40s
seed: 18
traffic:
  users: {target: api.get, rate: 100/s, arrivals: constant}
services:
  api:
    concurrency: 10
    endpoints: {get: {work: 50ms}}
faults:
  - {target: api, kind: capacity, concurrency: 2, at: 10s, for: 10s}
`);
    const v = run.results.get('baseline')!;
    const util = v.timeline.services.api.utilization;
    const b = (ms: number) => Math.floor(ms / v.timeline.bucketMs);
    // 100/s × 50 ms = 5 busy workers of 10 before; with 2 workers, all busy (a queue builds).
    expect(util[b(5_000)]).toBeCloseTo(0.5, 2);
    expect(util[b(15_000)]).toBeCloseTo(0.2, 2);
    expect(v.timeline.services.api.queueDepth[b(19_500)]).toBeGreaterThan(500);
    // Afterwards all 10 work off the backlog, then back to half busy.
    expect(util[b(20_500)]).toBeCloseTo(1, 2);
    expect(util[b(35_000)]).toBeCloseTo(0.5, 2);
  });

  const pair = (fault: string) => `
name: links
duration: 40s
seed: 19
traffic:
  users: {target: front.get, rate: 400/s}
services:
  front:
    concurrency: 10000
    endpoints:
      get:
        steps: [{call: back.get, timeout: 100ms}]
  back:
    concurrency: 10000
    endpoints: {get: {work: 5ms}}
links:
  default: {latency: 1ms}
faults:
  - ${fault}
`;

  it('partition: nothing crosses the link in either direction; callers time out', () => {
    const run = simulate(pair('{target: front->back, kind: partition, at: 10s, for: 10s}'));
    const v = run.results.get('baseline')!;
    expect(window(v, 10_000, 19_800).ok).toBe(0);
    expect(window(v, 20_100, 39_900).availability).toBe(1);
    // Every failure is a timeout: nothing was refused or answered with an error.
    expect(v.calls['front->back.get'].timeouts).toBe(v.summary.failed);
    expect(v.calls['front->back.get'].errors).toBe(0);
    expect(v.summary.failed).toBeGreaterThan(3900);
  });

  it('loss: a lossy link loses requests and responses independently, (1 − ℓ)² success', () => {
    const loss = 0.5;
    const run = simulate(pair(`{target: front->back, kind: loss, rate: ${loss * 100}%, at: 10s, for: 20s}`));
    const w = window(run.results.get('baseline')!, 10_100, 29_800);
    const expected = (1 - loss) ** 2;
    expect(Math.abs(w.availability - expected)).toBeLessThan(Z * binomialSE(expected, w.all));
  });

  it('surge: a factor multiplies the arrival rate during its window', () => {
    const run = simulate(oneService(`  - {target: users, kind: surge, factor: 3, at: 20s, for: 10s}`));
    const arrivals = (from: number, to: number) => window(run.results.get('baseline')!, from, to).all;
    // Poisson counts: mean λT, standard error √(λT).
    const before = arrivals(0, 20_000);
    const during = arrivals(20_000, 30_000);
    expect(Math.abs(before - 500 * 20)).toBeLessThan(Z * Math.sqrt(500 * 20));
    expect(Math.abs(during - 1500 * 10)).toBeLessThan(Z * Math.sqrt(1500 * 10));
  });

  it('crash: in-flight work is lost (callers see an error at once), but an effect it already applied stays applied', () => {
    // orders charges the card (payments applies the effect at once), then spends 200 ms on its
    // own work. orders#0 crashes at 10 s: requests charged but not finished there fail, and the
    // client's retry charges again — double-processed operations, from lost work only.
    const run = simulate(`
name: crash
duration: 30s
seed: 20
traffic:
  users:
    target: orders.place
    rate: 200/s
    arrivals: constant
    retry: {maxAttempts: 2, backoff: none, retryOn: [error]}
services:
  orders:
    instances: 2
    concurrency: 1000
    endpoints:
      place:
        steps:
          - call: payments.charge
          - call: warehouse.reserve
  payments:
    concurrency: 1000
    endpoints: {charge: {work: 1ms, effect: charge}}
  warehouse:
    concurrency: 1000
    endpoints: {reserve: {work: 200ms}}
faults:
  - {target: orders#0, kind: crash, at: 10s, restartAfter: 5s}
`);
    const v = run.results.get('baseline')!;
    // Arrivals every 5 ms, alternating between the two instances, each staying 201 ms (1 ms
    // charge + 200 ms warehouse): at 10 s orders#0 holds the 20 operations that arrived in the
    // last 201 ms, each charged and waiting for the warehouse. They fail with a reset
    // connection; each client retries at once, the balancer sends it to orders#1 (instant
    // health check), and the card is charged again.
    expect(v.summary.doubleProcessing).toBeGreaterThanOrEqual(19);
    expect(v.summary.doubleProcessing).toBeLessThanOrEqual(21);
    expect(v.effects.charge.duplicated).toBe(v.summary.doubleProcessing);
    expect(v.summary.failed).toBe(0);
    expect(v.services.orders.failed).toBe(v.summary.doubleProcessing);
  });

  it('crash: with a health-check delay, the balancer keeps sending to the crashed instance until it notices', () => {
    const run = simulate(oneService(`  - {target: api#1, kind: crash, at: 10s, restartAfter: 20s}`)).results.get('baseline')!;
    const slow = simulate(oneService(`  - {target: api#1, kind: crash, at: 10s, restartAfter: 20s}`).replace('instances: 2', 'instances: 2\n    healthCheck: 5s')).results.get('baseline')!;
    // Instant detection: only the requests in flight at the crash fail (~10 ms × 250/s).
    expect(run.summary.failed).toBeLessThan(10);
    // A 5 s detection delay: half of 5 s of traffic is refused (round robin), then none.
    const w = window(slow, 10_100, 14_900);
    expect(Math.abs(w.availability - 0.5)).toBeLessThan(0.02);
    expect(window(slow, 15_100, 29_900).availability).toBe(1);
  });
});
