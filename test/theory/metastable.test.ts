import { describe, expect, it } from 'vitest';
import { simulate } from '../helpers/sim.js';

/**
 * A metastable retry storm, with parameters chosen from a fluid argument:
 *
 *   The server has c = 10 workers and exponential work of mean s = 10 ms: capacity c/s =
 *   1000 requests/s. The gateway calls it with a 200 ms timeout and up to r = 3 immediate
 *   attempts, and the server finishes every request it has queued, even one whose caller
 *   has given up (ghost work).
 *
 *   Good state: at λ = 400 ops/s the server is 40% busy, latency is ~10 ms ≪ 200 ms, nobody
 *   retries. Bad state: the queue is long enough that every attempt times out; each
 *   operation then brings r = 3 attempts, all of which the server still serves, so the offered
 *   load is λ·r = 1200/s > 1000/s: the queue grows, every attempt keeps timing out — the bad
 *   state sustains itself after its trigger is gone. At λ = 250 ops/s the bad state offers
 *   750/s < 1000/s: the backlog drains at 250/s and the system recovers.
 *
 *   The trigger: a 1 s surge to 1500 ops/s, which leaves a backlog of at least 500 requests
 *   (0.5 s of work, longer than the timeout) — enough to tip 400/s over, not 250/s.
 *
 *   The fixes each break the feedback loop: a 10% retry budget caps the offered load at
 *   λ·1.1 = 440/s; a breaker stops sending while most calls fail, so the backlog drains;
 *   deadline propagation lets the server drop queued work whose caller has given up, so
 *   abandoned attempts cost nothing.
 */
const STORM = `
name: storm
duration: 150s
warmup: 20s
seed: 2
traffic:
  users: {target: gateway.get, rate: 400/s}
services:
  gateway:
    concurrency: 100000
    endpoints:
      get:
        steps:
          - call: server.get
            timeout: 200ms
            retry: {maxAttempts: 3, backoff: none}
  server:
    concurrency: 10
    endpoints: {get: {work: {exponential: {mean: 10ms}}}}
faults:
  - {target: users, kind: surge, rate: 1500/s, at: 30s, for: 1s}
variants:
  lower-load:
    set:
      traffic.users.rate: 250/s
  budget:
    set:
      services.gateway.endpoints.get.steps[0].retry.budget: 10%
  breaker:
    set:
      services.gateway.endpoints.get.steps[0].circuitBreaker: {failureRateThreshold: 50%, slidingWindow: 100, minimumCalls: 20, waitInOpen: 5s, halfOpenCalls: 10}
  deadline:
    set:
      services.server.deadlinePropagation: true
`;

describe('a metastable retry storm', () => {
  const run = simulate(STORM, { replications: 3 });
  const endAvailability = (name: string) => {
    // Availability over the last 30 s of the run.
    const t = run.results.get(name)!.timeline;
    const from = t.buckets - Math.round(30_000 / t.bucketMs);
    let ok = 0;
    let all = 0;
    for (let b = from; b < t.buckets; b++) {
      ok += t.okPerSec[b] + t.degradedPerSec[b];
      all += t.okPerSec[b] + t.degradedPerSec[b] + t.failedPerSec[b];
    }
    return ok / all;
  };

  it('stays in the bad state after the trigger when load × attempts exceeds capacity', () => {
    const v = run.results.get('baseline')!;
    expect(v.summary.recovery[0].recoveredRuns).toBe(0);
    expect(v.summary.recovery[0].recoveredAfterMs).toBeNull();
    expect(endAvailability('baseline')).toBeLessThan(0.05);
    // In the bad state each operation makes its three attempts.
    const e = v.calls['gateway->server.get'];
    expect(e.attempts / v.summary.requests).toBeGreaterThan(2.5);
    // The backlog is still there at the end, and growing: the server ends saturated.
    const q = v.timeline.services.server.queueDepth;
    expect(q[q.length - 1]).toBeGreaterThan(q[Math.round(40_000 / v.timeline.bucketMs)]);
  });

  it('recovers from the same trigger when load × attempts is below capacity', () => {
    const v = run.results.get('lower-load')!;
    expect(v.summary.recovery[0].recoveredRuns).toBe(3);
    // The backlog (under 1500·1·3 attempts) drains at ≥ 250/s: well within 20 s.
    expect(v.summary.recovery[0].recoveredAfterMs!).toBeLessThan(20_000);
    expect(endAvailability('lower-load')).toBeGreaterThan(0.99);
  });

  for (const fix of ['budget', 'breaker', 'deadline']) {
    it(`recovers with the ${fix} fix`, () => {
      const v = run.results.get(fix)!;
      expect(v.summary.recovery[0].recoveredRuns).toBe(3);
      expect(v.summary.recovery[0].recoveredAfterMs!).toBeLessThan(20_000);
      expect(endAvailability(fix)).toBeGreaterThan(0.99);
      expect(v.vsBaseline!.availability.significant).toBe(true);
    });
  }

  it('the breaker fix short-circuits calls, the budget fix refuses retries, the deadline fix sheds expired work', () => {
    expect(run.results.get('breaker')!.calls['gateway->server.get'].shortCircuited).toBeGreaterThan(0);
    expect(run.results.get('budget')!.calls['gateway->server.get'].budgetDenied).toBeGreaterThan(0);
    expect(run.results.get('deadline')!.services.server.shed).toBeGreaterThan(0);
    expect(run.results.get('baseline')!.services.server.shed).toBe(0);
  });
});
