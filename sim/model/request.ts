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
  // Step cursor (see steps.ts).
  stepIndex = 0;
  stepRepeat = 0;
  stepsDegraded = false;

  // Caller side.
  /** The caller stopped waiting: answered or timed out. Later answers are ignored. */
  callerDone = false;
  sentMs: number;
  /** When the caller gives up on this attempt (Infinity = never); carried to the server. */
  deadlineMs: number;
  /** The caller's span for this attempt, when traced. */
  span = -1;
  /** Position in the call site's TimeoutQueue, or −1. */
  timeoutPos = -1;

  // Server side.
  instance: InstanceRt | null = null;
  arrivedMs = 0;
  /** 0 new, 1 queued, 2 working, 3 running steps, 4 finished. */
  state = 0;
  /** The instance crashed under it: its work is lost. */
  killed = false;
  degraded = false;
  /** A poison message's delivery: it always fails. */
  poison = false;
  outcome: Outcome = 0;
  serverSpan = -1;
  // Intrusive list of the instance's running requests, so a crash can find them without a Set.
  prevRunning: Request | null = null;
  nextRunning: Request | null = null;

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
    readonly op: Operation,
    readonly inv: Invocation,
    nowMs: number,
    deadlineMs: number,
  ) {
    this.sentMs = nowMs;
    this.deadlineMs = deadlineMs;
  }
}
