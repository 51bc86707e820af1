import type { BreakerPolicy } from '../scenario/types.js';
import { CountWindow, TimeWindow, type SlidingWindow } from './slidingWindow.js';

/** The breaker's state, as a tagged union (cockatiel's style). */
export type BreakerState =
  | { kind: 'closed' }
  | { kind: 'open'; openedAtMs: number }
  | { kind: 'half-open'; permitted: number; results: number; failures: number; slow: number };

export type BreakerStateName = BreakerState['kind'];

export type TransitionListener = (from: BreakerStateName, to: BreakerStateName, nowMs: number) => void;

/**
 * A circuit breaker with resilience4j's semantics, time passed in:
 *  - closed: results go into a sliding window; once it holds `minimumCalls` (for a count
 *    window, at most its size), a failure rate ≥ `failureRateThreshold` or a slow-call rate
 *    ≥ `slowCallRateThreshold` opens it. In consecutive mode, `consecutiveFailures` failures
 *    in a row open it instead.
 *  - open: every call is refused until `waitInOpenMs` has passed; the next call then moves
 *    it to half-open (resilience4j's default, without the automatic transition).
 *  - half-open: `halfOpenCalls` probes are let through; once all have reported, it closes
 *    if their failure rate is below the threshold, else it opens again. In consecutive
 *    mode, any probe failure reopens it.
 */
export class CircuitBreaker {
  private s: BreakerState = { kind: 'closed' };
  private readonly window: SlidingWindow;
  private consecutive = 0;

  constructor(
    readonly policy: BreakerPolicy,
    private readonly onTransition: TransitionListener = () => {},
  ) {
    this.window =
      policy.slidingWindow.type === 'count' ? new CountWindow(policy.slidingWindow.size) : new TimeWindow(policy.slidingWindow.sizeMs);
  }

  get state(): BreakerState {
    return this.s;
  }

  /** May a call go through now? A refused call is short-circuited and not recorded. */
  tryAcquire(nowMs: number): boolean {
    const s = this.s;
    if (s.kind === 'closed') return true;
    if (s.kind === 'open') {
      if (nowMs < s.openedAtMs + this.policy.waitInOpenMs) return false;
      this.transition({ kind: 'half-open', permitted: 0, results: 0, failures: 0, slow: 0 }, nowMs);
      return this.tryAcquire(nowMs);
    }
    if (s.permitted >= this.policy.halfOpenCalls) return false;
    s.permitted++;
    return true;
  }

  /** Records a permitted call's result. */
  onResult(nowMs: number, durationMs: number, failed: boolean): void {
    const p = this.policy;
    const slow = p.slowCallDurationMs !== null && durationMs > p.slowCallDurationMs;
    const s = this.s;
    if (s.kind === 'open') return; // a call let through before the breaker opened
    if (s.kind === 'half-open') {
      s.results++;
      if (failed) s.failures++;
      if (slow) s.slow++;
      if (p.mode === 'consecutive') {
        if (failed) this.open(nowMs);
        else if (s.results >= p.halfOpenCalls) this.close(nowMs);
        return;
      }
      if (s.results >= p.halfOpenCalls) {
        if (this.tripped(s.results, s.failures, s.slow)) this.open(nowMs);
        else this.close(nowMs);
      }
      return;
    }
    if (p.mode === 'consecutive') {
      this.consecutive = failed ? this.consecutive + 1 : 0;
      if (this.consecutive >= p.consecutiveFailures) this.open(nowMs);
      return;
    }
    this.window.record(nowMs, failed, slow);
    const t = this.window.totals(nowMs);
    const minimum = p.slidingWindow.type === 'count' ? Math.min(p.minimumCalls, p.slidingWindow.size) : p.minimumCalls;
    if (t.calls >= minimum && this.tripped(t.calls, t.failures, t.slow)) this.open(nowMs);
  }

  private tripped(calls: number, failures: number, slow: number): boolean {
    const p = this.policy;
    if (failures / calls >= p.failureRateThreshold) return true;
    return p.slowCallDurationMs !== null && slow / calls >= p.slowCallRateThreshold;
  }

  private open(nowMs: number): void {
    this.transition({ kind: 'open', openedAtMs: nowMs }, nowMs);
  }

  private close(nowMs: number): void {
    this.window.reset();
    this.consecutive = 0;
    this.transition({ kind: 'closed' }, nowMs);
  }

  private transition(to: BreakerState, nowMs: number): void {
    const from = this.s.kind;
    this.s = to;
    this.onTransition(from, to.kind, nowMs);
  }
}
