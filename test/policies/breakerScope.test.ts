import { describe, expect, it } from 'vitest';
import type { RawCall } from '../../sim/run/rawRun.js';
import { simulate } from '../helpers/sim.js';

/*
 * A circuit breaker lives in each caller instance by default (as in a client library);
 * `scope: service` makes the instances of the calling service share one. The scenario: front
 * has k instances behind round robin and calls back, which fails every request. Constant
 * arrivals every `gapMs`, no network and no work, so a call's result is recorded the instant
 * the call is made and front#i makes the calls of requests j ≡ i (mod k).
 */
const k = 4;
const gapMs = 10;
const durationMs = 10_000;
const consecutive = 5;
const waitInOpenMs = 1000;

const scenario = (instances: number, waitInOpen = `${waitInOpenMs}ms`) => `
name: breaker-scope
duration: ${durationMs}ms
seed: 5
traffic:
  users: {target: front.get, rate: ${1000 / gapMs}/s, arrivals: constant}
services:
  front:
    instances: ${instances}
    concurrency: 1000
    endpoints:
      get:
        steps:
          - call: back.get
            circuitBreaker: {consecutiveFailures: ${consecutive}, waitInOpen: ${waitInOpen}}
  back:
    concurrency: 1000
    endpoints: {get: {work: 0ms, errorRate: 100%}}
variants:
  shared:
    description: One breaker for all of front's instances.
    set:
      services.front.endpoints.get.steps[0].circuitBreaker.scope: service
`;

const EDGE = 'front->back.get';

/**
 * What a consecutive-failures breaker lets through when it sees a call every `spacingMs` from
 * `firstMs` on, all of them failing: `consecutive` calls, the last of which opens it; then,
 * waitInOpen later, the call arriving then (waitInOpen is a multiple of every spacing here)
 * moves it to half-open as the single probe (halfOpenCalls defaults to 1 in this mode); the
 * probe fails and reopens it. So one probe per waitInOpen until the last arrival.
 */
function oneBreaker(firstMs: number, spacingMs: number) {
  expect(waitInOpenMs % spacingMs).toBe(0);
  const lastArrival = Math.floor((durationMs - 1 - firstMs) / spacingMs) * spacingMs + firstMs;
  const openedAt = firstMs + (consecutive - 1) * spacingMs;
  const probes = Math.floor((lastArrival - openedAt) / waitInOpenMs);
  // Opened once by the failures, then once more by each failed probe; each probe cycle is
  // open → half-open → open.
  return { through: consecutive + probes, opened: 1 + probes, transitions: 1 + 2 * probes };
}

/** The same for k breakers, one per caller instance: front#i's calls start at (i + 1)·gap. */
function perInstance() {
  const each = Array.from({ length: k }, (_, i) => oneBreaker((i + 1) * gapMs, k * gapMs));
  const sum = (f: (b: ReturnType<typeof oneBreaker>) => number) => each.reduce((s, b) => s + f(b), 0);
  return { through: sum((b) => b.through), opened: sum((b) => b.opened), transitions: sum((b) => b.transitions) };
}

describe('circuit breaker scope', () => {
  const edge = (run: ReturnType<typeof simulate>, variant: string): RawCall => run.raws.get(variant)![0].calls[EDGE];

  it('by default each caller instance has its own breaker; scope: service gives the call site one', () => {
    const run = simulate(scenario(k));
    expect(edge(run, 'baseline').breakers).toBe(k);
    expect(edge(run, 'shared').breakers).toBe(1);
    // The results say so too (docs/results.md, calls.<edge>.breakers).
    expect(run.results.get('baseline')!.calls[EDGE].breakers).toBe(k);
    expect(run.results.get('shared')!.calls[EDGE].breakers).toBe(1);
    // The timeline normalises the time open by the number of breakers: both spend nearly the
    // whole run open (all but the first 50 or 200 ms, and the instants of the probes).
    for (const v of ['baseline', 'shared']) {
      const open = run.results.get(v)!.timeline.breakers[EDGE].open;
      const mean = open.reduce((a, b) => a + b, 0) / open.length;
      expect(mean, v).toBeGreaterThan(0.97);
      expect(mean, v).toBeLessThanOrEqual(1);
    }
  });

  it('per-instance breakers each learn of the failure on their own: k × consecutiveFailures calls get through, against consecutiveFailures for a shared one', () => {
    // No probe within the run: each breaker lets through the failures that open it, and
    // nothing after. front#i's breaker sees only every k-th call, and needs its own 5.
    const run = simulate(scenario(k, '1h'));
    const requests = run.results.get('baseline')!.summary.requests;
    expect(requests).toBe(durationMs / gapMs - 1);
    for (const [v, breakers] of [
      ['shared', 1],
      ['baseline', k],
    ] as const) {
      const c = edge(run, v);
      expect(c.attempts, v).toBe(breakers * consecutive);
      expect(c.breakerOpened, v).toBe(breakers);
      expect(c.shortCircuited, v).toBe(requests - breakers * consecutive);
      // back receives exactly the calls the breakers let through.
      expect(run.results.get(v)!.services.back.received, v).toBe(breakers * consecutive);
    }
  });

  it('while open, a shared breaker sends one probe per waitInOpen for the whole service; per-instance breakers send one each', () => {
    const run = simulate(scenario(k));
    const requests = run.results.get('baseline')!.summary.requests;
    const shared = oneBreaker(gapMs, gapMs);
    const separate = perInstance();
    // 999 arrivals over 10 s: the shared breaker opens at 50 ms and probes at 1050, 2050, …,
    // 9050 ms: 5 + 9 calls. front#i's breaker opens at (170 + 10i) ms and probes on its own
    // 40 ms grid 1 s later, 2 s later, …: 5 + 9 calls each, 56 in all.
    expect(shared).toEqual({ through: 14, opened: 10, transitions: 19 });
    expect(separate).toEqual({ through: 56, opened: 40, transitions: 76 });
    for (const [v, want] of [
      ['shared', shared],
      ['baseline', separate],
    ] as const) {
      const c = edge(run, v);
      expect(c.attempts, v).toBe(want.through);
      expect(c.errors, v).toBe(want.through);
      expect(c.shortCircuited, v).toBe(requests - want.through);
      expect(c.breakerOpened, v).toBe(want.opened);
      expect(c.breakerTransitions, v).toBe(want.transitions);
      expect(run.results.get(v)!.services.back.received, v).toBe(want.through);
      expect(run.results.get(v)!.summary.failed, v).toBe(requests);
    }
  });

  it('with a single caller instance, the two scopes are the same breaker: identical results', () => {
    const one = simulate(scenario(1));
    const a = one.raws.get('baseline')![0];
    const b = one.raws.get('shared')![0];
    expect(a.calls[EDGE].breakers).toBe(1);
    expect(b.calls).toEqual(a.calls);
    expect(b.ops).toEqual(a.ops);
    // …and it is the shared breaker above: one breaker that sees every call.
    expect(a.calls[EDGE].attempts).toBe(oneBreaker(gapMs, gapMs).through);
  });
});
