/**
 * How a call ended: simulated failures are values, never exceptions.
 * Numbers, not strings, because they are compared on the hot path.
 */
export const OK = 0;
export const DEGRADED = 1;
export const ERROR = 2;
export const TIMEOUT = 3;
/** The server's queue was full, it shed the request, or a bulkhead was full. */
export const REJECTED = 4;
/** An open circuit breaker refused the call. */
export const SHORT_CIRCUITED = 5;

export type Outcome = typeof OK | typeof DEGRADED | typeof ERROR | typeof TIMEOUT | typeof REJECTED | typeof SHORT_CIRCUITED;

export const OUTCOME_NAMES = ['ok', 'degraded', 'error', 'timeout', 'rejected', 'short-circuited'] as const;

export function isSuccess(o: Outcome): boolean {
  return o <= DEGRADED;
}

/** The `retryOn` class of a failure: a short circuit counts as a rejection. */
export function retryClass(o: Outcome): 'error' | 'timeout' | 'rejected' {
  return o === TIMEOUT ? 'timeout' : o === ERROR ? 'error' : 'rejected';
}
