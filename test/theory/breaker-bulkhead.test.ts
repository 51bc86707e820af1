import { describe, expect, it } from 'vitest';
import { replicationBound } from '../helpers/stats.js';
import { simulate } from '../helpers/sim.js';

describe('a count-based circuit breaker during a full outage', () => {
  it('lets through exactly the calls its parameters imply', () => {
    const gapMs = 10; // constant arrivals at 100/s: at 10, 20, 30 … ms
    const outageStart = 10_000;
    const outageEnd = 70_000;
    const threshold = 0.5;
    const windowSize = 10;
    const waitInOpen = 5000;
    const halfOpenCalls = 2;
    const run = simulate(
      `
name: breaker-count
duration: 90s
seed: 1
traffic:
  users: {target: front.get, rate: 100/s, arrivals: constant}
services:
  front:
    concurrency: 1000
    endpoints:
      get:
        steps:
          - call: back.get
            circuitBreaker: {failureRateThreshold: ${threshold * 100}%, slidingWindow: ${windowSize}, minimumCalls: ${windowSize}, waitInOpen: ${waitInOpen}ms, halfOpenCalls: ${halfOpenCalls}}
  back:
    concurrency: 1000
    endpoints: {get: {work: 0ms}}
faults:
  - {target: back, kind: outage, at: ${outageStart}ms, for: ${outageEnd - outageStart}ms}
`,
    );
    // Derivation. No latency anywhere, so each call's result is recorded the moment it is made.
    // Before the outage every call succeeds: the window holds 10 successes. In the outage
    // every call fails; after f failures the window holds f failures out of 10, so the breaker
    // opens at f = ⌈threshold × window⌉ = 5, at t₁ = start + (f − 1)·gap.
    const tripFailures = Math.ceil(threshold * windowSize);
    const t1 = outageStart + (tripFailures - 1) * gapMs;
    // Open for waitInOpen; the next call (arrivals fall on the 10 ms grid, and t₁ + wait is
    // on it) moves it to half-open, and halfOpenCalls consecutive calls are probes. They
    // fail, and the last one reopens it: each cycle takes wait + (halfOpenCalls − 1)·gap.
    const cycleMs = waitInOpen + (halfOpenCalls - 1) * gapMs;
    let cycles = 0;
    while (t1 + waitInOpen + cycles * cycleMs + (halfOpenCalls - 1) * gapMs < outageEnd) cycles++;
    const through = tripFailures + halfOpenCalls * cycles;
    expect(through).toBe(27);

    const v = run.results.get('baseline')!;
    // Calls let through during the outage are exactly those the down service refused.
    expect(v.services.back.refused).toBe(through);
    const outageCalls = (outageEnd - outageStart) / gapMs;
    // The breaker is still open when the outage ends: it last reopened at t₁ + cycles·cycle,
    // and short-circuits every call until its next probe, waitInOpen later. That probe
    // succeeds (as does the next) and it closes: every later call goes through.
    const nextProbe = t1 + cycles * cycleMs + waitInOpen;
    const lateShortCircuits = (nextProbe - outageEnd) / gapMs;
    expect(lateShortCircuits).toBe(15);
    const shortCircuited = outageCalls - through + lateShortCircuits;
    expect(v.calls['front->back.get'].shortCircuited).toBe(shortCircuited);
    expect(v.summary.failed).toBe(outageCalls + lateShortCircuits);
    expect(v.calls['front->back.get'].attempts).toBe(v.summary.requests - shortCircuited);
    // Its time open shows on the timeline: nearly the whole outage.
    const open = v.timeline.breakers['front->back.get'].open;
    const bucketMs = v.timeline.bucketMs;
    const openMs = open.reduce((s, f) => s + f * bucketMs, 0);
    const expectedOpenMs = nextProbe - t1 - cycles * (halfOpenCalls - 1) * gapMs;
    expect(Math.abs(openMs - expectedOpenMs)).toBeLessThan(1e-6 * expectedOpenMs);
  });
});

describe('a bulkhead', () => {
  it('without waiting, in front of a pool, is a loss system: it rejects with Erlang B', () => {
    // maxConcurrent c = 5 calls in flight, Poisson calls at 1000/s, exponential holding
    // 4 ms (the back end has workers to spare, and there is no network): M/M/5/5, a = 4.
    const c = 5;
    const a = 4;
    const run = simulate(
      `
name: bulkhead-erlang
duration: 60s
warmup: 2s
seed: 8
traffic:
  users: {target: front.get, rate: 1000/s}
services:
  front:
    concurrency: 100000
    endpoints:
      get:
        steps:
          - call: back.get
            bulkhead: {maxConcurrent: ${c}}
  back:
    concurrency: 100000
    endpoints: {get: {work: {exponential: {mean: ${a}ms}}}}
`,
      { replications: 20 },
    );
    let term = 1;
    let sum = 1;
    for (let k = 1; k <= c; k++) {
      term *= a / k;
      sum += term;
    }
    const erlangB = term / sum;
    const perRep = run.raws.get('baseline')!.map((r) => {
      const e = r.calls['front->back.get'];
      return e.rejected / (e.attempts + e.rejected);
    });
    // Replications are independent: a 99.9% Student t bound on their mean.
    const { mean, halfWidth } = replicationBound(perRep);
    expect(Math.abs(mean - erlangB), `${mean} vs ${erlangB} ± ${halfWidth}`).toBeLessThan(halfWidth);
    expect(halfWidth).toBeLessThan(0.05 * erlangB);
  });

  it('with maxWait, a full bulkhead queues calls and rejects those that wait too long', () => {
    const run = simulate(
      `
name: bulkhead-wait
duration: 20s
seed: 9
traffic:
  users: {target: front.get, rate: 200/s, arrivals: constant}
services:
  front:
    concurrency: 100000
    endpoints:
      get:
        steps:
          - call: back.get
            bulkhead: {maxConcurrent: 1, maxWait: 15ms}
  back:
    concurrency: 100
    endpoints: {get: {work: 8ms}}
`,
    );
    // Calls every 5 ms, each holding the single slot 8 ms: the slot serves one call per 8 ms,
    // so (5 calls per 40 ms offered, 5 served per 40 ms) … the backlog grows by 3 per 40 ms
    // until waits exceed 15 ms; from then on the rejections balance the excess exactly.
    const v = run.results.get('baseline')!;
    const e = v.calls['front->back.get'];
    const offered = v.summary.requests;
    // Served at one per 8 ms at most over the run.
    expect(e.attempts).toBeLessThanOrEqual(Math.ceil(20_000 / 8) + 1);
    expect(e.attempts).toBeGreaterThan(Math.floor(20_000 / 8) - 5);
    expect(e.rejected).toBe(offered - e.attempts);
    expect(v.summary.failed).toBe(e.rejected);
  });
});
