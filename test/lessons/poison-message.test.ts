import { describe, expect, it } from 'vitest';
import { meanOf } from '../../sim/engine/distributions.js';
import { LatencyHistogram } from '../../sim/metrics/latencyHistogram.js';
import { meanCI } from '../../sim/metrics/studentT.js';
import { simulateBundled } from '../helpers/sim.js';
import { binomialSE, Z } from '../helpers/stats.js';

const run = simulateBundled('poison-message');
const forever = run.results.get('baseline')!;
const dlq = run.results.get('dead-letter')!;
const Q = 'order-placed';

const base = run.set.base;
const queue = base.queues.find((q) => q.name === Q)!;
const render = base.services.find((s) => s.name === 'invoicing')!.endpoints[0];
const arrivalsPerMs = base.traffic[0].ratePerMs;
/** What the consumers can do: loops ÷ the mean render time (messages per ms). */
const capacityPerMs = queue.consumers / meanOf(render.work);

/** The healthy messages' end-to-end latency (publish → first successful processing), per replication, with its 95% interval. */
function endToEnd(variant: string, p: number): { mean: number; ci95: [number, number] } {
  const values = run.raws.get(variant)!.map((r) => LatencyHistogram.decode(r.queues[Q].endToEnd).percentileMs(p));
  const m = meanCI(values);
  return { mean: m.mean!, ci95: m.ci95! };
}

describe('poison messages: retried for ever vs dead-lettered (scenarios/poison-message.yaml)', () => {
  it('retried for ever, poison messages make the healthy invoices wait seconds instead of milliseconds', () => {
    // End to end (publish → invoice sent), over the healthy messages only (poison ones never
    // complete). Retried for ever, the median is the poison backlog's cycle time, which grows
    // through the run to several seconds; dead-lettered, it is a render and a little queueing
    // (~0.1 s). A 10× margin at the median and the p99, and intervals that do not overlap.
    const f50 = endToEnd('baseline', 50);
    const d50 = endToEnd('dead-letter', 50);
    const f99 = endToEnd('baseline', 99);
    const d99 = endToEnd('dead-letter', 99);
    expect(f50.mean).toBeGreaterThan(10 * d50.mean);
    expect(f99.mean).toBeGreaterThan(10 * d99.mean);
    expect(f50.ci95[0]).toBeGreaterThan(d50.ci95[1]);
    expect(f99.ci95[0]).toBeGreaterThan(d99.ci95[1]);
    // Healthy messages are never lost either way, only delayed: every one is processed.
    const completed = (v: typeof forever) => v.queues[Q].opsCompleted / v.queues[Q].opsPublished;
    expect(Math.abs(completed(forever) - (1 - queue.poison))).toBeLessThan(Z * binomialSE(queue.poison, forever.queues[Q].opsPublished));
    expect(forever.queues[Q].opsCompleted).toBe(dlq.queues[Q].opsCompleted);
  });

  it('the shoppers see none of it: the damage is behind the queue', () => {
    // The order is answered once the event is stored; both designs are at 100%, with the same
    // latency (paired difference exactly 0 on common random numbers).
    expect(forever.summary.availability).toBe(1);
    expect(dlq.summary.availability).toBe(1);
    expect(dlq.vsBaseline!.p99Ms.delta).toBe(0);
  });

  it('the mechanism: redeliveries eat the spare capacity, and the backlog and the lag climb all run long', () => {
    const q = forever.queues[Q];
    const t = forever.timeline;
    const bucketMs = t.bucketMs;
    const at = (series: number[], ms: number) => series[Math.floor(ms / bucketMs)];
    // Poison messages are redelivered as fast as the consumers can take them: the spare ~30%
    // of their capacity goes to them. Redeliveries reach (C − λ)/λ ≈ 45% of the publishes;
    // assert a third at least — against 4 per poison message (4%) when dead-lettered.
    expect(q.redelivered).toBeGreaterThan(q.published / 3);
    expect(forever.services.invoicing.utilization!).toBeGreaterThan(0.85);
    expect(q.deadLettered).toBe(0);
    // The poison never leaves, so the backlog grows with it: N(t) = λ·p·t poison messages,
    // plus the healthy ones that wait a cycle behind them, N·λ/(C − λ). Halfway and at the
    // end of the run, the depth is within 30% of that (it ignores the queueing of the healthy
    // messages' own bursts, and the runs' noise in N).
    const queueOf = (ms: number) => {
      const poison = arrivalsPerMs * queue.poison * ms;
      return poison * (1 + arrivalsPerMs / (capacityPerMs - arrivalsPerMs));
    };
    for (const ms of [base.durationMs / 2, base.durationMs - 10_000]) {
      expect(Math.abs(at(t.queues[Q].depth, ms) / queueOf(ms) - 1), `depth at ${ms} ms`).toBeLessThan(0.3);
    }
    // The lag (the age of the oldest waiting message: a poison message published at the start)
    // climbs all run long, in step with the clock: the first poison message comes ~1 s into
    // the run (1% of 100/s) and never leaves, so near the end the lag is at least 90% of the
    // time elapsed.
    const lag = t.queues[Q].lagMs;
    expect(at(lag, base.durationMs - 10_000)).toBeGreaterThan(0.9 * (base.durationMs - 10_000));
    expect(at(lag, base.durationMs - 10_000)).toBeGreaterThan(3 * at(lag, base.durationMs / 4));
  });

  it('dead-lettering bounds the damage: five tries per poison message, then the dead letters', () => {
    const q = dlq.queues[Q];
    // Every poison message, and only those, ends in the dead letters: p of the publishes, within
    // Z binomial standard errors.
    expect(Math.abs(q.deadLettered - queue.poison * q.published)).toBeLessThan(Z * Math.sqrt(q.published * queue.poison * (1 - queue.poison)));
    // Each was delivered exactly maxDeliveries (5) times: 4 redeliveries apiece, and no
    // healthy message was ever redelivered.
    const maxDeliveries = run.set.variants.find((v) => v.name === 'dead-letter')!.scenario.queues[0].maxDeliveries;
    expect(maxDeliveries).toBe(5);
    expect(q.redelivered).toBe((maxDeliveries - 1) * q.deadLettered);
    // The backlog stays flat: at most ~50 messages (16 in flight, ~15 s of poison in backoff,
    // a burst), against thousands retried for ever.
    expect(q.maxDepth).toBeLessThan(100);
    expect(forever.queues[Q].maxDepth).toBeGreaterThan(10 * q.maxDepth);
    // And the lag stays below the redelivery schedule (1 + 2 + 4 + 8 s = 15 s at most with
    // equal jitter) plus a second: a poison message's age when it last waits for a consumer.
    expect(Math.max(...dlq.timeline.queues[Q].lagMs)).toBeLessThan(16_000);
    // The consumers go back to doing the work they were sized for (~70% busy).
    expect(dlq.services.invoicing.utilization!).toBeLessThan(0.8);
    // Both designs send each invoice once (the renderer is idempotent): dead-lettering loses
    // only the poison, which could never be processed anyway.
    expect(dlq.effects['invoice-sent'].executions).toBe(dlq.effects['invoice-sent'].operations);
  });
});
