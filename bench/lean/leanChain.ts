/**
 * The chain benchmark's model with nothing but what it needs, on faultline's own engine,
 * streams, samplers and latency histogram: no policies, faults, traces, timeline, per-edge
 * counters or step interpreter. It bounds what any redesign of the model could reach on this
 * engine (docs/performance.md, "The ceiling"). Not part of faultline: a measuring stick.
 *
 * Same semantics as faultline on bench/scenarios/chain.yaml (read from that file): poisson
 * arrivals; every call crosses the link each way; a hop takes a worker or waits in FIFO, holds
 * it through its work and its call to the next hop, and fails after its work with probability
 * errorRate (then calls nothing); the client gives up after its timeout, and the hops below
 * keep working (ghost work). 13 events per request, as in faultline.
 */
import { makeSampler, standardExponential, type Sampler } from '../../sim/engine/distributions.js';
import { rootStream, type RandomStream } from '../../sim/engine/random.js';
import { Simulator } from '../../sim/engine/simulator.js';
import { LatencyHistogram } from '../../sim/metrics/latencyHistogram.js';
import { chooseBucketMs, LevelIntegral, TimelineClock } from '../../sim/metrics/timeline.js';
import { Deque } from '../../sim/model/deque.js';
import type { Scenario } from '../../sim/scenario/types.js';
import { leanRun, runTimed, type LeanLoop, type LeanRun } from './leanRun.js';

class Hop {
  busy = 0;
  readonly waiting = new Deque<Call>();

  constructor(
    /** Busy workers over time, per timeline bucket: the metric faultline keeps too. */
    readonly workers: LevelIntegral,
    readonly index: number,
    readonly capacity: number,
    readonly errorRate: number,
    readonly work: Sampler,
    readonly workStream: RandomStream,
    readonly errorStream: RandomStream,
    /** The link from this hop's caller to it, each way. */
    readonly forwardStream: RandomStream,
    readonly backStream: RandomStream,
  ) {}
}

/** One call to one hop; the client's call (hop 0) has no parent. */
class Call {
  ok = true;
  /** The client's call only: answered or timed out. */
  done = false;

  constructor(
    readonly hop: Hop,
    readonly parent: Call | null,
    readonly sentMs: number,
  ) {}
}

/** The chain on faultline's Simulator, or on another event loop (`name` then says which). */
export function leanChain(scenario: Scenario, sim: LeanLoop = new Simulator(), name = 'lean-chain'): LeanRun {
  const root = rootStream(scenario.seed);
  const source = scenario.traffic[0];
  const link = makeSampler(scenario.links.default.latency);
  const clock = new TimelineClock(chooseBucketMs(scenario.durationMs, null), scenario.durationMs);
  const hops = scenario.services.map((svc, i) => {
    const ep = svc.endpoints[0];
    return new Hop(new LevelIntegral(clock, 0, scenario.durationMs), i, svc.concurrency, ep.errorRate, makeSampler(ep.work), root.fork(`work/${i}`), root.fork(`error/${i}`), root.fork(`link/${i}`), root.fork(`link-back/${i}`));
  });
  const arrivals = root.fork('arrivals');
  const rate = source.ratePerMs;
  const timeoutMs = source.timeoutMs ?? Infinity;
  const endMs = scenario.durationMs;
  const latency = new LatencyHistogram();
  const pendingTimeouts = new Deque<Call>();
  let timerArmed = false;
  let requests = 0;
  let failed = 0;

  const arrival = (): void => {
    const now = sim.nowMs;
    requests++;
    const call = new Call(hops[0], null, now);
    pendingTimeouts.push(call);
    if (!timerArmed) armTimer();
    sim.schedule(link(hops[0].forwardStream), arrive, call);
    const next = now + standardExponential(arrivals) / rate;
    if (next < endMs) sim.at(next, arrival, null);
  };
  // One pending timer for the oldest unanswered call: the deadlines come in sending order.
  const armTimer = (): void => {
    while (pendingTimeouts.length > 0 && pendingTimeouts.peek()!.done) pendingTimeouts.shift();
    timerArmed = pendingTimeouts.length > 0;
    if (timerArmed) sim.at(pendingTimeouts.peek()!.sentMs + timeoutMs, timeUp, null);
  };
  const timeUp = (): void => {
    const now = sim.nowMs;
    while (pendingTimeouts.length > 0 && pendingTimeouts.peek()!.sentMs + timeoutMs <= now) {
      const call = pendingTimeouts.shift()!;
      if (!call.done) {
        call.done = true;
        failed++;
      }
    }
    armTimer();
  };
  const arrive = (call: Call): void => {
    const hop = call.hop;
    if (hop.busy < hop.capacity) start(call);
    else hop.waiting.push(call);
  };
  const start = (call: Call): void => {
    const hop = call.hop;
    hop.workers.add(sim.nowMs, 1);
    hop.busy++;
    sim.schedule(hop.work(hop.workStream), workDone, call);
  };
  const workDone = (call: Call): void => {
    const hop = call.hop;
    if (hop.errorStream.next() < hop.errorRate) call.ok = false;
    else if (hop.index + 1 < hops.length) {
      const below = hops[hop.index + 1];
      sim.schedule(link(below.forwardStream), arrive, new Call(below, call, sim.nowMs));
      return;
    }
    respond(call);
  };
  const respond = (call: Call): void => {
    const hop = call.hop;
    hop.workers.add(sim.nowMs, -1);
    hop.busy--;
    if (hop.waiting.length > 0) start(hop.waiting.shift()!);
    sim.schedule(link(hop.backStream), answered, call);
  };
  const answered = (call: Call): void => {
    const parent = call.parent;
    if (parent !== null) {
      parent.ok = call.ok;
      respond(parent);
      return;
    }
    if (call.done) return;
    call.done = true;
    if (call.ok) latency.record(sim.nowMs - call.sentMs);
    else failed++;
  };

  sim.at(0, arrival, null);
  const run = runTimed(sim);
  const busyWorkers = hops.map((h) => {
    h.workers.advance(endMs);
    return h.workers.windowTotal / endMs;
  });
  return leanRun(name, endMs, run, { requests, failed, latency, busyWorkers });
}
