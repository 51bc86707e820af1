import * as hdr from 'hdr-histogram-js';

/**
 * Latency in a mergeable HdrHistogram (hdr-histogram-js), recorded in whole microseconds with
 * `digits` significant digits (3 → ≤ 0.1% relative error). Memory is fixed by the value
 * range, not by how many values are recorded. The exact sum, count and max are kept beside
 * it, so the mean is exact rather than bucketed.
 */
export class LatencyHistogram {
  private readonly h: hdr.Histogram;
  count = 0;
  sumMs = 0;
  maxMs = 0;

  constructor(readonly digits: 2 | 3 = 3, source?: hdr.Histogram) {
    this.h =
      source ??
      hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: digits, autoResize: true, bitBucketSize: 32, useWebAssembly: false });
  }

  record(ms: number): void {
    this.h.recordValue(Math.round(ms * 1000));
    this.count++;
    this.sumMs += ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** The value at percentile `p` (0–100), in ms; NaN when empty. */
  percentileMs(p: number): number {
    if (this.count === 0) return NaN;
    return this.h.getValueAtPercentile(p) / 1000;
  }

  get meanMs(): number {
    return this.count === 0 ? NaN : this.sumMs / this.count;
  }

  merge(other: LatencyHistogram): void {
    if (other.count === 0) return;
    this.h.add(other.h);
    this.count += other.count;
    this.sumMs += other.sumMs;
    if (other.maxMs > this.maxMs) this.maxMs = other.maxMs;
  }

  /** Cumulative distribution at up to `points` values, for the report's CDF: [ms, fraction ≤]. */
  cdf(points = 200): Array<[number, number]> {
    if (this.count === 0) return [];
    const out: Array<[number, number]> = [];
    for (let i = 0; i <= points; i++) {
      // Denser towards the tail: percentiles 0 … 99.99 on a log-of-complement scale.
      const q = 100 * (1 - Math.pow(10, (-4 * i) / points));
      out.push([this.h.getValueAtPercentile(q) / 1000, q / 100]);
    }
    out.push([this.maxMs, 1]);
    return out;
  }

  encode(): EncodedHistogram {
    if (this.count === 0) return { count: 0, sumMs: 0, maxMs: 0, hdr: '' };
    return { count: this.count, sumMs: this.sumMs, maxMs: this.maxMs, hdr: hdr.encodeIntoCompressedBase64(this.h) };
  }

  static decode(e: EncodedHistogram, digits: 2 | 3 = 3): LatencyHistogram {
    if (e.count === 0 || e.hdr === '') return new LatencyHistogram(digits);
    const h = new LatencyHistogram(digits, hdr.decodeFromCompressedBase64(e.hdr, 32, false) as hdr.Histogram);
    h.count = e.count;
    h.sumMs = e.sumMs;
    h.maxMs = e.maxMs;
    return h;
  }
}

/** A histogram as it travels between worker threads and shards: exact, and JSON-safe. */
export interface EncodedHistogram {
  count: number;
  sumMs: number;
  maxMs: number;
  hdr: string;
}
