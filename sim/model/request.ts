import type { LinkRt } from './link.js';
import type { Operation } from './operation.js';
import type { Outcome } from './outcome.js';
import type { Invocation } from './call.js';
import type { EndpointRt, InstanceRt } from './service.js';
import type { QueueRt } from './queue.js';
import { stepDone, type StepCursor, type StepRt } from './steps.js';

/**
 * One attempt of a call: the caller's view (sent, timed out, answered) and the server's
 * (queued, working, running its endpoint's steps, finished) on one object, so a hop allocates
 * once. It is the cursor of its own steps.
 */
export class Request implements StepCursor {
  /**
   * Booleans and small numbers share one integer: a hop allocates a request, and the chain
   * benchmark makes four per operation — fewer fields mean less for the garbage collector.
   * Bits 0–4 flags, bits 8–10 the outcome.
   */
  private bits = 0;
  /** Step cursor: the step index (low 16 bits) and its repetition (high bits). */
  private cursor = 0;
  /** Trace spans plus one: the caller's (low 16 bits) and the server's (high bits); 0 = none. */
  private spans = 0;

  // Caller side.
  readonly sentMs: number;
  /** Position in the call site's TimeoutQueue, or −1. */
  timeoutPos = -1;

  // Server side.
  instance: InstanceRt | null = null;
  /**
   * When it reached its instance; set only where maxQueueTime reads it. A number field stays a
   * small integer, not a boxed double, in a process that never writes a fraction into it.
   */
  arrivedMs = 0;
  // Intrusive list of the instance's running requests, so a crash can find them without a Set.
  prevRunning: Request | null = null;
  nextRunning: Request | null = null;

  get stepsDegraded(): boolean {
    return (this.bits & 1) !== 0;
  }
  set stepsDegraded(v: boolean) {
    this.bits = v ? this.bits | 1 : this.bits & ~1;
  }
  /** The caller stopped waiting: answered or timed out. Later answers are ignored. */
  get callerDone(): boolean {
    return (this.bits & 2) !== 0;
  }
  set callerDone(v: boolean) {
    this.bits = v ? this.bits | 2 : this.bits & ~2;
  }
  /** The instance crashed under it: its work is lost. */
  get killed(): boolean {
    return (this.bits & 4) !== 0;
  }
  set killed(v: boolean) {
    this.bits = v ? this.bits | 4 : this.bits & ~4;
  }
  /** A poison message's delivery: it always fails. */
  get poison(): boolean {
    return (this.bits & 16) !== 0;
  }
  set poison(v: boolean) {
    this.bits = v ? this.bits | 16 : this.bits & ~16;
  }
  get outcome(): Outcome {
    return ((this.bits >> 8) & 7) as Outcome;
  }
  set outcome(v: Outcome) {
    this.bits = (this.bits & ~(7 << 8)) | (v << 8);
  }
  get stepIndex(): number {
    return this.cursor & 0xffff;
  }
  set stepIndex(v: number) {
    this.cursor = (this.cursor & ~0xffff) | v;
  }
  get stepRepeat(): number {
    return this.cursor >>> 16;
  }
  set stepRepeat(v: number) {
    this.cursor = (this.cursor & 0xffff) | (v << 16);
  }
  /** The caller's span for this attempt, when traced (−1 = none). */
  get span(): number {
    return (this.spans & 0xffff) - 1;
  }
  set span(v: number) {
    this.spans = (this.spans & ~0xffff) | (v + 1);
  }
  /** The server's span, when traced (−1 = none). */
  get serverSpan(): number {
    return (this.spans >>> 16) - 1;
  }
  set serverSpan(v: number) {
    this.spans = (this.spans & 0xffff) | ((v + 1) << 16);
  }

  get op(): Operation {
    return this.inv.op;
  }

  /**
   * When the caller gives up on this attempt (Infinity = never); carried to the server. Worked
   * out, not stored: a field would box a double in every request.
   */
  get deadlineMs(): number {
    const inv = this.inv;
    const callerMs = inv.deadlineMs;
    const timeoutMs = inv.site.policies.timeoutMs;
    return timeoutMs === null ? callerMs : Math.min(callerMs, this.sentMs + timeoutMs);
  }

  get req(): Request {
    return this;
  }

  /** A request's own steps are never a parallel branch. */
  get join(): null {
    return null;
  }

  /** The endpoint called, or null for a publish to a queue (kept on the call site: smaller requests). */
  get endpoint(): EndpointRt | null {
    return this.inv.site.endpoint;
  }

  get queue(): QueueRt | null {
    return this.inv.site.queue;
  }

  get link(): LinkRt {
    return this.inv.site.link;
  }

  get steps(): StepRt[] {
    return this.endpoint!.steps;
  }

  get abandoned(): boolean {
    return this.killed;
  }

  invocationDone(_inv: Invocation, outcome: Outcome): void {
    stepDone(this, outcome);
  }

  constructor(
    readonly inv: Invocation,
    nowMs: number,
  ) {
    this.sentMs = nowMs;
  }
}
