import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../sim/metrics/latencyHistogram.js';
import type { RawRun } from '../../sim/run/rawRun.js';
import { replicationBound } from '../helpers/stats.js';
import { simulate } from '../helpers/sim.js';

/**
 * Single-station queues against closed forms. Each check runs R independent replications
 * (seeds derived from the scenario seed) and compares the mean of the per-replication
 * estimates with the exact value, within a 99.9% Student t bound (see replicationBound): waiting times inside one run are autocorrelated, replications are not.
 * Every run starts empty; the warmup (many relaxation times) removes that bias.
 */

const R = 20;

function station(opts: { rate: string; work: string; concurrency: number; queueLimit?: number; duration: string; warmup: string }): string {
  return `
name: station
duration: ${opts.duration}
warmup: ${opts.warmup}
seed: 11
traffic:
  arrivals: {target: server.serve, rate: ${opts.rate}}
services:
  server:
    concurrency: ${opts.concurrency}
    ${opts.queueLimit === undefined ? '' : `queueLimit: ${opts.queueLimit}`}
    endpoints:
      serve: {work: ${opts.work}}
`;
}

const meanResponse = (r: RawRun) => r.ops.latency.sumMs / r.ops.latency.count;
const p99Response = (r: RawRun) => LatencyHistogram.decode(r.ops.latency).percentileMs(99);
const perRep = (raws: RawRun[], f: (r: RawRun) => number) => raws.map(f);

function expectNear(values: number[], exact: number, opts: { resolution?: number; tightness?: number } = {}) {
  const { mean, halfWidth } = replicationBound(values);
  expect(Math.abs(mean - exact), `mean ${mean} vs exact ${exact} (±${halfWidth})`).toBeLessThan(halfWidth + (opts.resolution ?? 0) * exact);
  // The bound must be tight enough to mean something: by default under 5% of the value.
  expect(halfWidth).toBeLessThan((opts.tightness ?? 0.05) * exact);
}

/** Erlang C: the probability that an arrival waits in M/M/c with offered load a = λ/μ. */
function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const top = ((term * a) / c) * (c / (c - a));
  return top / (sum + top);
}

/** Blocking probability of M/M/c/K (K = c + queue places): p_K of the birth–death chain. */
function mmckBlocking(c: number, K: number, a: number): number {
  const p: number[] = [1];
  for (let n = 1; n <= K; n++) p.push(p[n - 1] * (n <= c ? a / n : a / c));
  return p[K] / p.reduce((x, y) => x + y, 0);
}

describe('M/M/1 (FIFO): response time T ~ Exp(μ − λ)', () => {
  for (const rho of [0.5, 0.9]) {
    it(`at ρ = ${rho}: mean 1/(μ − λ) and p99 = ln(100)/(μ − λ)`, () => {
      // μ = 1 per ms (mean work 1 ms); λ = ρ per ms. At ρ = 0.9 the relaxation time is
      // 1/(μ(1 − √ρ)²) ≈ 0.4 s, so a 20 s warmup is ~50 of them.
      const run = simulate(station({ rate: `${rho * 1000}/s`, work: '{exponential: {mean: 1ms}}', concurrency: 1, duration: rho < 0.8 ? '60s' : '300s', warmup: '20s' }), { replications: R });
      const raws = run.raws.get('baseline')!;
      const mu = 1;
      const lambda = rho;
      expectNear(perRep(raws, meanResponse), 1 / (mu - lambda));
      // HdrHistogram's 0.1% resolution is added to the bound; a tail quantile of an
      // autocorrelated series is noisier than the mean, so its bound may reach 10%.
      expectNear(perRep(raws, p99Response), Math.log(100) / (mu - lambda), { resolution: 0.001, tightness: 0.1 });
    });
  }
});

describe('M/M/c', () => {
  it('the probability of waiting is Erlang C, and the mean response C/(cμ − λ) + 1/μ', () => {
    // c = 4 workers, mean work 4 ms (μ = 0.25/ms each), λ = 0.8/ms: a = 3.2, ρ = 0.8.
    const c = 4;
    const mu = 0.25;
    const lambda = 0.8;
    const run = simulate(station({ rate: '800/s', work: '{exponential: {mean: 4ms}}', concurrency: c, duration: '120s', warmup: '10s' }), { replications: R });
    const raws = run.raws.get('baseline')!;
    const C = erlangC(c, lambda / mu);
    expectNear(perRep(raws, (r) => r.services.server.waited / r.services.server.received), C);
    expectNear(perRep(raws, meanResponse), C / (c * mu - lambda) + 1 / mu);
  });

  it('M/M/c/K: queueLimit bounds the system at K = c + queueLimit, and arrivals beyond are rejected with probability p_K', () => {
    // c = 2, queueLimit 3 (K = 5), a = 2 (ρ = 1): blocking is frequent, so the bound is tight.
    const run = simulate(station({ rate: '1000/s', work: '{exponential: {mean: 2ms}}', concurrency: 2, queueLimit: 3, duration: '60s', warmup: '5s' }), { replications: R });
    const raws = run.raws.get('baseline')!;
    expectNear(perRep(raws, (r) => r.services.server.rejected / r.services.server.received), mmckBlocking(2, 5, 2));
  });

  it('Erlang B: with queueLimit 0 an arrival that finds every worker busy is rejected', () => {
    // c = 5, a = 4: B(5, 4) ≈ 0.199.
    const run = simulate(station({ rate: '1000/s', work: '{exponential: {mean: 4ms}}', concurrency: 5, queueLimit: 0, duration: '60s', warmup: '5s' }), { replications: R });
    const raws = run.raws.get('baseline')!;
    const B = mmckBlocking(5, 5, 4);
    expect(B).toBeCloseTo(0.1991, 3);
    expectNear(perRep(raws, (r) => r.services.server.rejected / r.services.server.received), B);
    // Nobody waits with no queue.
    expect(raws.every((r) => r.services.server.waited === 0)).toBe(true);
  });
});

describe('M/D/1', () => {
  it('the mean wait is Pollaczek–Khinchine: ρ/(2μ(1 − ρ)), plus the constant service time', () => {
    const rho = 0.7;
    const run = simulate(station({ rate: '700/s', work: '1ms', concurrency: 1, duration: '120s', warmup: '10s' }), { replications: R });
    const raws = run.raws.get('baseline')!;
    expectNear(perRep(raws, meanResponse), rho / (2 * (1 - rho)) + 1);
  });
});
