import { describe, expect, it } from 'vitest';
import { normalCdf } from '../../sim/engine/distributions.js';
import { simulateBundled } from '../helpers/sim.js';
import { Z } from '../helpers/stats.js';

const run = simulateBundled('duplicate-delivery');
const plain = run.results.get('baseline')!;
const keyed = run.results.get('idempotency-keys')!;
const longer = run.results.get('longer-visibility')!;

const base = run.set.base;
const queue = base.queues[0];
const charge = base.services.find((s) => s.name === 'payments')!.endpoints[0];
const net = base.links.default.latency;

/**
 * P(a delivery is still unacked when its visibility timeout runs out): its charge plus the
 * delivery's round trip outlast the timeout. From the scenario's lognormal charge time.
 */
function pSlow(visibilityMs: number): number {
  if (charge.work.kind !== 'lognormal' || net.kind !== 'normal') throw new Error('unexpected distributions');
  const workMs = visibilityMs - 2 * net.mean;
  return 1 - normalCdf(Math.log(workMs / charge.work.median) / charge.work.sigma);
}

/**
 * Expected double-processed operations: a message is processed again if its first delivery is
 * too slow (redelivered mid-flight), or else if its ack is lost. Each operation is one
 * independent trial, so the count is binomial: Z binomial standard errors of tolerance.
 */
function expectDoubles(observed: number, operations: number, visibilityMs: number): void {
  const ps = pSlow(visibilityMs);
  const p = ps + (1 - ps) * queue.ackLoss;
  const sd = Math.sqrt(operations * p * (1 - p));
  expect(Math.abs(observed - operations * p), `expected ${(operations * p).toFixed(0)} ± ${(Z * sd).toFixed(0)}`).toBeLessThan(Z * sd);
}

describe('at-least-once delivery charges twice (scenarios/duplicate-delivery.yaml)', () => {
  it('a non-idempotent consumer charges some customers twice, from slow charges and lost acks', () => {
    const ops = plain.effects['card-charge'].operations;
    expect(plain.summary.doubleProcessing).toBeGreaterThan(0);
    // With a 2 s visibility timeout ~2.8% of charges are still running when it runs out, and
    // 0.5% of the others lose their ack: ~3.3% of the operations are charged twice or more.
    expect(pSlow(queue.visibilityTimeoutMs)).toBeGreaterThan(0.02);
    expectDoubles(plain.summary.doubleProcessing, ops, queue.visibilityTimeoutMs);
    // Some were charged three times or more (a redelivery that was slow too): the extra
    // charges (executions − operations) outnumber the customers charged twice.
    const e = plain.effects['card-charge'];
    expect(e.duplicated).toBe(e.executions - e.operations);
    expect(e.duplicated).toBeGreaterThanOrEqual(plain.summary.doubleProcessing);
  });

  it('idempotency keys remove every double charge: the repeats are suppressed instead', () => {
    expect(keyed.summary.doubleProcessing).toBe(0);
    expect(keyed.effects['card-charge'].duplicated).toBe(0);
    // The redeliveries still happen (same random numbers, same timing): each repeat that would
    // have charged again is answered without charging. Exactly as many as the baseline's extra
    // charges.
    const extraCharges = plain.effects['card-charge'].executions - plain.effects['card-charge'].operations;
    expect(keyed.effects['card-charge'].suppressed).toBeGreaterThan(0);
    expect(keyed.effects['card-charge'].suppressed).toBe(extraCharges);
    expect(keyed.queues['charge-requests'].redelivered).toBe(plain.queues['charge-requests'].redelivered);
    // Beyond noise: every replication of the baseline double-charges, none of the fix does.
    expect(plain.replications.doubleProcessing.ci95![0]).toBeGreaterThan(0);
    expect(keyed.replications.doubleProcessing.ci95).toEqual([0, 0]);
    expect(keyed.vsBaseline!.doubleProcessing.significant).toBe(true);
  });

  it('a longer visibility timeout removes the slow-charge duplicates, but not those of lost acks', () => {
    const visibilityMs = run.set.variants.find((v) => v.name === 'longer-visibility')!.scenario.queues[0].visibilityTimeoutMs;
    expect(visibilityMs).toBe(30_000);
    // No charge takes 30 s (P ≈ 2e-6), so what is left is the ack-loss rate × the operations,
    // within the binomial tolerance — still hundreds of customers charged twice.
    expect(pSlow(visibilityMs) * longer.effects['card-charge'].operations).toBeLessThan(1);
    expect(longer.summary.doubleProcessing).toBeGreaterThan(0);
    expectDoubles(longer.summary.doubleProcessing, longer.effects['card-charge'].operations, visibilityMs);
    // It removes most of them (the slow charges were ~85%), a significant paired reduction,
    // but its interval stays far from zero, unlike the idempotency keys'.
    expect(longer.summary.doubleProcessing).toBeLessThan(plain.summary.doubleProcessing / 3);
    expect(longer.vsBaseline!.doubleProcessing.significant).toBe(true);
    expect(longer.replications.doubleProcessing.ci95![0]).toBeGreaterThan(0);
  });
});
