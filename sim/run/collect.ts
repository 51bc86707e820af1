import type { RunOutcome } from '../engine/simulator.js';
import { recoveryTimes } from '../metrics/recovery.js';
import type { Operation } from '../model/operation.js';
import { DEGRADED, isSuccess, OK, OUTCOME_NAMES, type Outcome } from '../model/outcome.js';
import type { Request } from '../model/request.js';
import type { ServiceRt } from '../model/service.js';
import type { World } from '../model/world.js';
import type { RawRun, RawTrace } from './rawRun.js';

/** Reads a finished World into a RawRun. */
export function collectRawRun(world: World, variant: string, replication: number, point: number, outcome: RunOutcome): RawRun {
  const s = world.scenario;
  const clock = world.clock;
  const ops = world.ops;
  const measuredMs = s.durationMs - s.warmupMs;
  const unfinished = ops.requests - ops.succeeded - ops.degraded - ops.failed;

  // Operations that never finished count as failed, in their arrival bucket too.
  const failed = Array.from(ops.bad);
  for (let b = 0; b < clock.buckets; b++) {
    failed[b] += world.arrivals[b] - ops.ok[b] - ops.okDegraded[b] - ops.bad[b];
  }
  const good = Array.from(ops.ok, (v, b) => v + ops.okDegraded[b]);
  const total = good.map((g, b) => g + failed[b]);

  const raw: RawRun = {
    variant,
    replication,
    point,
    stop: { reason: outcome.reason, events: world.sim.executed, endMs: world.sim.nowMs },
    ops: {
      requests: ops.requests,
      succeeded: ops.succeeded,
      degraded: ops.degraded,
      failed: ops.failed + unfinished,
      unfinished,
      latency: ops.latency.encode(),
    },
    sources: {},
    services: {},
    calls: {},
    effects: {},
    doubleProcessing: world.effects.doubleProcessing,
    queues: {},
    timeline: {
      bucketMs: clock.bucketMs,
      buckets: clock.buckets,
      ok: Array.from(ops.ok),
      degraded: Array.from(ops.okDegraded),
      failed,
      received: Array.from(world.receivedByBucket),
      doubleProcessed: Array.from(world.effects.doubleByBucket),
      latency: ops.bucketLatency.map((h) => (h === null || h.count === 0 ? null : h.encode())),
      services: {},
      breakers: {},
      queues: {},
    },
    recovery: recoveryTimes(s.faults, s.recovery, clock.bucketMs, good, total),
    traces: pickTraces(world.traced),
  };
  for (const src of world.sourceStats) {
    // Operations still in flight at the end count as failed, as in the summary.
    const unfinishedHere = src.requests - src.succeeded - src.degraded - src.failed;
    raw.sources[src.name] = {
      requests: src.requests,
      succeeded: src.succeeded,
      degraded: src.degraded,
      failed: src.failed + unfinishedHere,
      latency: world.sourceStats.length > 1 ? src.latency.encode() : null,
    };
  }
  for (const svc of world.services) {
    const st = svc.stats;
    raw.services[svc.name] = {
      received: st.received,
      waited: st.waited,
      succeeded: st.succeeded,
      failed: st.failed,
      rejected: st.rejected,
      shed: st.shed,
      refused: st.refused,
      lostInQueue: st.lostInQueue,
      unfinished: unfinishedAt(svc),
      busyMs: st.busy.windowTotal,
      capacityMs: st.workers * measuredMs,
      workDraws: st.workDraws,
      workSumMs: st.workSumMs,
    };
    raw.timeline.services[svc.name] = { busyMs: Array.from(st.busy.perBucket), queueDepth: Array.from(st.queueDepth.perBucket), workers: st.workers };
  }
  for (const e of world.edges.values()) {
    raw.calls[e.key] = {
      kind: e.kind,
      from: e.from,
      to: e.to,
      attempts: e.attempts,
      retries: e.retries,
      hedges: e.hedges,
      timeouts: e.timeouts,
      shortCircuited: e.shortCircuited,
      rejected: e.rejected,
      errors: e.errors,
      succeeded: e.succeeded,
      fallbacks: e.fallbacks,
      budgetDenied: e.budgetDenied,
      breakers: e.breakers,
      breakerOpened: e.breakerOpened,
      breakerTransitions: e.breakerTransitions,
    };
    if (e.breakers > 0) {
      raw.timeline.breakers[e.key] = { openMs: Array.from(e.open.perBucket), halfOpenMs: Array.from(e.halfOpen.perBucket), breakers: e.breakers };
    }
  }
  for (const ef of world.effectStats) {
    raw.effects[ef.name] = { operations: ef.operations, executions: ef.executions, duplicated: ef.duplicated, suppressed: ef.suppressed };
  }
  for (const q of world.queueStats) {
    raw.queues[q.name] = {
      published: q.published,
      delivered: q.delivered,
      redelivered: q.redelivered,
      deadLettered: q.deadLettered,
      lost: q.lost,
      acked: q.acked,
      opsPublished: q.opsPublished,
      opsCompleted: q.opsCompleted,
      maxDepth: q.depth.max,
      endToEnd: q.endToEnd.encode(),
    };
    raw.timeline.queues[q.name] = { depth: Array.from(q.depth.perBucket), deadLetters: Array.from(q.deadLetters.perBucket), lagMs: Array.from(q.lagMs.perBucket) };
  }
  return raw;
}

/**
 * From the traced sample, one operation per category, each a different one: the first
 * double-processed, the first failed, the slowest, the first degraded, and a typical one.
 */
function pickTraces(traced: Operation[]): RawTrace[] {
  const ops = traced.filter((op) => op.trace !== null);
  // A traced operation's root span ends when the client has its answer.
  const latency = (op: Operation) => (op.done && isSuccess(op.outcome as Outcome) ? op.trace!.spans[op.span].endMs - op.arrivalMs : null);
  const slowestFirst = ops.filter((op) => latency(op) !== null).sort((a, b) => latency(b)! - latency(a)! || a.id - b.id);
  const categories: Array<[string, Operation[]]> = [
    ['double-processed', ops.filter((op) => op.doubleProcessed)],
    ['failed', ops.filter((op) => !op.done || !isSuccess(op.outcome as Outcome))],
    ['slow', slowestFirst],
    ['degraded', ops.filter((op) => op.done && op.outcome === DEGRADED)],
    ['typical', ops.filter((op) => op.done && op.outcome === OK)],
  ];
  const out: RawTrace[] = [];
  const chosen = new Set<number>();
  for (const [category, candidates] of categories) {
    const op = candidates.find((c) => !chosen.has(c.id));
    if (!op) continue;
    chosen.add(op.id);
    out.push({
      category,
      operation: op.id,
      latencyMs: latency(op),
      outcome: op.done ? OUTCOME_NAMES[op.outcome] : 'unfinished',
      spans: op.trace!.spans.map((sp) => ({ ...sp, startMs: sp.startMs - op.arrivalMs, endMs: sp.endMs - op.arrivalMs })),
    });
  }
  return out;
}

/** The service's measured requests still queued or in service: the drain ended before them. */
function unfinishedAt(svc: ServiceRt): number {
  let n = 0;
  const count = (req: Request) => {
    if (req.op.measured) n++;
  };
  for (const inst of svc.instances) {
    inst.queue.forEach(count);
    for (let req = inst.runningHead; req !== null; req = req.nextRunning) count(req);
  }
  return n;
}
