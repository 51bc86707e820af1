import { describe, expect, it } from 'vitest';
import { simulate } from '../helpers/sim.js';

/**
 * Common random numbers: every component draws from its own stream, so a variant that only
 * changes a policy leaves everyone else's random numbers where they were.
 */
const SCENARIO = `
name: crn
duration: 120s
seed: 13
traffic:
  users: {target: gateway.get, rate: 300/s}
services:
  gateway:
    concurrency: 1000
    endpoints:
      get:
        work: {lognormal: {median: 2ms, p99: 20ms}}
        steps:
          - call: flaky.get
            timeout: 50ms
          - call: steady.get
  flaky:
    concurrency: 1000
    endpoints:
      get: {work: {exponential: {mean: 10ms}}, errorRate: 10%}
  steady:
    concurrency: 1000
    endpoints:
      get: {work: {exponential: {mean: 5ms}}}
variants:
  retry:
    description: Only a policy changes — retries on the flaky call.
    set:
      services.gateway.endpoints.get.steps[0].retry: {maxAttempts: 3, backoff: exponential, base: 5ms, jitter: full}
`;

describe('common random numbers', () => {
  const run = simulate(SCENARIO, { replications: 3 });
  const base = run.raws.get('baseline')!;
  const retry = run.raws.get('retry')!;

  it('a policy-only variant sees the same arrivals', () => {
    for (let r = 0; r < 3; r++) {
      expect(retry[r].ops.requests).toBe(base[r].ops.requests);
      expect(retry[r].timeline.ok.map((v, b) => v + retry[r].timeline.degraded[b] + retry[r].timeline.failed[b])).toEqual(
        base[r].timeline.ok.map((v, b) => v + base[r].timeline.degraded[b] + base[r].timeline.failed[b]),
      );
    }
  });

  it('and the same work draws at every service its policy does not reach', () => {
    for (let r = 0; r < 3; r++) {
      // The gateway serves every operation once in both; the draws are the same numbers in the
      // same order (the k-th draw of a stream is fixed), so even the float sums are identical.
      expect(retry[r].services.gateway.workDraws).toBe(base[r].services.gateway.workDraws);
      expect(retry[r].services.gateway.workSumMs).toBe(base[r].services.gateway.workSumMs);
      // steady is called once per operation that got past flaky. Retries let more through, so
      // it makes more draws — but the ones both make are the same stream's first values.
      expect(retry[r].services.steady.workDraws).toBeGreaterThan(base[r].services.steady.workDraws);
    }
  });

  it('the policy changes what it should, so the pairing is informative', () => {
    const v = run.results.get('retry')!;
    expect(v.calls['gateway->flaky.get'].retries).toBeGreaterThan(0);
    expect(v.services.flaky.received).toBeGreaterThan(run.results.get('baseline')!.services.flaky.received);
    // Paired over the same seeds, the improvement is significant with only three replications.
    expect(v.vsBaseline!.availability.delta!).toBeGreaterThan(0.05);
    expect(v.vsBaseline!.availability.significant).toBe(true);
  });

  it('a variant that changes nothing pairs to a zero difference, not significant', () => {
    const same = simulate(SCENARIO.replace('maxAttempts: 3', 'maxAttempts: 1'), { replications: 3 });
    const d = same.results.get('retry')!.vsBaseline!;
    expect(d.availability.delta).toBe(0);
    expect(d.availability.significant).toBe(false);
    expect(d.p99Ms.delta).toBe(0);
  });
});
