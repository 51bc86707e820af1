import { describe, expect, it } from 'vitest';
import type { RawRun } from '../../sim/run/rawRun.js';
import { binomialSE, Z } from '../helpers/stats.js';
import { simulate } from '../helpers/sim.js';

/*
 * The results have no per-instance counters, so these tests mark an instance instead: an
 * `errors` fault at 100% on api#i for the whole run fails exactly the requests that instance
 * serves (the error is drawn after the work, so the marked instance still does its work and
 * holds its worker as long as any other). Variants that move the mark to another instance run
 * on common random numbers (the same arrivals and the same balancer draws), so together they
 * count every instance's share of one and the same sequence of picks.
 */

interface Pool {
  instances: number;
  balancer: string;
  rate: string;
  arrivals?: 'poisson' | 'constant';
  duration: string;
  work?: string;
  /** Extra fault lines (each `  - {...}`). */
  faults?: string;
  /** Extra variants (YAML under `variants:`). */
  variants?: string;
  seed?: number;
}

const pool = (p: Pool) => `
name: balancers
duration: ${p.duration}
seed: ${p.seed ?? 31}
bucket: 1s
traffic:
  users: {target: api.get, rate: ${p.rate}, arrivals: ${p.arrivals ?? 'poisson'}}
services:
  api:
    instances: ${p.instances}
    concurrency: 100000
    balancer: ${p.balancer}
    endpoints: {get: {work: ${p.work ?? '1ms'}}}
faults:
${p.faults ?? '  []'}
${p.variants ? `variants:\n${p.variants}` : ''}
`;

/** An errors fault that marks api#i for longer than any run here lasts (drain included). */
const mark = (i: number) => `  - {target: api#${i}, kind: errors, rate: 100%, at: 0s, for: 1h}`;

/** Variants `on1`…`on(k−1)` move the mark (fault 0) from api#0 to api#i. */
const markVariants = (k: number) =>
  Array.from({ length: k - 1 }, (_, j) => `  on${j + 1}:\n    set:\n      faults[0].target: api#${j + 1}`).join('\n');

/** Per instance (index = instance), the requests it served: the failures with the mark on it. */
function shares(run: ReturnType<typeof simulate>, k: number): number[] {
  return Array.from({ length: k }, (_, i) => run.results.get(i === 0 ? 'baseline' : `on${i}`)!.summary.failed);
}

/**
 * Wilson–Hilferty's approximation of the χ²(ν) quantile at the standard normal quantile z:
 * ν(1 − 2/(9ν) + z·√(2/(9ν)))³, within a fraction of a percent for ν ≥ 30 even in the tails.
 */
const chi2Quantile = (nu: number, z: number) => nu * (1 - 2 / (9 * nu) + z * Math.sqrt(2 / (9 * nu))) ** 3;

/** The sum of a run's operation latencies and their number (both exact, not bucketed). */
const latencySum = (raw: RawRun) => ({ sumMs: raw.ops.latency.sumMs, n: raw.ops.latency.count });

describe('round-robin', () => {
  it('sends the j-th request to instance j mod k: exactly ⌈(N − i)/k⌉ to instance i, whatever the arrival times', () => {
    const k = 3;
    const run = simulate(pool({ instances: k, balancer: 'round-robin', rate: '1000/s', duration: '10s', faults: mark(0), variants: markVariants(k) }));
    const N = run.results.get('baseline')!.summary.requests;
    expect(N).toBeGreaterThan(9000);
    // Poisson arrivals (several requests often overlap) change nothing: the counter moves once
    // per pick, and every variant sees the same N arrivals.
    for (const v of run.results.values()) expect(v.summary.requests).toBe(N);
    expect(shares(run, k)).toEqual(Array.from({ length: k }, (_, i) => Math.ceil((N - i) / k)));
  });
});

describe('random', () => {
  it('sends each request to instance i with probability 1/k: Binomial(N, 1/k) per instance, the k counts summing to N', () => {
    const k = 4;
    const run = simulate(pool({ instances: k, balancer: 'random', rate: '2000/s', duration: '10s', faults: mark(0), variants: markVariants(k) }));
    const N = run.results.get('baseline')!.summary.requests;
    const counts = shares(run, k);
    // One balancer draw per request, the same draws in every variant: the marks partition the
    // same N picks, so the counts add up exactly.
    expect(counts.reduce((a, b) => a + b, 0)).toBe(N);
    // Each count is Binomial(N, 1/k): standard error √(N·(1/k)(1 − 1/k)).
    const se = N * binomialSE(1 / k, N);
    for (const c of counts) expect(Math.abs(c - N / k), `${counts.join(', ')} of ${N}`).toBeLessThan(Z * se);
    // …and it is not round robin in disguise, whose counts never differ by more than one.
    expect(Math.max(...counts) - Math.min(...counts)).toBeGreaterThan(1);
  });

  it('draws independently per request: per-second shares spread like Binomial(n, 1/k), neither evened out nor clumped', () => {
    const k = 4;
    const p = 1 / k;
    const run = simulate(pool({ instances: k, balancer: 'random', rate: '400/s', arrivals: 'constant', duration: '100s', faults: mark(0) }));
    const t = run.raws.get('baseline')![0].timeline;
    // Constant arrivals: n_b requests in second b, fixed in advance; api#0 serves f_b of them,
    // Binomial(n_b, p) and independent between seconds. So X = Σ_b (f_b − n_b·p)² / (n_b·p(1 − p))
    // is a sum of B squared standardized binomials: χ²(B) up to an excess kurtosis of
    // (1 − 6pq)/(npq) ≈ −0.002, negligible. Round robin would make X ≈ 0; draws that clump
    // (one per several requests, say) would make it several times B.
    let X = 0;
    let B = 0;
    for (let b = 0; b < t.buckets; b++) {
      const n = t.ok[b] + t.failed[b];
      if (n === 0) continue;
      X += (t.failed[b] - n * p) ** 2 / (n * p * (1 - p));
      B++;
    }
    expect(B).toBe(100);
    // The χ²(B) quantiles at ±Z standard normal deviations: the same false-alarm rate as a Z check.
    expect(X, `X = ${X} over ${B} seconds`).toBeGreaterThan(chi2Quantile(B, -Z));
    expect(X, `X = ${X} over ${B} seconds`).toBeLessThan(chi2Quantile(B, Z));
  });
});

describe('least-outstanding', () => {
  it('breaks ties round-robin: an idle pool is used exactly as round robin uses it', () => {
    // Constant arrivals every 10 ms, 1 ms of work: every pick finds the whole pool idle.
    const k = 3;
    const run = simulate(pool({ instances: k, balancer: 'least-outstanding', rate: '100/s', arrivals: 'constant', duration: '30s', faults: mark(0), variants: markVariants(k) }));
    const N = run.results.get('baseline')!.summary.requests;
    expect(N).toBe(2999);
    expect(shares(run, k)).toEqual(Array.from({ length: k }, (_, i) => Math.ceil((N - i) / k)));
  });

  /**
   * Two instances, 2 ms of work; a latency fault multiplies api#1's work by `factor`. Constant
   * arrivals every 10 ms: request j arrives at 10(j + 1) ms.
   */
  const slowPair = (factor: number, duration: string) =>
    pool({
      instances: 2,
      balancer: 'least-outstanding',
      rate: '100/s',
      arrivals: 'constant',
      duration,
      work: '2ms',
      faults: `  - {target: api#1, kind: latency, factor: ${factor}, at: 0s, for: 1h}`,
      variants: `  random:\n    set:\n      services.api.balancer: random\n  round-robin:\n    set:\n      services.api.balancer: round-robin`,
    });

  it('with one instance 48× slower, sends it only the requests that find it idle: one in ten, against one in two for random and round robin', () => {
    const fastMs = 2;
    const slowMs = 2 * 48;
    const gapMs = 10;
    const run = simulate(slowPair(48, '20s'));
    // Derivation. A fast request is done 2 ms after it arrives, so api#0 is always idle at the
    // next arrival. Ties start from instance j mod 2. Request 0 ties and goes to api#0; request
    // 1 ties and goes to api#1, which is then busy for 96 ms: requests 2…10 (arriving up to
    // 90 ms later) find api#0 with fewer outstanding. Request 11 arrives 100 ms after request
    // 1, when api#1 is done: a tie again, started from instance 11 mod 2 = 1. So api#1 serves
    // exactly the requests j ≡ 1 (mod 10): the period is ⌈96/10⌉ = 10 requests — even, so the
    // next tie falls on an odd request again.
    const period = Math.ceil(slowMs / gapMs);
    expect(period).toBe(10);
    // Each operation's latency is its work (no network), so the exact latency sum gives the
    // number S of slow ones: sum = 2·N + 94·S.
    const slowCount = (variant: string) => {
      const { sumMs, n } = latencySum(run.raws.get(variant)![0]);
      const s = (sumMs - fastMs * n) / (slowMs - fastMs);
      expect(Math.abs(s - Math.round(s)), `${variant}: ${s}`).toBeLessThan(1e-6);
      return { s: Math.round(s), n };
    };
    const lo = slowCount('baseline');
    expect(lo.n).toBe(1999);
    expect(lo.s).toBe(Math.ceil((lo.n - 1) / period));
    // Round robin alternates whatever the load: the odd requests, ⌊N/2⌋.
    const rr = slowCount('round-robin');
    expect(rr.s).toBe(Math.floor(rr.n / 2));
    // Random ignores the load: S ~ Binomial(N, 1/2).
    const rnd = slowCount('random');
    expect(Math.abs(rnd.s - rnd.n / 2)).toBeLessThan(Z * rnd.n * binomialSE(0.5, rnd.n));
    // Hence the mean latencies: 2 + 94/10 ≈ 11.4 ms against ≈ 49 ms.
    const meanOf = (v: string) => run.results.get(v)!.summary.latencyMs.mean!;
    expect(meanOf('baseline')).toBeCloseTo(fastMs + ((slowMs - fastMs) * lo.s) / lo.n, 3);
    expect(meanOf('random')).toBeGreaterThan(3 * meanOf('baseline'));
  });

  it('keeps a slow instance out of the p99 when it takes under 1% of requests, where random and round robin put it at p90', () => {
    // api#1 takes 1996 ms. As above: it is busy with request 1 from 20 ms to 2016 ms; request
    // 200 arrives at 2010 ms (busy), request 201 at 2020 ms, a tie started from instance
    // 201 mod 2 = 1. So api#1 serves the requests j ≡ 1 (mod ⌈1996/10⌉ = 200): 0.5% of them.
    const fastMs = 2;
    const slowMs = 1996;
    const run = simulate(slowPair(slowMs / fastMs, '60s'));
    const { sumMs, n } = latencySum(run.raws.get('baseline')![0]);
    const slow = Math.round((sumMs - fastMs * n) / (slowMs - fastMs));
    expect(slow).toBe(Math.ceil((n - 1) / 200));
    expect(slow / n).toBeLessThan(0.01);
    // Quantiles come from a histogram with 3 significant digits: ≤ 0.1% relative error.
    const within = (x: number | null, expected: number) => expect(Math.abs(x! - expected) / expected, `${x} vs ${expected}`).toBeLessThanOrEqual(1e-3);
    within(run.results.get('baseline')!.summary.latencyMs.p99, fastMs);
    // Random sends half the requests there (Binomial, so more or fewer than half by a few
    // dozen): p99 is the slow time, and so is p90. Round robin sends exactly every other one.
    for (const v of ['random', 'round-robin']) {
      within(run.results.get(v)!.summary.latencyMs.p99, slowMs);
      within(run.results.get(v)!.summary.latencyMs.p90, slowMs);
    }
  });
});

describe('a crashed instance', () => {
  it('is skipped by every balancer while it is down (nothing refused), and is back in rotation once it restarts', () => {
    // Three instances; api#1 is marked (every request it serves fails) and crashed from 10 s
    // to 20 s. With the default instant health check, a pick during the crash that chose
    // api#1 would be refused — a failure too — so the seconds of the crash must show none.
    const k = 3;
    const run = simulate(
      pool({
        instances: k,
        balancer: 'round-robin',
        rate: '300/s',
        duration: '30s',
        faults: `${mark(1)}\n  - {target: api#1, kind: crash, at: 10s, restartAfter: 10s}`,
        variants: `  random:\n    set:\n      services.api.balancer: random\n  least-outstanding:\n    set:\n      services.api.balancer: least-outstanding`,
      }),
    );
    for (const [name, v] of run.results) {
      const t = run.raws.get(name)![0].timeline;
      const sum = (xs: number[], from: number, to: number) => xs.slice(from, to).reduce((a, b) => a + b, 0);
      expect(v.services.api.refused, name).toBe(0);
      // The timeline counts operations by the second they arrived in: 10…19 are in the crash.
      expect(sum(t.failed, 10, 20), name).toBe(0);
      expect(sum(t.ok, 10, 20), name).toBeGreaterThan(2500);
      // Before and after, api#1 takes its third: Binomial for random, ±1 for round robin,
      // and for least-outstanding (round robin among the idle) at least not a negligible part.
      for (const [from, to] of [
        [0, 10],
        [20, 30],
      ]) {
        const failed = sum(t.failed, from, to);
        const n = failed + sum(t.ok, from, to);
        const bound = name === 'round-robin' ? 1 : name === 'random' ? Z * n * binomialSE(1 / k, n) : n / 10;
        expect(Math.abs(failed - n / k), `${name} [${from}s, ${to}s): ${failed} of ${n}`).toBeLessThanOrEqual(bound);
      }
    }
  });

  it('while it is down, round robin, random and least-outstanding split its share evenly between the others', () => {
    // Mark api#0 too, only during the crash of api#1: the failures then count api#0's picks
    // among the two live instances.
    const run = simulate(
      pool({
        instances: 3,
        balancer: 'round-robin',
        rate: '300/s',
        duration: '20s',
        // No work and no network: a request is answered the instant it arrives, so each
        // failure falls in the crash window and none is in flight when it starts or ends.
        work: '0ms',
        faults: `  - {target: api#1, kind: crash, at: 5s, restartAfter: 10s}\n  - {target: api#0, kind: errors, rate: 100%, at: 5s, for: 10s}`,
        variants: `  random:\n    set:\n      services.api.balancer: random\n  least-outstanding:\n    set:\n      services.api.balancer: least-outstanding`,
      }),
    );
    for (const name of ['baseline', 'random', 'least-outstanding']) {
      const t = run.raws.get(name)![0].timeline;
      let failed = 0;
      let n = 0;
      for (let b = 5; b < 15; b++) {
        failed += t.failed[b];
        n += t.failed[b] + t.ok[b];
      }
      expect(run.results.get(name)!.summary.failed).toBe(failed);
      // Round robin skips the down instance and moves on: api#0 and api#2 alternate (±1).
      // Least-outstanding, on an idle pool, takes turns among the live instances: the same.
      // Random draws among the live instances: Binomial(n, 1/2).
      const bound = name === 'random' ? Z * n * binomialSE(0.5, n) : 1;
      expect(Math.abs(failed - n / 2), `${name}: ${failed} of ${n}`).toBeLessThanOrEqual(bound);
    }
  });

  it('with a health check, is still sent its share until the check notices, and only then: instances start known healthy', () => {
    // Two instances, round robin, constant 100/s (every 10 ms); api#1 crashes at 1 s for good,
    // and the balancer learns of it healthCheck = 5 s later. Arrivals in [1 s, 6 s) — 500 of
    // them — alternate, so exactly 250 reach the dead instance and are refused; none before
    // (a healthy pool is routable from the start), none after 6 s.
    const run = simulate(
      pool({
        instances: 2,
        balancer: 'round-robin',
        rate: '100/s',
        arrivals: 'constant',
        duration: '12s',
        faults: '  - {target: api#1, kind: crash, at: 1s, restartAfter: 1h}',
      }).replace('balancer: round-robin', 'balancer: round-robin\n    healthCheck: 5s'),
    );
    const v = run.results.get('baseline')!;
    expect(v.services.api.refused).toBe(250);
    const t = run.raws.get('baseline')![0].timeline;
    expect(t.failed.slice(0, 1).reduce((a, b) => a + b, 0)).toBe(0);
    expect(t.failed.slice(1, 6)).toEqual([50, 50, 50, 50, 50]);
    expect(t.failed.slice(6).every((x) => x === 0)).toBe(true);
  });
});
