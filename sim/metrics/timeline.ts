/** Nice bucket widths; the run picks the smallest that keeps a timeline at most MAX_BUCKETS long. */
const NICE_MS = [10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000];
export const MAX_BUCKETS = 600;

/**
 * Timelines have a fixed number of buckets whatever the simulated duration, so their memory
 * does not grow with it: a longer run gets wider buckets.
 */
export function chooseBucketMs(durationMs: number, requestedMs: number | null): number {
  if (requestedMs !== null && durationMs / requestedMs <= MAX_BUCKETS * 10) return requestedMs;
  for (const b of NICE_MS) if (durationMs / b <= MAX_BUCKETS) return b;
  return Math.ceil(durationMs / MAX_BUCKETS / 3_600_000) * 3_600_000;
}

export class TimelineClock {
  readonly buckets: number;

  constructor(
    readonly bucketMs: number,
    readonly durationMs: number,
  ) {
    this.buckets = Math.max(1, Math.ceil(durationMs / bucketMs));
  }

  /** The bucket holding time t, or −1 outside [0, duration). */
  bucketOf(tMs: number): number {
    if (tMs < 0 || tMs >= this.durationMs) return -1;
    return Math.floor(tMs / this.bucketMs);
  }
}

/**
 * The time integral of a level that changes in steps (busy workers, open breakers), per bucket
 * and over a measurement window.
 */
export class LevelIntegral {
  readonly perBucket: Float64Array;
  level = 0;
  private lastMs = 0;
  /** ∫ level dt over [windowStartMs, windowEndMs]. */
  windowTotal = 0;

  constructor(
    private readonly clock: TimelineClock,
    private readonly windowStartMs: number,
    private readonly windowEndMs: number,
  ) {
    this.perBucket = new Float64Array(clock.buckets);
    this.bucketEndMs = Math.min(clock.bucketMs, clock.durationMs);
  }

  add(nowMs: number, delta: number): void {
    this.advance(nowMs);
    this.level += delta;
  }

  /** The bucket holding lastMs, and where it ends: most changes fall in it. */
  private bucket = 0;
  private bucketEndMs: number;

  /** Accounts the current level up to nowMs. */
  advance(nowMs: number): void {
    const from = this.lastMs;
    if (nowMs <= from) return;
    this.lastMs = nowMs;
    if (nowMs < this.bucketEndMs && from >= this.windowStartMs && nowMs <= this.windowEndMs) {
      // Fast path: within one bucket and inside the measurement window.
      const area = this.level * (nowMs - from);
      this.perBucket[this.bucket] += area;
      this.windowTotal += area;
      return;
    }
    this.crossBuckets(from, nowMs);
  }

  /** From `from` to `nowMs` across a bucket boundary or an edge of the window: out of line, so advance() stays small. */
  private crossBuckets(from: number, nowMs: number): void {
    const level = this.level;
    this.bucket = Math.min(Math.floor(nowMs / this.clock.bucketMs), this.clock.buckets - 1);
    this.bucketEndMs = Math.min((this.bucket + 1) * this.clock.bucketMs, this.clock.durationMs);
    if (level === 0) return;
    const a = Math.max(from, this.windowStartMs);
    const b = Math.min(nowMs, this.windowEndMs);
    if (b > a) this.windowTotal += level * (b - a);
    const { bucketMs, durationMs } = this.clock;
    let t = from;
    const end = Math.min(nowMs, durationMs);
    while (t < end) {
      const i = Math.floor(t / bucketMs);
      const bucketEnd = Math.min((i + 1) * bucketMs, end);
      this.perBucket[i] += level * (bucketEnd - t);
      t = bucketEnd;
    }
  }
}

/** The largest value seen in each bucket (queue depth, consumer lag). */
export class BucketMax {
  readonly perBucket: Float64Array;
  max = 0;

  constructor(private readonly clock: TimelineClock) {
    this.perBucket = new Float64Array(clock.buckets);
  }

  observe(nowMs: number, value: number): void {
    if (value > this.max) this.max = value;
    const i = this.clock.bucketOf(nowMs);
    if (i >= 0 && value > this.perBucket[i]) this.perBucket[i] = value;
  }
}

/** A count per bucket. */
export class BucketCount {
  readonly perBucket: Float64Array;

  constructor(private readonly clock: TimelineClock) {
    this.perBucket = new Float64Array(clock.buckets);
  }

  add(nowMs: number, n = 1): void {
    const i = this.clock.bucketOf(nowMs);
    if (i >= 0) this.perBucket[i] += n;
  }
}

/**
 * Primes the JIT, once per process (or worker thread) when the module loads: a throwaway level
 * crosses bucket boundaries and the edges of its window. A run's first boundary comes thousands
 * of events in, after V8 has compiled the model's handlers (which inline add()) without feedback
 * for crossBuckets; each was thrown back to the interpreter there (docs/performance.md,
 * "Priming the rare branches"). The level is dropped; LevelIntegral has no shared state.
 */
function primeBucketCrossing(): void {
  const level = new LevelIntegral(new TimelineClock(1, 64), 0.5, 64);
  for (let t = 0; t < 64; t++) {
    level.add(t + 0.25, 1);
    level.add(t + 0.75, -1);
    level.add(t + 1.5, 1);
    level.add(t + 1.75, -1);
  }
}
primeBucketCrossing();
