import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../sim/engine/random.js';
import { binOf, BucketHistogram, valueOf } from '../../sim/metrics/bucketHistogram.js';

describe('BucketHistogram (timeline p50/p99 per bucket)', () => {
  it('is exact below 128 µs and within 1/64 relative error above', () => {
    for (let us = 0; us < 128; us++) expect(valueOf(binOf(us))).toBe(us);
    const rng = new RandomStream('bucket-resolution');
    for (let i = 0; i < 100_000; i++) {
      const us = Math.floor(Math.exp(rng.next() * 21) + 128); // 128 µs … ~20 min
      expect(Math.abs(valueOf(binOf(us)) - us) / us).toBeLessThanOrEqual(1 / 64);
    }
  });

  it('encodes losslessly and compactly, and merges by adding counts', () => {
    const rng = new RandomStream('bucket-encode');
    const a = new BucketHistogram();
    const b = new BucketHistogram();
    for (let i = 0; i < 5000; i++) (i % 2 ? a : b).recordMs(-20 * Math.log(1 - rng.next()));
    const back = BucketHistogram.decode(a.encode());
    expect(Array.from(back.counts)).toEqual(Array.from(a.counts));
    expect(back.count).toBe(a.count);
    expect(BucketHistogram.decode(new BucketHistogram().encode()).count).toBe(0);
    const merged = BucketHistogram.decode(a.encode());
    merged.merge(b);
    for (const p of [50, 99]) {
      const all = new BucketHistogram();
      all.merge(a);
      all.merge(b);
      expect(merged.percentileMs(p)).toBe(all.percentileMs(p));
    }
    // A few bytes per non-empty bin.
    const bins = a.counts.filter((c) => c > 0).length;
    expect(a.encode().length).toBeLessThan(bins * 6);
  });

  it('reports percentiles within its resolution', () => {
    const h = new BucketHistogram();
    for (let i = 1; i <= 1000; i++) h.recordMs(i); // 1 … 1000 ms
    expect(Math.abs(h.percentileMs(50) - 500) / 500).toBeLessThan(1 / 64);
    expect(Math.abs(h.percentileMs(99) - 990) / 990).toBeLessThan(1 / 64);
    expect(new BucketHistogram().percentileMs(50)).toBeNaN();
  });
});
