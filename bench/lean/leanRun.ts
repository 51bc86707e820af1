import { performance } from 'node:perf_hooks';
import type { LatencyHistogram } from '../../sim/metrics/latencyHistogram.js';
import type { Trials } from '../trials.js';

/** The event loop a lean model runs on: faultline's Simulator, or calendarLoop.ts's. */
export interface LeanLoop {
  readonly nowMs: number;
  schedule<T>(delayMs: number, handler: (arg: T) => void, arg: T): void;
  at<T>(timeMs: number, handler: (arg: T) => void, arg: T): void;
  run(): { events: number };
}

/** What a lean model's run reports (bench/lean): the figures compared with faultline's. */
export interface LeanRun extends Trials {
  name: string;
  simulatedMs: number;
  requests: number;
  succeeded: number;
  failed: number;
  events: number;
  /** The event loop alone: building the model is not in it. */
  wallMs: number;
  requestsPerSec: number;
  eventsPerSec: number;
  meanLatencyMs: number;
  /** Time-average busy workers per service, in the scenario's order. */
  busyWorkers: number[];
}

/** Runs the loop until no event is left, timing the event loop alone. */
export function runTimed(sim: LeanLoop): { events: number; wallMs: number } {
  const t0 = performance.now();
  const { events } = sim.run();
  return { events, wallMs: performance.now() - t0 };
}

/** A lean run's figures, with its rates derived from the counts and the timed run. */
export function leanRun(
  name: string,
  simulatedMs: number,
  run: { events: number; wallMs: number },
  counts: { requests: number; failed: number; latency: LatencyHistogram; busyWorkers: number[] },
): LeanRun {
  const { events, wallMs } = run;
  return {
    name,
    simulatedMs,
    requests: counts.requests,
    succeeded: counts.latency.count,
    failed: counts.failed,
    events,
    wallMs,
    requestsPerSec: (counts.requests / wallMs) * 1000,
    eventsPerSec: (events / wallMs) * 1000,
    meanLatencyMs: counts.latency.meanMs,
    busyWorkers: counts.busyWorkers,
  };
}
