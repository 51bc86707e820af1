import { describe, expect, it } from 'vitest';
import type { RawRun } from '../../sim/run/rawRun.js';
import { simulate } from '../helpers/sim.js';
import { Z } from '../helpers/stats.js';

/** Operations that arrived in [fromMs, toMs) (bucket edges), from the timeline, which covers the whole run. */
function arrivals(raw: RawRun, fromMs: number, toMs: number): number {
  const t = raw.timeline;
  expect(fromMs % t.bucketMs).toBe(0);
  expect(toMs % t.bucketMs).toBe(0);
  let n = 0;
  for (let b = fromMs / t.bucketMs; b < toMs / t.bucketMs; b++) n += t.ok[b] + t.degraded[b] + t.failed[b];
  return n;
}

/** Every operation takes exactly `work` on a service that never queues. */
const station = (opts: { traffic: string; work: string; duration: string; warmup: string; faults?: string; variants?: string }) => `
name: warmup
duration: ${opts.duration}
warmup: ${opts.warmup}
seed: 51
traffic:
  users: {target: api.get, ${opts.traffic}}
services:
  api:
    concurrency: 1000
    endpoints: {get: {work: ${opts.work}}}
${opts.faults ? `faults:\n${opts.faults}` : ''}
${opts.variants ? `variants:\n${opts.variants}` : ''}
`;

describe('warmup', () => {
  it('operations that arrive before the warmup are left out of the summary: requests are the arrivals in [warmup, duration), ≈ rate × (duration − warmup)', () => {
    // 500 ms of work: the operations of the warmup's last half second finish after it, and
    // must still be left out (it is the arrival that counts, not the answer).
    const run = simulate(station({ traffic: 'rate: 300/s', work: '500ms', duration: '30s', warmup: '10s' }));
    const raw = run.raws.get('baseline')![0];
    const v = run.results.get('baseline')!;
    const measured = arrivals(raw, 10_000, 30_000);
    expect(v.summary.requests).toBe(measured);
    // Poisson: the count over 20 s has mean λ·20 s and standard deviation √(λ·20 s).
    const expected = 300 * 20;
    expect(Math.abs(measured - expected), `${measured} vs ${expected}`).toBeLessThan(Z * Math.sqrt(expected));
    // The warmup's operations did arrive (the timeline shows them), and were served.
    const early = arrivals(raw, 0, 10_000);
    expect(Math.abs(early - 300 * 10)).toBeLessThan(Z * Math.sqrt(300 * 10));
    // Every other counter follows the summary: exactly one request and one attempt per
    // measured operation, and each measured one succeeded after exactly its 500 ms.
    expect(v.summary.succeeded).toBe(measured);
    expect(v.services.api.received).toBe(measured);
    expect(v.services.api.succeeded).toBe(measured);
    expect(v.calls['users->api.get'].attempts).toBe(measured);
    expect(v.summary.latencyMs.max).toBe(500);
  });

  it('with constant arrivals, requests are exactly rate × (duration − warmup): the arrival at the warmup itself is measured', () => {
    // Arrivals at k × 10 ms; the measured ones are k × 10 ms in [5 s, 25 s): k = 500 … 2499.
    const v = simulate(station({ traffic: 'rate: 100/s, arrivals: constant', work: '500ms', duration: '25s', warmup: '5s' })).results.get('baseline')!;
    expect(v.summary.requests).toBe(100 * 20);
    expect(v.summary.succeeded).toBe(100 * 20);
    // Utilization is over [warmup, duration] but counts whatever runs then, warmup operations
    // included: 100/s × 500 ms = 50 of the 1000 workers busy all along, from 0.5 s on.
    expect(v.services.api.utilization).toBeCloseTo(50 / 1000, 4);
  });

  it('a crash during the warmup leaves the summary at full availability; the same run without warmup shows every lost operation', () => {
    // One instance; arrivals every 10 ms from 10 ms; 42 ms of work; an outage over
    // [2005, 5005) ms. Without warmup the loss is, by hand: the 4 operations running at
    // 2005 ms (arrived at 1970, 1980, 1990, 2000 ms: each needs until 42 ms after its
    // arrival) and the 300 that arrive while it is down (2010 … 5000 ms), refused.
    const run = simulate(
      station({
        traffic: 'rate: 100/s, arrivals: constant',
        work: '42ms',
        duration: '20s',
        warmup: '10s',
        faults: '  - {target: api, kind: outage, at: 2005ms, for: 3s}',
        variants: '  cold:\n    set: {warmup: 0s}',
      }),
    );
    const warm = run.results.get('baseline')!;
    const cold = run.results.get('cold')!;

    expect(warm.summary.requests).toBe(100 * 10);
    expect(warm.summary.failed).toBe(0);
    expect(warm.summary.availability).toBe(1);
    // The service counters leave the warmup out too: no refusal, no loss.
    expect(warm.services.api.refused).toBe(0);
    expect(warm.services.api.failed).toBe(0);

    const lostRunning = 4;
    const refused = 300;
    expect(cold.summary.failed).toBe(lostRunning + refused);
    expect(cold.services.api.refused).toBe(refused);
    expect(cold.services.api.failed).toBe(lostRunning);
    expect(cold.summary.availability!).toBeCloseTo(1 - (lostRunning + refused) / cold.summary.requests, 5); // rounded to 6 significant digits

    // The warmup changes what is counted, not what happens: both runs are the same run, and
    // the timeline (which covers the whole run) shows the outage in both.
    const [warmRaw] = run.raws.get('baseline')!;
    const [coldRaw] = run.raws.get('cold')!;
    expect(warmRaw.timeline.failed).toEqual(coldRaw.timeline.failed);
    expect(warmRaw.timeline.ok).toEqual(coldRaw.timeline.ok);
    expect(warmRaw.timeline.failed.reduce((a, b) => a + b, 0)).toBe(lostRunning + refused);
  });
});
