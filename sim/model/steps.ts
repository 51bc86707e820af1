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
 * Runs steps one after another for a request, holding its worker. A failed step without a
 * fallback fails the rest; a degraded one marks the request degraded.
 */
export class StepRunner implements InvocationParent {
  private index = 0;
  private repeat = 0;
  private degraded = false;

  constructor(
    readonly req: Request,
    readonly steps: StepRt[],
    readonly join: Join | null,
  ) {}

  get abandoned(): boolean {
    return this.req.killed;
  }

  next(): void {
    const req = this.req;
    if (req.killed) return;
    if (this.index >= this.steps.length) {
      this.done(this.degraded ? DEGRADED : OK);
      return;
    }
    const svc = req.endpoint!.svc;
    // With deadline propagation a server stops working for a caller that has given up.
    const deadline = svc.def.deadlinePropagation ? req.deadlineMs : Infinity;
    if (svc.world.sim.nowMs >= deadline) {
      this.done(TIMEOUT);
      return;
    }
    const step = this.steps[this.index];
    if (step.kind === 'parallel') {
      new Join(this, step.branches).start();
      return;
    }
    const site = step.site!;
    const state = site.states.length === 1 ? site.states[0] : site.states[req.instance!.index];
    new Invocation(site, this, req.op, state, deadline, req.serverSpan).start();
  }

  invocationDone(_inv: Invocation, outcome: Outcome): void {
    this.stepDone(outcome);
  }

  stepDone(outcome: Outcome): void {
    if (this.req.killed) return;
    if (!isSuccess(outcome)) {
      this.done(outcome);
      return;
    }
    if (outcome === DEGRADED) this.degraded = true;
    if (++this.repeat >= this.steps[this.index].times) {
      this.index++;
      this.repeat = 0;
    }
    this.next();
  }

  private done(outcome: Outcome): void {
    if (this.join !== null) this.join.branchDone(outcome);
    else stepsDone(this.req, outcome);
  }
}

/** A parallel step: all branches start at once; it ends when the last one does. */
export class Join {
  private remaining: number;
  private failure: Outcome | null = null;
  private degraded = false;

  constructor(
    private readonly runner: StepRunner,
    private readonly branches: StepRt[],
  ) {
    this.remaining = branches.length;
  }

  start(): void {
    for (const b of this.branches) new StepRunner(this.runner.req, [b], this).next();
  }

  branchDone(outcome: Outcome): void {
    if (!isSuccess(outcome)) this.failure ??= outcome;
    else if (outcome === DEGRADED) this.degraded = true;
    if (--this.remaining > 0) return;
    this.runner.stepDone(this.failure ?? (this.degraded ? DEGRADED : OK));
  }
}
