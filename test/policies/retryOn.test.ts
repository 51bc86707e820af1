import { describe, expect, it } from 'vitest';
import { binomialSE, Z } from '../helpers/stats.js';
import { simulate } from '../helpers/sim.js';

/*
 * front calls back with a retry policy of `maxAttempts` tries and no backoff; variants change
 * only its retryOn. Every variant runs on the same arrivals (common random numbers), so the
 * number of operations N is the same in all of them.
 */
const maxAttempts = 3;
const EDGE = 'front->back.get';

interface Setup {
  /** back's endpoint body. */
  back: string;
  /** back's service fields besides endpoints (default: workers to spare). */
  backService?: string;
  /** Extra fields of the call step. */
  step?: string;
  rate?: string;
  arrivals?: 'poisson' | 'constant';
  duration?: string;
  seed?: number;
}

/** Variant name → retryOn list; the baseline retries on the default (all three kinds). */
const RETRY_ON = {
  'on-error': '[error]',
  'on-timeout': '[timeout]',
  'on-rejected': '[rejected]',
  'on-error-timeout': '[error, timeout]',
} as const;

const scenario = (s: Setup) => `
name: retry-on
duration: ${s.duration ?? '10s'}
seed: ${s.seed ?? 41}
traffic:
  users: {target: front.get, rate: ${s.rate ?? '100/s'}, arrivals: ${s.arrivals ?? 'constant'}}
services:
  front:
    concurrency: 100000
    endpoints:
      get:
        steps:
          - call: back.get
            retry: {maxAttempts: ${maxAttempts}, backoff: none}
            ${s.step ?? ''}
  back:
    ${s.backService ?? 'concurrency: 100000'}
    endpoints:
      get: ${s.back}
variants:
${Object.entries(RETRY_ON)
  .map(([name, list]) => `  ${name}:\n    set:\n      services.front.endpoints.get.steps[0].retry.retryOn: ${list}`)
  .join('\n')}
`;

type Variant = 'baseline' | keyof typeof RETRY_ON;

function counters(run: ReturnType<typeof simulate>, v: Variant) {
  const r = run.results.get(v)!;
  return { ...r.calls[EDGE], back: r.services.back, N: r.summary.requests, summary: r.summary };
}

describe('retryOn', () => {
  it('[timeout] does not retry errors, [error] does: with back always failing, 1 try or exactly maxAttempts per call', () => {
    const run = simulate(scenario({ back: '{work: 1ms, errorRate: 100%}' }));
    const N = counters(run, 'baseline').N;
    expect(N).toBe(999);
    const tries: Record<Variant, number> = { baseline: maxAttempts, 'on-error': maxAttempts, 'on-timeout': 1, 'on-rejected': 1, 'on-error-timeout': maxAttempts };
    for (const [v, n] of Object.entries(tries) as Array<[Variant, number]>) {
      const c = counters(run, v);
      expect(c.N, v).toBe(N);
      expect(c.attempts, v).toBe(n * N);
      expect(c.errors, v).toBe(n * N);
      expect(c.retries, v).toBe((n - 1) * N);
      expect(c.back.received, v).toBe(n * N);
      expect(c.summary.failed, v).toBe(N);
    }
  });

  it('[error] does not retry timeouts, [timeout] does', () => {
    // back takes 50 ms, the step gives up after 10 ms: every try times out (back has workers
    // to spare for the work nobody waits for any more).
    const run = simulate(scenario({ back: '{work: 50ms}', step: 'timeout: 10ms' }));
    const N = counters(run, 'baseline').N;
    const tries: Record<Variant, number> = { baseline: maxAttempts, 'on-error': 1, 'on-timeout': maxAttempts, 'on-rejected': 1, 'on-error-timeout': maxAttempts };
    for (const [v, n] of Object.entries(tries) as Array<[Variant, number]>) {
      const c = counters(run, v);
      expect(c.attempts, v).toBe(n * N);
      expect(c.timeouts, v).toBe(n * N);
      expect(c.errors, v).toBe(0);
      expect(c.back.received, v).toBe(n * N);
      expect(c.summary.failed, v).toBe(N);
    }
  });

  it('rejected (a full queue, queueLimit: 0) is retried only when listed', () => {
    // back: one worker, no wait queue, 25 ms of work; a request every 10 ms. Request j arrives
    // at 10(j + 1) ms: request 0 takes the worker until 35 ms, requests 1 and 2 (20, 30 ms)
    // find it busy and are rejected, request 3 (40 ms) takes it until 65 ms, and so on: one in
    // three gets in. A retry without backoff is sent at the same instant and finds the worker
    // still busy, so a rejected call that retries rejections is rejected maxAttempts times.
    const run = simulate(scenario({ back: '{work: 25ms}', backService: 'concurrency: 1\n    queueLimit: 0' }));
    const N = counters(run, 'baseline').N;
    expect(N).toBe(999);
    const served = Math.ceil(N / 3);
    const refused = N - served;
    const tries: Record<Variant, number> = { baseline: maxAttempts, 'on-error': 1, 'on-timeout': 1, 'on-rejected': maxAttempts, 'on-error-timeout': 1 };
    for (const [v, n] of Object.entries(tries) as Array<[Variant, number]>) {
      const c = counters(run, v);
      expect(c.succeeded, v).toBe(served);
      expect(c.rejected, v).toBe(n * refused);
      expect(c.back.rejected, v).toBe(n * refused);
      expect(c.attempts, v).toBe(served + n * refused);
      expect(c.retries, v).toBe((n - 1) * refused);
      expect(c.summary.failed, v).toBe(refused);
    }
  });

  it('a short circuit by an open breaker is a rejection: retried (and short-circuited again) only under [rejected]', () => {
    // The first call fails and opens the breaker for the rest of the run; every later try is
    // short-circuited without being sent.
    const run = simulate(scenario({ back: '{work: 1ms, errorRate: 100%}', step: 'circuitBreaker: {consecutiveFailures: 1, waitInOpen: 1h}' }));
    const N = counters(run, 'baseline').N;
    // [rejected]: the first call's error is not retried; each later call is short-circuited
    // maxAttempts times. [error]: the first call's retry is short-circuited, and that is not
    // retried; each later call is short-circuited once.
    const expected: Record<Variant, { attempts: number; shortCircuited: number }> = {
      baseline: { attempts: 1, shortCircuited: maxAttempts - 1 + maxAttempts * (N - 1) },
      'on-rejected': { attempts: 1, shortCircuited: maxAttempts * (N - 1) },
      'on-error': { attempts: 1, shortCircuited: 1 + (N - 1) },
      'on-timeout': { attempts: 1, shortCircuited: N - 1 },
      'on-error-timeout': { attempts: 1, shortCircuited: 1 + (N - 1) },
    };
    for (const [v, want] of Object.entries(expected) as Array<[Variant, (typeof expected)[Variant]]>) {
      const c = counters(run, v);
      expect({ attempts: c.attempts, shortCircuited: c.shortCircuited }, v).toEqual(want);
      expect(c.back.received, v).toBe(1);
    }
  });

  it('a failure keeps its kind on the way up: a timeout or a short circuit below is retried by a caller whose retryOn lists it', () => {
    // The client retries (2 tries) on one kind only; front's own step fails by a timeout
    // (back takes 50 ms, the step waits 10 ms). front answers with that timeout, so the client
    // sees a timeout although it has no timeout of its own.
    const yaml = (retryOn: string, step: string, work: string) => `
name: kinds-up
duration: 10s
seed: 43
traffic:
  users: {target: front.get, rate: 100/s, arrivals: constant, retry: {maxAttempts: 2, retryOn: ${retryOn}}}
services:
  front:
    concurrency: 100000
    endpoints:
      get:
        steps:
          - call: back.get
            ${step}
  back:
    concurrency: 100000
    endpoints: {get: {work: ${work}, errorRate: 100%}}
`;
    const client = (retryOn: string, step: string, work: string) => {
      const v = simulate(yaml(retryOn, step, work)).results.get('baseline')!;
      return { ...v.calls['users->front.get'], N: v.summary.requests };
    };
    const timeout = 'timeout: 10ms';
    // back would answer with an error after 50 ms, but nobody waits that long.
    for (const [retryOn, tries] of [
      ['[timeout]', 2],
      ['[error, rejected]', 1],
    ] as const) {
      const c = client(retryOn, timeout, '50ms');
      expect(c.attempts, retryOn).toBe(tries * c.N);
      expect(c.timeouts, retryOn).toBe(tries * c.N);
    }
    // A breaker in front that back's first (instant) error opens: every later call of front
    // is short-circuited, and front answers with a rejection.
    const breaker = 'circuitBreaker: {consecutiveFailures: 1, waitInOpen: 1h}';
    // [rejected]: the first operation's error is not retried; every later one is rejected twice.
    const rejected = client('[rejected]', breaker, '0ms');
    expect(rejected.errors).toBe(1);
    expect(rejected.rejected).toBe(2 * (rejected.N - 1));
    // [error, timeout]: the first operation's error is retried, and that retry is rejected;
    // every later operation is rejected once, and not retried.
    const other = client('[error, timeout]', breaker, '0ms');
    expect(other.errors).toBe(1);
    expect(other.rejected).toBe(other.N);
    for (const c of [rejected, other]) expect(c.attempts).toBe(c.errors + c.rejected);
  });

  it('random failures: retrying only the retryable part r of n tries succeeds with s(1 − rⁿ)/(1 − r)', () => {
    // back's work is 100 ms with probability 0.3 (the 20 ms timeout fires) and 1 ms otherwise,
    // when it fails with probability 0.2 (the error is drawn independently of the work). Per
    // try: timeout t = 0.3, error e = 0.7 × 0.2 = 0.14, success s = 0.56.
    const t = 0.3;
    const e = 0.7 * 0.2;
    const s = 1 - t - e;
    const run = simulate(
      scenario({
        back: '{work: {mix: [{weight: 0.3, constant: 100ms}, {weight: 0.7, constant: 1ms}]}, errorRate: 20%}',
        step: 'timeout: 20ms',
        rate: '1000/s',
        arrivals: 'poisson',
        duration: '20s',
      }),
    );
    for (const [v, r] of [
      ['on-timeout', t],
      ['on-error', e],
      ['baseline', t + e],
    ] as const) {
      const c = counters(run, v);
      const N = c.N;
      // Tries are independent: a call succeeds at try k with probability r^(k−1)·s, so over n
      // tries with probability s(1 − rⁿ)/(1 − r); the number of tries is k with probability
      // r^(k−1)(1 − r) for k < n and r^(n−1) for k = n. Binomial and i.i.d.-mean tolerances.
      const success = (s * (1 - r ** maxAttempts)) / (1 - r);
      const availability = c.succeeded / N;
      expect(Math.abs(availability - success), `${v}: ${availability} vs ${success}`).toBeLessThan(Z * binomialSE(success, N));
      const probs = Array.from({ length: maxAttempts }, (_, i) => (i < maxAttempts - 1 ? r ** i * (1 - r) : r ** (maxAttempts - 1)));
      const mean = probs.reduce((a, q, i) => a + q * (i + 1), 0);
      const variance = probs.reduce((a, q, i) => a + q * (i + 1) ** 2, 0) - mean ** 2;
      expect(mean).toBeCloseTo((1 - r ** maxAttempts) / (1 - r), 12);
      expect(Math.abs(c.attempts / N - mean), `${v}: ${c.attempts / N} vs ${mean}`).toBeLessThan(Z * Math.sqrt(variance / N));
    }
    // Exact bookkeeping: under [timeout] every retry follows a timeout, and a call's last
    // timeout is retried unless it was its n-th try; under [error], the same for errors.
    const onT = counters(run, 'on-timeout');
    expect(onT.retries).toBe(onT.timeouts - (onT.summary.failed - onT.errors));
    const onE = counters(run, 'on-error');
    expect(onE.retries).toBe(onE.errors - (onE.summary.failed - onE.timeouts));
  });
});
