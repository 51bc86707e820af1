import { describe, expect, it } from 'vitest';
import { backoffDelayMs, type Uniform } from '../../sim/policies/backoff.js';
import { RandomStream } from '../../sim/engine/random.js';
import type { Backoff, BackoffPolicy, Jitter } from '../../sim/scenario/types.js';

const policy = (o: Partial<BackoffPolicy>): BackoffPolicy => ({
  backoff: 'exponential',
  baseMs: 50,
  capMs: Infinity,
  multiplier: 2,
  jitter: 'none',
  ...o,
});

/** A uniform source that counts its draws. */
class Counting implements Uniform {
  draws = 0;
  constructor(private readonly inner: Uniform) {}
  next(): number {
    this.draws++;
    return this.inner.next();
  }
}

/** The un-jittered delay d of retry n, straight from the formula in backoff.ts's doc comment. */
function d(p: BackoffPolicy, n: number): number {
  if (p.backoff === 'constant') return Math.min(p.capMs, p.baseMs);
  return Math.min(p.capMs, p.baseMs * p.multiplier ** (n - 1));
}

/** Runs retries 1..count, feeding each delay back as the previous one, as the caller does. */
function sequence(p: BackoffPolicy, count: number, rng: Uniform): number[] {
  const out: number[] = [];
  let prev = 0;
  for (let n = 1; n <= count; n++) {
    prev = backoffDelayMs(p, n, prev, rng);
    out.push(prev);
  }
  return out;
}

/** The smallest and the largest of `draws` delays for retry n, each drawn afresh from `rng`. */
function extremes(p: BackoffPolicy, n: number, rng: Uniform, draws = 10_000): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < draws; i++) {
    const x = backoffDelayMs(p, n, 0, rng);
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  return { lo, hi };
}

describe('backoff: none', () => {
  for (const jitter of ['none', 'full', 'equal', 'decorrelated'] as Jitter[]) {
    it(`backoff none waits 0 ms and draws nothing (jitter ${jitter})`, () => {
      const rng = new Counting(new RandomStream('backoff-none'));
      const p = policy({ backoff: 'none', jitter, baseMs: 100, capMs: 1000 });
      expect(sequence(p, 6, rng)).toEqual([0, 0, 0, 0, 0, 0]);
      expect(rng.draws).toBe(0);
    });
  }
});

describe('backoff without jitter', () => {
  it('constant backoff waits base before every retry', () => {
    const p = policy({ backoff: 'constant', baseMs: 100 });
    expect(sequence(p, 5, new RandomStream('c'))).toEqual([100, 100, 100, 100, 100]);
  });

  it('exponential backoff doubles from base with the default multiplier 2', () => {
    const p = policy({ backoff: 'exponential', baseMs: 50, multiplier: 2 });
    // 50·2⁰, 50·2¹, ... written out by hand.
    expect(sequence(p, 6, new RandomStream('e'))).toEqual([50, 100, 200, 400, 800, 1600]);
  });

  it('exponential backoff grows by the multiplier', () => {
    const p = policy({ backoff: 'exponential', baseMs: 10, multiplier: 3 });
    expect(sequence(p, 5, new RandomStream('e3'))).toEqual([10, 30, 90, 270, 810]);
  });

  it('a multiplier of 1 makes exponential backoff constant', () => {
    const p = policy({ backoff: 'exponential', baseMs: 70, multiplier: 1 });
    expect(sequence(p, 4, new RandomStream('e1'))).toEqual([70, 70, 70, 70]);
  });

  it('exponential backoff stops growing at the cap', () => {
    const p = policy({ backoff: 'exponential', baseMs: 50, multiplier: 2, capMs: 1000 });
    expect(sequence(p, 8, new RandomStream('cap'))).toEqual([50, 100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it('constant backoff is limited by the cap too', () => {
    const p = policy({ backoff: 'constant', baseMs: 500, capMs: 300 });
    expect(backoffDelayMs(p, 1, 0, new RandomStream('cc'))).toBe(300);
  });

  it('an unjittered delay draws no uniform', () => {
    for (const backoff of ['constant', 'exponential'] as Backoff[]) {
      const rng = new Counting(new RandomStream('no-draw'));
      sequence(policy({ backoff, jitter: 'none', capMs: 1000 }), 10, rng);
      expect(rng.draws).toBe(0);
    }
  });
});

describe('full jitter: random(0, d)', () => {
  for (const backoff of ['constant', 'exponential'] as Backoff[]) {
    it(`${backoff}: the seeded sequence is u·d, u drawn from the same stream`, () => {
      const p = policy({ backoff, jitter: 'full', baseMs: 40, multiplier: 2, capMs: 500 });
      const got = sequence(p, 10, new RandomStream('full-seq'));
      const ref = new RandomStream('full-seq');
      const want = Array.from({ length: 10 }, (_, i) => ref.next() * d(p, i + 1));
      expect(got).toEqual(want);
    });
  }

  it('stays in [0, d) and reaches across it', () => {
    // With N draws, P(all of them above ε·d) = (1−ε)^N; for N = 10 000, ε = 1% that is e^-100.
    const p = policy({ backoff: 'exponential', jitter: 'full', baseMs: 100, multiplier: 2, capMs: 800 });
    const rng = new RandomStream('full-bounds');
    for (const n of [1, 2, 3, 4, 5, 9]) {
      const dn = d(p, n);
      const { lo, hi } = extremes(p, n, rng);
      expect(lo).toBeGreaterThanOrEqual(0);
      expect(hi).toBeLessThan(dn);
      expect(lo).toBeLessThan(0.01 * dn);
      expect(hi).toBeGreaterThan(0.99 * dn);
    }
  });

  it('never exceeds the cap, however many retries', () => {
    const p = policy({ backoff: 'exponential', jitter: 'full', baseMs: 100, multiplier: 2, capMs: 1000 });
    const rng = new RandomStream('full-cap');
    for (let n = 1; n <= 60; n++) expect(backoffDelayMs(p, n, 0, rng)).toBeLessThan(1000);
  });
});

describe('equal jitter: d/2 + random(0, d/2)', () => {
  for (const backoff of ['constant', 'exponential'] as Backoff[]) {
    it(`${backoff}: the seeded sequence is d/2 + u·d/2, u drawn from the same stream`, () => {
      const p = policy({ backoff, jitter: 'equal', baseMs: 30, multiplier: 3, capMs: 2000 });
      const got = sequence(p, 10, new RandomStream('equal-seq'));
      const ref = new RandomStream('equal-seq');
      const want = Array.from({ length: 10 }, (_, i) => {
        const dn = d(p, i + 1);
        return dn / 2 + (ref.next() * dn) / 2;
      });
      expect(got).toEqual(want);
    });
  }

  it('stays in [d/2, d) and reaches across it', () => {
    // Same bound as for full jitter: missing the outer 1% of [d/2, d) in 10 000 draws has probability e^-100.
    const p = policy({ backoff: 'exponential', jitter: 'equal', baseMs: 100, multiplier: 2, capMs: 1600 });
    const rng = new RandomStream('equal-bounds');
    for (const n of [1, 3, 5, 8]) {
      const dn = d(p, n);
      const { lo, hi } = extremes(p, n, rng);
      expect(lo).toBeGreaterThanOrEqual(dn / 2);
      expect(hi).toBeLessThan(dn);
      expect(lo).toBeLessThan(dn / 2 + 0.01 * (dn / 2));
      expect(hi).toBeGreaterThan(dn - 0.01 * (dn / 2));
    }
  });
});

describe('decorrelated jitter: min(cap, random(base, previous·3))', () => {
  it('the seeded sequence follows the AWS formula, previous starting at base', () => {
    const p = policy({ backoff: 'exponential', jitter: 'decorrelated', baseMs: 20, capMs: 5000 });
    const got = sequence(p, 15, new RandomStream('decor-seq'));
    const ref = new RandomStream('decor-seq');
    const want: number[] = [];
    let sleep = p.baseMs;
    for (let i = 0; i < 15; i++) {
      const lo = p.baseMs;
      const hi = sleep * 3;
      sleep = Math.min(p.capMs, lo + ref.next() * (hi - lo));
      want.push(sleep);
    }
    expect(got).toEqual(want);
  });

  it('does not depend on the backoff kind, the multiplier or the retry number, only on the previous delay', () => {
    const a = backoffDelayMs(policy({ backoff: 'constant', jitter: 'decorrelated', baseMs: 10, multiplier: 2 }), 1, 37, new RandomStream('k'));
    const b = backoffDelayMs(policy({ backoff: 'exponential', jitter: 'decorrelated', baseMs: 10, multiplier: 7 }), 9, 37, new RandomStream('k'));
    expect(a).toBe(b);
  });

  it('stays within [base, min(cap, 3·previous)]', () => {
    const p = policy({ jitter: 'decorrelated', baseMs: 50, capMs: 2000 });
    const rng = new RandomStream('decor-bounds');
    let prev = 0;
    for (let n = 1; n <= 2000; n++) {
      const x = backoffDelayMs(p, n, prev, rng);
      const prevOrBase = prev > 0 ? prev : p.baseMs;
      expect(x).toBeGreaterThanOrEqual(p.baseMs);
      expect(x).toBeLessThanOrEqual(Math.min(p.capMs, 3 * prevOrBase));
      prev = x;
    }
  });

  it('reaches the cap and is held there', () => {
    // Far above base each step multiplies the delay by 3u, whose log has mean ln 3 − 1 > 0: the
    // walk drifts up, so 500 steps from base 50 reach a cap of 400, and min() must clip there.
    const p = policy({ jitter: 'decorrelated', baseMs: 50, capMs: 400 });
    const rng = new RandomStream('decor-cap');
    const seq = sequence(p, 500, rng);
    expect(Math.max(...seq)).toBe(400);
    expect(seq.every((x) => x <= 400)).toBe(true);
  });
});

describe('draws: a jittered delay takes exactly one uniform', () => {
  for (const jitter of ['full', 'equal', 'decorrelated'] as Jitter[]) {
    for (const backoff of ['constant', 'exponential'] as Backoff[]) {
      it(`${backoff} + ${jitter}: one draw per delay, so the stream stays aligned`, () => {
        const stream = new RandomStream('align');
        const rng = new Counting(stream);
        sequence(policy({ backoff, jitter, baseMs: 10, capMs: 1000 }), 25, rng);
        expect(rng.draws).toBe(25);
        // The 26th number of the stream is the one that comes next.
        const ref = new RandomStream('align');
        for (let i = 0; i < 25; i++) ref.next();
        expect(stream.next()).toBe(ref.next());
      });
    }
  }
});
