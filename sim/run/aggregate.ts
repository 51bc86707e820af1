import { BucketHistogram } from '../metrics/bucketHistogram.js';
import { LatencyHistogram, type EncodedHistogram } from '../metrics/latencyHistogram.js';
import { meanCI, type MeanCI } from '../metrics/studentT.js';
import type { Scenario } from '../scenario/types.js';
import type { RawRun } from './rawRun.js';
import type { Delta, LatencySummary, RecoverySummary, TimelineResult, VariantResult } from './results.js';
import { topologyOf } from './topology.js';

/**
 * Rounds derived numbers to 6 significant digits: the JSON stays small and readable, and
 * identical inputs still give identical bytes. Counts are integers and pass unchanged.
 */
export function r6(x: number): number;
export function r6(x: number | null): number | null;
export function r6(x: number | null): number | null {
  if (x === null || !Number.isFinite(x)) return null;
  if (Number.isInteger(x)) return x;
  return Number(x.toPrecision(6));
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

function mergeHistograms(encoded: EncodedHistogram[]): LatencyHistogram {
  const h = new LatencyHistogram();
  for (const e of encoded) h.merge(LatencyHistogram.decode(e));
  return h;
}

export function latencySummary(h: LatencyHistogram): LatencySummary {
  if (h.count === 0) return { mean: null, p50: null, p90: null, p99: null, p999: null, max: null };
  return {
    mean: r6(h.meanMs),
    p50: r6(h.percentileMs(50)),
    p90: r6(h.percentileMs(90)),
    p99: r6(h.percentileMs(99)),
    p999: r6(h.percentileMs(99.9)),
    max: r6(h.maxMs),
  };
}

/** The per-replication value of each compared metric. */
function perReplication(runs: RawRun[]): Record<'availability' | 'meanMs' | 'p50Ms' | 'p99Ms' | 'doubleProcessing' | 'amplification', number[]> {
  const pick = (f: (r: RawRun) => number | null) => runs.map(f).map((v) => (v === null ? NaN : v));
  return {
    availability: pick((r) => ratio(r.ops.succeeded + r.ops.degraded, r.ops.requests)),
    meanMs: pick((r) => ratio(r.ops.latency.sumMs, r.ops.latency.count)),
    p50Ms: pick((r) => (r.ops.latency.count === 0 ? null : LatencyHistogram.decode(r.ops.latency).percentileMs(50))),
    p99Ms: pick((r) => (r.ops.latency.count === 0 ? null : LatencyHistogram.decode(r.ops.latency).percentileMs(99))),
    doubleProcessing: pick((r) => r.doubleProcessing),
    amplification: pick((r) => ratio(received(r), r.ops.requests)),
  };
}

function received(r: RawRun): number {
  let n = 0;
  for (const s of Object.values(r.services)) n += s.received;
  return n;
}

function roundedCI(xs: number[]): MeanCI {
  const finite = xs.filter(Number.isFinite);
  const m = meanCI(finite);
  return { mean: r6(m.mean), ci95: m.ci95 ? [r6(m.ci95[0]), r6(m.ci95[1])] : null };
}

/** Paired difference over replications that both runs measured. */
function pairedDelta(variant: number[], baseline: number[]): Delta {
  const diffs: number[] = [];
  for (let i = 0; i < Math.min(variant.length, baseline.length); i++) {
    const d = variant[i] - baseline[i];
    if (Number.isFinite(d)) diffs.push(d);
  }
  if (diffs.length === 0) return { delta: null, ci95: null, significant: null };
  const m = meanCI(diffs);
  const ci = m.ci95 ? ([r6(m.ci95[0]), r6(m.ci95[1])] as [number, number]) : null;
  // Identical paired runs give a zero-width interval at 0: not significant.
  const significant = m.ci95 === null ? null : m.ci95[0] > 0 || m.ci95[1] < 0;
  return { delta: r6(m.mean), ci95: ci, significant };
}

const sumOf = (runs: RawRun[], f: (r: RawRun) => number) => runs.reduce((a, r) => a + f(r), 0);

/** Sums per-run arrays element-wise. */
function sumArrays(arrays: number[][]): number[] {
  const out = new Array<number>(arrays[0]?.length ?? 0).fill(0);
  for (const a of arrays) for (let i = 0; i < a.length; i++) out[i] += a[i];
  return out;
}

/**
 * One variant's results from its runs (one per replication, in order) and, for deltas, the
 * baseline's runs at the same point.
 */
export function summarizeVariant(
  name: string,
  description: string,
  scenario: Scenario,
  runs: RawRun[],
  baselineRuns: RawRun[] | null,
): VariantResult {
  const n = runs.length;
  const requests = sumOf(runs, (r) => r.ops.requests);
  const succeeded = sumOf(runs, (r) => r.ops.succeeded);
  const degraded = sumOf(runs, (r) => r.ops.degraded);
  const failed = sumOf(runs, (r) => r.ops.failed);
  const latency = mergeHistograms(runs.map((r) => r.ops.latency));
  const reps = perReplication(runs);
  // A probability's interval is clipped to [0, 1] (Student t knows nothing of the bounds).
  const rawCI = n > 1 ? roundedCI(reps.availability).ci95 : null;
  const availabilityCI: [number, number] | null = rawCI ? [Math.max(0, rawCI[0]), Math.min(1, rawCI[1])] : null;

  const sources: VariantResult['sources'] = {};
  for (const t of scenario.traffic) {
    const rs = runs.map((r) => r.sources[t.name]);
    const total = (f: (x: (typeof rs)[number]) => number) => rs.reduce((a, x) => a + f(x), 0);
    const ok = total((x) => x.succeeded);
    const deg = total((x) => x.degraded);
    const req = total((x) => x.requests);
    // With one source, its latency is the summary's.
    const h = scenario.traffic.length > 1 ? mergeHistograms(rs.map((x) => x.latency!)) : latency;
    sources[t.name] = { requests: req, succeeded: ok, degraded: deg, failed: total((x) => x.failed), availability: r6(ratio(ok + deg, req)), latencyMs: latencySummary(h) };
  }

  const services: VariantResult['services'] = {};
  for (const svc of scenario.services) {
    const rs = runs.map((r) => r.services[svc.name]);
    const rec = sumOf(runs, (r) => r.services[svc.name].received);
    const draws = rs.reduce((a, s) => a + s.workDraws, 0);
    services[svc.name] = {
      kind: svc.kind,
      instances: svc.instances,
      concurrency: svc.concurrency,
      received: rec,
      waited: rs.reduce((a, s) => a + s.waited, 0),
      succeeded: rs.reduce((a, s) => a + s.succeeded, 0),
      failed: rs.reduce((a, s) => a + s.failed, 0),
      rejected: rs.reduce((a, s) => a + s.rejected, 0),
      shed: rs.reduce((a, s) => a + s.shed, 0),
      refused: rs.reduce((a, s) => a + s.refused, 0),
      lostInQueue: rs.reduce((a, s) => a + s.lostInQueue, 0),
      unfinished: rs.reduce((a, s) => a + s.unfinished, 0),
      utilization: r6(ratio(rs.reduce((a, s) => a + s.busyMs, 0), rs.reduce((a, s) => a + s.capacityMs, 0))),
      amplification: r6(ratio(rec, requests)),
      meanWorkMs: r6(ratio(rs.reduce((a, s) => a + s.workSumMs, 0), draws)),
    };
  }

  const calls: VariantResult['calls'] = {};
  for (const key of Object.keys(runs[0].calls)) {
    const cs = runs.map((r) => r.calls[key]);
    const total = (f: (c: (typeof cs)[number]) => number) => cs.reduce((a, c) => a + f(c), 0);
    const attempts = total((c) => c.attempts);
    calls[key] = {
      kind: cs[0].kind,
      from: cs[0].from,
      to: cs[0].to,
      attempts,
      retries: total((c) => c.retries),
      hedges: total((c) => c.hedges),
      timeouts: total((c) => c.timeouts),
      shortCircuited: total((c) => c.shortCircuited),
      rejected: total((c) => c.rejected),
      errors: total((c) => c.errors),
      succeeded: total((c) => c.succeeded),
      fallbacks: total((c) => c.fallbacks),
      budgetDenied: total((c) => c.budgetDenied),
      breakerOpened: total((c) => c.breakerOpened),
      // How many breakers opened that often: the same in every run (one per caller instance, or one).
      breakers: cs[0].breakers,
      amplification: r6(ratio(attempts, requests)),
    };
  }

  const effects: VariantResult['effects'] = {};
  for (const key of Object.keys(runs[0].effects)) {
    const es = runs.map((r) => r.effects[key]);
    effects[key] = {
      operations: es.reduce((a, e) => a + e.operations, 0),
      executions: es.reduce((a, e) => a + e.executions, 0),
      duplicated: es.reduce((a, e) => a + e.duplicated, 0),
      suppressed: es.reduce((a, e) => a + e.suppressed, 0),
    };
  }

  const queues: VariantResult['queues'] = {};
  for (const key of Object.keys(runs[0].queues)) {
    const qs = runs.map((r) => r.queues[key]);
    const t = (f: (q: (typeof qs)[number]) => number) => qs.reduce((a, q) => a + f(q), 0);
    const opsPublished = t((q) => q.opsPublished);
    const opsCompleted = t((q) => q.opsCompleted);
    queues[key] = {
      published: t((q) => q.published),
      delivered: t((q) => q.delivered),
      redelivered: t((q) => q.redelivered),
      deadLettered: t((q) => q.deadLettered),
      maxDepth: Math.max(...qs.map((q) => q.maxDepth)),
      lost: t((q) => q.lost),
      opsPublished,
      opsCompleted,
      completionRate: r6(ratio(opsCompleted, opsPublished)),
      endToEndMs: latencySummary(mergeHistograms(qs.map((q) => q.endToEnd))),
    };
  }

  const recovery: RecoverySummary[] = scenario.faults.map((f, i) => {
    const rs = runs.map((r) => r.recovery[i]);
    const recovered = rs.filter((r) => r.recoveredAfterMs !== null);
    return {
      fault: f.label,
      endedAtMs: f.atMs + f.forMs,
      recoveredAfterMs: recovered.length === rs.length ? r6(recovered.reduce((a, r) => a + r.recoveredAfterMs!, 0) / rs.length) : null,
      recoveredRuns: recovered.length,
      runs: rs.length,
      undetermined: rs.some((r) => r.undetermined),
    };
  });

  let vsBaseline: VariantResult['vsBaseline'] = null;
  if (baselineRuns !== null) {
    const b = perReplication(baselineRuns);
    vsBaseline = {
      availability: pairedDelta(reps.availability, b.availability),
      p50Ms: pairedDelta(reps.p50Ms, b.p50Ms),
      p99Ms: pairedDelta(reps.p99Ms, b.p99Ms),
      doubleProcessing: pairedDelta(reps.doubleProcessing, b.doubleProcessing),
      amplification: pairedDelta(reps.amplification, b.amplification),
    };
  }

  return {
    name,
    description,
    summary: {
      requests,
      succeeded,
      degraded,
      failed,
      unfinished: sumOf(runs, (r) => r.ops.unfinished),
      availability: r6(ratio(succeeded + degraded, requests)),
      availabilityCI95: availabilityCI,
      latencyMs: latencySummary(latency),
      doubleProcessing: sumOf(runs, (r) => r.doubleProcessing),
      amplification: r6(ratio(sumOf(runs, received), requests)),
      recovery,
    },
    replications: {
      availability: roundedCI(reps.availability),
      meanMs: roundedCI(reps.meanMs),
      p50Ms: roundedCI(reps.p50Ms),
      p99Ms: roundedCI(reps.p99Ms),
      doubleProcessing: roundedCI(reps.doubleProcessing),
      amplification: roundedCI(reps.amplification),
    },
    vsBaseline,
    sources,
    services,
    calls,
    effects,
    queues,
    timeline: mergeTimelines(scenario, runs),
    latencyCdf: latency.cdf(120).map(([ms, q]) => [r6(ms), r6(q)]),
    topology: topologyOf(scenario),
    traces: runs[0].traces,
    stop: { events: sumOf(runs, (r) => r.stop.events), truncatedRuns: runs.filter((r) => r.stop.reason === 'maxEvents').length },
  };
}

/** The timelines of all replications, as per-second rates and fractions averaged over them. */
function mergeTimelines(scenario: Scenario, runs: RawRun[]): TimelineResult {
  const n = runs.length;
  const t0 = runs[0].timeline;
  const perSec = 1000 / t0.bucketMs;
  const ok = sumArrays(runs.map((r) => r.timeline.ok));
  const degraded = sumArrays(runs.map((r) => r.timeline.degraded));
  const failed = sumArrays(runs.map((r) => r.timeline.failed));
  const received = sumArrays(runs.map((r) => r.timeline.received));
  const doubled = sumArrays(runs.map((r) => r.timeline.doubleProcessed));
  const hists = Array.from({ length: t0.buckets }, (_, b) => {
    const h = new BucketHistogram();
    for (const r of runs) {
      const e = r.timeline.latency[b];
      if (e !== null) h.merge(BucketHistogram.decode(e));
    }
    return h;
  });
  const services: TimelineResult['services'] = {};
  for (const name of Object.keys(t0.services)) {
    const busy = sumArrays(runs.map((r) => r.timeline.services[name].busyMs));
    const depth = sumArrays(runs.map((r) => r.timeline.services[name].queueDepth));
    const workers = t0.services[name].workers;
    services[name] = {
      utilization: busy.map((v) => r6(v / (n * t0.bucketMs * workers))),
      queueDepth: depth.map((v) => r6(v / n)),
    };
  }
  const breakers: TimelineResult['breakers'] = {};
  for (const key of Object.keys(t0.breakers)) {
    const count = t0.breakers[key].breakers;
    const open = sumArrays(runs.map((r) => r.timeline.breakers[key].openMs));
    const half = sumArrays(runs.map((r) => r.timeline.breakers[key].halfOpenMs));
    breakers[key] = { open: open.map((v) => r6(v / (n * t0.bucketMs * count))), halfOpen: half.map((v) => r6(v / (n * t0.bucketMs * count))) };
  }
  const queues: TimelineResult['queues'] = {};
  for (const key of Object.keys(t0.queues)) {
    queues[key] = {
      depth: sumArrays(runs.map((r) => r.timeline.queues[key].depth)).map((v) => r6(v / n)),
      deadLetters: sumArrays(runs.map((r) => r.timeline.queues[key].deadLetters)).map((v) => r6(v / n)),
      lagMs: sumArrays(runs.map((r) => r.timeline.queues[key].lagMs)).map((v) => r6(v / n)),
    };
  }
  return {
    bucketMs: t0.bucketMs,
    buckets: t0.buckets,
    okPerSec: ok.map((v) => r6((v / n) * perSec)),
    degradedPerSec: degraded.map((v) => r6((v / n) * perSec)),
    failedPerSec: failed.map((v) => r6((v / n) * perSec)),
    availability: ok.map((v, b) => r6(ratio(v + degraded[b], v + degraded[b] + failed[b]))),
    p50Ms: hists.map((h) => (h.count === 0 ? null : r6(h.percentileMs(50)))),
    p99Ms: hists.map((h) => (h.count === 0 ? null : r6(h.percentileMs(99)))),
    amplification: received.map((v, b) => r6(ratio(v, ok[b] + degraded[b] + failed[b]))),
    doubleProcessedPerSec: doubled.map((v) => r6((v / n) * perSec)),
    services,
    breakers,
    queues,
    faults: scenario.faults.map((f) => ({ label: f.label, kind: f.kind, target: f.targetText, atMs: f.atMs, endMs: f.atMs + f.forMs })),
  };
}
