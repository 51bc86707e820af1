import { describe, expect, it } from 'vitest';
import { RetryBudget } from '../../sim/policies/retryBudget.js';
import { RandomStream } from '../../sim/engine/random.js';

/** Spends every whole token; returns how many retries were allowed. */
function drain(b: RetryBudget): number {
  let n = 0;
  while (b.tryRetry()) n++;
  return n;
}

describe('RetryBudget (token bucket)', () => {
  it('starts full at its capacity', () => {
    const b = new RetryBudget(0.1, 10);
    expect(b.available).toBe(10);
    expect(drain(b)).toBe(10);
  });

  it('a retry spends one token', () => {
    const b = new RetryBudget(0.1, 5);
    expect(b.tryRetry()).toBe(true);
    expect(b.available).toBe(4);
    expect(b.tryRetry()).toBe(true);
    expect(b.available).toBe(3);
  });

  it('a retry is refused below one token, and a refusal spends nothing', () => {
    const b = new RetryBudget(0.25, 2);
    drain(b);
    expect(b.available).toBe(0);
    for (let i = 0; i < 3; i++) b.onRequest();
    expect(b.available).toBe(0.75);
    expect(b.tryRetry()).toBe(false);
    expect(b.available).toBe(0.75);
    b.onRequest();
    expect(b.tryRetry()).toBe(true);
    expect(b.available).toBe(0);
  });

  it('each request deposits ratio of a token', () => {
    const b = new RetryBudget(0.25, 10);
    drain(b);
    b.onRequest();
    expect(b.available).toBe(0.25);
    b.onRequest();
    expect(b.available).toBe(0.5);
  });

  it('deposits stop at the capacity', () => {
    const b = new RetryBudget(0.5, 3);
    for (let i = 0; i < 100; i++) b.onRequest();
    expect(b.available).toBe(3);
    b.tryRetry();
    b.onRequest();
    b.onRequest();
    b.onRequest();
    expect(b.available).toBe(3);
  });

  it('1/ratio requests earn exactly one retry, even when ratio is not a binary fraction (10%)', () => {
    // In binary floating point, 0.1 added ten times is 0.9999999999999999.
    for (const ratio of [0.1, 0.2, 0.05, 0.01, 0.02, 0.001, 0.25]) {
      const b = new RetryBudget(ratio, 10);
      drain(b);
      const perToken = Math.round(1 / ratio);
      for (let round = 0; round < 20; round++) {
        for (let i = 0; i < perToken - 1; i++) b.onRequest();
        expect(b.tryRetry()).toBe(false);
        b.onRequest();
        expect(b.tryRetry()).toBe(true);
      }
    }
  });

  it('in the long run, retries are ratio of requests (plus the initial capacity)', () => {
    // A client that wants to retry after every request: each retry that is allowed spends a
    // token, so retries = capacity + N·ratio − (what is left, in [0, 1)), exactly.
    for (const ratio of [0.1, 0.2, 0.05, 0.37]) {
      const capacity = 10;
      const n = 100_000;
      const b = new RetryBudget(ratio, capacity);
      let retries = 0;
      for (let i = 0; i < n; i++) {
        b.onRequest();
        if (b.tryRetry()) retries++;
      }
      const expected = capacity + n * ratio;
      expect(retries).toBeLessThanOrEqual(Math.ceil(expected));
      expect(retries).toBeGreaterThanOrEqual(Math.floor(expected) - 1);
    }
  });

  it('with bursty demand, retries never exceed ratio of requests plus the capacity', () => {
    // Demand for retries arrives in bursts (a random number of wanted retries per request);
    // the bucket's invariant is retries ≤ capacity + ratio·requests at every moment.
    const rng = new RandomStream('budget-bursts');
    const ratio = 0.1;
    const b = new RetryBudget(ratio, 10);
    let requests = 0;
    let retries = 0;
    for (let i = 0; i < 50_000; i++) {
      b.onRequest();
      requests++;
      const wanted = rng.next() < 0.05 ? 1 + Math.floor(rng.next() * 10) : 0;
      for (let k = 0; k < wanted; k++) if (b.tryRetry()) retries++;
      expect(retries).toBeLessThanOrEqual(10 + ratio * requests + 1e-9);
    }
  });
});
