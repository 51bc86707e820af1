import { describe, expect, it } from 'vitest';
import type { RawRun } from '../../sim/run/rawRun.js';
import { simulate } from '../helpers/sim.js';
import { Z } from '../helpers/stats.js';

/**
 * Operations that arrived in [fromMs, toMs), read from the timeline, which files every
 * operation (warmup or not, finished or not) under the bucket of its arrival. Both ends must
 * fall on bucket edges.
 */
function arrivals(raw: RawRun, fromMs: number, toMs: number): number {
  const t = raw.timeline;
  expect(fromMs % t.bucketMs, 'window start on a bucket edge').toBe(0);
  expect(toMs % t.bucketMs, 'window end on a bucket edge').toBe(0);
  let n = 0;
  for (let b = fromMs / t.bucketMs; b < toMs / t.bucketMs; b++) n += t.ok[b] + t.degraded[b] + t.failed[b];
  return n;
}

/** One source in front of a service that never queues or fails: every arrival is one operation. */
const openLoop = (traffic: string, opts: { duration: string; faults?: string; seed?: number }) => `
name: traffic
duration: ${opts.duration}
seed: ${opts.seed ?? 31}
traffic:
  shoppers: {target: api.get, ${traffic}}
services:
  api:
    concurrency: 100000
    endpoints: {get: {work: 1ms}}
${opts.faults ? `faults:\n${opts.faults}` : ''}
`;

describe('open-loop arrivals', () => {
  it('a rate schedule is piecewise constant: each period gets rate × length arrivals, and a rate of 0 gets none', () => {
    const periods = [
      { fromMs: 0, toMs: 10_000, perSec: 200 },
      { fromMs: 10_000, toMs: 20_000, perSec: 800 },
      { fromMs: 20_000, toMs: 30_000, perSec: 50 },
      { fromMs: 30_000, toMs: 35_000, perSec: 0 },
      { fromMs: 35_000, toMs: 40_000, perSec: 400 },
    ];
    const schedule = periods
      .slice(1)
      .map((p) => `{at: ${p.fromMs}ms, rate: ${p.perSec}/s}`)
      .join(', ');
    const raw = simulate(openLoop(`rate: ${periods[0].perSec}/s, schedule: [${schedule}]`, { duration: '40s' })).raws.get('baseline')![0];
    for (const p of periods) {
      const n = arrivals(raw, p.fromMs, p.toMs);
      const expected = (p.perSec * (p.toMs - p.fromMs)) / 1000;
      // A Poisson count: mean λT, standard deviation √(λT). A rate of 0 allows no arrival at all.
      if (expected === 0) expect(n, `[${p.fromMs}, ${p.toMs})`).toBe(0);
      else expect(Math.abs(n - expected), `[${p.fromMs}, ${p.toMs}): ${n} vs ${expected}`).toBeLessThan(Z * Math.sqrt(expected));
    }
    // Every arrival is in some period, and the summary counts them all (no warmup).
    expect(raw.ops.requests).toBe(arrivals(raw, 0, 40_000));
  });

  it('a schedule entry at 0 replaces the base rate from the start: rate 1000/s with [{at: 0s, rate: 100/s}] gives 100/s throughout', () => {
    const raw = simulate(openLoop('rate: 1000/s, schedule: [{at: 0s, rate: 100/s}]', { duration: '20s' })).raws.get('baseline')![0];
    // A Poisson count of mean 2000 (sd ≈ 45): 20 000 at the base rate would be far outside.
    expect(Math.abs(raw.ops.requests - 2000)).toBeLessThan(Z * Math.sqrt(2000));
  });

  it('poisson arrivals keep their rate across schedule entries that restate it: 40 of them still give rate × duration arrivals', () => {
    // Poisson arrivals are memoryless, so a gap redrawn at a change point that keeps the rate
    // is still an exponential gap: 40 entries restating 300/s give 300/s. Different random
    // numbers, so compared to the rate (Poisson tolerance), not to the run without them.
    const restated = Array.from({ length: 40 }, (_, i) => `{at: ${(i + 1) * 250}ms, rate: 300/s}`).join(', ');
    const raw = simulate(openLoop(`rate: 300/s, schedule: [${restated}]`, { duration: '20s' })).raws.get('baseline')![0];
    const expected = 300 * 20;
    expect(Math.abs(raw.ops.requests - expected)).toBeLessThan(Z * Math.sqrt(expected));
  });

  it('arrivals: constant come exactly 1/rate apart from 1/rate on: rate × duration − 1 of them (none at duration), rate × bucket in every bucket after the first', () => {
    // docs/scenarios.md: "constant: exactly 1/rate apart; the first arrival is at 1/rate", and
    // arrivals stop at `duration` (an arrival due exactly then is not made). So for a whole
    // number rate × duration, the arrivals are at k/rate for k = 1 … rate × duration − 1: no
    // randomness, so the counts are exact.
    for (const [perSec, seconds] of [
      [100, 10],
      [250, 8],
      [4, 30],
    ]) {
      const raw = simulate(openLoop(`rate: ${perSec}/s, arrivals: constant`, { duration: `${seconds}s` })).raws.get('baseline')![0];
      expect(raw.ops.requests, `${perSec}/s for ${seconds} s`).toBe(perSec * seconds - 1);
      // Evenly spaced: a bucket [b·w, (b + 1)·w) holds exactly rate × w of them once the
      // first one is past (the first bucket lacks the one that would have been at 0).
      const w = raw.timeline.bucketMs;
      const perBucket = (perSec * w) / 1000;
      if (!Number.isInteger(perBucket)) continue;
      expect(arrivals(raw, 0, w)).toBe(perBucket - 1);
      for (let b = 1; b < raw.timeline.buckets; b++) expect(arrivals(raw, b * w, (b + 1) * w), `bucket ${b}`).toBe(perBucket);
    }
  });

  // Arrivals follow the integrated rate: a change point keeps the part of the gap already
  // covered. (Redrawing the gap at each change, as an earlier version did, cost a constant
  // source up to one arrival per change, and silenced it under entries closer than 1/rate.)
  it('arrivals: constant keep their spacing across schedule entries that restate the rate', () => {
    const plain = simulate(openLoop('rate: 100/s, arrivals: constant', { duration: '2s' })).raws.get('baseline')![0];
    // 399 entries 5 ms apart, each restating 100/s: the source should not notice them.
    const restated = Array.from({ length: 399 }, (_, i) => `{at: ${(i + 1) * 5}ms, rate: 100/s}`).join(', ');
    const ramp = simulate(openLoop(`rate: 100/s, arrivals: constant, schedule: [${restated}]`, { duration: '2s' })).raws.get('baseline')![0];
    expect(ramp.ops.requests).toBe(plain.ops.requests);
  });

  it('arrivals: constant carry the gap in progress across a rate change: 100/s then 50/s at 1.005s puts the next arrival at 1.01s', () => {
    // Arrivals at 10, 20, …, 1000 ms; at 1005 ms half of the next 10 ms gap is covered, and the
    // other half (0.5 arrivals) takes 10 ms at 50/s: 1015 ms, then every 20 ms to 1995 ms.
    const run = simulate(openLoop('rate: 100/s, arrivals: constant, schedule: [{at: 1005ms, rate: 50/s}]', { duration: '2s' })).raws.get('baseline')![0];
    expect(run.ops.requests).toBe(100 + 50);
  });
});

describe('surges', () => {
  it('a surge with a rate sets the rate during its window; overlapping surges take the largest; a factor multiplies the scheduled rate of the moment', () => {
    // Base 100/s, 400/s from 20 s (schedule). Surges: 1000/s over [5, 15), a ×3 over [10, 25)
    // (×3 of 100/s, then of the schedule's 400/s), and the same ×3 overlapping the 1000/s.
    const faults = `  - {target: shoppers, kind: surge, rate: 1000/s, at: 5s, for: 10s}
  - {target: shoppers, kind: surge, factor: 3, at: 10s, for: 15s}
`;
    const raw = simulate(openLoop('rate: 100/s, schedule: [{at: 20s, rate: 400/s}]', { duration: '30s', faults })).raws.get('baseline')![0];
    for (const [fromMs, toMs, perSec] of [
      [0, 5_000, 100],
      [5_000, 10_000, 1000],
      [10_000, 15_000, 1000], // max(1000, 3 × 100)
      [15_000, 20_000, 300], // 3 × 100
      [20_000, 25_000, 1200], // 3 × 400: the factor follows the schedule
      [25_000, 30_000, 400],
    ]) {
      const n = arrivals(raw, fromMs, toMs);
      const expected = (perSec * (toMs - fromMs)) / 1000;
      // Poisson counts: standard deviation √(λT).
      expect(Math.abs(n - expected), `[${fromMs}, ${toMs}): ${n} vs ${expected}`).toBeLessThan(Z * Math.sqrt(expected));
    }
  });
});

describe('a closed loop of users', () => {
  /** N users, each thinking then waiting for its operation, on c workers with exponential work. */
  const closedLoop = (opts: { users: number; think: string; concurrency: number; queueLimit?: number; seed: number }) => `
name: closed
duration: 60s
seed: ${opts.seed}
traffic:
  staff: {target: api.get, arrivals: closed, users: ${opts.users}, think: ${opts.think}}
services:
  api:
    concurrency: ${opts.concurrency}
    ${opts.queueLimit === undefined ? '' : `queueLimit: ${opts.queueLimit}`}
    endpoints: {get: {work: {exponential: {mean: 10ms}}}}
`;
  const N = 20;
  const D = 60_000;

  it('obeys the interactive response-time law X = N / (R + Z) exactly, up to each user’s last cycle, with a constant think time', () => {
    // Saturated (N / (Z + 10 ms) far above the 200/s that 2 workers can do), so R is mostly
    // queueing and nothing like the 10 ms of work: the law has to use the measured R.
    const thinkMs = 50;
    const v = simulate(closedLoop({ users: N, think: `${thinkMs}ms`, concurrency: 2, seed: 41 })).results.get('baseline')!;
    expect(v.summary.failed).toBe(0);
    const n = v.summary.requests;
    const R = v.summary.latencyMs.mean!;
    const Rmax = v.summary.latencyMs.max!;
    expect(R).toBeGreaterThan(3 * 10);
    // Each user alternates think and operation from 0 until its last operation ends, at some
    // c with D − Z ≤ c < D + R_max (it would have issued another one before D otherwise). Its
    // operations' (Z + R) add up to c, so summed over the users n·(Z + R̄) lies within
    // [N·(D − Z), N·(D + R_max)): a sample-path identity, no statistics involved.
    expect(n * (thinkMs + R)).toBeGreaterThanOrEqual(N * (D - thinkMs));
    expect(n * (thinkMs + R)).toBeLessThan(N * (D + Rmax));
    // That is X = n / D within a fraction of a percent of N / (R + Z).
    expect(Math.abs(n / D / (N / (R + thinkMs)) - 1)).toBeLessThan(0.005);
  });

  it('obeys X = N / (R + Z) with an exponential think time, within the noise of the think draws', () => {
    const thinkMs = 50;
    const v = simulate(closedLoop({ users: N, think: `{exponential: {mean: ${thinkMs}ms}}`, concurrency: 2, seed: 42 })).results.get('baseline')!;
    expect(v.summary.failed).toBe(0);
    const n = v.summary.requests;
    const R = v.summary.latencyMs.mean!;
    const Rmax = v.summary.latencyMs.max!;
    // As above, n·(Z̄ + R̄) = N·D up to the last cycles, but Z̄ is now the mean of n draws of
    // Exp(50 ms): its sum strays from n·E[Z] by σ·√n (σ = 50 ms) — that, plus the boundary
    // term (a think of up to a few σ, or R_max, per user), is the tolerance on n·(E[Z] + R̄).
    const tolerance = Z * thinkMs * Math.sqrt(n) + N * Math.max(Rmax, 10 * thinkMs);
    expect(Math.abs(n * (thinkMs + R) - N * D), `${n * (thinkMs + R)} vs ${N * D} ± ${tolerance}`).toBeLessThan(tolerance);
    // The law is not the open-loop one: R is well above the work, and X well below N / Z.
    expect(R).toBeGreaterThan(3 * 10);
    expect(n / D).toBeLessThan((0.6 * N) / thinkMs);
  });

  it('never has more than N operations in flight: a wait queue of N − c never overflows, and fills up', () => {
    // A 5 ms think against ~90 ms in the system: most of the time every user is waiting, so
    // the queue reaches N − c (all users in, c of them in service) in every busy stretch.
    const c = 2;
    const full = simulate(closedLoop({ users: N, think: '5ms', concurrency: c, queueLimit: N - c, seed: 43 })).results.get('baseline')!;
    expect(full.services.api.rejected).toBe(0);
    expect(full.summary.failed).toBe(0);
    const depth = full.timeline.services.api.queueDepth;
    expect(Math.max(...depth)).toBe(N - c);
    // One place less and the N-th user is turned away: the bound above is tight, not slack.
    const short = simulate(closedLoop({ users: N, think: '5ms', concurrency: c, queueLimit: N - c - 1, seed: 43 })).results.get('baseline')!;
    expect(short.services.api.rejected).toBeGreaterThan(0);
    expect(short.summary.failed).toBe(short.services.api.rejected);
  });
});
