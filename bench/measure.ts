import { performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { LatencyHistogram } from '../sim/metrics/latencyHistogram.js';
import { runOne } from '../sim/run/runOne.js';
import { LIMITS } from '../sim/scenario/limits.js';
import type { Scenario } from '../sim/scenario/types.js';
import type { Trials } from './trials.js';

/** What one measured run reports; travels from the child process to the runner as JSON. */
export interface RunMeasurement extends Trials {
  name: string;
  scenario: string;
  simulatedMs: number;
  /** User operations that arrived (the bench scenarios have no warmup: all of them). */
  requests: number;
  succeeded: number;
  failed: number;
  events: number;
  stop: string;
  /** Wall time of the run alone: loading the scenario and starting Node are not in it. */
  wallMs: number;
  eventsPerSec: number;
  requestsPerSec: number;
  /** RSS once the modules and the scenario are loaded, before the run. */
  rssBeforeMB: number;
  /** process.resourceUsage().maxRSS: the peak over the child's whole life. */
  peakRssMB: number;
  /**
   * Live JS heap after a full GC at 98% of the simulated span, the world still in full swing
   * (null without --expose-gc). Peak RSS also moves with V8's heap sizing; this says whether
   * the simulation itself holds more memory.
   */
  liveHeapMB: number | null;
  /**
   * V8's young generation (its new space) at the end of the run. V8 doubles it after enough
   * bytes have survived scavenges, up to a maximum: the part of peak RSS that grows with V8's
   * sizing rather than with what the simulation holds (docs/performance.md, "Memory").
   * Absent in results written before it was measured.
   */
  youngGenMB?: number;
  latency: { meanMs: number; p50Ms: number; p99Ms: number };
  utilization: Record<string, number>;
  /**
   * The same run again in the same process, once the JIT has compiled the engine (M/M/1 only):
   * a second figure beside the cold one, which is the one judged against the target.
   */
  warm?: { wallMs: number; eventsPerSec: number; requestsPerSec: number };
  /** Analytic expectations, when the model has them (M/M/1). */
  theory?: { meanMs: number; p50Ms: number; p99Ms: number; utilization: number };
}

/** Megabytes (10⁶ bytes): the unit the targets are stated in. */
export const MB = 1e6;

/**
 * Runs one replication in this thread, the way a worker does (runOne), and times it. Call it
 * in a fresh process: peak RSS is per process, and a previous run's heap would pollute it.
 */
export function measureRun(name: string, file: string, scenario: Scenario): RunMeasurement {
  const rssBefore = process.memoryUsage().rss;
  const task = { index: 0, variant: 'baseline', replication: 0, point: -1 };
  // Near the end of arrivals, collect garbage and read the live heap; the GC's own time is
  // taken out of the wall time. Not at 100%: a run whose events all end before `duration`
  // (the M/M/1 drains at once) never reports 100%. Progress callbacks are what a worker
  // passes too, so the run loop is the same as in a real run.
  const gc = (globalThis as { gc?: () => void }).gc;
  let liveHeap: number | null = null;
  let gcMs = 0;
  const onProgress = (fraction: number) => {
    if (fraction < 0.98 || liveHeap !== null || !gc) return;
    const g0 = performance.now();
    gc();
    liveHeap = process.memoryUsage().heapUsed;
    gcMs += performance.now() - g0;
  };
  const t0 = performance.now();
  const raw = runOne(scenario, task, LIMITS.defaultMaxEvents, onProgress);
  const wallMs = performance.now() - t0 - gcMs;
  // resourceUsage().maxRSS is in kilobytes (KiB).
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const youngGen = getHeapSpaceStatistics().find((sp) => sp.space_name === 'new_space')?.space_size;
  const h = LatencyHistogram.decode(raw.ops.latency);
  const utilization: Record<string, number> = {};
  for (const [svc, s] of Object.entries(raw.services)) utilization[svc] = s.capacityMs > 0 ? s.busyMs / s.capacityMs : 0;
  const seconds = wallMs / 1000;
  return {
    name,
    scenario: file,
    simulatedMs: scenario.durationMs,
    requests: raw.ops.requests,
    succeeded: raw.ops.succeeded + raw.ops.degraded,
    failed: raw.ops.failed,
    events: raw.stop.events,
    stop: raw.stop.reason,
    wallMs,
    eventsPerSec: raw.stop.events / seconds,
    requestsPerSec: raw.ops.requests / seconds,
    rssBeforeMB: rssBefore / MB,
    peakRssMB: peakRss / MB,
    liveHeapMB: liveHeap === null ? null : liveHeap / MB,
    youngGenMB: youngGen === undefined ? undefined : youngGen / MB,
    latency: { meanMs: h.meanMs, p50Ms: h.percentileMs(50), p99Ms: h.percentileMs(99) },
    utilization,
  };
}
