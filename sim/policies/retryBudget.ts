/**
 * A retry budget as a token bucket (after Finagle's RetryBudget and gRPC's retry throttling).
 * Every request deposits `ratio` of a token; every retry spends one whole token, and is
 * refused when less than one is left. So over time retries are at most `ratio` of requests.
 *
 * The bucket holds at most `capacity` tokens (10 by default, `budgetCapacity`) and starts
 * full, so a fresh client can retry a short burst before the ratio governs.
 */
export class RetryBudget {
  private tokens: number;

  constructor(
    readonly ratio: number,
    readonly capacity: number,
  ) {
    this.tokens = capacity;
  }

  get available(): number {
    return this.tokens;
  }

  /** A first attempt: deposit. */
  onRequest(): void {
    this.tokens = Math.min(this.capacity, this.tokens + this.ratio);
  }

  /** A retry: spend a token if a whole one is there. */
  tryRetry(): boolean {
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
