import { describe, expect, it } from 'vitest';
import { binomialSE, Z } from '../helpers/stats.js';
import { simulate } from '../helpers/sim.js';

describe('per-source results', () => {
  it("keep each traffic source's own availability and latency apart from the mixed summary", () => {
    const run = simulate(
      `
name: two-sources
duration: 120s
seed: 3
traffic:
  shoppers: {target: shop.page, rate: 300/s}
  batch: {target: reports.build, rate: 100/s}
services:
  shop:
    concurrency: 1000
    endpoints: {page: {work: 5ms}}
  reports:
    concurrency: 1000
    endpoints: {build: {work: 50ms, errorRate: 20%}}
`,
      { replications: 2 },
    );
    const v = run.results.get('baseline')!;
    const shop = v.sources.shoppers;
    const batch = v.sources.batch;
    expect(shop.requests + batch.requests).toBe(v.summary.requests);
    expect(shop.availability).toBe(1);
    expect(Math.abs(batch.availability! - 0.8)).toBeLessThan(Z * binomialSE(0.8, batch.requests));
    // The summary mixes both: ~0.95 here, which describes neither.
    expect(v.summary.availability!).toBeCloseTo((shop.succeeded + batch.succeeded) / v.summary.requests, 5);
    // Constant work and no network: each source's latency is its own work time.
    expect(shop.latencyMs.p50).toBeCloseTo(5, 1);
    expect(batch.latencyMs.p50).toBeCloseTo(50, 0);
  });
});
