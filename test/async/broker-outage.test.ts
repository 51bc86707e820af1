import { describe, expect, it } from 'vitest';
import { simulate } from '../helpers/sim.js';

describe('a broker outage', () => {
  // Producers publish 100 messages/s; consumers drain them at once. The broker is down from
  // 20 s to 30 s: it refuses publishes and delivers nothing, but keeps what it already holds.
  const run = simulate(`
name: broker-outage
duration: 60s
seed: 12
traffic:
  orders: {target: producer.accept, rate: 100/s, arrivals: constant}
services:
  producer:
    concurrency: 1000
    endpoints:
      accept:
        steps: [{publish: jobs, timeout: 100ms}]
  consumer:
    concurrency: 1000
    endpoints: {handle: {work: 1ms, effect: handled}}
links:
  default: {latency: 1ms}
queues:
  jobs:
    consumer: consumer.handle
    consumers: 50
faults:
  - {target: jobs, kind: outage, at: 20s, for: 10s}
`);
  const v = run.results.get('baseline')!;
  const t = v.timeline;
  const at = (ms: number) => Math.floor(ms / t.bucketMs);

  it('refuses publishes while it is down: exactly the operations that arrive then fail', () => {
    // Constant arrivals every 10 ms; a publish reaches the broker 1 ms after its operation
    // arrives, so those arriving in [20 s − 1 ms, 30 s − 1 ms) are refused: 1000 of them.
    expect(v.summary.failed).toBe(1000);
    expect(v.calls['producer->jobs'].errors).toBe(1000);
    for (let b = at(21_000); b < at(29_000); b++) expect(t.availability[b]).toBe(0);
    expect(t.availability[at(35_000)]).toBe(1);
  });

  it('delivers nothing while down, and everything it accepted once it is back', () => {
    const q = v.queues.jobs;
    expect(q.published).toBe(v.summary.requests - 1000);
    expect(q.opsCompleted).toBe(q.published);
    expect(q.deadLettered).toBe(0);
    expect(v.effects.handled.operations).toBe(q.published);
  });
});

describe('a broker outage with a backlog', () => {
  // One consumer loop at 12 ms a message cannot keep up with 100/s: a backlog builds before
  // the outage. While the broker is down nothing is delivered (and acks are lost), so the
  // depth stays exactly where it was; afterwards the backlog drains, and nothing is lost.
  const run = simulate(`
name: broker-backlog
duration: 60s
drain: 20m
seed: 13
traffic:
  orders: {target: producer.accept, rate: 100/s, arrivals: constant}
services:
  producer:
    concurrency: 1000
    endpoints:
      accept:
        steps: [{publish: jobs, timeout: 100ms}]
  consumer:
    concurrency: 1000
    endpoints: {handle: {work: 12ms, effect: handled}}
queues:
  jobs:
    consumer: consumer.handle
    consumers: 1
faults:
  - {target: jobs, kind: outage, at: 20s, for: 10s}
`);
  const v = run.results.get('baseline')!;
  const depth = v.timeline.queues.jobs.depth;
  const at = (ms: number) => depth[Math.floor(ms / v.timeline.bucketMs)];

  it('holds its messages, unchanged, through the outage', () => {
    // 100/s in, 1000/12 ≈ 83.3/s out: the backlog grows ~16.7/s, to ~325 by 19.5 s.
    expect(at(19_500)).toBeGreaterThan(300);
    expect(at(19_500)).toBeLessThan(350);
    for (let ms = 20_500; ms < 29_500; ms += 500) expect(at(ms)).toBe(at(20_500));
  });

  it('delivers every accepted message once it is back', () => {
    const q = v.queues.jobs;
    expect(at(45_000)).toBeGreaterThan(at(29_500)); // still behind: arrivals outpace the consumer
    expect(q.opsCompleted).toBe(q.published);
    expect(q.completionRate).toBe(1);
    expect(q.deadLettered).toBe(0);
  });
});
