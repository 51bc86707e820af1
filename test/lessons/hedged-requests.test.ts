import { describe, expect, it } from 'vitest';
import { simulateBundled } from '../helpers/sim.js';

/**
 * The arithmetic behind the scenario. The index's work is a mix: 95% lognormal (median 8 ms,
 * p99 20 ms) and 5% lognormal (median 80 ms, p99 200 ms); its p95 is ~30 ms, its p99 ~110 ms,
 * its mean ~12.5 ms, so 16 workers do ~1280 lookups/s. The network adds ~1 ms a round trip.
 * At 200 searches/s nobody queues and the slow lookups strike independently, so a hedge after
 * 30 ms is sent for P(work > 29 ms) ≈ 5% of the searches and the slow tail needs both attempts
 * slow: P(T > t) = S(t)·S(t − 30) for t ≥ 30. At 1000 searches/s the index is ~78% busy; if
 * every lookup were hedged it would get ~2000/s, more than it can do.
 */
const run = simulateBundled('hedged-requests');
const v = (name: string) => run.results.get(name)!;
const base = v('baseline');
const hedged = v('hedge-p95');
const loaded = v('under-load');
const hedgedLoaded = v('hedge-under-load');
const edge = 'search->index.lookup';
const hedgeShare = (name: string) => v(name).calls[edge].hedges / v(name).summary.requests;

describe('hedged requests: a cure for an independent tail, a poison under load (scenarios/hedged-requests.yaml)', () => {
  it('with spare capacity, a hedge after the p95 goes out for ~5% of the searches and costs ~5% more index work', () => {
    // P(work > 29 ms) ≈ 5.2% from the mix; 3–8% covers the network and the sample (~60,000
    // searches: the binomial noise is ±0.3 points at 3.5 standard errors).
    expect(hedgeShare('hedge-p95')).toBeGreaterThan(0.03);
    expect(hedgeShare('hedge-p95')).toBeLessThan(0.08);
    expect(hedged.calls[edge].attempts).toBe(hedged.summary.requests + hedged.calls[edge].hedges);
    expect(base.calls[edge].hedges).toBe(0);
    // Every attempt is worked, the losing copies too: the index is busier by about the hedge
    // share (±3 points: a losing copy still does its whole work, a fresh draw from the same mix).
    const busier = hedged.services.index.utilization! / base.services.index.utilization!;
    expect(Math.abs(busier - 1 - hedgeShare('hedge-p95'))).toBeLessThan(0.03);
    expect(hedged.summary.availability).toBe(1);
  });

  it('and cuts the p99 by more than half, intervals apart', () => {
    // Without the hedge the p99 is the slow mode's (~115 ms); with it a search is slow only if
    // both attempts are, and the p99 falls to ~45 ms. Margin: the hedged interval's top is below
    // half the baseline interval's bottom.
    expect(hedged.replications.p99Ms.ci95![1]).toBeLessThan(0.5 * base.replications.p99Ms.ci95![0]);
    expect(hedged.vsBaseline!.p99Ms.significant).toBe(true);
    // The median is untouched: below 30 ms, no hedge has been sent (±0.5 ms).
    expect(Math.abs(hedged.summary.latencyMs.p50! - base.summary.latencyMs.p50!)).toBeLessThan(0.5);
  });

  it('without the hedge, the busy index (~78%) still answers every search', () => {
    expect(loaded.services.index.utilization!).toBeGreaterThan(0.7);
    expect(loaded.services.index.utilization!).toBeLessThan(0.85);
    expect(loaded.summary.availability!).toBeGreaterThan(0.999);
    expect(loaded.calls[edge].hedges).toBe(0);
  });

  it('with the same hedge the busy index saturates: every lookup is late, so hedged, and the searches fail', () => {
    // Late because queued, nearly every lookup is hedged (> 90%): twice the work, more than
    // the index can do. It stays saturated and the searches time out.
    expect(hedgeShare('hedge-under-load')).toBeGreaterThan(0.9);
    expect(hedgedLoaded.services.index.utilization!).toBeGreaterThan(0.99);
    expect(hedgedLoaded.calls[edge].timeouts).toBeGreaterThan(0.9 * hedgedLoaded.calls[edge].attempts);
    // The collapse: availability far below the unhedged run's (a 50-point margin), intervals apart.
    expect(loaded.summary.availability! - hedgedLoaded.summary.availability!).toBeGreaterThan(0.5);
    expect(hedgedLoaded.replications.availability.ci95![1]).toBeLessThan(loaded.replications.availability.ci95![0]);
  });
});
