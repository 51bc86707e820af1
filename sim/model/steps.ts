import type { CallSite, InvocationParent } from './call.js';
import { Invocation } from './call.js';
import { DEGRADED, isSuccess, OK, TIMEOUT, type Outcome } from './outcome.js';
import type { Request } from './request.js';
import { stepsDone } from './service.js';

/** A step, compiled: its call site (for call and publish) or its branches (for parallel). */
export interface StepRt {
  kind: 'call' | 'publish' | 'parallel';
  times: number;
  site: CallSite | null;
  branches: StepRt[];
}

/**
 * Where a request is in a list of steps. The request itself is the cursor of its endpoint's
 * steps (no allocation per hop); each branch of a parallel step gets a StepRunner.
 */
export interface StepCursor extends InvocationParent {
  readonly req: Request;
  readonly steps: StepRt[];
  readonly join: Join | null;
  stepIndex: number;
  stepRepeat: number;
  stepsDegraded: boolean;
}

/**
 * Runs the cursor's next step, holding the request's worker. With deadline propagation a
 * server stops working for a caller that has given up.
 */
export function nextStep(c: StepCursor): void {
  const req = c.req;
  if (req.killed) return;
  if (c.stepIndex >= c.steps.length) {
    cursorDone(c, c.stepsDegraded ? DEGRADED : OK);
    return;
  }
  const svc = req.endpoint!.svc;
  const inherits = svc.def.deadlinePropagation;
  if (inherits && svc.world.sim.nowMs >= req.deadlineMs) {
    cursorDone(c, TIMEOUT);
    return;
  }
  const step = c.steps[c.stepIndex];
  if (step.kind === 'parallel') {
    new Join(c, step.branches).start();
    return;
  }
  const site = step.site!;
  const state = site.states.length === 1 ? site.states[0] : site.states[req.instance!.index];
  new Invocation(site, c, req.op, state, inherits ? req : null, req.serverSpan).start();
}

/** A step ended: a failure without a fallback fails the rest; a degraded one marks the request. */
export function stepDone(c: StepCursor, outcome: Outcome): void {
  if (c.req.killed) return;
  if (!isSuccess(outcome)) {
    cursorDone(c, outcome);
    return;
  }
  if (outcome === DEGRADED) c.stepsDegraded = true;
  if (++c.stepRepeat >= c.steps[c.stepIndex].times) {
    c.stepIndex++;
    c.stepRepeat = 0;
  }
  nextStep(c);
}

function cursorDone(c: StepCursor, outcome: Outcome): void {
  if (c.join !== null) c.join.branchDone(outcome);
  else stepsDone(c.req, outcome);
}

/** One branch of a parallel step. */
export class StepRunner implements StepCursor {
  stepIndex = 0;
  stepRepeat = 0;
  stepsDegraded = false;

  constructor(
    readonly req: Request,
    readonly steps: StepRt[],
    readonly join: Join | null,
  ) {}

  get abandoned(): boolean {
    return this.req.killed;
  }

  invocationDone(_inv: Invocation, outcome: Outcome): void {
    stepDone(this, outcome);
  }
}

/** A parallel step: all branches start at once; it ends when the last one does. */
export class Join {
  private remaining: number;
  private failure: Outcome | null = null;
  private degraded = false;

  constructor(
    private readonly cursor: StepCursor,
    private readonly branches: StepRt[],
  ) {
    this.remaining = branches.length;
  }

  start(): void {
    for (const b of this.branches) nextStep(new StepRunner(this.cursor.req, [b], this));
  }

  branchDone(outcome: Outcome): void {
    if (!isSuccess(outcome)) this.failure ??= outcome;
    else if (outcome === DEGRADED) this.degraded = true;
    if (--this.remaining > 0) return;
    stepDone(this.cursor, this.failure ?? (this.degraded ? DEGRADED : OK));
  }
}
