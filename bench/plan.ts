/** The measurements bench/one.ts can make, each in its own process. */
export const BENCHMARKS = ['mm1', 'chain', 'chain-short', 'speedup', 'lean-mm1', 'lean-chain', 'lean-chain-calendar', 'engine-hold'] as const;
export type BenchmarkName = (typeof BENCHMARKS)[number];

/**
 * What each benchmark simulates, in the full and the --quick modes: the one place to change
 * a span. Full spans are the (1M customers, 1 h, 10 min); SimPy gets shorter spans
 * because it is ~10-100× slower, and the comparison is between rates, not totals.
 */
export interface BenchPlan {
  mode: 'full' | 'quick';
  /** Expected M/M/1 customers (the duration is customers / λ). */
  mm1Customers: number;
  /** The chain's long run, and the short one it is compared with for memory growth. */
  chainMs: number;
  chainShortMs: number;
  simpyMm1Customers: number;
  simpyChainMs: number;
  /** Parallel speed-up: replications, and the wall time one run should take. */
  speedupReplications: number;
  speedupRunWallMs: number;
  /** Timed executions per job count (interleaved; the best one counts). */
  speedupTrials: number;
  /** Simulated span of the calibration run that sizes the speed-up scenario. */
  speedupCalibrationMs: number;
  /**
   * Fresh-process trials of each rate (faultline's, the lean models' and SimPy's, interleaved);
   * the median counts. One figure on a shared VM moves by 20–50% from run to run.
   */
  speedTrials: number;
  /** The ceiling: events of the engine-alone hold model (bench/lean/engineHold.ts). */
  holdEvents: number;
}

const MINUTE = 60_000;

export const FULL: BenchPlan = {
  mode: 'full',
  mm1Customers: 1_000_000,
  chainMs: 60 * MINUTE,
  chainShortMs: 10 * MINUTE,
  simpyMm1Customers: 1_000_000,
  simpyChainMs: 5 * MINUTE,
  speedupReplications: 8,
  speedupRunWallMs: 1000,
  speedupTrials: 2,
  speedupCalibrationMs: MINUTE,
  speedTrials: 3,
  holdEvents: 20_000_000,
};

/** A smoke run (seconds, not minutes): same code paths, small spans. Its figures are not comparable. */
export const QUICK: BenchPlan = {
  mode: 'quick',
  mm1Customers: 50_000,
  chainMs: 2 * MINUTE,
  chainShortMs: 20_000,
  simpyMm1Customers: 20_000,
  simpyChainMs: 10_000,
  speedupReplications: 8,
  speedupRunWallMs: 150,
  speedupTrials: 1,
  speedupCalibrationMs: 10_000,
  speedTrials: 1,
  holdEvents: 1_000_000,
};

/** The targets from the issues. */
export const TARGETS = {
  mm1CustomersPerSec: 3_000_000,
  chainVsSimpy: 50,
  chainPeakRssMB: 200,
  chainRssGrowth: 1.2,
  speedup: 1.7,
  /** The default scenario's self-contained HTML report, bytes. */
  reportBytes: 1_500_000,
} as const;
