import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../sim/engine/random.js';
import { BucketMax, chooseBucketMs, LevelIntegral, MAX_BUCKETS, TimelineClock } from '../../sim/metrics/timeline.js';

describe('LevelIntegral', () => {
  it('integrates a step function per bucket and over the window, exactly as a brute-force sum', () => {
    const clock = new TimelineClock(100, 10_000);
    const windowStart = 1234;
    const windowEnd = 10_000;
    const li = new LevelIntegral(clock, windowStart, windowEnd);
    const rng = new RandomStream('level');
    // Random level changes, some in the same bucket, some across several, some after the end (drain).
    const changes: Array<[number, number]> = [];
    let t = 0;
    let level = 0;
    while (t < 12_000) {
      t += rng.next() < 0.8 ? rng.next() * 20 : rng.next() * 700;
      const delta = level > 0 && rng.next() < 0.5 ? -1 : 1;
      level += delta;
      changes.push([t, delta]);
      li.add(t, delta);
    }
    li.advance(13_000);
    // Brute force: the level at each of many fine steps.
    const perBucket = new Float64Array(clock.buckets);
    let windowTotal = 0;
    let cur = 0;
    let k = 0;
    const dt = 0.01;
    for (let x = 0; x < 13_000; x += dt) {
      while (k < changes.length && changes[k][0] <= x) cur += changes[k++][1];
      if (x < 10_000) perBucket[Math.floor(x / 100)] += cur * dt;
      if (x >= windowStart && x < windowEnd) windowTotal += cur * dt;
    }
    // The fine grid misplaces each change by less than dt: at most dt × (the largest level)
    // per change (and per bucket edge) in a bucket.
    let maxLevel = 0;
    let lv = 0;
    for (const [, d] of changes) maxLevel = Math.max(maxLevel, (lv += d));
    for (let b = 0; b < clock.buckets; b++) {
      const inBucket = changes.filter(([x]) => x >= b * 100 && x < (b + 1) * 100).length;
      expect(Math.abs(li.perBucket[b] - perBucket[b]), `bucket ${b}`).toBeLessThan((inBucket + 2) * dt * (maxLevel + 1));
    }
    expect(Math.abs(li.windowTotal - windowTotal)).toBeLessThan((changes.length + 2) * dt * (maxLevel + 1));
  });
});

describe('timeline buckets', () => {
  it('keep a timeline at most 600 buckets long, whatever the duration', () => {
    for (const d of [1000, 60_000, 600_000, 3_600_000, 86_400_000, 7 * 86_400_000]) {
      const b = chooseBucketMs(d, null);
      expect(d / b).toBeLessThanOrEqual(MAX_BUCKETS);
    }
    expect(chooseBucketMs(600_000, null)).toBe(1000);
  });

  it('BucketMax keeps the largest value seen in each bucket', () => {
    const clock = new TimelineClock(10, 100);
    const m = new BucketMax(clock);
    m.observe(1, 3);
    m.observe(5, 7);
    m.observe(9, 2);
    m.observe(15, 1);
    m.observe(150, 99); // after the timeline: only the overall max
    expect(Array.from(m.perBucket.slice(0, 2))).toEqual([7, 1]);
    expect(m.max).toBe(99);
  });
});
