import { BucketHistogram } from './bucketHistogram.js';
import { LatencyHistogram } from './latencyHistogram.js';
import { BucketCount, BucketMax, LevelIntegral, type TimelineClock } from './timeline.js';

/**
 * Streaming statistics the model writes into as it runs. Counters count work that belongs to
 * measured operations (arrived after warmup); timeline series cover the whole run.
 */
export class OperationStats {
  requests = 0;
  succeeded = 0;
  degraded = 0;
  failed = 0;
  /** Operations still in flight when the drain ended (counted as failed too). */
  unfinished = 0;
  readonly latency = new LatencyHistogram();
  readonly ok: Float64Array;
  readonly okDegraded: Float64Array;
  readonly bad: Float64Array;
  /**
   * Per-bucket latency, for p50/p99 over time: made at each bucket's start (World.sampleBucket),
   * or by its first answer if that comes first. Empty ones encode as null.
   */
  readonly bucketLatency: Array<BucketHistogram | null>;

  constructor(readonly clock: TimelineClock) {
    this.ok = new Float64Array(clock.buckets);
    this.okDegraded = new Float64Array(clock.buckets);
    this.bad = new Float64Array(clock.buckets);
    this.bucketLatency = new Array(clock.buckets).fill(null);
  }
}

/** One traffic source's operations (measured ones only). */
export class SourceStats {
  requests = 0;
  succeeded = 0;
  degraded = 0;
  failed = 0;
  readonly latency = new LatencyHistogram();

  constructor(readonly name: string) {}
}

export class ServiceStats {
  received = 0;
  /** Requests that found every worker busy and waited in the queue. */
  waited = 0;
  succeeded = 0;
  failed = 0;
  rejected = 0;
  shed = 0;
  /** Connections refused by a down instance (these never reach the service). */
  refused = 0;
  /** Requests waiting in an instance's queue when it went down. */
  lostInQueue = 0;
  /** Work times drawn, and their sum: the service's own random numbers, for CRN checks. */
  workDraws = 0;
  workSumMs = 0;
  /** Busy workers over time. */
  readonly busy: LevelIntegral;
  /** Requests waiting in the instances' queues. */
  queued = 0;
  readonly queueDepth: BucketMax;

  constructor(
    readonly name: string,
    readonly workers: number,
    clock: TimelineClock,
    windowStartMs: number,
    windowEndMs: number,
  ) {
    this.busy = new LevelIntegral(clock, windowStartMs, windowEndMs);
    this.queueDepth = new BucketMax(clock);
  }
}

export class EdgeStats {
  attempts = 0;
  retries = 0;
  /** Hedge attempts sent (also in attempts). */
  hedges = 0;
  timeouts = 0;
  shortCircuited = 0;
  rejected = 0;
  errors = 0;
  succeeded = 0;
  /** Calls that failed but were answered by the fallback. */
  fallbacks = 0;
  /** Retries refused by an empty retry budget. */
  budgetDenied = 0;
  /** Breaker instances on this edge, and the time they spent open / half-open. */
  breakers = 0;
  breakerTransitions = 0;
  breakerOpened = 0;
  readonly open: LevelIntegral;
  readonly halfOpen: LevelIntegral;

  constructor(
    readonly key: string,
    readonly kind: 'call' | 'publish' | 'delivery' | 'client',
    readonly from: string,
    readonly to: string,
    clock: TimelineClock,
    windowStartMs: number,
    windowEndMs: number,
  ) {
    this.open = new LevelIntegral(clock, windowStartMs, windowEndMs);
    this.halfOpen = new LevelIntegral(clock, windowStartMs, windowEndMs);
  }
}

export class EffectStats {
  operations = 0;
  executions = 0;
  /** Executions beyond the first for an operation. */
  duplicated = 0;
  /** Repeats an idempotent endpoint recognised and did not apply. */
  suppressed = 0;

  constructor(readonly name: string) {}
}

export class QueueStats {
  published = 0;
  delivered = 0;
  redelivered = 0;
  deadLettered = 0;
  /** At-most-once: messages whose only delivery failed. */
  lost = 0;
  acked = 0;
  /** Operations that published at least one message, and those the consumer completed. */
  opsPublished = 0;
  opsCompleted = 0;
  /** From the operation's arrival to the consumer's first success. */
  readonly endToEnd = new LatencyHistogram();
  /** Messages not yet acked or dead-lettered. */
  depthNow = 0;
  readonly depth: BucketMax;
  readonly deadLetters: BucketCount;
  readonly lagMs: BucketMax;

  constructor(
    readonly name: string,
    clock: TimelineClock,
  ) {
    this.depth = new BucketMax(clock);
    this.deadLetters = new BucketCount(clock);
    this.lagMs = new BucketMax(clock);
  }
}
