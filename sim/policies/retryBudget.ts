/**
 * A retry budget as a token bucket (after Finagle's RetryBudget and gRPC's retry throttling).
 * Every request deposits `ratio` of a token; every retry spends one whole token, and is
 * refused when less than one is left. So over time retries are at most `ratio` of requests.
 *
 * The bucket holds at most `capacity` tokens (10 by default, `budgetCapacity`) and starts
 * full, so a fresh client can retry a short burst before the ratio governs.
 *
 * Tokens are counted in whole billionths, so deposits add up exactly: in floating point ten
 * deposits of 0.1 make 0.9999999999999999, which would refuse the retry that ten requests at
 * a 10% budget have earned (and drift the long-run fraction to 1/11). A ratio is thus exact to
 * nine decimals (0.0000001%), far finer than anyone writes a budget.
 */
const UNITS_PER_TOKEN = 1_000_000_000;

export class RetryBudget {
  /** Tokens, in billionths of a token (an integer). */
  private units: number;
  private readonly depositUnits: number;
  private readonly capacityUnits: number;

  constructor(
    readonly ratio: number,
    readonly capacity: number,
  ) {
    this.depositUnits = Math.round(ratio * UNITS_PER_TOKEN);
    this.capacityUnits = Math.round(capacity * UNITS_PER_TOKEN);
    this.units = this.capacityUnits;
  }

  get available(): number {
    return this.units / UNITS_PER_TOKEN;
  }

  /** A first attempt: deposit. */
  onRequest(): void {
    this.units = Math.min(this.capacityUnits, this.units + this.depositUnits);
  }

  /** A retry: spend a token if a whole one is there. */
  tryRetry(): boolean {
    if (this.units < UNITS_PER_TOKEN) return false;
    this.units -= UNITS_PER_TOKEN;
    return true;
  }
}
