import { rootStream, type RandomStream } from '../engine/random.js';
import { Simulator, type RunOutcome } from '../engine/simulator.js';
import { EdgeStats, EffectStats, OperationStats, QueueStats, ServiceStats, SourceStats } from '../metrics/stats.js';
import { chooseBucketMs, TimelineClock } from '../metrics/timeline.js';
import { BucketHistogram } from '../metrics/bucketHistogram.js';
import type { BreakerStateName } from '../policies/circuitBreaker.js';
import type { CallPolicies, Scenario, Step } from '../scenario/types.js';
import { formatPath, type Path } from '../scenario/errors.js';
import { CallSite } from './call.js';
import { EffectLedger } from './effects.js';
import { scheduleFaults } from './faults.js';
import { LinkTable } from './link.js';
import { Operation } from './operation.js';
import { isSuccess, DEGRADED, type Outcome } from './outcome.js';
import { QueueRt } from './queue.js';
import { EndpointRt, ServiceRt } from './service.js';
import type { StepRt } from './steps.js';
import { Trace } from './trace.js';
import { SourceRt } from './traffic.js';

export interface WorldOptions {
  /** Seeds this run's streams: the scenario seed and the replication. */
  seedKey: string;
  /** Trace about this many measured operations (a bounded sample for waterfalls); 0 = none. */
  traceTarget?: number;
}

const NO_POLICIES: CallPolicies = { timeoutMs: null, retry: null, hedge: null, circuitBreaker: null, bulkhead: null, fallback: null };

/** Operations TRACE_PRIMER_ID … + TRACE_PRIMERS − 1 prime the JIT for tracing: see World.startTrace. */
const TRACE_PRIMER_ID = 100;
const TRACE_PRIMERS = 16;

/** The simulated world of one run: built from a Scenario, it owns the simulator and every runtime object. */
export class World {
  readonly sim = new Simulator();
  readonly root: RandomStream;
  readonly clock: TimelineClock;
  readonly services: ServiceRt[];
  readonly sources: SourceRt[];
  readonly queues: QueueRt[];
  readonly links: LinkTable;
  readonly effects: EffectLedger;
  readonly ops: OperationStats;
  readonly sourceStats: SourceStats[];
  readonly edges = new Map<string, EdgeStats>();
  readonly effectStats: EffectStats[];
  readonly queueStats: QueueStats[];
  readonly arrivals: Float64Array;
  /** Requests received by any service, by the arrival bucket of their operation. */
  readonly receivedByBucket: Float64Array;
  readonly traced: Operation[] = [];
  /** Operations traced only to prime the JIT (see startTrace): nothing reads them. */
  private readonly primed: Operation[] = [];
  private nextOpId = 0;
  private readonly traceEvery: number;
  private readonly traceCap: number;
  /** The next operation id that is a multiple of traceEvery (−1 when nothing is traced): a compare per operation, not a division. */
  private nextTraceId: number;
  /** The next operation traced only to prime the JIT (see startTrace), or −1. */
  private primerId: number;
  private readonly serviceByName = new Map<string, ServiceRt>();

  constructor(
    readonly scenario: Scenario,
    options: WorldOptions,
  ) {
    const s = scenario;
    this.root = rootStream(options.seedKey);
    this.clock = new TimelineClock(chooseBucketMs(s.durationMs, s.bucketMs), s.durationMs);
    this.arrivals = new Float64Array(this.clock.buckets);
    this.receivedByBucket = new Float64Array(this.clock.buckets);
    this.ops = new OperationStats(this.clock);
    this.sourceStats = s.traffic.map((t) => new SourceStats(t.name));
    this.links = new LinkTable(s.links, this.root);
    const target = options.traceTarget ?? 0;
    this.traceCap = target * 2;
    this.traceEvery = target > 0 ? Math.max(1, Math.floor(estimateOperations(s) / target)) : 0;
    this.nextTraceId = target > 0 ? 0 : -1;
    this.primerId = target > 0 ? TRACE_PRIMER_ID : -1;

    const effectNames = [...new Set(s.services.flatMap((svc) => svc.endpoints.map((e) => e.effect).filter((e): e is string => e !== null)))].sort();
    this.effectStats = effectNames.map((n) => new EffectStats(n));
    this.effects = new EffectLedger(this.effectStats, new Float64Array(this.clock.buckets));

    this.services = s.services.map((def, i) => {
      const stats = new ServiceStats(def.name, def.instances * def.concurrency, this.clock, s.warmupMs, s.durationMs);
      const svc = new ServiceRt(this, def, i, stats, this.stream(`balancer:${def.name}`));
      for (const ep of def.endpoints) {
        const rt = new EndpointRt(svc, ep, this.stream(`service:${def.name}/${ep.name}/work`), this.stream(`service:${def.name}/${ep.name}/errors`));
        rt.effectIndex = ep.effect === null ? -1 : effectNames.indexOf(ep.effect);
        svc.endpoints.set(ep.name, rt);
      }
      this.serviceByName.set(def.name, svc);
      return svc;
    });
    this.queueStats = s.queues.map((q) => new QueueStats(q.name, this.clock));
    this.queues = s.queues.map(
      (def, i) =>
        new QueueRt(this, def, i, this.queueStats[i], this.stream(`queue:${def.name}/poison`), this.stream(`queue:${def.name}/ack-loss`), this.stream(`queue:${def.name}/redelivery`)),
    );
    // Call sites need every endpoint and queue to exist first.
    for (const svc of this.services) {
      for (const ep of svc.def.endpoints) {
        svc.endpoints.get(ep.name)!.steps = this.compileSteps(svc, ep.steps, ['services', svc.name, 'endpoints', ep.name, 'steps']);
      }
    }
    this.queues.forEach((q) => {
      const ep = this.endpoint(q.def.consumer.service, q.def.consumer.endpoint);
      q.consumerSite = this.site(q.name, ep.svc.name, `${q.name}->${ep.key}`, 'delivery', { ...NO_POLICIES, timeoutMs: q.def.consumerTimeoutMs }, ep, null, `queue:${q.name}/consumer`, 1);
    });
    this.sources = s.traffic.map((def, i) => {
      const src = new SourceRt(this, def, i, this.stream(`traffic:${def.name}/arrivals`), this.stream(`traffic:${def.name}/think`));
      const ep = this.endpoint(def.target.service, def.target.endpoint);
      src.site = this.site(def.name, ep.svc.name, `${def.name}->${ep.key}`, 'client', { ...NO_POLICIES, timeoutMs: def.timeoutMs, retry: def.retry, hedge: def.hedge }, ep, null, `traffic:${def.name}/retry`, 1);
      return src;
    });
  }

  stream(label: string): RandomStream {
    return this.root.fork(label);
  }

  service(name: string): ServiceRt {
    return this.serviceByName.get(name)!;
  }

  queue(name: string): QueueRt {
    return this.queues.find((q) => q.name === name)!;
  }

  private endpoint(service: string, endpoint: string): EndpointRt {
    return this.service(service).endpoints.get(endpoint)!;
  }

  private edge(key: string, kind: EdgeStats['kind'], from: string, to: string): EdgeStats {
    let e = this.edges.get(key);
    if (!e) {
      e = new EdgeStats(key, kind, from, to, this.clock, this.scenario.warmupMs, this.scenario.durationMs);
      this.edges.set(key, e);
    }
    return e;
  }

  private site(
    caller: string,
    targetName: string,
    key: string,
    kind: EdgeStats['kind'],
    policies: CallPolicies,
    endpoint: EndpointRt | null,
    queue: QueueRt | null,
    streamLabel: string,
    callerInstances: number,
  ): CallSite {
    const to = endpoint ? endpoint.key : queue!.name;
    return new CallSite(this, key, policies, endpoint, queue, this.links.get(caller, targetName), this.edge(key, kind, caller, to), this.stream(streamLabel), callerInstances);
  }

  private compileSteps(svc: ServiceRt, steps: Step[], path: Path): StepRt[] {
    return steps.map((step, i) => {
      const at = [...path, i];
      if (step.kind === 'parallel') return { kind: 'parallel', times: 1, site: null, branches: this.compileSteps(svc, step.steps, [...at, 'parallel']) };
      const label = `site:${formatPath(at)}/retry`;
      if (step.kind === 'publish') {
        const q = this.queue(step.queue);
        return { kind: 'publish', times: 1, branches: [], site: this.site(svc.name, q.name, `${svc.name}->${q.name}`, 'publish', step, null, q, label, svc.instances.length) };
      }
      const ep = this.endpoint(step.target.service, step.target.endpoint);
      return { kind: 'call', times: step.times, branches: [], site: this.site(svc.name, ep.svc.name, `${svc.name}->${ep.key}`, 'call', step, ep, null, label, svc.instances.length) };
    });
  }

  newOperation(sourceIndex: number): Operation {
    const now = this.sim.nowMs;
    const id = this.nextOpId++;
    const measured = now >= this.scenario.warmupMs;
    const op = new Operation(id, sourceIndex, now, measured);
    if (id === this.nextTraceId || id === this.primerId) this.startTrace(op);
    if (measured) {
      this.ops.requests++;
      this.sourceStats[sourceIndex].requests++;
    }
    const b = this.clock.bucketOf(now);
    op.bucket = b;
    if (b >= 0) this.arrivals[b]++;
    return op;
  }

  /**
   * Every traceEvery-th operation is traced (if measured, up to traceCap); out of line, so
   * newOperation stays small.
   *
   * Operations TRACE_PRIMER_ID … + TRACE_PRIMERS − 1 are traced too, into `primed`, which
   * nothing reads; tracing only records, so the run is the same with or without them. Why:
   * V8 optimizes the hot path after a few thousand operations. Operation 0, the first sampled
   * one, runs before V8 collects type feedback, so the optimized code had none for the trace
   * branches and compiled them as exits. The next sampled operation then deoptimized the hot
   * functions, which ran unoptimized until V8 compiled them again: ~5% of a cold 1M-customer
   * M/M/1 (docs/performance.md). The primers run while V8 collects feedback and before it
   * optimizes; there are enough of them for the functions that only tracing calls (this one,
   * the span getters, Trace.open) to get feedback vectors of their own, and they run every line
   * a sampled operation runs (hence the arithmetic where a branch would do).
   */
  private startTrace(op: Operation): void {
    const id = op.id;
    const primer = id === this.primerId;
    if (primer) this.primerId = id + 1 < TRACE_PRIMER_ID + TRACE_PRIMERS ? id + 1 : -1;
    const sampled = id === this.nextTraceId;
    this.nextTraceId += sampled ? this.traceEvery : 0;
    const measured = op.measured;
    const room = this.traced.length < this.traceCap;
    const keep = sampled && measured && room;
    if (!keep && !primer) return;
    const trace = new Trace();
    op.trace = trace;
    op.span = trace.open('operation', `operation ${id} from ${this.sources[op.sourceIndex].name}`, -1, op.arrivalMs);
    (keep ? this.traced : this.primed).push(op);
  }

  operationDone(op: Operation, outcome: Outcome): void {
    const now = this.sim.nowMs;
    op.done = true;
    op.outcome = outcome;
    op.trace?.close(op.span, now, outcome);
    if (isSuccess(outcome)) this.operationSucceeded(op, outcome === DEGRADED, now - op.arrivalMs);
    else this.operationFailed(op);
  }

  private operationSucceeded(op: Operation, degraded: boolean, latency: number): void {
    const ops = this.ops;
    const b = op.bucket;
    if (b >= 0) {
      if (degraded) ops.okDegraded[b]++;
      else ops.ok[b]++;
      (ops.bucketLatency[b] ??= new BucketHistogram()).recordMs(latency);
    }
    if (op.measured) {
      const src = this.sourceStats[op.sourceIndex];
      if (degraded) {
        ops.degraded++;
        src.degraded++;
      } else {
        ops.succeeded++;
        src.succeeded++;
      }
      ops.latency.record(latency);
      if (this.sourceStats.length > 1) src.latency.record(latency);
    }
  }

  private operationFailed(op: Operation): void {
    if (op.bucket >= 0) this.ops.bad[op.bucket]++;
    if (op.measured) {
      this.ops.failed++;
      this.sourceStats[op.sourceIndex].failed++;
    }
  }

  onBreakerTransition(stats: EdgeStats, from: BreakerStateName, to: BreakerStateName, nowMs: number): void {
    stats.breakerTransitions++;
    if (to === 'open') stats.breakerOpened++;
    if (from === 'open') stats.open.add(nowMs, -1);
    if (from === 'half-open') stats.halfOpen.add(nowMs, -1);
    if (to === 'open') stats.open.add(nowMs, 1);
    if (to === 'half-open') stats.halfOpen.add(nowMs, 1);
  }

  /**
   * Runs arrivals until `duration`, then drains in-flight work for at most `drain`. Runs in
   * slices of simulated time so that `onProgress` can report, and stop it, between them.
   */
  run(maxEvents = Infinity, onProgress?: (fraction: number) => boolean | void): RunOutcome {
    const s = this.scenario;
    scheduleFaults(this);
    for (const src of this.sources) src.begin();
    this.sim.at(0, sampleLevels, this);
    const endMs = s.durationMs + s.drainMs;
    const sliceMs = onProgress ? Math.max(s.durationMs / 50, 1) : Infinity;
    let events = 0;
    let outcome: RunOutcome;
    for (;;) {
      const until = Math.min(endMs, this.sim.nowMs + sliceMs);
      outcome = this.sim.run(until, maxEvents - events);
      events += outcome.events;
      if (outcome.reason !== 'until' || until >= endMs) break;
      if (onProgress?.(Math.min(1, until / s.durationMs)) === false) {
        outcome = { reason: 'stopped', events, nowMs: this.sim.nowMs };
        break;
      }
    }
    this.finishLevels();
    return { ...outcome, events };
  }

  /** Levels that persist between changes are sampled at each bucket's start too. */
  sampleBucket(): void {
    const now = this.sim.nowMs;
    // Made here, at the bucket's start, rather than by its first answer: a `new` in the hot
    // path that first runs after V8 has compiled it throws the handlers back to the interpreter
    // (docs/performance.md, "Priming the rare branches"). An answer at the very start can still come first.
    this.ops.bucketLatency[this.clock.bucketOf(now)] ??= new BucketHistogram();
    for (const svc of this.services) svc.stats.queueDepth.observe(now, svc.stats.queued);
    for (const q of this.queues) {
      q.stats.depth.observe(now, q.stats.depthNow);
      q.dispatch();
    }
    const next = now + this.clock.bucketMs;
    if (next < this.scenario.durationMs) this.sim.at(next, sampleLevels, this);
  }

  private finishLevels(): void {
    const end = Math.min(this.sim.nowMs, this.scenario.durationMs);
    const tEnd = Math.max(end, this.scenario.durationMs);
    for (const svc of this.services) svc.stats.busy.advance(tEnd);
    for (const e of this.edges.values()) {
      e.open.advance(tEnd);
      e.halfOpen.advance(tEnd);
    }
  }
}

function sampleLevels(world: World): void {
  world.sampleBucket();
}

/** Expected measured operations, to spread the trace sample over the run. */
function estimateOperations(s: Scenario): number {
  const measuredMs = s.durationMs - s.warmupMs;
  let n = 0;
  for (const t of s.traffic) {
    if (t.arrivals === 'closed') n += t.users * 10 * (measuredMs / 1000);
    else n += Math.max(t.ratePerMs, ...t.schedule.map((e) => e.ratePerMs)) * measuredMs;
  }
  return Math.max(1, n);
}
