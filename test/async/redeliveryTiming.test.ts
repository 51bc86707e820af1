import { describe, expect, it } from 'vitest';
import type { RawRun, RawTrace } from '../../sim/run/rawRun.js';
import { simulate } from '../helpers/sim.js';

/**
 * A producer that publishes each operation once, at its arrival (no work, no network), and a
 * consumer whose every delivery fails after `work`. Four operations, at 1, 2, 3 and 4 s (then
 * the rate drops to 0), far enough apart, and with consumers enough, that no message ever waits
 * for a consumer loop: each message's deliveries follow its own redelivery schedule exactly.
 */
function alwaysFailing(opts: { work: string; failure: string; queue: string }): string {
  return `
name: redelivery-timing
duration: 10s
drain: 1m
seed: 81
traffic:
  orders: {target: producer.accept, rate: 1/s, arrivals: constant, schedule: [{at: 4500ms, rate: 0/s}]}
services:
  producer:
    concurrency: 1000
    endpoints:
      accept:
        steps: [{publish: jobs}]
  consumer:
    concurrency: 1000
    endpoints:
      handle:
        work: ${opts.work}
        ${opts.failure}
queues:
  jobs:
    consumer: consumer.handle
    consumers: 1000
    ${opts.queue}
`;
}
const MESSAGES = 4;
const PUBLISHED_AT_MS = [1000, 2000, 3000, 4000];

/**
 * The hand-computed schedule of one message published at 0: delivery k runs over
 * [start_k, start_k + work) and fails; the next starts `delays[k − 1]` after that failure;
 * the failure of delivery `maxDeliveries` dead-letters it at once.
 */
function schedule(workMs: number, delaysMs: number[]): { deliveries: Array<[number, number]>; deadLetterMs: number } {
  const deliveries: Array<[number, number]> = [];
  let start = 0;
  for (let k = 0; k <= delaysMs.length; k++) {
    deliveries.push([start, start + workMs]);
    if (k < delaysMs.length) start += workMs + delaysMs[k];
  }
  return { deliveries, deadLetterMs: start + workMs };
}

/** A traced operation's deliveries and its dead-letter marker (times relative to its arrival, which is its publish). */
function deliveriesOf(t: RawTrace) {
  const spans = t.spans.filter((s) => s.kind === 'delivery');
  return {
    deliveries: spans.filter((s) => s.name.startsWith('jobs delivery ')),
    deadLetter: spans.filter((s) => s.name === 'jobs → dead letters'),
  };
}

/** Checks each traced message against the hand-computed schedule, to float precision. */
function expectTracesFollow(raw: RawRun, expected: ReturnType<typeof schedule>): void {
  // A handful of operations are kept (one per category); all succeeded (the publish was acked).
  expect(raw.traces.length).toBeGreaterThan(0);
  for (const t of raw.traces) {
    expect(t.outcome).toBe('ok');
    const { deliveries, deadLetter } = deliveriesOf(t);
    expect(deliveries.map((s) => s.name)).toEqual(expected.deliveries.map((_, i) => `jobs delivery ${i + 1}`));
    deliveries.forEach((s, i) => {
      expect(s.startMs, `${s.name} start`).toBeCloseTo(expected.deliveries[i][0], 9);
      expect(s.endMs, `${s.name} end`).toBeCloseTo(expected.deliveries[i][1], 9);
      expect(s.outcome).toBe('error');
    });
    // Each backoff shows as a redelivery-wait span from a failure to the next delivery.
    const waits = t.spans.filter((s) => s.kind === 'redelivery-wait');
    const gaps = expected.deliveries.slice(1).map((d, i) => [expected.deliveries[i][1], d[0]]).filter(([a, b]) => b > a);
    expect(waits).toHaveLength(gaps.length);
    waits.forEach((s, i) => {
      expect(s.startMs).toBeCloseTo(gaps[i][0], 9);
      expect(s.endMs).toBeCloseTo(gaps[i][1], 9);
    });
    expect(deadLetter).toHaveLength(1);
    expect(deadLetter[0].startMs).toBeCloseTo(expected.deadLetterMs, 9);
    expect(deadLetter[0].endMs).toBe(deadLetter[0].startMs);
    expect(deadLetter[0].outcome).toBe('dead-lettered');
  }
}

/** Checks the counters: every message delivered maxDeliveries times, every delivery a failure, every message dead-lettered. */
function expectCounters(run: ReturnType<typeof simulate>, maxDeliveries: number): void {
  const v = run.results.get('baseline')!;
  const q = v.queues.jobs;
  expect(q.published).toBe(MESSAGES);
  expect(q.delivered).toBe(MESSAGES * maxDeliveries);
  expect(q.redelivered).toBe(MESSAGES * (maxDeliveries - 1));
  expect(q.deadLettered).toBe(MESSAGES);
  expect(q.opsCompleted).toBe(0);
  expect(run.raws.get('baseline')![0].queues.jobs.acked).toBe(0);
  expect(v.services.consumer.received).toBe(MESSAGES * maxDeliveries);
  expect(v.services.consumer.failed).toBe(MESSAGES * maxDeliveries);
  expect(v.calls['jobs->consumer.handle'].errors).toBe(MESSAGES * maxDeliveries);
}

/** The dead-letter timeline: one message in the bucket of each publish + the schedule's dead-letter time, none elsewhere. */
function expectDeadLetterTimes(raw: RawRun, deadLetterMs: number): void {
  const t = raw.timeline;
  const expected = new Array<number>(t.buckets).fill(0);
  for (const p of PUBLISHED_AT_MS) expected[Math.floor((p + deadLetterMs) / t.bucketMs)]++;
  expect(t.queues.jobs.deadLetters).toEqual(expected);
}

describe('redelivery after a failed delivery', () => {
  it('constant backoff: deliveries at 0, W + d, 2(W + d), …; the failure of delivery maxDeliveries dead-letters the message at once', () => {
    // W = 10 ms of work, d = 1 s: deliveries over [0, 10), [1010, 1020), [2020, 2030),
    // [3030, 3040); dead-lettered at 3040 ms. The visibility timeout (500 ms) is longer than a
    // delivery and shorter than the backoff: a message waiting out its backoff is not
    // redelivered by its old visibility timer.
    const run = simulate(
      alwaysFailing({ work: '10ms', failure: 'errorRate: 100%', queue: 'visibilityTimeout: 500ms\n    maxDeliveries: 4\n    redelivery: {backoff: constant, base: 1s}' }),
    );
    const expected = schedule(10, [1000, 1000, 1000]);
    expect(expected.deadLetterMs).toBe(3040);
    const raw = run.raws.get('baseline')![0];
    expectTracesFollow(raw, expected);
    expectCounters(run, 4);
    expectDeadLetterTimes(raw, expected.deadLetterMs);
  });

  it('exponential backoff: the k-th wait is min(cap, base · multiplierᵏ⁻¹), counted from the failure', () => {
    // base 100 ms, multiplier 2, cap 1 s: waits 100, 200, 400, 800, 1000, 1000 ms between 7
    // deliveries of 10 ms (a poison message: it fails after the consumer's work). Deliveries
    // start at 0, 110, 320, 730, 1540, 2550, 3560; dead-lettered at 3570 ms.
    const run = simulate(
      alwaysFailing({
        work: '10ms',
        failure: '',
        queue: 'poison: 100%\n    visibilityTimeout: 500ms\n    maxDeliveries: 7\n    redelivery: {backoff: exponential, base: 100ms, cap: 1s}',
      }),
    );
    const expected = schedule(10, [100, 200, 400, 800, 1000, 1000]);
    expect(expected.deliveries.map(([s]) => s)).toEqual([0, 110, 320, 730, 1540, 2550, 3560]);
    const raw = run.raws.get('baseline')![0];
    expectTracesFollow(raw, expected);
    expectCounters(run, 7);
    expectDeadLetterTimes(raw, expected.deadLetterMs);
  });

  it('no redelivery backoff (the default): a failed delivery is offered again the moment it fails', () => {
    const run = simulate(alwaysFailing({ work: '25ms', failure: 'errorRate: 100%', queue: 'maxDeliveries: 3' }));
    const expected = schedule(25, [0, 0]);
    expect(expected.deadLetterMs).toBe(75);
    const raw = run.raws.get('baseline')![0];
    expectTracesFollow(raw, expected);
    expectCounters(run, 3);
    expectDeadLetterTimes(raw, expected.deadLetterMs);
  });

  it('equal jitter: each wait lies in [d/2, d] of its exponential delay d', () => {
    // The waits are random now, so only their bounds are exact: start_{k+1} − end_k ∈ [d_k/2, d_k].
    const delays = [100, 200, 400, 800];
    const run = simulate(
      alwaysFailing({
        work: '10ms',
        failure: 'errorRate: 100%',
        queue: 'visibilityTimeout: 1m\n    maxDeliveries: 5\n    redelivery: {backoff: exponential, base: 100ms, jitter: equal}',
      }),
    );
    const raw = run.raws.get('baseline')![0];
    expect(raw.traces.length).toBeGreaterThan(0);
    for (const t of raw.traces) {
      const { deliveries, deadLetter } = deliveriesOf(t);
      expect(deliveries).toHaveLength(delays.length + 1);
      deliveries.forEach((s) => expect(s.endMs - s.startMs).toBeCloseTo(10, 9));
      for (let k = 0; k < delays.length; k++) {
        const wait = deliveries[k + 1].startMs - deliveries[k].endMs;
        expect(wait, `wait ${k + 1}`).toBeGreaterThanOrEqual(delays[k] / 2 - 1e-9);
        expect(wait, `wait ${k + 1}`).toBeLessThanOrEqual(delays[k] + 1e-9);
      }
      expect(deadLetter[0].startMs).toBeCloseTo(deliveries[delays.length].endMs, 9);
    }
    expectCounters(run, delays.length + 1);
  });

  it('a failure that comes after the visibility timeout has already redelivered the message is stale: the visibility timeout sets the pace, and dead-letters the last delivery', () => {
    // 150 ms of work against a 100 ms visibility timeout: delivery k + 1 starts at 100·k ms,
    // before delivery k fails (at 100·(k − 1) + 150 ms), so no failure is ever the latest
    // delivery's and the 1 s backoff never applies. Delivery 4 (at 300 ms) is not acked by
    // 400 ms: dead-lettered then, though it runs (and fails) until 450 ms.
    const run = simulate(
      alwaysFailing({ work: '150ms', failure: 'errorRate: 100%', queue: 'visibilityTimeout: 100ms\n    maxDeliveries: 4\n    redelivery: {backoff: constant, base: 1s}' }),
    );
    const raw = run.raws.get('baseline')![0];
    expect(raw.traces.length).toBeGreaterThan(0);
    for (const t of raw.traces) {
      const { deliveries, deadLetter } = deliveriesOf(t);
      expect(deliveries).toHaveLength(4);
      deliveries.forEach((s, i) => {
        expect(s.startMs).toBeCloseTo(100 * i, 9);
        expect(s.endMs).toBeCloseTo(100 * i + 150, 9);
        expect(s.outcome).toBe('error');
      });
      expect(deadLetter).toHaveLength(1);
      expect(deadLetter[0].startMs).toBeCloseTo(400, 9);
    }
    expectCounters(run, 4);
    expectDeadLetterTimes(raw, 400);
  });
});
