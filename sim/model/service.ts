import { makeSampler, type Sampler } from '../engine/distributions.js';
import type { RandomStream } from '../engine/random.js';
import type { ServiceStats } from '../metrics/stats.js';
import type { Endpoint, Service } from '../scenario/types.js';
import { Deque } from './deque.js';
import { ERROR, isSuccess, OK, REJECTED, type Outcome } from './outcome.js';
import type { Request } from './request.js';
import { nextStep, type StepRt } from './steps.js';
import type { World } from './world.js';

export class EndpointRt {
  readonly key: string;
  readonly sampleWork: Sampler;
  steps: StepRt[] = [];
  /** Index into the world's effects, or −1. */
  effectIndex = -1;

  constructor(
    readonly svc: ServiceRt,
    readonly def: Endpoint,
    readonly workStream: RandomStream,
    readonly errorStream: RandomStream,
  ) {
    this.key = `${svc.name}.${def.name}`;
    this.sampleWork = makeSampler(def.work);
  }
}

/** A latency fault's extra time: a sampler and its own stream. */
export interface LatencyAdd {
  sample: Sampler;
  stream: RandomStream;
}

/**
 * One instance: `capacity` workers and a FIFO wait queue. A request holds its worker from
 * start to response, through its work and all its steps (thread-per-request).
 */
export class InstanceRt {
  up = true;
  /** Active outages and crashes on this instance. */
  downCount = 0;
  /** When it last went down or came up; never, at the start (the balancer knows a healthy pool). */
  changedMs = -Infinity;
  busy = 0;
  capacity: number;
  readonly queue = new Deque<Request>();
  /** Queued plus in service: what least-outstanding balances on. */
  outstanding = 0;
  runningHead: Request | null = null;
  // Fault modifiers, recomputed when a fault starts or ends.
  extraErrorRate = 0;
  readonly errorFaults: number[] = [];
  latencyFactor = 1;
  readonly latencyFactors: number[] = [];
  latencyAdds: LatencyAdd[] = [];
  readonly capacityFaults: number[] = [];

  constructor(
    readonly svc: ServiceRt,
    readonly index: number,
  ) {
    this.capacity = svc.def.concurrency;
  }

  get label(): string {
    return `${this.svc.name}#${this.index}`;
  }
}

export class ServiceRt {
  readonly name: string;
  readonly instances: InstanceRt[];
  readonly endpoints = new Map<string, EndpointRt>();
  private rr = 0;

  constructor(
    readonly world: World,
    readonly def: Service,
    readonly index: number,
    readonly stats: ServiceStats,
    private readonly balancerStream: RandomStream,
  ) {
    this.name = def.name;
    this.instances = Array.from({ length: def.instances }, (_, i) => new InstanceRt(this, i));
  }

  /** The balancer knows an instance is down `healthCheckMs` after it went down (and up likewise). */
  private routable(inst: InstanceRt, nowMs: number): boolean {
    const settled = nowMs - inst.changedMs >= this.def.healthCheckMs;
    return settled ? inst.up : !inst.up;
  }

  /** How many instances the balancer believes are up. */
  private liveCount(nowMs: number): number {
    let live = 0;
    for (const inst of this.instances) if (this.routable(inst, nowMs)) live++;
    return live;
  }

  pick(nowMs: number): InstanceRt {
    const all = this.instances;
    return all.length === 1 ? all[0] : this.balance(nowMs);
  }

  /** The balancer's choice among two or more instances. */
  private balance(nowMs: number): InstanceRt {
    const all = this.instances;
    const n = all.length;
    switch (this.def.balancer) {
      case 'round-robin':
        for (let k = 0; k < n; k++) {
          const inst = all[this.rr++ % n];
          if (this.routable(inst, nowMs)) return inst;
        }
        return all[this.rr++ % n];
      case 'random': {
        // One draw per pick, whatever is down, so the stream stays aligned across variants.
        const u = this.balancerStream.next();
        const live = this.liveCount(nowMs);
        if (live === 0) return all[Math.floor(u * n)];
        let k = Math.floor(u * live);
        for (const inst of all) if (this.routable(inst, nowMs) && k-- === 0) return inst;
        return all[0];
      }
      case 'least-outstanding': {
        // Ties go round-robin over the routable instances, so an idle pool is used evenly
        // even with one of them down (turns are not handed to the down one's neighbour).
        const live = this.liveCount(nowMs);
        if (live === 0) return all[this.rr++ % n];
        let skip = this.rr++ % live;
        let start = 0;
        while (!this.routable(all[start], nowMs) || skip-- > 0) start++;
        let best: InstanceRt | null = null;
        for (let k = 0; k < n; k++) {
          const inst = all[(start + k) % n];
          if (!this.routable(inst, nowMs)) continue;
          if (best === null || inst.outstanding < best.outstanding) best = inst;
        }
        return best!;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// The server side of a request: arrive, queue, work, run steps, finish, respond.

export function receive(inst: InstanceRt, req: Request): void {
  const world = inst.svc.world;
  const now = world.sim.nowMs;
  const stats = inst.svc.stats;
  req.instance = inst;
  if (inst.svc.def.maxQueueTimeMs !== null) req.arrivedMs = now;
  if (!inst.up) {
    // Connection refused: the request never reaches the application.
    if (req.op.measured) stats.refused++;
    respond(req, ERROR);
    return;
  }
  const op = req.op;
  if (op.measured) stats.received++;
  if (op.bucket >= 0) world.receivedByBucket[op.bucket]++;
  if (op.trace !== null) req.serverSpan = op.trace.open('queued', inst.label, req.span, now);
  if (inst.busy < inst.capacity) {
    inst.outstanding++;
    start(inst, req);
  } else if (inst.queue.length < inst.svc.def.queueLimit) {
    if (op.measured) stats.waited++;
    inst.queue.push(req);
    inst.outstanding++;
    stats.queued++;
    stats.queueDepth.observe(now, stats.queued);
  } else reject(req, stats, now);
}

/** The queue is full: the request is turned away at once. */
function reject(req: Request, stats: ServiceStats, now: number): void {
  if (req.op.measured) stats.rejected++;
  if (req.op.trace !== null) req.op.trace.close(req.serverSpan, now, 'rejected');
  respond(req, REJECTED);
}

/** Takes a worker for the request, unless it is shed first (waited too long, or its caller gave up). */
function start(inst: InstanceRt, req: Request): void {
  const svc = inst.svc;
  const world = svc.world;
  const now = world.sim.nowMs;
  const def = svc.def;
  if ((def.maxQueueTimeMs !== null && now - req.arrivedMs > def.maxQueueTimeMs) || (def.deadlinePropagation && now >= req.deadlineMs)) {
    shed(inst, req, now);
    return;
  }
  inst.busy++;
  svc.stats.busy.add(now, 1);
  // Link into the running list.
  req.nextRunning = inst.runningHead;
  if (inst.runningHead) inst.runningHead.prevRunning = req;
  inst.runningHead = req;
  const ep = req.endpoint!;
  let work = ep.sampleWork(ep.workStream);
  if (req.op.measured) {
    svc.stats.workDraws++;
    svc.stats.workSumMs += work;
  }
  if (inst.latencyFactor !== 1 || inst.latencyAdds.length > 0) work = slowed(inst, work);
  if (req.op.trace !== null) traceWork(inst, req, now);
  world.sim.schedule(work, workDone, req);
}

/** Shed before it starts: it waited longer than maxQueueTime, or its deadline has passed. */
function shed(inst: InstanceRt, req: Request, now: number): void {
  if (req.op.measured) inst.svc.stats.shed++;
  inst.outstanding--;
  if (req.op.trace !== null) req.op.trace.close(req.serverSpan, now, 'shed');
  respond(req, REJECTED);
}

/** A latency fault on the instance: work × factor, plus any added delays. */
function slowed(inst: InstanceRt, workMs: number): number {
  let work = workMs * inst.latencyFactor;
  for (const a of inst.latencyAdds) work += a.sample(a.stream);
  return work;
}

function traceWork(inst: InstanceRt, req: Request, now: number): void {
  const trace = req.op.trace!;
  trace.close(req.serverSpan, now, null);
  req.serverSpan = trace.open('work', `${req.endpoint!.key} on ${inst.label}`, req.span, now);
}

function workDone(req: Request): void {
  if (req.killed) return;
  const ep = req.endpoint!;
  const inst = req.instance!;
  // One uniform per request whatever the fault state, so error draws stay aligned across variants.
  const p = ep.def.errorRate;
  const extra = inst.extraErrorRate;
  const u = p > 0 || extra > 0 ? ep.errorStream.next() : 1;
  const pError = extra === 0 ? p : 1 - (1 - p) * (1 - extra);
  if (u < pError || req.poison) {
    finish(req, ERROR);
    return;
  }
  if (ep.steps.length === 0) {
    finish(req, OK);
    return;
  }
  nextStep(req);
}

/** The request's steps are done (called by its step cursor). */
export function stepsDone(req: Request, outcome: Outcome): void {
  if (req.killed) return;
  finish(req, outcome);
}

function finish(req: Request, outcome: Outcome): void {
  const inst = req.instance!;
  const svc = inst.svc;
  const world = svc.world;
  const now = world.sim.nowMs;
  if (isSuccess(outcome)) {
    if (req.endpoint!.effectIndex >= 0) world.effects.apply(req, now);
    if (req.op.measured) svc.stats.succeeded++;
  } else if (req.op.measured) svc.stats.failed++;
  if (req.op.trace !== null) req.op.trace.close(req.serverSpan, now, outcome);
  release(inst, req, now);
  respond(req, outcome);
  startNext(inst);
}

/** Frees the request's worker. */
function release(inst: InstanceRt, req: Request, now: number): void {
  inst.busy--;
  inst.outstanding--;
  inst.svc.stats.busy.add(now, -1);
  const prev = req.prevRunning;
  const next = req.nextRunning;
  if (prev) prev.nextRunning = next;
  else inst.runningHead = next;
  if (next) next.prevRunning = prev;
  req.prevRunning = req.nextRunning = null;
}

/** Starts queued requests while workers are free. */
export function startNext(inst: InstanceRt): void {
  const stats = inst.svc.stats;
  while (inst.busy < inst.capacity && inst.queue.length > 0) {
    const next = inst.queue.shift()!;
    stats.queued--;
    start(inst, next);
  }
}

/** Sends the answer back over the link, unless nobody is waiting for it any more. */
export function respond(req: Request, outcome: Outcome): void {
  req.outcome = outcome;
  if (req.callerDone) return; // ghost work: the caller gave up; its answer goes nowhere
  const world = req.inv.site.world;
  const delay = req.link.back();
  if (delay < 0) return; // lost on the way back: the caller's timeout will notice
  if (delay === 0) responseArrives(req);
  else world.sim.schedule(delay, responseArrives, req);
}

function responseArrives(req: Request): void {
  if (req.callerDone) return;
  req.callerDone = true;
  if (req.timeoutPos >= 0) req.inv.site.timeouts.remove(req);
  req.inv.attemptEnded(req, req.outcome);
}

/** The instance goes down: queued and running work is lost; callers see a reset connection. */
export function instanceDown(inst: InstanceRt, now: number): void {
  inst.downCount++;
  if (!inst.up) return;
  inst.up = false;
  inst.changedMs = now;
  const stats = inst.svc.stats;
  for (const req of inst.queue.drain()) {
    stats.queued--;
    inst.outstanding--;
    req.killed = true;
    if (req.op.measured) stats.lostInQueue++;
    if (req.op.trace !== null) req.op.trace.close(req.serverSpan, now, 'lost');
    respond(req, ERROR);
  }
  while (inst.runningHead) {
    const req = inst.runningHead;
    req.killed = true;
    if (req.op.measured) stats.failed++;
    if (req.op.trace !== null) req.op.trace.close(req.serverSpan, now, 'lost');
    release(inst, req, now);
    respond(req, ERROR);
  }
}

export function instanceUp(inst: InstanceRt, now: number): void {
  inst.downCount--;
  if (inst.downCount > 0 || inst.up) return;
  inst.up = true;
  inst.changedMs = now;
}
