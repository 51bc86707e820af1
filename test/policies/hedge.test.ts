import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../sim/metrics/latencyHistogram.js';
import { binomialSE, quantileSE, Z } from '../helpers/stats.js';
import { simulate } from '../helpers/sim.js';

/*
 * front calls back with a hedge policy; both have workers to spare (nobody queues) and there is
 * no network latency, so a call's latency is exactly what the hedge makes of back's work times.
 */
const EDGE = 'front->back.get';

interface Setup {
  /** back's endpoint body. */
  back: string;
  /** The call step's policies (besides `call`). */
  step: string;
  rate?: string;
  arrivals?: 'poisson' | 'constant';
  duration?: string;
  /** Extra top-level text (variants). */
  rest?: string;
}

const scenario = (s: Setup) => `
name: hedge
duration: ${s.duration ?? '10s'}
seed: 23
traffic:
  users: {target: front.get, rate: ${s.rate ?? '100/s'}, arrivals: ${s.arrivals ?? 'constant'}}
services:
  front:
    concurrency: 100000
    endpoints:
      get:
        steps:
          - call: back.get
            ${s.step}
  back:
    concurrency: 100000
    endpoints:
      get: ${s.back}
${s.rest ?? ''}`;

function counters(run: ReturnType<typeof simulate>, v = 'baseline') {
  const r = run.results.get(v)!;
  return { ...r.calls[EDGE], back: r.services.back, N: r.summary.requests, summary: r.summary };
}

describe('hedge', () => {
  it('with Exp(m) work and a hedge after d, latency is min(X₁, d + X₂): survival e^(−t/m), then e^(−(2t−d)/m) from d; hedges ≈ e^(−d/m) per call', () => {
    const m = 10;
    const d = 10;
    const run = simulate(scenario({ back: `{work: {exponential: {mean: ${m}ms}}}`, step: `hedge: {after: ${d}ms}`, rate: '1000/s', arrivals: 'poisson', duration: '120s' }), { replications: 1 });
    const raw = run.raws.get('baseline')![0];
    const c = counters(run);
    const n = raw.ops.latency.count;
    expect(n).toBe(c.N);
    expect(n).toBeGreaterThan(100_000);

    // The closed form: S(t) = e^(−t/m) for t < d; e^(−t/m)·e^(−(t−d)/m) for t ≥ d.
    const S = (t: number) => (t < d ? Math.exp(-t / m) : Math.exp(-(2 * t - d) / m));
    const pdf = (t: number) => (t < d ? Math.exp(-t / m) / m : (2 / m) * Math.exp(-(2 * t - d) / m));
    const quantile = (p: number) => {
      const t = -m * Math.log(1 - p);
      return t < d ? t : (d - m * Math.log(1 - p)) / 2;
    };
    expect(S(quantile(0.99))).toBeCloseTo(0.01, 12);
    const h = LatencyHistogram.decode(raw.ops.latency);
    // Calls are independent here (nobody waits), so each sample percentile's standard error is
    // √(p(1−p)/n)/f(tₚ); HdrHistogram adds at most 0.1% and whole-microsecond recording 1 µs.
    for (const p of [0.5, 0.9, 0.99]) {
      const want = quantile(p);
      const got = h.percentileMs(p * 100);
      expect(Math.abs(got - want), `p${p * 100}: ${got} vs ${want}`).toBeLessThan(Z * quantileSE(p, n, pdf(want)) + 0.001 * want + 0.001);
    }
    // The p50 is below d, where the hedge changes nothing; the p99 is far below the unhedged
    // m·ln 100 = 46 ms.
    expect(quantile(0.99)).toBeLessThan(0.65 * m * Math.log(100));

    // E[T] = ∫S = m(1 − e^(−d/m)/2); its standard error from E[T²] = 2∫t·S(t)dt (closed form).
    const q = Math.exp(-d / m);
    const meanT = m * (1 - q / 2);
    const secondMoment = 2 * (m * m * (1 - q - (d / m) * q) + q * ((m * d) / 2 + (m * m) / 4));
    const sd = Math.sqrt(secondMoment - meanT * meanT);
    expect(Math.abs(raw.ops.latency.sumMs / n - meanT)).toBeLessThan((Z * sd) / Math.sqrt(n) + 0.001);

    // A hedge is sent when the first attempt is still unanswered at d: probability e^(−d/m).
    expect(Math.abs(c.hedges / c.N - q)).toBeLessThan(Z * binomialSE(q, c.N));
    expect(c.attempts).toBe(c.N + c.hedges);
    expect(c.retries).toBe(0);
    expect(c.amplification).toBeCloseTo((c.N + c.hedges) / c.N, 5);
    expect(Math.abs(c.amplification! - (1 + q))).toBeLessThan(Z * binomialSE(q, c.N) + 1e-6);
    // Every attempt runs on back, the losing ones too (ghost work), and their answers are counted.
    expect(c.back.received).toBe(c.attempts);
    expect(c.succeeded).toBe(c.attempts);
    expect(c.summary.failed).toBe(0);
  });

  it('a failure does not end the call while another attempt is in flight: constant 30 ms work, a hedge at 10 ms, errorRate p → availability 1 − p²', () => {
    const p = 0.3;
    const run = simulate(scenario({ back: `{work: 30ms, errorRate: ${p * 100}%}`, step: 'hedge: {after: 10ms}', rate: '1000/s', duration: '60s' }), { replications: 1 });
    const c = counters(run);
    // Every call sends its hedge at 10 ms (the first answer comes at 30 ms).
    expect(c.hedges).toBe(c.N);
    expect(c.attempts).toBe(2 * c.N);
    expect(c.retries).toBe(0);
    // Attempts fail independently (their own error draws): the call fails only if both do.
    const want = 1 - p * p;
    expect(Math.abs(c.summary.availability! - want)).toBeLessThan(Z * binomialSE(want, c.N));
    // And it is not the unhedged 1 − p.
    expect(Z * binomialSE(want, c.N)).toBeLessThan((want - (1 - p)) / 4);
    // A call answered by its first attempt takes 30 ms; one rescued by its hedge, 40 ms.
    expect(c.summary.latencyMs.p50).toBeCloseTo(30, 1);
    expect(c.summary.latencyMs.max).toBeCloseTo(40, 2);
  });

  it('with every attempt failing, every call fails (then falls back) only after all its hedges have: attempts = requests × (1 + hedges per call) exactly', () => {
    const run = simulate(
      scenario({
        back: '{work: 30ms, errorRate: 100%}',
        // The fallback answers the failed calls (degraded), so their latency is measured.
        step: 'hedge: {after: 10ms, max: 2}\n            fallback: degrade',
        rest: `variants:
  fast-failure:
    set:
      services.back.endpoints.get.work: 5ms`,
      }),
    );
    const N = counters(run).N;
    expect(N).toBe(999);
    // 30 ms work: hedges at 10 and 20 ms; the answers fail at 30, 40 and 50 ms, and only the
    // last one fails the call.
    const slow = counters(run);
    expect({ hedges: slow.hedges, attempts: slow.attempts, errors: slow.errors, fallbacks: slow.fallbacks }).toEqual({ hedges: 2 * N, attempts: 3 * N, errors: 3 * N, fallbacks: N });
    expect(slow.summary.degraded).toBe(N);
    expect(slow.summary.latencyMs.p50).toBeCloseTo(50, 1);
    expect(slow.summary.latencyMs.max).toBeCloseTo(50, 2);
    // In a trace, each hedge is an attempt span of its own, named after it, sent `after` apart.
    const trace = run.raws.get('baseline')![0].traces[0];
    const attempts = trace.spans.filter((sp) => sp.kind === 'attempt' && sp.name.startsWith(EDGE));
    expect(attempts.map((sp) => [sp.name, sp.startMs, sp.outcome])).toEqual([
      [EDGE, 0, 'error'],
      [`${EDGE} (hedge 1)`, 10, 'error'],
      [`${EDGE} (hedge 2)`, 20, 'error'],
    ]);
    // 5 ms work: the failure comes before the hedge is due, and cancels it.
    const fast = counters(run, 'fast-failure');
    expect({ hedges: fast.hedges, attempts: fast.attempts, errors: fast.errors, fallbacks: fast.fallbacks }).toEqual({ hedges: 0, attempts: N, errors: N, fallbacks: N });
    expect(fast.summary.latencyMs.max).toBeCloseTo(5, 2);
  });

  it('an answer before `after` cancels the hedge: constant work below it sends no hedge, on a call step or at the client', () => {
    const run = simulate(
      scenario({
        back: '{work: 9ms}',
        step: 'hedge: {after: 10ms, max: 3}',
        rest: `variants:
  client-hedge:
    set:
      services.front.endpoints.get.steps[0].hedge: null
      traffic.users.hedge: {after: 10ms, max: 3}`,
      }),
    );
    const c = counters(run);
    expect(c.N).toBe(999);
    expect({ hedges: c.hedges, attempts: c.attempts, received: c.back.received }).toEqual({ hedges: 0, attempts: c.N, received: c.N });
    const v = run.results.get('client-hedge')!;
    const client = v.calls['users->front.get'];
    expect({ hedges: client.hedges, attempts: client.attempts }).toEqual({ hedges: 0, attempts: c.N });
    expect(v.calls[EDGE].hedges).toBe(0);
    expect(v.summary.latencyMs.max).toBeCloseTo(9, 2);
  });

  it('a hedge at the client: 30 ms work, a hedge after 10 ms: every operation sends one, and the client edge counts it', () => {
    const run = simulate(scenario({ back: '{work: 30ms}', step: '', rest: '' }).replace('arrivals: constant}', 'arrivals: constant, hedge: {after: 10ms}}'));
    const r = run.results.get('baseline')!;
    const client = r.calls['users->front.get'];
    const N = r.summary.requests;
    expect({ hedges: client.hedges, attempts: client.attempts, amplification: client.amplification }).toEqual({ hedges: N, attempts: 2 * N, amplification: 2 });
    // Both attempts reach front, which calls back for each: the hedge doubles the load below.
    expect(r.calls[EDGE].attempts).toBe(2 * N);
    expect(r.summary.latencyMs.max).toBeCloseTo(30, 2);
  });

  describe('with retries', () => {
    // Constant arrivals 100 ms apart: each call has the edge to itself.
    const hedgeAndRetry = (rest = '') =>
      simulate(
        scenario({
          back: '{work: 30ms, errorRate: 100%}',
          // The fallback answers the failed calls (degraded), so their latency is measured.
          step: 'retry: {maxAttempts: 2, backoff: none}\n            hedge: {after: 10ms}\n            fallback: degrade',
          rate: '10/s',
          rest,
        }),
      );

    it('a try fails when its attempt and its hedge have failed, then the retry sends its own hedge: 4 attempts, 2 hedges, 1 retry per call, failing at 80 ms', () => {
      // Try 1: the attempt at 0, its hedge at 10; they fail at 30 and 40. Try 2 at 40: the attempt,
      // its hedge at 50; they fail at 70 and 80, and the call fails.
      const c = counters(hedgeAndRetry());
      const N = c.N;
      expect(N).toBe(99);
      expect({ attempts: c.attempts, hedges: c.hedges, retries: c.retries, errors: c.errors, fallbacks: c.fallbacks }).toEqual({ attempts: 4 * N, hedges: 2 * N, retries: N, errors: 4 * N, fallbacks: N });
      expect(c.amplification).toBe(4);
      expect(c.summary.latencyMs.p50).toBeCloseTo(80, 1);
      expect(c.summary.latencyMs.max).toBeCloseTo(80, 2);
    });

    it('a timeout ends an attempt like a failure: with a 25 ms timeout, tries end at 35 and 70 ms', () => {
      // No errors now, but 30 ms work and a 25 ms timeout: try 1's attempts time out at 25 and 35,
      // try 2 (at 35) at 60 and 70.
      const run = hedgeAndRetry(`variants:
  timeouts:
    set:
      services.back.endpoints.get.errorRate: 0%
      services.front.endpoints.get.steps[0].timeout: 25ms`);
      const c = counters(run, 'timeouts');
      const N = c.N;
      expect({ attempts: c.attempts, hedges: c.hedges, retries: c.retries, timeouts: c.timeouts, fallbacks: c.fallbacks }).toEqual({ attempts: 4 * N, hedges: 2 * N, retries: N, timeouts: 4 * N, fallbacks: N });
      expect(c.summary.latencyMs.max).toBeCloseTo(70, 2);
      // The late answers (at 30, 40, 65, 75 ms) are ghost work: nobody waits for them.
      expect(c.succeeded).toBe(0);
      expect(c.back.received).toBe(4 * N);
    });

    it('a hedge passes through the bulkhead but never waits for it: with one slot, every hedge is rejected and not sent', () => {
      // Try 1: the attempt holds the slot; its hedge at 10 ms is refused. The attempt fails at 30;
      // try 2 at 30, its hedge refused at 40, fails at 60.
      const run = hedgeAndRetry(`variants:
  bulkhead:
    set:
      services.front.endpoints.get.steps[0].bulkhead: {maxConcurrent: 1, maxWait: 1s}`);
      const c = counters(run, 'bulkhead');
      const N = c.N;
      expect({ attempts: c.attempts, hedges: c.hedges, retries: c.retries, rejected: c.rejected, errors: c.errors, fallbacks: c.fallbacks }).toEqual({ attempts: 2 * N, hedges: 0, retries: N, rejected: 2 * N, errors: 2 * N, fallbacks: N });
      expect(c.summary.latencyMs.max).toBeCloseTo(60, 2);
    });
  });

  it('takes no random numbers: adding a hedge leaves the baseline, the arrivals and the other services draws unchanged', () => {
    const text = `
name: hedge-crn
duration: 20s
seed: 7
traffic:
  users: {target: front.get, rate: 200/s}
services:
  front:
    concurrency: 100000
    endpoints:
      get:
        work: {exponential: {mean: 1ms}}
        steps:
          - call: back.get
          - call: other.get
  back:
    concurrency: 4
    endpoints:
      get: {work: {exponential: {mean: 3ms}}}
  other:
    concurrency: 100000
    endpoints:
      get: {work: {lognormal: {median: 2ms, p99: 20ms}}, errorRate: 2%}
variants:
  hedged:
    set:
      services.front.endpoints.get.steps[0].hedge: {after: 4ms, max: 2}
`;
    const both = simulate(text, { replications: 2 });
    const alone = simulate(text, { replications: 2, variants: ['baseline'] });
    expect(both.raws.get('baseline')).toEqual(alone.raws.get('baseline'));
    const base = both.results.get('baseline')!;
    const hedged = both.results.get('hedged')!;
    expect(hedged.calls[EDGE].hedges).toBeGreaterThan(0);
    expect(base.calls[EDGE].hedges).toBe(0);
    expect(hedged.summary.requests).toBe(base.summary.requests);
    // back never fails, so every operation calls other once, hedged or not: every other service
    // draws the same work (same count, same sum) in the same order.
    for (const svc of ['front', 'other']) {
      const [b, h] = [both.raws.get('baseline')!, both.raws.get('hedged')!];
      for (let i = 0; i < b.length; i++) {
        expect(h[i].services[svc].workDraws, svc).toBe(b[i].services[svc].workDraws);
        expect(h[i].services[svc].workSumMs, svc).toBe(b[i].services[svc].workSumMs);
      }
    }
    // back draws more: one work time per hedge.
    expect(hedged.services.back.received).toBe(base.services.back.received + hedged.calls[EDGE].hedges);
  });
});
