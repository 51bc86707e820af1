import { describe, expect, it } from 'vitest';
import { Z } from '../helpers/stats.js';
import { baseline, simulate } from '../helpers/sim.js';

/** A producer that publishes each operation once, and a consumer with a side effect. */
function pipeline(opts: { rate: string; duration: string; work: string; queue: string; consumerExtra?: string }): string {
  return `
name: pipeline
duration: ${opts.duration}
drain: 10m
seed: 21
traffic:
  orders: {target: producer.accept, rate: ${opts.rate}}
services:
  producer:
    concurrency: 100000
    endpoints:
      accept:
        steps: [{publish: jobs}]
  consumer:
    concurrency: 100000
    endpoints:
      handle:
        work: ${opts.work}
        effect: charge
        ${opts.consumerExtra ?? ''}
queues:
  jobs:
    consumer: consumer.handle
    consumers: 100000
    ${opts.queue}
variants:
  idempotent:
    set:
      services.consumer.endpoints.handle.idempotent: true
`;
}

describe('at-least-once delivery', () => {
  it('with ack-loss q, N messages give N·q/(1−q) duplicates; an idempotent consumer suppresses exactly as many', () => {
    const q = 0.2;
    const run = simulate(pipeline({ rate: '500/s', duration: '100s', work: '1ms', queue: `visibilityTimeout: 1s\n    ackLoss: ${q * 100}%` }));
    const v = run.results.get('baseline')!;
    const N = v.queues.jobs.published;
    expect(N).toBeGreaterThan(45_000);
    // Each lost ack redelivers a message that was processed: deliveries per message are
    // geometric with success 1 − q, so extra executions have mean q/(1 − q) and variance
    // q/(1 − q)² per message.
    const expected = (N * q) / (1 - q);
    const se = Math.sqrt(N * q) / (1 - q);
    const dup = v.effects.charge.duplicated;
    expect(Math.abs(dup - expected), `${dup} vs ${expected} ± ${se}`).toBeLessThan(Z * se);
    expect(v.queues.jobs.redelivered).toBe(dup);
    expect(v.effects.charge.operations).toBe(N);
    expect(v.summary.doubleProcessing).toBeGreaterThan(0);

    // Same arrivals, same ack draws (common random numbers): the idempotent consumer sees the
    // same repeats and recognises every one.
    const idem = run.results.get('idempotent')!;
    expect(idem.effects.charge.duplicated).toBe(0);
    expect(idem.effects.charge.suppressed).toBe(dup);
    expect(idem.effects.charge.executions).toBe(N);
    expect(idem.summary.doubleProcessing).toBe(0);
  });

  it('a visibility timeout V shorter than some processing times X ~ Exp redelivers with Σₖ Πᵢ≤ₖ P(X > i·V) duplicates per message', () => {
    const meanMs = 10;
    const V = 10;
    const run = simulate(pipeline({ rate: '200/s', duration: '200s', work: `{exponential: {mean: ${meanMs}ms}}`, queue: `visibilityTimeout: ${V}ms` }));
    const v = run.results.get('baseline')!;
    const N = v.queues.jobs.published;
    // Delivery k starts at (k−1)V if no earlier delivery has finished by then: delivery i
    // (started at (i−1)V) is still running at (k−1)V with probability P(X > (k−i)V). Every
    // started delivery runs to the end and applies the effect; the first to finish acks.
    // So P(D ≥ k) = Π_{j=1}^{k−1} P(X > jV), and duplicates per message = E[D] − 1.
    const tail = (k: number) => {
      let p = 1;
      for (let j = 1; j < k; j++) p *= Math.exp((-j * V) / meanMs);
      return p;
    };
    let ED = 0;
    let ED2 = 0;
    for (let k = 1; k < 60; k++) {
      ED += tail(k);
      ED2 += (2 * k - 1) * tail(k);
    }
    const perMessage = ED - 1;
    expect(perMessage).toBeCloseTo(Math.exp(-1) + Math.exp(-3) + Math.exp(-6) + Math.exp(-10) + Math.exp(-15), 6);
    const se = Math.sqrt((ED2 - ED * ED) / N);
    const measured = v.effects.charge.duplicated / N;
    expect(Math.abs(measured - perMessage), `${measured} vs ${perMessage} ± ${se}`).toBeLessThan(Z * se);
  });
});

describe('the waterfall of overlapping deliveries', () => {
  it('gives each delivery its own span: a visibility timeout of 100ms over 300ms of work shows three deliveries, each 300ms long and ok', () => {
    const run = simulate(pipeline({ rate: '1/s, arrivals: constant', duration: '5s', work: '300ms', queue: 'visibilityTimeout: 100ms\n    maxDeliveries: 3' }));
    const traces = run.raws.get('baseline')![0].traces;
    expect(traces.length).toBeGreaterThan(0);
    for (const t of traces) {
      const deliveries = t.spans.filter((s) => s.kind === 'delivery');
      expect(deliveries.map((s) => s.name)).toEqual(['jobs delivery 1', 'jobs delivery 2', 'jobs delivery 3']);
      const first = deliveries[0].startMs;
      // Redelivered every visibility timeout while the earlier ones still run; each one runs
      // its 300ms to the end (the first ack does not stop the others).
      deliveries.forEach((s, i) => {
        expect(s.startMs).toBeCloseTo(first + 100 * i, 9);
        expect(s.endMs).toBeCloseTo(s.startMs + 300, 9);
        expect(s.outcome).toBe('ok');
      });
    }
  });
});

describe('a visibility timeout on the last allowed delivery', () => {
  it('dead-letters a message the consumer is still processing; the consumer then completes it, so it counts in both', () => {
    // maxDeliveries 1: the only delivery's timeout (100ms) runs out mid-work (300ms), so the
    // broker dead-letters every message; each delivery still runs to the end and applies its effect.
    const run = simulate(pipeline({ rate: '10/s, arrivals: constant', duration: '10s', work: '300ms', queue: 'visibilityTimeout: 100ms\n    maxDeliveries: 1' }));
    const q = baseline(run).queues.jobs;
    // Constant arrivals come every 100ms from t = 100ms (docs/scenarios.md): 99 before 10s.
    const n = 99;
    expect(q.published).toBe(n);
    expect(q.delivered).toBe(n);
    expect(q.redelivered).toBe(0);
    expect(q.deadLettered).toBe(n);
    expect(q.opsCompleted).toBe(n);
    expect(baseline(run).effects.charge.executions).toBe(n);
  });
});
