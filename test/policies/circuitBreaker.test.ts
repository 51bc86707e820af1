import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type BreakerStateName } from '../../sim/policies/circuitBreaker.js';
import type { BreakerPolicy } from '../../sim/scenario/types.js';

const policy = (o: Partial<BreakerPolicy> = {}): BreakerPolicy => ({
  mode: 'rate',
  failureRateThreshold: 0.5,
  slidingWindow: { type: 'count', size: 10 },
  minimumCalls: 10,
  consecutiveFailures: 5,
  waitInOpenMs: 1000,
  halfOpenCalls: 3,
  slowCallDurationMs: null,
  slowCallRateThreshold: 1,
  scope: 'instance',
  ...o,
});

type Transition = [BreakerStateName, BreakerStateName, number];

function breaker(o: Partial<BreakerPolicy> = {}) {
  const seen: Transition[] = [];
  const b = new CircuitBreaker(policy(o), (from, to, now) => seen.push([from, to, now]));
  return { b, seen };
}

/** One permitted call that ends at `nowMs` after `durationMs`; 'F' fails, 'S' succeeds. */
function call(b: CircuitBreaker, nowMs: number, outcome: 'S' | 'F', durationMs = 1): void {
  expect(b.tryAcquire(nowMs - durationMs)).toBe(true);
  b.onResult(nowMs, durationMs, outcome === 'F');
}

/** Calls in a row, 1 ms apart, from `startMs`; returns the time after the last one. */
function calls(b: CircuitBreaker, startMs: number, pattern: string): number {
  let t = startMs;
  for (const ch of pattern) {
    call(b, t, ch as 'S' | 'F');
    t += 1;
  }
  return t;
}

describe('closed → open (failure rate over a count window)', () => {
  it('opens once the failure rate reaches the threshold over minimumCalls', () => {
    const { b } = breaker({ failureRateThreshold: 0.5, minimumCalls: 10, slidingWindow: { type: 'count', size: 10 } });
    calls(b, 1, 'SSSSSFFFF'); // 9 calls: below minimumCalls whatever the rate
    expect(b.state.kind).toBe('closed');
    call(b, 100, 'F'); // 5/10 = 50%: reaches the threshold
    expect(b.state).toEqual({ kind: 'open', openedAtMs: 100 });
  });

  it('stays closed when the failure rate is just below the threshold', () => {
    const { b } = breaker({ failureRateThreshold: 0.5, minimumCalls: 10, slidingWindow: { type: 'count', size: 10 } });
    calls(b, 1, 'SSSSSSFFFF'); // 4/10 = 40%
    expect(b.state.kind).toBe('closed');
  });

  it('does not open before minimumCalls results, even at a 100% failure rate', () => {
    const { b } = breaker({ minimumCalls: 5, slidingWindow: { type: 'count', size: 20 } });
    calls(b, 1, 'FFFF');
    expect(b.state.kind).toBe('closed');
    call(b, 10, 'F');
    expect(b.state.kind).toBe('open');
  });

  it('a count window smaller than minimumCalls uses the window size as the minimum', () => {
    const { b } = breaker({ minimumCalls: 100, slidingWindow: { type: 'count', size: 5 } });
    calls(b, 1, 'FFFF');
    expect(b.state.kind).toBe('closed');
    call(b, 10, 'F'); // 5 = the window size
    expect(b.state.kind).toBe('open');
  });

  it('the count window slides: the oldest result leaves as a new one comes in', () => {
    // Window of 4, threshold 50%. S S S F is 25%; a further F makes the window S S F F = 50%,
    // which opens it — counting all five results (2/5 = 40%) would not.
    const { b } = breaker({ minimumCalls: 4, slidingWindow: { type: 'count', size: 4 } });
    const t = calls(b, 1, 'SSSF');
    expect(b.state.kind).toBe('closed');
    call(b, t, 'F');
    expect(b.state.kind).toBe('open');
  });

  it('old failures leave the count window: once a window of successes has passed, they no longer count', () => {
    // Window of 4, threshold 50%. F S S S then S S S leaves S S S S; one more F gives S S S F
    // = 25% (closed). Had the first F not been evicted, the window would hold 2 failures in 4.
    const { b } = breaker({ minimumCalls: 4, slidingWindow: { type: 'count', size: 4 }, failureRateThreshold: 0.5 });
    const t = calls(b, 1, 'FSSSSSS');
    expect(b.state.kind).toBe('closed');
    call(b, t, 'F');
    expect(b.state.kind).toBe('closed');
    call(b, t + 1, 'F'); // S S F F = 50%
    expect(b.state.kind).toBe('open');
  });
});

describe('closed → open (time-based window)', () => {
  it('counts the results of the last slidingWindow ms', () => {
    const { b } = breaker({ minimumCalls: 4, slidingWindow: { type: 'time', sizeMs: 10_000 } });
    calls(b, 100, 'FFF');
    // The fourth result comes 5 s later: all four are inside 10 s, so 100% over 4 calls.
    call(b, 5100, 'F');
    expect(b.state.kind).toBe('open');
  });

  it('results older than the window stop counting', () => {
    const { b } = breaker({ minimumCalls: 4, slidingWindow: { type: 'time', sizeMs: 10_000 } });
    calls(b, 100, 'FFF');
    // 10 s later the first three have left the window: one failure is below minimumCalls.
    call(b, 10_100, 'F');
    expect(b.state.kind).toBe('closed');
    calls(b, 10_101, 'FF');
    expect(b.state.kind).toBe('closed');
    call(b, 10_200, 'F');
    expect(b.state.kind).toBe('open');
  });

  it('successes leave the time window too, raising the failure rate of what remains', () => {
    const { b } = breaker({ minimumCalls: 4, failureRateThreshold: 0.5, slidingWindow: { type: 'time', sizeMs: 10_000 } });
    calls(b, 0, 'SSSSSS'); // t = 0..5 ms, all in the first 1 s bucket
    calls(b, 4000, 'FFFF'); // 4/10 = 40%: closed
    expect(b.state.kind).toBe('closed');
    // At 10.5 s the first bucket has left: the 4 failures are all that remain (100%).
    call(b, 10_500, 'S'); // 4 failures of 5 = 80%
    expect(b.state.kind).toBe('open');
  });
});

describe('open', () => {
  function opened(waitInOpenMs = 1000) {
    const r = breaker({ minimumCalls: 2, slidingWindow: { type: 'count', size: 2 }, waitInOpenMs });
    calls(r.b, 10, 'FF'); // opens at t = 11
    expect(r.b.state).toEqual({ kind: 'open', openedAtMs: 11 });
    return r;
  }

  it('refuses every call until waitInOpen has passed', () => {
    const { b } = opened(1000);
    for (const t of [11, 12, 500, 1010, 1010.999]) expect(b.tryAcquire(t)).toBe(false);
    expect(b.state.kind).toBe('open');
  });

  it('moves to half-open on the first call once waitInOpen has passed, and lets it through', () => {
    const { b, seen } = opened(1000);
    expect(b.tryAcquire(1011)).toBe(true);
    expect(b.state.kind).toBe('half-open');
    expect(seen.at(-1)).toEqual(['open', 'half-open', 1011]);
  });

  it('does not move to half-open by itself: with no call it stays open, and the move happens at the call', () => {
    const { b, seen } = opened(1000);
    expect(b.state.kind).toBe('open'); // however late it is, nothing happens without a call
    expect(b.tryAcquire(60_000)).toBe(true);
    expect(seen.at(-1)).toEqual(['open', 'half-open', 60_000]);
  });

  it('ignores a late result of a call let through before it opened', () => {
    const { b } = opened(1000);
    b.onResult(20, 5, false);
    b.onResult(21, 5, true);
    expect(b.state).toEqual({ kind: 'open', openedAtMs: 11 });
  });
});

describe('half-open', () => {
  /** A breaker that has just moved to half-open at t = 2000. */
  function halfOpen(o: Partial<BreakerPolicy> = {}) {
    const r = breaker({ minimumCalls: 2, slidingWindow: { type: 'count', size: 2 }, waitInOpenMs: 1000, halfOpenCalls: 3, ...o });
    calls(r.b, 10, 'FF');
    expect(r.b.tryAcquire(2000)).toBe(true);
    expect(r.b.state.kind).toBe('half-open');
    return r;
  }

  it('lets exactly halfOpenCalls probes through', () => {
    const { b } = halfOpen({ halfOpenCalls: 3 }); // the call that moved it was the first probe
    expect(b.tryAcquire(2001)).toBe(true);
    expect(b.tryAcquire(2002)).toBe(true);
    expect(b.tryAcquire(2003)).toBe(false);
    expect(b.tryAcquire(9_999)).toBe(false); // time alone does not free a probe
  });

  it('decides only once every probe has reported', () => {
    const { b } = halfOpen({ halfOpenCalls: 3 });
    b.tryAcquire(2001);
    b.tryAcquire(2002);
    b.onResult(2010, 10, false);
    b.onResult(2011, 10, true);
    expect(b.state.kind).toBe('half-open');
    b.onResult(2012, 10, false);
    expect(b.state.kind).toBe('closed');
  });

  it('half-open → closed when the probes’ failure rate is below the threshold', () => {
    const { b, seen } = halfOpen({ halfOpenCalls: 3, failureRateThreshold: 0.5 });
    b.tryAcquire(2001);
    b.tryAcquire(2002);
    b.onResult(2010, 10, true); // 1 failure of 3 = 33%
    b.onResult(2011, 10, false);
    b.onResult(2012, 10, false);
    expect(b.state.kind).toBe('closed');
    expect(seen.at(-1)).toEqual(['half-open', 'closed', 2012]);
  });

  it('half-open → open when the probes’ failure rate is at the threshold', () => {
    const { b, seen } = halfOpen({ halfOpenCalls: 4, failureRateThreshold: 0.5 });
    for (const t of [2001, 2002, 2003]) b.tryAcquire(t);
    b.onResult(2010, 10, false);
    b.onResult(2011, 10, true);
    b.onResult(2012, 10, false);
    b.onResult(2013, 10, true); // 2 of 4 = 50%
    expect(b.state).toEqual({ kind: 'open', openedAtMs: 2013 });
    expect(seen.at(-1)).toEqual(['half-open', 'open', 2013]);
  });

  it('half-open → open when the probes’ failure rate is above the threshold, and waits again in open', () => {
    const { b } = halfOpen({ halfOpenCalls: 2, failureRateThreshold: 0.5 });
    b.tryAcquire(2001);
    b.onResult(2010, 10, true);
    b.onResult(2011, 10, true);
    expect(b.state).toEqual({ kind: 'open', openedAtMs: 2011 });
    expect(b.tryAcquire(3010)).toBe(false);
    expect(b.tryAcquire(3011)).toBe(true);
    expect(b.state.kind).toBe('half-open');
  });

  it('a new half-open period starts with a fresh set of probes', () => {
    const { b } = halfOpen({ halfOpenCalls: 2 });
    b.tryAcquire(2001);
    b.onResult(2010, 1, true);
    b.onResult(2011, 1, true); // reopen at 2011
    expect(b.tryAcquire(3011)).toBe(true);
    expect(b.tryAcquire(3012)).toBe(true);
    expect(b.tryAcquire(3013)).toBe(false);
    expect(b.state).toMatchObject({ kind: 'half-open', permitted: 2, results: 0, failures: 0 });
  });

  it('after closing, the window starts empty: the failures that opened it are forgotten (count window)', () => {
    const { b } = halfOpen({ halfOpenCalls: 1, minimumCalls: 2, slidingWindow: { type: 'count', size: 2 } });
    b.onResult(2001, 1, false);
    expect(b.state.kind).toBe('closed');
    call(b, 2002, 'F'); // 1 result < minimum 2
    expect(b.state.kind).toBe('closed');
  });

  it('after closing, the window starts empty: the failures that opened it are forgotten (time window)', () => {
    // Four failures in the first second open it; a probe at 1.5 s closes it. Inside the same
    // 10 s window, F S S S after closing is 25% — below the threshold, had the old four gone.
    const { b } = breaker({ minimumCalls: 4, slidingWindow: { type: 'time', sizeMs: 10_000 }, waitInOpenMs: 500, halfOpenCalls: 1 });
    calls(b, 100, 'FFFF');
    expect(b.state.kind).toBe('open');
    expect(b.tryAcquire(1500)).toBe(true);
    b.onResult(1501, 1, false);
    expect(b.state.kind).toBe('closed');
    calls(b, 2000, 'FSSS');
    expect(b.state.kind).toBe('closed');
  });
});

describe('slow calls', () => {
  const slowPolicy = { slowCallDurationMs: 100, slowCallRateThreshold: 0.5, minimumCalls: 4, slidingWindow: { type: 'count', size: 4 } as const };

  it('successful but slow calls open it once the slow-call rate reaches its threshold', () => {
    const { b } = breaker(slowPolicy);
    call(b, 1000, 'S', 150);
    call(b, 1001, 'S', 10);
    call(b, 1002, 'S', 10);
    expect(b.state.kind).toBe('closed');
    call(b, 1003, 'S', 101); // 2 slow of 4 = 50%
    expect(b.state.kind).toBe('open');
  });

  it('a call lasting exactly slowCallDuration is not slow (slow means longer)', () => {
    const { b } = breaker(slowPolicy);
    for (let i = 0; i < 4; i++) call(b, 1000 + i, 'S', 100);
    expect(b.state.kind).toBe('closed');
  });

  it('below the slow-call rate threshold it stays closed', () => {
    const { b } = breaker(slowPolicy);
    call(b, 1000, 'S', 500);
    for (let i = 1; i < 4; i++) call(b, 1000 + i, 'S', 5);
    expect(b.state.kind).toBe('closed');
  });

  it('without slowCallDuration, duration does not matter', () => {
    const { b } = breaker({ minimumCalls: 4, slidingWindow: { type: 'count', size: 4 }, slowCallRateThreshold: 0.01 });
    for (let i = 0; i < 4; i++) call(b, 100_000 + i, 'S', 99_000);
    expect(b.state.kind).toBe('closed');
  });

  it('slow probes reopen it from half-open even when they succeed', () => {
    const { b } = breaker({ ...slowPolicy, halfOpenCalls: 2, waitInOpenMs: 1000 });
    for (let i = 0; i < 4; i++) call(b, 1000 + i, 'F');
    expect(b.state.kind).toBe('open');
    expect(b.tryAcquire(3000)).toBe(true);
    expect(b.tryAcquire(3000)).toBe(true);
    b.onResult(3200, 200, false);
    b.onResult(3201, 201, false);
    expect(b.state.kind).toBe('open');
  });
});

describe('consecutive-failures mode', () => {
  const consecutive = { mode: 'consecutive' as const, consecutiveFailures: 3, halfOpenCalls: 2, waitInOpenMs: 1000, minimumCalls: 1 };

  it('opens after consecutiveFailures failures in a row', () => {
    const { b } = breaker(consecutive);
    calls(b, 1, 'FF');
    expect(b.state.kind).toBe('closed');
    call(b, 10, 'F');
    expect(b.state).toEqual({ kind: 'open', openedAtMs: 10 });
  });

  it('a success resets the count', () => {
    const { b } = breaker(consecutive);
    calls(b, 1, 'FFSFFSFF');
    expect(b.state.kind).toBe('closed');
    call(b, 20, 'F');
    expect(b.state.kind).toBe('open');
  });

  it('ignores the failure rate: 2 failures in 3 calls, over and over, never open it', () => {
    const { b } = breaker(consecutive);
    calls(b, 1, 'FFS'.repeat(50));
    expect(b.state.kind).toBe('closed');
  });

  it('any failed probe reopens it at once, before the other probes report', () => {
    const { b, seen } = breaker(consecutive);
    calls(b, 1, 'FFF'); // open at 3
    expect(b.tryAcquire(1003)).toBe(true);
    expect(b.tryAcquire(1004)).toBe(true);
    b.onResult(1010, 5, true);
    expect(b.state).toEqual({ kind: 'open', openedAtMs: 1010 });
    expect(seen.at(-1)).toEqual(['half-open', 'open', 1010]);
  });

  it('closes once halfOpenCalls probes succeed, with the failure count starting again from 0', () => {
    const { b } = breaker(consecutive);
    calls(b, 1, 'FFF');
    b.tryAcquire(1003);
    b.tryAcquire(1004);
    b.onResult(1010, 5, false);
    expect(b.state.kind).toBe('half-open');
    b.onResult(1011, 5, false);
    expect(b.state.kind).toBe('closed');
    calls(b, 1100, 'FF');
    expect(b.state.kind).toBe('closed');
    call(b, 1200, 'F');
    expect(b.state.kind).toBe('open');
  });
});

describe('transition listener', () => {
  it('sees every transition, in order, with the time it happened', () => {
    const { b, seen } = breaker({ minimumCalls: 2, slidingWindow: { type: 'count', size: 2 }, waitInOpenMs: 1000, halfOpenCalls: 1 });
    calls(b, 10, 'FF'); // closed → open at 11
    expect(b.tryAcquire(500)).toBe(false);
    expect(b.tryAcquire(1011)).toBe(true); // open → half-open at 1011
    b.onResult(1020, 9, true); // half-open → open at 1020
    expect(b.tryAcquire(2500)).toBe(true); // open → half-open at 2500
    b.onResult(2530, 30, false); // half-open → closed at 2530
    calls(b, 3000, 'SS');
    expect(seen).toEqual([
      ['closed', 'open', 11],
      ['open', 'half-open', 1011],
      ['half-open', 'open', 1020],
      ['open', 'half-open', 2500],
      ['half-open', 'closed', 2530],
    ]);
  });

  it('is not called when nothing changes', () => {
    const { b, seen } = breaker();
    calls(b, 0, 'SFSFSSSS');
    expect(b.tryAcquire(100)).toBe(true);
    expect(seen).toEqual([]);
  });
});
