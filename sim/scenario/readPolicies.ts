import { show, type Path } from './errors.js';
import { LIMITS } from './limits.js';
import { given, isRecord, type Reader } from './reader.js';
import type { BackoffPolicy, BreakerPolicy, BulkheadPolicy, CallPolicies, HedgePolicy, RetryOn, RetryPolicy, SlidingWindow } from './types.js';
import { parseDuration } from './units.js';

/** Backoff fields shared by retries and queue redelivery. */
export function readBackoff(r: Reader, raw: Record<string, any>, path: Path): BackoffPolicy {
  const baseMs = r.duration(raw.base, [...path, 'base'], 0);
  const backoff = raw.backoff ?? (given(raw.base) ? 'constant' : 'none');
  const capMs = r.duration(raw.cap, [...path, 'cap'], Infinity);
  if (capMs < baseMs) r.error([...path, 'cap'], `cap below base (found ${show(raw.cap)}, expected at least ${show(raw.base)})`);
  if ((backoff === 'constant' || backoff === 'exponential') && !given(raw.base)) {
    r.error([...path, 'base'], `missing base (expected the first delay, e.g. 100ms, for backoff ${backoff})`);
  }
  // With no backoff there is no delay to jitter or cap: a field that would do nothing is an error.
  if (backoff === 'none') {
    for (const f of ['jitter', 'cap', 'multiplier'] as const) {
      if (given(raw[f]) && !(f === 'jitter' && raw[f] === 'none')) {
        r.error([...path, f], `${f} has no effect without a backoff (found backoff: none, expected backoff: constant or exponential with a base)`);
      }
    }
  }
  if (backoff === 'constant' && given(raw.multiplier)) {
    r.error([...path, 'multiplier'], 'multiplier applies to backoff: exponential (found backoff: constant)');
  }
  return { backoff, baseMs, capMs, multiplier: raw.multiplier ?? 2, jitter: raw.jitter ?? 'none' };
}

export function readRetry(r: Reader, raw: unknown, path: Path): RetryPolicy | null {
  if (!isRecord(raw)) return null;
  const maxAttempts = raw.maxAttempts ?? 3;
  r.atMost(maxAttempts, LIMITS.maxRetryAttempts, [...path, 'maxAttempts'], 'attempts');
  const retryOn: RetryOn[] = raw.retryOn ?? ['error', 'timeout', 'rejected'];
  let budget: number | null = null;
  if (raw.budget !== undefined && raw.budget !== null) {
    budget = r.probability(raw.budget, [...path, 'budget'], 0);
  }
  return {
    ...readBackoff(r, raw, path),
    maxAttempts: Math.min(maxAttempts, LIMITS.maxRetryAttempts),
    retryOn,
    budget,
    budgetCapacity: raw.budgetCapacity ?? 10,
  };
}

/** `hedge: {after: 20ms, max: 1}`; a hedge due at or after the attempt's timeout would never be sent. */
export function readHedge(r: Reader, raw: unknown, path: Path, timeoutMs: number | null): HedgePolicy | null {
  if (!isRecord(raw)) return null;
  const afterMs = r.positiveDuration(raw.after, [...path, 'after'], 1);
  const max = raw.max ?? 1;
  r.atMost(max, LIMITS.maxHedges, [...path, 'max'], 'hedges');
  if (timeoutMs !== null && afterMs >= timeoutMs) {
    r.error([...path, 'after'], `a hedge after the timeout is never sent (found after ${show(raw.after)}, expected less than the timeout, ${timeoutMs}ms)`);
  }
  return { afterMs, max: Math.min(max, LIMITS.maxHedges) };
}

/** `slidingWindow: 20` (calls) or `10s` (time). */
function readWindow(r: Reader, raw: unknown, path: Path): SlidingWindow {
  if (!given(raw)) return { type: 'count', size: 100 };
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw) || raw < 1 || raw > 1_000_000) {
      r.error(path, `bad window (found ${show(raw)}, expected a whole number of calls from 1 to 1000000, or a duration)`);
      return { type: 'count', size: 100 };
    }
    return { type: 'count', size: raw };
  }
  const ms = parseDuration(raw);
  if (typeof ms !== 'number' || ms <= 0) {
    r.error(path, `bad window (found ${show(raw)}, expected a number of calls such as 20, or a duration such as 10s)`);
    return { type: 'count', size: 100 };
  }
  return { type: 'time', sizeMs: ms };
}

/** Defaults follow resilience4j's CircuitBreakerConfig. */
export function readBreaker(r: Reader, raw: unknown, path: Path): BreakerPolicy | null {
  if (!isRecord(raw)) return null;
  const consecutive = given(raw.consecutiveFailures);
  if (consecutive && (given(raw.failureRateThreshold) || given(raw.slidingWindow))) {
    r.error([...path, 'consecutiveFailures'], 'consecutiveFailures replaces failureRateThreshold and slidingWindow (found both, expected one mode)');
  }
  const threshold = r.probability(raw.failureRateThreshold, [...path, 'failureRateThreshold'], 0.5);
  if (threshold === 0) r.error([...path, 'failureRateThreshold'], 'must be above 0% (found 0, expected e.g. 50%)');
  const slowCallDurationMs = r.optionalDuration(raw.slowCallDuration, [...path, 'slowCallDuration']);
  if (given(raw.slowCallRateThreshold) && slowCallDurationMs === null) {
    r.error([...path, 'slowCallRateThreshold'], 'needs slowCallDuration (expected the duration above which a call is slow)');
  }
  return {
    mode: consecutive ? 'consecutive' : 'rate',
    failureRateThreshold: threshold,
    slidingWindow: readWindow(r, raw.slidingWindow, [...path, 'slidingWindow']),
    minimumCalls: raw.minimumCalls ?? (consecutive ? 1 : 100),
    consecutiveFailures: raw.consecutiveFailures ?? 5,
    waitInOpenMs: r.positiveDuration(raw.waitInOpen, [...path, 'waitInOpen'], 60_000),
    halfOpenCalls: raw.halfOpenCalls ?? (consecutive ? 1 : 10),
    slowCallDurationMs,
    slowCallRateThreshold: r.probability(raw.slowCallRateThreshold, [...path, 'slowCallRateThreshold'], 1),
    scope: raw.scope ?? 'instance',
  };
}

export function readBulkhead(r: Reader, raw: unknown, path: Path): BulkheadPolicy | null {
  if (!isRecord(raw)) return null;
  return { maxConcurrent: raw.maxConcurrent ?? 1, maxWaitMs: r.duration(raw.maxWait, [...path, 'maxWait'], 0) };
}

export function readCallPolicies(r: Reader, raw: Record<string, any>, path: Path): CallPolicies {
  let timeoutMs: number | null = null;
  if (raw.timeout !== undefined && raw.timeout !== null) {
    timeoutMs = r.positiveDuration(raw.timeout, [...path, 'timeout'], 1000);
  }
  return {
    timeoutMs,
    retry: readRetry(r, raw.retry, [...path, 'retry']),
    hedge: readHedge(r, raw.hedge, [...path, 'hedge'], timeoutMs),
    circuitBreaker: readBreaker(r, raw.circuitBreaker, [...path, 'circuitBreaker']),
    bulkhead: readBulkhead(r, raw.bulkhead, [...path, 'bulkhead']),
    fallback: raw.fallback ?? null,
  };
}
