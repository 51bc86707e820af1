import type { RandomStream } from '../engine/random.js';
import type { EdgeStats } from '../metrics/stats.js';
import { backoffDelayMs } from '../policies/backoff.js';
import { Bulkhead } from '../policies/bulkhead.js';
import { CircuitBreaker } from '../policies/circuitBreaker.js';
import { RetryBudget } from '../policies/retryBudget.js';
import type { CallPolicies } from '../scenario/types.js';
import type { LinkRt } from './link.js';
import type { Operation } from './operation.js';
import { DEGRADED, ERROR, isSuccess, REJECTED, retryClass, SHORT_CIRCUITED, TIMEOUT, type Outcome } from './outcome.js';
import type { QueueRt } from './queue.js';
import { Request } from './request.js';
import { receive, type EndpointRt } from './service.js';
import { TimeoutQueue } from './timeoutQueue.js';
import type { World } from './world.js';

/** Who waits for an invocation's result. */
export interface InvocationParent {
  invocationDone(inv: Invocation, outcome: Outcome): void;
  /** The work that made the call was lost (its instance crashed): stop retrying. */
  readonly abandoned: boolean;
}

interface BulkheadWaiter {
  inv: Invocation;
  expired: boolean;
  admitted: boolean;
}

/** The stateful policies of one caller (instance) at one call site. */
export class PolicyState {
  constructor(
    readonly breaker: CircuitBreaker | null,
    readonly bulkhead: Bulkhead<BulkheadWaiter> | null,
    readonly budget: RetryBudget | null,
  ) {}
}

/**
 * A place that makes calls: a call or publish step, a traffic source, or a queue's consumers.
 * It holds the policies and, per caller instance, their state.
 */
export class CallSite {
  readonly states: PolicyState[];
  readonly timeouts: TimeoutQueue;

  constructor(
    readonly world: World,
    /** `caller->service.endpoint`, `caller->queue`: the edge in the results. */
    readonly key: string,
    readonly policies: CallPolicies,
    readonly endpoint: EndpointRt | null,
    readonly queue: QueueRt | null,
    readonly link: LinkRt,
    readonly stats: EdgeStats,
    readonly retryStream: RandomStream,
    /** Caller instances (1 for a traffic source or a queue). */
    callerInstances: number,
  ) {
    this.timeouts = new TimeoutQueue(world.sim);
    const p = policies;
    let shared: CircuitBreaker | null = null;
    const makeBreaker = () => {
      const b = new CircuitBreaker(p.circuitBreaker!, (from, to, now) => world.onBreakerTransition(stats, from, to, now));
      stats.breakers++;
      return b;
    };
    if (p.circuitBreaker && p.circuitBreaker.scope === 'service') shared = makeBreaker();
    this.states = Array.from(
      { length: callerInstances },
      () =>
        new PolicyState(
          p.circuitBreaker ? (shared ?? makeBreaker()) : null,
          p.bulkhead ? new Bulkhead<BulkheadWaiter>(p.bulkhead.maxConcurrent, p.bulkhead.maxWaitMs) : null,
          p.retry && p.retry.budget !== null ? new RetryBudget(p.retry.budget, p.retry.budgetCapacity) : null,
        ),
    );
  }
}

/** Rarely needed per-invocation state, created on first use (as Operation's OperationExtra). */
class InvocationExtra {
  hedgeAtMs = -1;
  prevDelayMs = 0;
  /** The caller's span and the retry wait's span, each plus one (16 bits each; 0 = none). */
  spans = 0;
}

/**
 * One logical call with its retries: tries attempts through the bulkhead and the breaker,
 * times each out, backs off between them, and falls back when they are exhausted.
 */
export class Invocation {
  /**
   * Every call allocates one, so flags and small numbers share an integer (behind accessors):
   * bit 0 done, bit 1 poison, bits 2–5 attempts of the current try still unanswered (hedging
   * only, ≤ 1 + maxHedges), bits 6–9 hedges of the current try, tries (≤ maxRetryAttempts) from bit 10.
   */
  private bits = 0;
  /** What few calls need (hedging, backoff, traces): made on first use, so a plain call is smaller. */
  private extra: InvocationExtra | null = null;

  constructor(
    readonly site: CallSite,
    readonly parent: InvocationParent,
    readonly op: Operation,
    readonly state: PolicyState,
    /**
     * The request whose deadline this call inherits (its server propagates deadlines), or null
     * for none. A reference, not a copy: a number field would box a double per call.
     */
    readonly deadlineOf: Request | null,
    /** The caller's span, when traced. */
    parentSpan: number,
  ) {
    if (parentSpan >= 0) this.more.spans = parentSpan + 1;
  }

  private get more(): InvocationExtra {
    return (this.extra ??= new InvocationExtra());
  }
  /** Hedging: when the current try's next hedge is due (−1 = none). Stale timers compare it. */
  private get hedgeAtMs(): number {
    return this.extra === null ? -1 : this.extra.hedgeAtMs;
  }
  private set hedgeAtMs(v: number) {
    this.more.hedgeAtMs = v;
  }
  /** The previous retry's backoff delay (decorrelated jitter grows from it). */
  private get prevDelayMs(): number {
    return this.extra === null ? 0 : this.extra.prevDelayMs;
  }
  private set prevDelayMs(v: number) {
    this.more.prevDelayMs = v;
  }

  /** The caller's own deadline (Infinity unless deadlines propagate). */
  get deadlineMs(): number {
    const r = this.deadlineOf;
    return r === null ? Infinity : r.deadlineMs;
  }

  get done(): boolean {
    return (this.bits & 1) !== 0;
  }
  set done(v: boolean) {
    this.bits = v ? this.bits | 1 : this.bits & ~1;
  }
  /** Deliveries of a poison message always fail. */
  get poison(): boolean {
    return (this.bits & 2) !== 0;
  }
  set poison(v: boolean) {
    this.bits = v ? this.bits | 2 : this.bits & ~2;
  }
  /** Attempts tried so far (sent, or refused by the bulkhead or the breaker). */
  get tries(): number {
    return this.bits >>> 10;
  }
  set tries(v: number) {
    this.bits = (this.bits & 0x3ff) | (v << 10);
  }
  /** Hedging: attempts of the current try sent and not yet answered. */
  private get outstanding(): number {
    return (this.bits >>> 2) & 15;
  }
  private set outstanding(v: number) {
    this.bits = (this.bits & ~(15 << 2)) | (v << 2);
  }
  /** Hedges sent (or refused) in the current try. */
  private get hedgesInTry(): number {
    return (this.bits >>> 6) & 15;
  }
  private set hedgesInTry(v: number) {
    this.bits = (this.bits & ~(15 << 6)) | (v << 6);
  }
  get parentSpan(): number {
    return this.extra === null ? -1 : (this.extra.spans & 0xffff) - 1;
  }
  private get waitSpan(): number {
    return this.extra === null ? -1 : (this.extra.spans >>> 16) - 1;
  }
  private set waitSpan(v: number) {
    const m = this.more;
    m.spans = (m.spans & 0xffff) | ((v + 1) << 16);
  }

  start(): void {
    this.state.budget?.onRequest();
    this.tryAttempt();
  }

  tryAttempt(): void {
    if (this.parent.abandoned) return;
    const now = this.site.world.sim.nowMs;
    this.tries++;
    if (now >= this.deadlineMs) {
      // No time left to try: no retry can help, but a fallback still answers.
      this.retryOrFinish(TIMEOUT);
      return;
    }
    const b = this.state.bulkhead;
    if (b !== null && !b.tryAcquire()) this.bulkheadFull(b);
    else this.afterBulkhead();
  }

  /** No bulkhead slot free: wait for one (up to maxWait), or be refused at once. */
  private bulkheadFull(b: Bulkhead<BulkheadWaiter>): void {
    if (b.maxWaitMs > 0) {
      const waiter: BulkheadWaiter = { inv: this, expired: false, admitted: false };
      b.enqueue(waiter);
      this.site.world.sim.schedule(b.maxWaitMs, bulkheadWaitExpired, waiter);
      return;
    }
    this.bulkheadRefused();
  }

  /** Holding a bulkhead slot (if any): ask the breaker, then send. */
  afterBulkhead(): void {
    if (!this.breakerAdmits(this.site.world.sim.nowMs)) {
      this.retryOrFinish(SHORT_CIRCUITED);
      return;
    }
    this.send(0);
  }

  /**
   * A hedge timer fired. If it is the current try's (stale timers of an earlier try or of an
   * answered call do not match `hedgeAtMs`) and the call is still unanswered, send another
   * attempt through the bulkhead and the breaker. A hedge never waits for a bulkhead slot, and a
   * refused hedge is not a failure of the try: the attempts in flight still decide it.
   */
  hedgeDue(): void {
    const site = this.site;
    const sim = site.world.sim;
    const now = sim.nowMs;
    if (this.done || now !== this.hedgeAtMs) return;
    this.hedgeAtMs = -1;
    if (this.parent.abandoned || this.outstanding === 0 || now >= this.deadlineMs) return;
    const h = site.policies.hedge!;
    const n = this.hedgesInTry + 1;
    this.hedgesInTry = n;
    if (n < h.max) {
      this.hedgeAtMs = now + h.afterMs;
      sim.at(this.hedgeAtMs, hedgeTimer, this);
    }
    const b = this.state.bulkhead;
    if (b !== null && !b.tryAcquire()) {
      this.refused('bulkhead');
      return;
    }
    if (this.breakerAdmits(now)) this.send(n);
  }

  /** Sends an attempt: the try's first (`hedge` 0) or its `hedge`-th hedge. */
  private send(hedge: number): void {
    const site = this.site;
    const world = site.world;
    const now = world.sim.nowMs;
    const op = this.op;
    // What few attempts need (retries, hedges, traces) is out of line: a smaller send is one
    // the JIT can inline into its callers.
    if (op.measured) {
      site.stats.attempts++;
      if (hedge > 0 || this.tries > 1) this.countRepeat(hedge);
    }
    if (site.policies.hedge !== null) this.armHedge(hedge, now);
    const timeoutMs = site.policies.timeoutMs;
    const callerDeadlineMs = this.deadlineMs;
    const req = new Request(this, now);
    if (this.poison) req.poison = true;
    if (op.trace !== null) this.traceAttempt(req, hedge, now);
    // The attempt's deadline (Request.deadlineMs) is its own timeout's, or the caller's if that comes first.
    if (timeoutMs !== null && now + timeoutMs <= callerDeadlineMs) site.timeouts.add(req);
    else if (callerDeadlineMs !== Infinity) world.sim.schedule(callerDeadlineMs - now, attemptTimeout, req);
    if (site.endpoint !== null) req.instance = site.endpoint.svc.pick(now);
    const delay = site.link.forward();
    // A message with no latency arrives now: handled at once rather than as an event, which
    // halves the events of a model without network (an M/M/1 customer takes 2, not 4).
    if (delay === 0) requestArrives(req);
    else if (delay > 0) world.sim.schedule(delay, requestArrives, req);
  }

  /** Counts a hedge, or a retry's attempt. */
  private countRepeat(hedge: number): void {
    if (hedge > 0) this.site.stats.hedges++;
    else this.site.stats.retries++;
  }

  /** Hedging: one more attempt of the try in flight; the try's first arms the hedge timer. */
  private armHedge(hedge: number, now: number): void {
    this.outstanding++;
    if (hedge === 0) {
      this.hedgesInTry = 0;
      this.hedgeAtMs = now + this.site.policies.hedge!.afterMs;
      this.site.world.sim.at(this.hedgeAtMs, hedgeTimer, this);
    }
  }

  private traceAttempt(req: Request, hedge: number, now: number): void {
    const key = this.site.key;
    const name = hedge > 0 ? `${key} (hedge ${hedge})` : `${key}${this.tries > 1 ? ` (attempt ${this.tries})` : ''}`;
    req.span = this.op.trace!.open('attempt', name, this.parentSpan, now);
  }

  /** The attempt's answer arrived, or its timeout fired. */
  attemptEnded(req: Request, outcome: Outcome): void {
    const site = this.site;
    const now = site.world.sim.nowMs;
    this.releaseBulkhead();
    const ok = isSuccess(outcome);
    this.state.breaker?.onResult(now, now - req.sentMs, !ok);
    if (this.op.measured) {
      if (ok) site.stats.succeeded++;
      else countFailure(site.stats, outcome);
    }
    if (this.op.trace !== null) this.op.trace.close(req.span, now, outcome);
    if (this.done) return;
    if (ok) this.finish(outcome);
    else this.attemptFailed(outcome);
  }

  private attemptFailed(outcome: Outcome): void {
    if (this.site.policies.hedge !== null) {
      // A failed attempt ends the try only when no other attempt of it is still in flight.
      const left = this.outstanding - 1;
      this.outstanding = left;
      if (left > 0) return;
      this.hedgeAtMs = -1;
    }
    this.retryOrFinish(outcome);
  }

  /** The bulkhead refused the try's attempt (full, or its wait ran out): the try is rejected. */
  bulkheadRefused(): void {
    this.refused('bulkhead');
    this.retryOrFinish(REJECTED);
  }

  /** Asks the breaker (holding a bulkhead slot, if any); a refusal gives the slot back and is counted. */
  private breakerAdmits(now: number): boolean {
    const br = this.state.breaker;
    if (br === null || br.tryAcquire(now)) return true;
    this.releaseBulkhead();
    this.refused('short-circuit');
    return false;
  }

  /** Counts and traces an attempt refused before it was sent: by the bulkhead or the breaker. */
  private refused(kind: 'short-circuit' | 'bulkhead'): void {
    if (this.op.measured) {
      if (kind === 'bulkhead') this.site.stats.rejected++;
      else this.site.stats.shortCircuited++;
    }
    if (this.op.trace !== null) this.op.trace.mark(kind, this.site.key, this.parentSpan, this.site.world.sim.nowMs, kind === 'bulkhead' ? 'rejected' : 'short-circuited');
  }

  private retryOrFinish(outcome: Outcome): void {
    if (this.parent.abandoned) {
      this.done = true;
      return;
    }
    const site = this.site;
    const world = site.world;
    const now = world.sim.nowMs;
    const r = site.policies.retry;
    if (r !== null && this.tries < r.maxAttempts && r.retryOn.includes(retryClass(outcome))) {
      const delay = backoffDelayMs(r, this.tries, this.prevDelayMs, site.retryStream);
      if (now + delay < this.deadlineMs) {
        if (this.state.budget === null || this.state.budget.tryRetry()) {
          this.prevDelayMs = delay;
          if (this.op.trace !== null) this.waitSpan = this.op.trace.open('retry-wait', site.key, this.parentSpan, now);
          world.sim.schedule(delay, retryTimer, this);
          return;
        }
        if (this.op.measured) site.stats.budgetDenied++;
      }
    }
    if (site.policies.fallback === 'degrade') {
      if (this.op.measured) site.stats.fallbacks++;
      this.finish(DEGRADED);
      return;
    }
    this.finish(outcome);
  }

  retryWaitOver(): void {
    if (this.op.trace !== null) this.op.trace.close(this.waitSpan, this.site.world.sim.nowMs, null);
    this.tryAttempt();
  }

  private releaseBulkhead(): void {
    const b = this.state.bulkhead;
    if (b === null) return;
    const next = b.release();
    if (next !== null) {
      next.admitted = true;
      this.site.world.sim.schedule(0, admitWaiter, next);
    }
  }

  private finish(outcome: Outcome): void {
    if (this.done) return;
    this.done = true;
    this.parent.invocationDone(this, outcome);
  }
}

function countFailure(s: EdgeStats, outcome: Outcome): void {
  if (outcome === TIMEOUT) s.timeouts++;
  else if (outcome === ERROR) s.errors++;
  else s.rejected++;
}

function requestArrives(req: Request): void {
  if (req.queue !== null) req.queue.onPublish(req);
  else receive(req.instance!, req);
}

function attemptTimeout(req: Request): void {
  if (req.callerDone) return;
  req.callerDone = true;
  req.inv.attemptEnded(req, TIMEOUT);
}

function hedgeTimer(inv: Invocation): void {
  inv.hedgeDue();
}

function retryTimer(inv: Invocation): void {
  inv.retryWaitOver();
}

function admitWaiter(w: BulkheadWaiter): void {
  w.inv.afterBulkhead();
}

function bulkheadWaitExpired(w: BulkheadWaiter): void {
  if (w.admitted) return;
  w.expired = true;
  w.inv.bulkheadRefused();
}
