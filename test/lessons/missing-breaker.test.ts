import { describe, expect, it } from 'vitest';
import type { VariantResult } from '../../sim/run/results.js';
import { simulateBundled } from '../helpers/sim.js';
import { mean } from '../helpers/stats.js';

/**
 * The arithmetic behind the scenario: the web tier has 2 × 200 = 400 threads. Healthy, a page
 * holds one for ~15–45 ms: 600 pages/s need ~15 threads (4%). During the stall every home page
 * holds its thread until the widget's 10 s timeout: 120/s × 10 s = 1200 threads wanted, so the
 * 400 are gone in ~3.3 s and stay gone; a freed thread goes to whatever is next in line, and
 * one time in five that is another home page for 10 s. Product pages then get through at
 * ~400 / (0.2 × 10 s) × 0.8 ≈ 160/s of the 480/s offered.
 */
const run = simulateBundled('missing-breaker');
const v = (name: string) => run.results.get(name)!;
const base = v('baseline');
const stall = run.set.base.faults[0];
const bucketMs = base.timeline.bucketMs;

/** The web tier's utilization during the stall, from 10 s after it starts (threads filled) to its end. */
function webBusyDuringStall(r: VariantResult): number {
  const u = r.timeline.services.web.utilization;
  const from = Math.ceil((stall.atMs + 10_000) / bucketMs);
  const to = Math.floor((stall.atMs + stall.forMs) / bucketMs);
  return mean(u.slice(from, to));
}
/** The share of product views that succeeded, over the whole measured run. */
function productOk(r: VariantResult): number {
  const c = r.calls['product-views->web.product'];
  return c.succeeded / c.attempts;
}
const edge = 'web->recommendations.for-you';
// Product views lost in the baseline: ~320 of 480/s for the 120 s stall, of 210 s measured
// (≈ 38%). Anything above 20% lost is a cascade, not noise.
const CASCADE = 0.8;

describe('a missing circuit breaker: a slow optional widget takes down pages that never call it (scenarios/missing-breaker.yaml)', () => {
  it('without protection, the stalled widget holds every web thread and product pages are refused', () => {
    expect(webBusyDuringStall(base)).toBeGreaterThan(0.98);
    // Tomcat's accept queue (100 per instance) is full: connections are refused.
    expect(base.services.web.rejected).toBeGreaterThan(0);
    // Product views never call recommendations, yet a large share of them fail.
    expect(productOk(base)).toBeLessThan(CASCADE);
    // The fallback does not save the home page either: it runs only after the 10 s timeout.
    expect(base.summary.latencyMs.p99!).toBeGreaterThan(10_000);
  });

  for (const fix of ['timeout', 'bulkhead', 'all-three']) {
    it(`${fix}: the product pages do not notice the stall; the home page degrades`, () => {
      const f = v(fix);
      // No product view fails: 99.9% leaves room for nothing but the odd catalog timeout.
      expect(productOk(f)).toBeGreaterThan(0.999);
      // Every page is served, the home page without its widget during the stall: the baseline
      // loses ~38% of its pages, so a 30-point margin, and 95% intervals that do not overlap.
      expect(f.summary.availability! - base.summary.availability!).toBeGreaterThan(0.3);
      expect(f.replications.availability.ci95![0]).toBeGreaterThan(base.replications.availability.ci95![1]);
      expect(f.vsBaseline!.availability.significant).toBe(true);
      // ~120/s × 120 s × 3 replications home pages degraded; at least half of that.
      expect(f.summary.degraded).toBeGreaterThan(0.5 * 120 * 120 * 3);
      // Most threads stay free: 120/s × 0.3 s ≈ 36 (timeout) or 2 × 20 (bulkhead) of 400.
      expect(webBusyDuringStall(f)).toBeLessThan(0.25);
    });
  }

  it('the timeout frees threads after 300 ms, the bulkhead refuses the 21st concurrent call, the breaker stops calling', () => {
    expect(v('timeout').calls[edge].timeouts).toBeGreaterThan(0);
    expect(v('bulkhead').calls[edge].rejected).toBeGreaterThan(0);
    expect(v('bulkhead').calls[edge].shortCircuited).toBe(0);
    expect(v('all-three').calls[edge].breakerOpened).toBeGreaterThan(0);
    expect(v('all-three').calls[edge].shortCircuited).toBeGreaterThan(0);
  });

  it('a breaker alone trips only on failures, and with a 10 s timeout they come too late to save the threads', () => {
    const b = v('breaker');
    expect(b.calls[edge].breakerOpened).toBeGreaterThan(0);
    expect(b.calls[edge].shortCircuited).toBeGreaterThan(0);
    // It stops the cascade (intervals apart, 20 points better than no protection)…
    expect(b.summary.availability! - base.summary.availability!).toBeGreaterThan(0.2);
    expect(b.replications.availability.ci95![0]).toBeGreaterThan(base.replications.availability.ci95![1]);
    // …but only once the first calls have timed out: the threads are all busy for the first
    // ~10 s of the stall, and product pages fail meanwhile (1% lost = 2 s of the 210 s).
    const u = b.timeline.services.web.utilization;
    const firstSeconds = u.slice(Math.ceil((stall.atMs + 5000) / bucketMs), Math.floor((stall.atMs + 10_000) / bucketMs));
    expect(mean(firstSeconds)).toBeGreaterThan(0.95);
    expect(productOk(b)).toBeLessThan(0.99);
    expect(b.replications.availability.ci95![1]).toBeLessThan(v('all-three').replications.availability.ci95![0]);
  });
});
