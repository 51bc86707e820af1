import { describe, expect, it } from 'vitest';
import { binomialSE, Z } from '../helpers/stats.js';
import { simulate } from '../helpers/sim.js';

/** P(an operation makes k attempts), k = 1..n: p^(k−1)(1−p) for k < n, and p^(n−1) for n. */
const attemptProbabilities = (p: number, n: number): number[] => Array.from({ length: n }, (_, i) => (i < n - 1 ? p ** i * (1 - p) : p ** (n - 1)));

describe('retries', () => {
  it('n attempts at independent failure probability p: success 1 − pⁿ, and (1 − pⁿ)/(1 − p) attempts per operation', () => {
    const p = 0.3;
    const n = 3;
    const run = simulate(
      `
name: retry-math
duration: 300s
seed: 3
traffic:
  users:
    target: api.get
    rate: 500/s
    retry: {maxAttempts: ${n}, backoff: none, retryOn: [error]}
services:
  api:
    concurrency: 1000
    endpoints:
      get: {work: 1ms, errorRate: ${p}}
`,
      { replications: 1 },
    );
    const v = run.results.get('baseline')!;
    const ops = v.summary.requests;
    const success = 1 - p ** n;
    expect(Math.abs(v.summary.availability! - success)).toBeLessThan(Z * binomialSE(success, ops));
    // Attempts per operation: k with probability p^(k−1)(1−p) for k < n, and n with p^(n−1).
    const probs = attemptProbabilities(p, n);
    const meanAttempts = probs.reduce((s, q, i) => s + q * (i + 1), 0);
    const varAttempts = probs.reduce((s, q, i) => s + q * (i + 1) ** 2, 0) - meanAttempts ** 2;
    expect(meanAttempts).toBeCloseTo((1 - p ** n) / (1 - p), 12);
    const attempts = v.calls['users->api.get'].attempts;
    expect(Math.abs(attempts / ops - meanAttempts)).toBeLessThan(Z * Math.sqrt(varAttempts / ops));
    expect(v.calls['users->api.get'].retries).toBe(attempts - ops);
  });

  it('the same holds for a retrying call step between services', () => {
    const p = 0.5;
    const n = 4;
    const run = simulate(
      `
name: retry-step
duration: 200s
seed: 4
traffic:
  users: {target: front.get, rate: 500/s}
services:
  front:
    concurrency: 1000
    endpoints:
      get:
        steps:
          - call: back.get
            retry: {maxAttempts: ${n}}
  back:
    concurrency: 1000
    endpoints:
      get: {work: 1ms, errorRate: ${p}}
`,
      { replications: 1 },
    );
    const v = run.results.get('baseline')!;
    const ops = v.summary.requests;
    const success = 1 - p ** n;
    expect(Math.abs(v.summary.availability! - success)).toBeLessThan(Z * binomialSE(success, ops));
    const mean = (1 - p ** n) / (1 - p);
    const probs = attemptProbabilities(p, n);
    const variance = probs.reduce((s, q, i) => s + q * (i + 1) ** 2, 0) - mean ** 2;
    expect(Math.abs(v.services.back.received / ops - mean)).toBeLessThan(Z * Math.sqrt(variance / ops));
  });

  it('L nested layers of r attempts each, with the bottom down, send rᴸ requests per operation to the bottom', () => {
    // client (r attempts) → a → b (r) → c (r) → bottom, which always fails: every layer
    // exhausts its attempts, so the bottom sees exactly r·r·r·r per operation.
    const r = 3;
    const run = simulate(
      `
name: nested
duration: 20s
seed: 6
traffic:
  users:
    target: a.get
    rate: 50/s
    retry: {maxAttempts: ${r}}
services:
  a:
    concurrency: 10000
    endpoints:
      get:
        steps: [{call: b.get, retry: {maxAttempts: ${r}}}]
  b:
    concurrency: 10000
    endpoints:
      get:
        steps: [{call: c.get, retry: {maxAttempts: ${r}}}]
  c:
    concurrency: 10000
    endpoints:
      get:
        steps: [{call: bottom.get, retry: {maxAttempts: ${r}}}]
  bottom:
    concurrency: 10000
    endpoints:
      get: {work: 1ms, errorRate: 100%}
`,
      { replications: 1 },
    );
    const v = run.results.get('baseline')!;
    const ops = v.summary.requests;
    expect(ops).toBeGreaterThan(500);
    expect(v.summary.availability).toBe(0);
    expect(v.services.bottom.received).toBe(r ** 4 * ops);
    expect(v.services.c.received).toBe(r ** 3 * ops);
    expect(v.services.a.amplification).toBe(r);
    expect(v.summary.amplification).toBe(r + r ** 2 + r ** 3 + r ** 4);
  });
});
