import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../sim/engine/random.js';
import { countsIndex, LatencyHistogram, valueAtIndex } from '../../sim/metrics/latencyHistogram.js';

const reference = () =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, autoResize: true, bitBucketSize: 32, useWebAssembly: false });

describe('LatencyHistogram', () => {
  it("stages values at exactly hdr-histogram-js's counts index, so the histogram is the same", () => {
    const h = reference() as hdr.Histogram & { countsArrayIndex(v: number): number };
    const mine = new LatencyHistogram();
    const rng = new RandomStream('hdr-layout');
    for (let i = 0; i < 100_000; i++) {
      // Log-uniform from 0.3 µs to 50 min: every bucket of the layout.
      const ms = Math.exp(rng.next() * 23 - 8);
      const us = Math.round(ms * 1000);
      expect(countsIndex(us)).toBe(h.countsArrayIndex(us));
      h.recordValue(us);
      mine.record(ms);
    }
    expect(mine.encode().hdr).toBe(hdr.encodeIntoCompressedBase64(h));
    for (const p of [50, 99, 99.9]) expect(mine.percentileMs(p)).toBe(h.getValueAtPercentile(p) / 1000);
  });

  it('moves staged counts into the HdrHistogram as recording them one by one would, read after read', () => {
    const h = reference() as hdr.JsHistogram;
    const mine = new LatencyHistogram();
    const inner = () => (mine as unknown as { h: hdr.JsHistogram }).h;
    // Zeros (index 0 holds the value 0, which is no minimum), then a read, then a new lowest
    // non-zero value and a new highest, then another read.
    const batches = [
      [0, 0, 0.004, 2.5, 2.5, 7],
      [0.002, 0, 40, 3],
    ];
    for (const batch of batches) {
      for (const ms of batch) {
        h.recordValue(Math.round(ms * 1000));
        mine.record(ms);
      }
      expect(mine.percentileMs(50)).toBe(h.getValueAtPercentile(50) / 1000);
      expect(inner().totalCount).toBe(h.totalCount);
      expect(inner().minNonZeroValue).toBe(h.minNonZeroValue);
      expect(inner().maxValue).toBe(h.maxValue);
      expect(mine.encode().hdr).toBe(hdr.encodeIntoCompressedBase64(h));
    }
  });

  it('valueAtIndex gives the lowest value of each index', () => {
    for (const v of [0, 1, 1023, 1024, 2047, 2048, 2049, 4095, 123_456, 2 ** 30 + 5]) {
      const i = countsIndex(v);
      expect(valueAtIndex(i)).toBeLessThanOrEqual(v);
      expect(countsIndex(valueAtIndex(i))).toBe(i);
      // Within HdrHistogram's resolution at 3 digits.
      expect(v - valueAtIndex(i)).toBeLessThanOrEqual(Math.max(1, v / 1000));
    }
  });

  it('keeps the exact mean and max, and never reports a percentile above the max', () => {
    const h = new LatencyHistogram();
    for (const ms of [3, 3, 3, 3.0004]) h.record(ms);
    expect(h.meanMs).toBeCloseTo(3.0001, 12);
    expect(h.maxMs).toBe(3.0004);
    expect(h.percentileMs(100)).toBeLessThanOrEqual(3.0004);
    // HdrHistogram answers with a bucket's highest equivalent value: within 0.1% above.
    expect(h.percentileMs(50)).toBeGreaterThanOrEqual(3);
    expect(h.percentileMs(50)).toBeLessThanOrEqual(3.0004);
  });

  it('merges exactly: encoding a merge equals recording everything in one', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    const all = new LatencyHistogram();
    const rng = new RandomStream('merge');
    for (let i = 0; i < 20_000; i++) {
      const ms = -10 * Math.log(1 - rng.next());
      (i % 3 === 0 ? a : b).record(ms);
      all.record(ms);
    }
    const merged = LatencyHistogram.decode(a.encode());
    merged.merge(LatencyHistogram.decode(b.encode()));
    expect(merged.encode().hdr).toBe(all.encode().hdr);
    expect(merged.count).toBe(all.count);
    expect(merged.maxMs).toBe(all.maxMs);
  });
});
