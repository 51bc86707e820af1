import { describe, expect, it } from 'vitest';
import { CalendarLoop } from '../../bench/lean/calendarLoop.js';
import { engineHold } from '../../bench/lean/engineHold.js';
import { leanChain } from '../../bench/lean/leanChain.js';
import { leanMm1 } from '../../bench/lean/leanMm1.js';
import { loadBenchScenario, loadMm1 } from '../../bench/scenarioText.js';
import { meanOf } from '../../sim/engine/distributions.js';
import { RandomStream } from '../../sim/engine/random.js';
import { runOne } from '../../sim/run/runOne.js';
import type { Scenario } from '../../sim/scenario/types.js';
import { binomialSE, replicationBound, Z } from '../helpers/stats.js';

/**
 * The lean models behind docs/performance.md's ceiling are a bound on what faultline could
 * reach only if they simulate the benchmarks' own models and do the same events. Each check
 * runs R replications (seeds 1…R) and compares the mean of the per-replication estimates with
 * the exact value within a 99.9% Student t bound (replicationBound).
 */
const R = 10;

function expectNear(values: number[], exact: number, what: string): void {
  const { mean, halfWidth } = replicationBound(values);
  expect(Math.abs(mean - exact), `${what}: ${mean} vs exact ${exact} (±${halfWidth})`).toBeLessThan(halfWidth);
  expect(halfWidth, `${what}: the bound is tight enough to mean something`).toBeLessThan(0.05 * exact);
}

const replications = <T>(scenario: Scenario, run: (s: Scenario) => T): T[] => Array.from({ length: R }, (_, i) => run({ ...scenario, seed: i + 1 }));

describe('the lean chain simulates the chain benchmark', () => {
  const chain = loadBenchScenario('chain', { durationMs: 60_000 }).base;
  const hop = chain.services[0].endpoints[0];
  const workMs = meanOf(hop.work);
  const linkMs = meanOf(chain.links.default.latency);
  const pass = 1 - hop.errorRate;
  const lambda = chain.traffic[0].ratePerMs;
  // Hop k (0-based) is reached when the k hops above it did not fail: P = pass^k.
  const reached = (k: number) => pass ** k;
  const runs = replications(chain, leanChain);

  it('holds the last two hops’ workers for their closed-form times (Little: busy = λ · P(reached) · hold)', () => {
    // Hop 4 holds a worker for its work; hop 3 for its work, then (unless it fails) the link
    // to hop 4, hop 4's work and the link back. Both hops are lightly loaded (2.3 and 6.5 of
    // 16 workers), so nobody waits there.
    expectNear(
      runs.map((r) => r.busyWorkers[3]),
      lambda * reached(3) * workMs,
      'hop 4 busy workers',
    );
    expectNear(
      runs.map((r) => r.busyWorkers[2]),
      lambda * reached(2) * (workMs + pass * (2 * linkMs + workMs)),
      'hop 3 busy workers',
    );
  });

  it('fails 1 − 0.999⁴ of the requests (errors only: nothing nears the 1 s timeout)', () => {
    // Each request fails independently (its own error draws), so the failures over all
    // replications are binomial: Z standard errors, tight enough to tell 4 hops from 3.
    const requests = runs.reduce((n, r) => n + r.requests, 0);
    const failed = runs.reduce((n, r) => n + r.failed, 0);
    const exact = 1 - pass ** 4;
    const bound = Z * binomialSE(exact, requests);
    expect(Math.abs(failed / requests - exact), `failed ${failed / requests} vs ${exact} (±${bound})`).toBeLessThan(bound);
    expect(bound).toBeLessThan((exact - (1 - pass ** 3)) / 2);
  });

  it('runs the same events per request as faultline does on the same scenario', () => {
    // An arrival, then per hop reached: the request over the link, the end of the work and the
    // answer over the link back.
    const exact = 1 + 3 * [0, 1, 2, 3].reduce((sum, k) => sum + reached(k), 0);
    expectNear(
      runs.map((r) => r.events / r.requests),
      exact,
      'lean events per request',
    );
    const raw = runOne(chain, { index: 0, variant: 'baseline', replication: 0, point: -1 }, Infinity);
    // faultline also samples its levels once per timeline bucket: those are not per request.
    const perRequest = (raw.stop.events - raw.timeline.buckets) / raw.ops.requests;
    expect(Math.abs(perRequest - exact), `faultline: ${perRequest} events per request`).toBeLessThan(0.01);
  });
});

describe('the calendar-queue loop (bench/lean/calendarLoop.ts)', () => {
  it('runs the lean chain to exactly the results of faultline’s Simulator: the same events in the same order', () => {
    const chain = loadBenchScenario('chain', { durationMs: 60_000 }).base;
    const onHeap = leanChain(chain);
    const onCalendar = leanChain(chain, new CalendarLoop(0.1), 'lean-chain-calendar');
    const same = (r: typeof onHeap) => [r.requests, r.succeeded, r.failed, r.events, r.meanLatencyMs, ...r.busyWorkers];
    expect(same(onCalendar)).toEqual(same(onHeap));
  });

  it('keeps (time, sequence) order with ties, zero delays and events a year or more ahead', () => {
    const loop = new CalendarLoop(0.1);
    const rng = new RandomStream('calendar-loop');
    const fired: Array<[number, number]> = [];
    let id = 0;
    const handler = (n: number) => {
      fired.push([loop.nowMs, n]);
      if (id < 20_000) {
        const u = rng.next();
        // Ties (0 and coarse delays), near delays, and far ones (beyond 256 × 0.1 ms).
        const delay = u < 0.2 ? 0 : u < 0.4 ? Math.floor(rng.next() * 3) : u < 0.9 ? rng.next() : 1000 * rng.next();
        loop.schedule(delay, handler, id++);
        if (rng.next() < 0.5) loop.schedule(delay, handler, id++);
      }
    };
    for (let k = 0; k < 10; k++) loop.schedule(rng.next(), handler, id++);
    const { events } = loop.run();
    expect(events).toBe(id);
    // Times never go back, and at one time the events run in the order they were scheduled.
    for (let k = 1; k < fired.length; k++) {
      const [t0, n0] = fired[k - 1];
      const [t1, n1] = fired[k];
      expect(t1 > t0 || (t1 === t0 && n1 > n0), `event ${k}: (${t1}, ${n1}) after (${t0}, ${n0})`).toBe(true);
    }
  });
});

describe('the lean M/M/1 simulates the M/M/1 benchmark', () => {
  const mm1 = loadMm1(100_000).base;
  const lambda = mm1.traffic[0].ratePerMs;
  const mu = 1 / meanOf(mm1.services[0].endpoints[0].work);
  const runs = replications(mm1, leanMm1);

  it('has a mean response of 1/(μ − λ) and a utilization of λ/μ, in two events per customer', () => {
    expectNear(
      runs.map((r) => r.meanLatencyMs),
      1 / (mu - lambda),
      'mean response',
    );
    expectNear(
      runs.map((r) => r.busyWorkers[0]),
      lambda / mu,
      'utilization',
    );
    for (const r of runs) expect(r.events).toBe(2 * r.requests);
  });
});

describe('the engine-alone hold model', () => {
  it('runs exactly the events asked for, each scheduling the next while the queue keeps its size', () => {
    expect(engineHold(20, 100_000).events).toBe(100_000);
    expect(engineHold(1, 10).events).toBe(10);
  });
});
