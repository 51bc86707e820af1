import { describe, expect, it } from 'vitest';
import type { RawRun, RawService } from '../../sim/run/rawRun.js';
import { simulate } from '../helpers/sim.js';

/**
 * Common random numbers for every service (DESIGN §3: each component draws from its own stream,
 * labelled by name). crn.test.ts covers the arrivals and the gateway's work; this file checks
 * the rest of the promise, service by service: a variant that changes one service (a policy on
 * the calls to it, or its own work) leaves every other service's work draws and error draws
 * where they were, and so does adding a service.
 *
 * Why equality is exact here, not statistical: the gateway calls its three backends in
 * parallel, so each backend gets one call per operation (minus the link's losses) whatever the
 * other backends do; every backend has workers to spare (no queueing, no rejection, timing does
 * not matter); a caller's timeout leaves the request running (ghost work), so every received
 * request draws its work and its error. With no warmup every draw is counted, and the k-th draw
 * of a stream is fixed — so the same number of draws gives bit-identical float sums, and the
 * same number of error draws gives the same number of failures, in whatever order they happen.
 */
const SCENARIO = `
name: crn-services
duration: 30s
seed: 29
traffic:
  users: {target: gateway.get, rate: 200/s}
services:
  gateway:
    concurrency: 100000
    endpoints:
      get:
        work: {lognormal: {median: 1ms, p99: 5ms}}
        steps:
          - parallel:
              - call: orders.create
                timeout: 100ms
              - call: pricing.quote
                timeout: 100ms
              - call: stock.check
                timeout: 100ms
  orders:
    instances: 2
    concurrency: 1000
    endpoints:
      create: {work: {exponential: {mean: 8ms}}, errorRate: 10%}
  pricing:
    instances: 3
    balancer: random
    concurrency: 1000
    endpoints:
      quote: {work: {uniform: {min: 2ms, max: 6ms}}, errorRate: 5%}
  stock:
    concurrency: 1000
    endpoints:
      check: {work: {percentiles: {p50: 3ms, p99: 20ms, max: 40ms}}, errorRate: 2%}
links:
  default: {latency: {normal: {mean: 1ms, sd: 0.2ms}}}
  gateway->pricing: {loss: 2%}
variants:
  orders-retry:
    description: A policy on the calls to orders only — retries.
    set:
      services.gateway.endpoints.get.steps[0].parallel[0].retry: {maxAttempts: 3, backoff: exponential, base: 5ms, jitter: full}
  orders-breaker:
    description: A policy on the calls to orders only — a circuit breaker.
    set:
      services.gateway.endpoints.get.steps[0].parallel[0].circuitBreaker: {failureRateThreshold: 5%, slidingWindow: 20, minimumCalls: 10, waitInOpen: 1s, halfOpenCalls: 2}
  orders-slower:
    description: orders' own work distribution changes (and its error rate does not).
    set:
      services.orders.endpoints.create.work: {exponential: {mean: 30ms}}
  audit:
    description: A new service, called in parallel with the others; it sorts first by name.
    set:
      services.audit: {concurrency: 1000, endpoints: {log: {work: {exponential: {mean: 3ms}}, errorRate: 20%}}}
      services.gateway.endpoints.get.steps[0].parallel[3]: {call: audit.log, timeout: 100ms}
`;

const REPLICATIONS = 3;
const BACKENDS = ['orders', 'pricing', 'stock'];

/** What a service's work draws decide: how many requests drew, and the sum of the draws. */
const work = (s: RawService) => ({ received: s.received, workDraws: s.workDraws, workSumMs: s.workSumMs });
/** And at a service without steps, what its error draws decide: how many failed. */
const draws = (s: RawService) => ({ ...work(s), failed: s.failed, succeeded: s.succeeded });

describe('common random numbers, service by service', () => {
  const run = simulate(SCENARIO, { replications: REPLICATIONS });
  const raws = (variant: string): RawRun[] => run.raws.get(variant)!;
  const base = raws('baseline');

  /**
   * Every replication of `variant` drew exactly what the baseline drew: the gateway its work
   * (its failures are its backends' failures, which the variant may change, so they are not
   * compared), and each of the `backends` its work and its errors.
   */
  const expectSameDraws = (variant: string, backends: string[]) => {
    for (let r = 0; r < REPLICATIONS; r++) {
      const at = (s: string) => `${variant}, replication ${r}, ${s}`;
      expect(work(raws(variant)[r].services.gateway), at('gateway')).toEqual(work(base[r].services.gateway));
      for (const s of backends) expect(draws(raws(variant)[r].services[s]), at(s)).toEqual(draws(base[r].services[s]));
    }
  };

  it('the premises: each backend fails some requests, and the lossy link drops some calls', () => {
    for (const b of base) {
      for (const s of BACKENDS) expect(b.services[s].failed, s).toBeGreaterThan(0);
      // 2% loss each way: pricing receives fewer requests than the gateway sends.
      expect(b.services.pricing.received).toBeLessThan(b.services.gateway.received);
      // Everyone else gets one request per operation.
      expect(b.services.orders.received).toBe(b.services.gateway.received);
      expect(b.services.stock.received).toBe(b.services.gateway.received);
    }
    // Replications differ (their seeds do), so equality across variants below is not a coincidence.
    expect(base[1].services.stock.workSumMs).not.toBe(base[0].services.stock.workSumMs);
  });

  it('retries on the calls to orders leave the gateway, pricing and stock drawing the same work and errors', () => {
    expectSameDraws('orders-retry', ['pricing', 'stock']);
  });

  it('a breaker on the calls to orders leaves the gateway, pricing and stock drawing the same work and errors', () => {
    expectSameDraws('orders-breaker', ['pricing', 'stock']);
  });

  it('and those policies do change orders, so the comparison is informative', () => {
    for (let r = 0; r < REPLICATIONS; r++) {
      expect(raws('orders-retry')[r].services.orders.received).toBeGreaterThan(base[r].services.orders.received);
      expect(raws('orders-breaker')[r].services.orders.received).toBeLessThan(base[r].services.orders.received);
    }
    expect(run.results.get('orders-retry')!.calls['gateway->orders.create'].retries).toBeGreaterThan(0);
    expect(run.results.get('orders-breaker')!.calls['gateway->orders.create'].shortCircuited).toBeGreaterThan(0);
  });

  it('changing orders’ work distribution leaves every other service as it was', () => {
    expectSameDraws('orders-slower', ['pricing', 'stock']);
  });

  it('and orders’ own error draws too: its work and its errors are separate streams', () => {
    for (let r = 0; r < REPLICATIONS; r++) {
      const slow = raws('orders-slower')[r].services.orders;
      const b = base[r].services.orders;
      expect(slow.received).toBe(b.received);
      expect(slow.workDraws).toBe(b.workDraws);
      // The same requests fail as often: the error stream does not care what the work drew.
      expect(slow.failed).toBe(b.failed);
      // While the work itself changed: a mean of 30 ms instead of 8 ms.
      expect(slow.workSumMs / slow.workDraws).toBeGreaterThan(2 * (b.workSumMs / b.workDraws));
    }
  });

  it('adding a service leaves the draws of every existing one unchanged', () => {
    expectSameDraws('audit', BACKENDS);
  });

  it('and the added service really runs: one call per operation, and its errors fail operations', () => {
    for (let r = 0; r < REPLICATIONS; r++) {
      const a = raws('audit')[r];
      expect(a.services.audit.received).toBe(a.services.gateway.received);
      expect(a.services.audit.failed).toBeGreaterThan(0);
      expect(a.ops.failed).toBeGreaterThan(base[r].ops.failed);
    }
  });

  it('every variant sees the same operations arrive', () => {
    for (const variant of ['orders-retry', 'orders-breaker', 'orders-slower', 'audit']) {
      for (let r = 0; r < REPLICATIONS; r++) expect(raws(variant)[r].ops.requests).toBe(base[r].ops.requests);
    }
  });
});
