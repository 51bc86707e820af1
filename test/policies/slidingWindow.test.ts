import { describe, expect, it } from 'vitest';
import { CountWindow, TimeWindow } from '../../sim/policies/slidingWindow.js';

describe('CountWindow', () => {
  it('holds the last `size` results: the oldest leaves as each new one comes in', () => {
    const w = new CountWindow(3);
    w.record(0, true, false);
    w.record(0, false, true);
    expect(w.totals()).toEqual({ calls: 2, failures: 1, slow: 1 });
    w.record(0, true, true);
    expect(w.totals()).toEqual({ calls: 3, failures: 2, slow: 2 });
    w.record(0, false, false); // the first (failed) result leaves
    expect(w.totals()).toEqual({ calls: 3, failures: 1, slow: 2 });
    w.record(0, false, false); // the second (slow) result leaves
    expect(w.totals()).toEqual({ calls: 3, failures: 1, slow: 1 });
  });

  it('agrees with a recount of the last `size` results over a long mixed sequence', () => {
    const size = 7;
    const w = new CountWindow(size);
    const all: Array<[boolean, boolean]> = [];
    for (let i = 0; i < 200; i++) {
      // A pattern with periods 3 and 5 that do not divide 7, so every alignment occurs.
      const r: [boolean, boolean] = [i % 3 === 0, i % 5 === 1];
      all.push(r);
      w.record(i, r[0], r[1]);
      const last = all.slice(-size);
      expect(w.totals()).toEqual({ calls: last.length, failures: last.filter((x) => x[0]).length, slow: last.filter((x) => x[1]).length });
    }
  });

  it('reset empties it', () => {
    const w = new CountWindow(3);
    for (let i = 0; i < 5; i++) w.record(i, true, true);
    w.reset();
    expect(w.totals()).toEqual({ calls: 0, failures: 0, slow: 0 });
    w.record(9, false, false);
    expect(w.totals()).toEqual({ calls: 1, failures: 0, slow: 0 });
  });
});

describe('TimeWindow', () => {
  it('a whole-second window has one-second buckets: a result counts while younger than size − 1 s and is gone at size', () => {
    // Bucketed like resilience4j: a result in bucket [k s, (k+1) s) counts until (k+10) s.
    for (const t of [0, 250, 999, 1234.5, 7000]) {
      const w = new TimeWindow(10_000);
      w.record(t, true, false);
      expect(w.totals(t).calls).toBe(1);
      expect(w.totals(t + 9000).calls).toBe(1);
      const bucketStart = Math.floor(t / 1000) * 1000;
      expect(w.totals(bucketStart + 9999.999).calls).toBe(1);
      expect(w.totals(bucketStart + 10_000).calls).toBe(0);
      expect(w.totals(t + 10_000).calls).toBe(0);
    }
  });

  it('a window that is not whole seconds has 10 buckets of size/10', () => {
    const w = new TimeWindow(2500); // buckets of 250 ms
    w.record(100, true, true); // bucket [0, 250)
    expect(w.totals(2249.9)).toEqual({ calls: 1, failures: 1, slow: 1 });
    expect(w.totals(2500)).toEqual({ calls: 0, failures: 0, slow: 0 });
  });

  it('sums failures and slow calls across the buckets inside the window', () => {
    const w = new TimeWindow(5000);
    w.record(100, true, false);
    w.record(1100, false, true);
    w.record(2100, true, true);
    w.record(2200, false, false);
    expect(w.totals(2300)).toEqual({ calls: 4, failures: 2, slow: 2 });
    // At 5.5 s the bucket [0, 1 s) has left; at 6.5 s the bucket [1 s, 2 s) too.
    expect(w.totals(5500)).toEqual({ calls: 3, failures: 1, slow: 2 });
    expect(w.totals(6500)).toEqual({ calls: 2, failures: 1, slow: 1 });
    expect(w.totals(7000)).toEqual({ calls: 0, failures: 0, slow: 0 });
  });

  it('a bucket reused a window later starts from zero', () => {
    const w = new TimeWindow(3000);
    for (let i = 0; i < 5; i++) w.record(500, true, true);
    w.record(3500, false, false); // same bucket slot (index 0), next cycle
    expect(w.totals(3500)).toEqual({ calls: 1, failures: 0, slow: 0 });
  });

  it('a long window is capped at 600 buckets (of 2 s for 20 min)', () => {
    const w = new TimeWindow(1_200_000);
    w.record(1500, true, false); // bucket [0, 2 s)
    expect(w.totals(1_199_999).calls).toBe(1);
    expect(w.totals(1_200_000).calls).toBe(0);
  });

  it('reset empties it, even for results still inside the window', () => {
    const w = new TimeWindow(10_000);
    for (let t = 0; t < 3000; t += 100) w.record(t, true, true);
    w.reset();
    expect(w.totals(3000)).toEqual({ calls: 0, failures: 0, slow: 0 });
    w.record(3100, false, false);
    expect(w.totals(3200)).toEqual({ calls: 1, failures: 0, slow: 0 });
  });
});
