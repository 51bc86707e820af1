/**
 * Limits on input, checked before a run starts (TIGER_STYLE: put a limit on everything).
 * A scenario over a limit is bad input: a located error, never a hang or an exhausted heap.
 */
export const LIMITS = {
  /** Largest scenario file read, in bytes. */
  maxFileBytes: 1024 * 1024,
  /** YAML alias expansions allowed (guards against "billion laughs" alias bombs). */
  maxAliasCount: 100,
  /** Deepest nesting of mappings and lists in a scenario file. */
  maxNestingDepth: 32,
  /** Deepest nesting of `parallel` steps. */
  maxStepDepth: 8,
  maxServices: 200,
  maxInstancesPerService: 1000,
  maxConcurrency: 100_000,
  maxEndpointsPerService: 100,
  /** Steps in one endpoint, counting nested parallel steps and `times`. */
  maxStepsPerEndpoint: 1000,
  maxTrafficSources: 100,
  maxQueues: 100,
  maxFaults: 1000,
  maxVariants: 50,
  maxReplications: 10_000,
  maxRetryAttempts: 100,
  /** Hedge attempts per try (`hedge.max`). */
  maxHedges: 10,
  maxScheduleEntries: 10_000,
  maxMixParts: 100,
  maxPercentilePoints: 100,
  maxClosedUsers: 1_000_000,
  /** Longest simulated duration (and warmup, drain). */
  maxDurationMs: 7 * 24 * 3_600_000,
  /** Events a run may need, estimated before it starts; `--max-events` overrides it. */
  defaultMaxEvents: 2_000_000_000,
  /**
   * Memory the runs of one command may hold until they are aggregated (each run keeps its
   * timelines and histograms: ~0.25 MB at 600 buckets and a few services), estimated before
   * it starts. Beyond it: fewer replications or variants, or --shard (and merge on a bigger machine).
   */
  maxResultsBytes: 1536 * 1024 * 1024,
  // Limits on single values: they keep every time the engine computes finite and every message short.
  /** Longest name of a service, endpoint, queue, traffic source, variant, effect or scenario. */
  maxNameLength: 100,
  /**
   * Longest duration any field may hold (work, latency, timeout, backoff...): far beyond any
   * real system, and small enough that every sum and product of times the engine forms stays
   * finite (a 1e308 ms work time times a latency factor would be Infinity).
   */
  maxAnyDurationMs: 365 * 24 * 3_600_000,
  /** Largest multiplier of a fault (latency, capacity, surge factor) or of an exponential backoff. */
  maxFactor: 1000,
} as const;
