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
