import type { RunMeasurement } from './measure.js';
import type { ReportLoadOutcome } from './reportLoadStep.js';
import type { SimpyInfo, SimpyResult } from './simpy.js';
import type { SpeedupMeasurement } from './speedup.js';
import type { Machine } from './machine.js';
import type { HoldRun } from './lean/engineHold.js';
import type { LeanRun } from './lean/leanRun.js';

/** Everything one `npm run bench` measured: written to bench/results/*.json as is. */
export interface BenchResults {
  bench: 'faultline';
  mode: 'full' | 'quick';
  machine: Machine;
  faultline: { mm1: RunMeasurement; chain: RunMeasurement; chainShort: RunMeasurement };
  simpy: { info: SimpyInfo; mm1: SimpyResult; chain: SimpyResult } | { skipped: string };
  /** What the two models could reach on this engine at best (docs/performance.md). */
  ceiling: { mm1: LeanRun; chain: LeanRun; chainCalendar: LeanRun; hold: HoldRun };
  comparisons: Comparison[];
  speedup: SpeedupMeasurement;
  reportLoad: ReportLoadOutcome;
  targets: TargetResult[];
  checks: ModelCheck[];
  /** Wall time of the whole bench, build excluded. */
  totalWallMs: number;
}

/** faultline's and SimPy's simulated requests per wall-second for one model. */
export interface Comparison {
  model: string;
  faultlinePerSec: number;
  faultlineSimulatedMs: number;
  simpyPerSec: number;
  simpySimulatedMs: number;
  ratio: number;
}

export interface TargetResult {
  id: string;
  label: string;
  /** The measured value, shown with `shown`. */
  value: number | null;
  shown: string;
  /** null when it could not be measured (SimPy missing). */
  pass: boolean | null;
}

/** A simulated result compared with what it should be (theory, or the SimPy model). */
export interface ModelCheck {
  label: string;
  measured: string;
  expected: string;
  ok: boolean;
}
