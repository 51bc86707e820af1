import { describe, expect, it } from 'vitest';
import { binomialSE, Z } from '../helpers/stats.js';
import { simulate } from '../helpers/sim.js';

describe('publishing', () => {
  it('a publish whose ack is lost is retried as a duplicate message with the same operation id', () => {
    // The producer→broker link loses ℓ of the messages each way. An attempt is lost on the
    // way (ℓ: no message), stored but unacknowledged ((1 − ℓ)ℓ: a message, and a retry), or
    // stored and acknowledged ((1 − ℓ)²: done). Up to 3 attempts, stopping at the first ack.
    const loss = 0.3;
    const run = simulate(`
name: publish-retry
duration: 100s
seed: 51
traffic:
  orders: {target: producer.accept, rate: 300/s}
services:
  producer:
    concurrency: 100000
    endpoints:
      accept:
        steps: [{publish: jobs, timeout: 50ms, retry: {maxAttempts: 3, backoff: none}}]
  consumer:
    concurrency: 100000
    endpoints: {handle: {work: 1ms, effect: ship}}
links:
  default: {latency: 1ms}
  producer->jobs: {latency: 1ms, loss: ${loss * 100}%}
queues:
  jobs: {consumer: consumer.handle, consumers: 1000}
`);
    const outcomes = [
      { p: loss, stored: 0, done: false },
      { p: (1 - loss) * loss, stored: 1, done: false },
      { p: (1 - loss) ** 2, stored: 1, done: true },
    ];
    // E[messages per operation] and P(at least one), by enumerating the attempt sequences.
    let messages = 0;
    let some = 0;
    let twice = 0;
    const walk = (attempt: number, p: number, stored: number) => {
      for (const o of outcomes) {
        const q = p * o.p;
        const s = stored + o.stored;
        if (o.done || attempt === 3) {
          messages += q * s;
          if (s >= 1) some += q;
          if (s >= 2) twice += q;
        } else walk(attempt + 1, q, s);
      }
    };
    walk(1, 1, 0);
    const v = run.results.get('baseline')!;
    const ops = v.summary.requests;
    // Every stored message is delivered and shipped (no loss past the broker): executions are
    // the messages, and an operation with two or more messages is shipped twice.
    expect(Math.abs(v.queues.jobs.published / ops - messages)).toBeLessThan(Z * Math.sqrt(3 / ops));
    expect(v.effects.ship.executions).toBe(v.queues.jobs.published);
    expect(v.effects.ship.operations).toBe(v.queues.jobs.opsPublished);
    expect(Math.abs(v.queues.jobs.opsPublished / ops - some)).toBeLessThan(Z * binomialSE(some, ops));
    expect(Math.abs(v.summary.doubleProcessing / ops - twice)).toBeLessThan(Z * binomialSE(twice, ops));
    expect(twice).toBeGreaterThan(0.15);
  });
});

describe('idempotency', () => {
  // Each message is redelivered 10 s after its first delivery (its ack is always lost, the
  // visibility timeout is 10 s) until its 3rd delivery. A dedup store that remembers ids for
  // `window` suppresses the repeats inside it and applies the later ones again.
  const scenario = (window: string) => `
name: dedup-window
duration: 30s
drain: 2m
seed: 52
traffic:
  orders: {target: producer.accept, rate: 50/s, arrivals: constant}
services:
  producer:
    concurrency: 1000
    endpoints: {accept: {steps: [{publish: jobs}]}}
  consumer:
    concurrency: 1000
    endpoints:
      handle: {work: 1ms, effect: ship, idempotent: true${window}}
queues:
  jobs: {consumer: consumer.handle, consumers: 1000, visibilityTimeout: 10s, ackLoss: 99.99%, maxDeliveries: 3}
`;

  // (An ack gets through with probability 1e-4 — about once in 20 runs of this: such a
  // message is delivered fewer times. So the checks count deliveries rather than assume 3n.)
  it('without a window, every repeat of an applied id is suppressed', () => {
    const v = simulate(scenario('')).results.get('baseline')!;
    const e = v.effects.ship;
    expect(e.operations).toBe(v.summary.requests);
    expect(e.executions).toBe(e.operations);
    expect(e.suppressed).toBe(v.queues.jobs.delivered - e.operations);
    expect(e.suppressed).toBeGreaterThanOrEqual(2 * e.operations - 5);
    expect(v.summary.doubleProcessing).toBe(0);
  });

  it('with a window, a repeat that arrives after it expired is applied again, as a dedup store with a TTL would', () => {
    // Repeats arrive 10 s and 20 s after the first: a 15 s window suppresses the first repeat
    // and applies the second (20 s > 15 s), which then opens a new window.
    const v = simulate(scenario(', idempotencyWindow: 15s')).results.get('baseline')!;
    const e = v.effects.ship;
    const n = e.operations;
    expect(n).toBe(v.summary.requests);
    expect(e.suppressed + e.executions).toBe(v.queues.jobs.delivered);
    expect(e.suppressed).toBeGreaterThanOrEqual(n - 5);
    expect(e.duplicated).toBe(e.executions - n);
    expect(e.duplicated).toBeGreaterThanOrEqual(n - 5);
    expect(v.summary.doubleProcessing).toBe(e.duplicated);
  });
});

describe('overload protection', () => {
  it('maxQueueTime sheds requests that waited too long, so the ones served waited at most that', () => {
    // 200 requests/s at one worker that serves 100/s: the queue grows until waits pass 100 ms;
    // from then on the server sheds what waited too long, and serves the rest promptly.
    const v = simulate(`
name: shedding
duration: 30s
seed: 53
traffic:
  users: {target: api.get, rate: 200/s, arrivals: constant}
services:
  api:
    concurrency: 1
    maxQueueTime: 100ms
    endpoints: {get: {work: 10ms}}
`).results.get('baseline')!;
    expect(v.services.api.shed).toBeGreaterThan(2500);
    expect(v.summary.failed).toBe(v.services.api.shed);
    // Served: at most 100 ms of waiting plus 10 ms of work, one at a time (the drain after the
    // 30 s of arrivals serves the last 100 ms of queue).
    expect(v.summary.latencyMs.max!).toBeLessThanOrEqual(110 + 1e-9);
    expect(v.summary.succeeded).toBeLessThanOrEqual((30_000 + 110) / 10 + 1);
    expect(v.services.api.utilization!).toBeGreaterThan(0.99);
  });
});
