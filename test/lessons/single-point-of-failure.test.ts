import { describe, expect, it } from 'vitest';
import { simulateBundled } from '../helpers/sim.js';
import { binomialSE, Z } from '../helpers/stats.js';

const run = simulateBundled('single-point-of-failure');
const single = run.results.get('baseline')!;
const three = run.results.get('three-instances')!;
const retry = run.results.get('three-instances-retry')!;

const base = run.set.base;
const crash = base.faults[0];
const R = base.replications;
const ratePerMs = base.traffic[0].ratePerMs;
const measuredMs = base.durationMs - base.warmupMs;
const healthCheckMs = run.set.variants.find((v) => v.name === 'three-instances')!.scenario.services.find((s) => s.name === 'orders')!.healthCheckMs;
/** Requests in service when the instance dies are lost too: ~100/s × ~30 ms ≈ 3 per run. */
const inFlightSlack = 10 * R;

describe('a single point of failure: one instance vs three (scenarios/single-point-of-failure.yaml)', () => {
  it('with one instance, every order fails from the crash until the restart', () => {
    expect(crash.kind).toBe('crash');
    expect(crash.forMs).toBe(90_000);
    // Arrivals are Poisson, so the share that lands in the 90 s down window is binomial over
    // the operations; plus the few requests in flight when the process died.
    const expected = 1 - crash.forMs / measuredMs;
    const tol = Z * binomialSE(expected, single.summary.requests) + inFlightSlack / single.summary.requests;
    expect(Math.abs(single.summary.availability! - expected)).toBeLessThan(tol);
    // The failed band lasts as long as the restart: buckets (by arrival) that lost more than
    // half their operations, ±2 buckets for the edges.
    const t = single.timeline;
    const failedBuckets = t.availability.filter((a) => a !== null && a < 0.5).length;
    expect(Math.abs(failedBuckets * t.bucketMs - crash.forMs)).toBeLessThanOrEqual(2 * t.bucketMs);
    // The instance refused them: a down instance, not an overloaded one.
    expect(single.services.orders.refused).toBeGreaterThan(0.95 * single.summary.failed);
    expect(single.services.orders.rejected).toBe(0);
  });

  it('with three instances, only the health check window fails, and only for a third of the orders', () => {
    // The balancer keeps the crashed instance in its round robin until the health check
    // notices (10 s), so a third of the picks in that window are refused: λ · h / 3 per run.
    // Round robin makes the third exact; the arrivals in the window are Poisson, so the
    // tolerance is Z Poisson standard errors, plus the requests in flight at the crash.
    const expected = R * ratePerMs * (healthCheckMs / 3);
    expect(healthCheckMs).toBe(10_000);
    expect(Math.abs(three.summary.failed - expected)).toBeLessThan(Z * Math.sqrt(expected) + inFlightSlack);
    // Failures only in the window [crash, crash + health check], each bucket losing about a
    // third of its orders (not all): the other two instances carry the rest.
    const t = three.timeline;
    let wholeBuckets = 0;
    for (let b = 0; b < t.buckets; b++) {
      const startMs = b * t.bucketMs;
      const endMs = startMs + t.bucketMs;
      if (startMs >= crash.atMs && endMs <= crash.atMs + healthCheckMs) {
        wholeBuckets++;
        expect(t.availability[b]!, `bucket at ${startMs} ms`).toBeGreaterThan(0.5);
        expect(t.availability[b]!, `bucket at ${startMs} ms`).toBeLessThan(0.8);
      } else if (endMs < crash.atMs || startMs >= crash.atMs + healthCheckMs) {
        // Outside the window (and the bucket just before the crash, whose last arrivals were
        // in flight when it hit): at most a lone slow operation timing out. The timeline's
        // rates are means over the runs: ≤ 1 operation per bucket per run.
        expect(t.failedPerSec[b] * (t.bucketMs / 1000), `bucket at ${startMs} ms`).toBeLessThanOrEqual(1);
      }
    }
    expect(wholeBuckets * t.bucketMs).toBeGreaterThanOrEqual(healthCheckMs - 2 * t.bucketMs);
  });

  it('redundancy turns the outage into a blip: the availability intervals do not overlap', () => {
    // The fix loses a third of a 10 s window instead of all of a 90 s one: 1/27 of the
    // baseline's failures. Asserted with room to spare (under 1/15), and beyond noise.
    expect(three.summary.failed).toBeLessThan(single.summary.failed / 15);
    expect(three.summary.availabilityCI95![0]).toBeGreaterThan(single.summary.availabilityCI95![1]);
    expect(three.vsBaseline!.availability.significant).toBe(true);
    expect(three.vsBaseline!.availability.delta!).toBeGreaterThan(0.2);
    // Same work, same latency: spreading the workers over three instances costs nothing when
    // nothing is down (p50 within 1%).
    expect(Math.abs(three.summary.latencyMs.p50! / single.summary.latencyMs.p50! - 1)).toBeLessThan(0.01);
  });

  it('a retry on another instance covers the detection window', () => {
    // A refused connection comes back in a round trip (~1 ms); the retry's pick is the next
    // instance in the rotation, which is up. What is left: the few retries that land on the
    // dead instance again. Under a tenth of the no-retry variant's failures (it is ~1%).
    expect(retry.summary.failed).toBeLessThan(three.summary.failed / 10);
    expect(retry.summary.availabilityCI95![0]).toBeGreaterThan(three.summary.availabilityCI95![1]);
    // The mechanism: the gateway retried about one order per refused first attempt. Retries
    // take picks in the rotation too, so first attempts now hit the dead instance about every
    // other pick instead of every third: between 1× and 2× the no-retry refusals.
    const calls = retry.calls['gateway->orders.place'];
    expect(calls.retries).toBeGreaterThan(three.services.orders.refused);
    expect(calls.retries).toBeLessThan(2 * three.services.orders.refused);
    // It is cheap: under 2% more requests on the orders service than without retries.
    expect(retry.calls['gateway->orders.place'].amplification!).toBeLessThan(1.02);
  });
});
