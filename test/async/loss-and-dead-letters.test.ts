import { describe, expect, it } from 'vitest';
import { binomialSE, Z } from '../helpers/stats.js';
import { simulate } from '../helpers/sim.js';

describe('lost responses', () => {
  it('a call over a lossy link (ℓ each way) with 3 attempts to a non-idempotent endpoint executes at least twice with the derived probability', () => {
    const loss = 0.2;
    const run = simulate(`
name: lossy
duration: 300s
seed: 31
traffic:
  users: {target: api.buy, rate: 200/s}
services:
  api:
    concurrency: 100000
    endpoints:
      buy:
        steps:
          - call: payments.charge
            timeout: 100ms
            retry: {maxAttempts: 3, backoff: none, retryOn: [timeout]}
  payments:
    concurrency: 100000
    endpoints:
      charge: {work: 1ms, effect: charge}
links:
  api->payments: {latency: 1ms, loss: ${loss * 100}%}
`);
    // Each attempt ends one of three ways: the request is lost (probability ℓ: nothing
    // runs, the caller times out), it runs but its response is lost ((1 − ℓ)ℓ: the charge
    // happens, the caller times out and retries), or it runs and answers ((1 − ℓ)²: done).
    // Enumerate the sequences of at most 3 attempts that stop at the first answer.
    const ways = [
      { p: loss, runs: 0, done: false },
      { p: (1 - loss) * loss, runs: 1, done: false },
      { p: (1 - loss) ** 2, runs: 1, done: true },
    ];
    let atLeastTwice = 0;
    const walk = (attempt: number, p: number, runs: number) => {
      for (const w of ways) {
        const q = p * w.p;
        const r = runs + w.runs;
        if (w.done || attempt === 3) {
          if (r >= 2) atLeastTwice += q;
        } else walk(attempt + 1, q, r);
      }
    };
    walk(1, 1, 0);
    const v = run.results.get('baseline')!;
    const ops = v.summary.requests;
    const measured = v.summary.doubleProcessing / ops;
    // Operations are independent (no queueing): a binomial proportion.
    expect(Math.abs(measured - atLeastTwice), `${measured} vs ${atLeastTwice}`).toBeLessThan(Z * binomialSE(atLeastTwice, ops));
    expect(atLeastTwice).toBeGreaterThan(0.1);
  });
});

describe('dead letters and at-most-once', () => {
  const scenario = (queue: string, consumer: string, drain = '10m') => `
name: dlq
duration: 100s
drain: ${drain}
seed: 41
traffic:
  orders: {target: producer.accept, rate: 200/s}
services:
  producer:
    concurrency: 100000
    endpoints: {accept: {steps: [{publish: jobs}]}}
  consumer:
    concurrency: 1000
    endpoints: {handle: {work: 1ms, ${consumer}}}
queues:
  jobs:
    consumer: consumer.handle
    consumers: 50
    ${queue}
`;

  it('poison messages reach the dead-letter queue after exactly maxDeliveries deliveries', () => {
    const maxDeliveries = 4;
    const poison = 0.05;
    const run = simulate(scenario(`poison: ${poison * 100}%\n    maxDeliveries: ${maxDeliveries}\n    redelivery: {backoff: constant, base: 10ms}`, 'errorRate: 0'));
    const q = run.results.get('baseline')!.queues.jobs;
    expect(Math.abs(q.deadLettered / q.published - poison)).toBeLessThan(Z * binomialSE(poison, q.published));
    // Every other message succeeds the first time; every poison one is delivered exactly
    // maxDeliveries times, then dead-lettered.
    expect(q.redelivered).toBe((maxDeliveries - 1) * q.deadLettered);
    expect(q.delivered).toBe(q.published + q.redelivered);
    expect(q.opsCompleted).toBe(q.published - q.deadLettered);
    expect(q.lost).toBe(0);
  });

  it('without maxDeliveries a poison message is retried for ever (until the drain ends)', () => {
    const run = simulate(scenario(`poison: 1%\n    redelivery: {backoff: constant, base: 100ms}`, 'errorRate: 0', '1m'));
    const v = run.results.get('baseline')!;
    expect(v.queues.jobs.deadLettered).toBe(0);
    // Each poison message is redelivered every ~100 ms until the run stops.
    expect(v.queues.jobs.redelivered).toBeGreaterThan(100 * (v.queues.jobs.published - v.queues.jobs.opsCompleted));
    expect(v.queues.jobs.completionRate!).toBeLessThan(1);
  });

  it('at-most-once delivery loses the messages whose one delivery fails, and counts them', () => {
    const p = 0.1;
    const run = simulate(scenario('delivery: at-most-once', `errorRate: ${p * 100}%`));
    const q = run.results.get('baseline')!.queues.jobs;
    expect(q.redelivered).toBe(0);
    expect(q.delivered).toBe(q.published);
    expect(Math.abs(q.lost / q.published - p)).toBeLessThan(Z * binomialSE(p, q.published));
    expect(q.opsCompleted).toBe(q.published - q.lost);
    expect(q.completionRate).toBeCloseTo(1 - q.lost / q.published, 5);
  });
});
