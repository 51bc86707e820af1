import type { RunMeasurement } from './measure.js';
import { TARGETS, type BenchPlan } from './plan.js';
import type { Comparison, ModelCheck, TargetResult } from './results.js';
import type { SimpyResult } from './simpy.js';
import type { SpeedupMeasurement } from './speedup.js';
import { mb, ms, pct, ratio, si, spanLabel } from './format.js';

interface Figures {
  plan: BenchPlan;
  mm1: RunMeasurement;
  chain: RunMeasurement;
  chainShort: RunMeasurement;
  simpy: { mm1: SimpyResult; chain: SimpyResult } | null;
  speedup: SpeedupMeasurement;
}

export function compare(f: Figures): Comparison[] {
  if (!f.simpy) return [];
  const row = (model: string, ours: RunMeasurement, theirs: SimpyResult): Comparison => ({
    model,
    faultlinePerSec: ours.requestsPerSec,
    faultlineSimulatedMs: ours.simulatedMs,
    simpyPerSec: theirs.requestsPerSec,
    simpySimulatedMs: theirs.simulatedMs,
    ratio: ours.requestsPerSec / theirs.requestsPerSec,
  });
  return [row('M/M/1', f.mm1, f.simpy.mm1), row('4-hop chain', f.chain, f.simpy.chain)];
}

/** The targets, each PASS, MISS or n/a. */
export function targets(f: Figures, comparisons: Comparison[]): TargetResult[] {
  const chainRatio = comparisons.find((c) => c.model === '4-hop chain')?.ratio ?? null;
  const growth = f.chain.peakRssMB / f.chainShort.peakRssMB;
  const t = TARGETS;
  return [
    {
      id: 'mm1-rate',
      label: `M/M/1 ≥ ${t.mm1CustomersPerSec / 1e6} M customers/s`,
      value: f.mm1.requestsPerSec,
      shown: `${si(f.mm1.requestsPerSec)} customers/s`,
      pass: f.mm1.requestsPerSec >= t.mm1CustomersPerSec,
    },
    {
      id: 'chain-vs-simpy',
      label: `chain ≥ ${t.chainVsSimpy}× SimPy (simulated requests per wall-second)`,
      value: chainRatio,
      shown: chainRatio === null ? 'SimPy not installed' : ratio(chainRatio),
      pass: chainRatio === null ? null : chainRatio >= t.chainVsSimpy,
    },
    {
      id: 'chain-rss',
      label: `chain peak RSS < ${t.chainPeakRssMB} MB`,
      value: f.chain.peakRssMB,
      shown: mb(f.chain.peakRssMB),
      pass: f.chain.peakRssMB < t.chainPeakRssMB,
    },
    {
      id: 'chain-rss-growth',
      label: `chain peak RSS ${spanLabel(f.chain.simulatedMs)} ≤ ${t.chainRssGrowth}× ${spanLabel(f.chainShort.simulatedMs)}`,
      value: growth,
      shown: `${mb(f.chain.peakRssMB)} / ${mb(f.chainShort.peakRssMB)} = ${growth.toFixed(2)}×`,
      pass: growth <= t.chainRssGrowth,
    },
    {
      id: 'speedup',
      label: `${f.speedup.replications} replications, --jobs 2 vs --jobs 1 ≥ ${t.speedup}×`,
      value: f.speedup.speedup,
      shown: `${f.speedup.speedup.toFixed(2)}×`,
      pass: f.speedup.speedup >= t.speedup,
    },
  ];
}

/**
 * Do the simulated results make sense? A fast simulator that computes the wrong thing is
 * worth nothing, so each benchmark's answer is checked against theory (M/M/1) or against
 * the independent SimPy model (the chain). Tolerances are loose in --quick mode: short
 * runs are noisy (an M/M/1 at ρ = 0.8 has strongly correlated response times).
 */
export function modelChecks(f: Figures): ModelCheck[] {
  const quick = f.plan.mode === 'quick';
  const rel = quick ? 0.2 : 0.05;
  const out: ModelCheck[] = [];
  const near = (label: string, measured: number, expected: number, tol: number, show: (x: number) => string) =>
    out.push({ label, measured: show(measured), expected: `${show(expected)} ± ${+(tol * 100).toPrecision(2)}%`, ok: Math.abs(measured / expected - 1) <= tol });

  const th = f.mm1.theory!;
  near('M/M/1 mean response time = 1/(μ−λ)', f.mm1.latency.meanMs, th.meanMs, rel, (x) => ms(x));
  near('M/M/1 median = ln 2/(μ−λ)', f.mm1.latency.p50Ms, th.p50Ms, rel, (x) => ms(x));
  near('M/M/1 p99 = ln 100/(μ−λ)', f.mm1.latency.p99Ms, th.p99Ms, rel, (x) => ms(x));
  const util = Object.values(f.mm1.utilization)[0];
  near('M/M/1 utilization = ρ', util, th.utilization, quick ? 0.05 : 0.01, (x) => x.toFixed(3));
  out.push({ label: 'M/M/1 every customer served', measured: `${f.mm1.succeeded} of ${f.mm1.requests}`, expected: 'all', ok: f.mm1.succeeded === f.mm1.requests });
  const expectedCustomers = f.plan.mm1Customers;
  near('M/M/1 customers arrived', f.mm1.requests, expectedCustomers, quick ? 0.05 : 0.01, (x) => si(x));

  // Four hops at 0.1% errors each; the client's 1 s timeout should (almost) never fire.
  const chainAvailability = (m: RunMeasurement) => m.succeeded / m.requests;
  near('chain availability ≈ 0.999⁴', chainAvailability(f.chain), 0.999 ** 4, 0.001, (x) => pct(x, 3));
  for (const m of [f.chain, f.chainShort, f.mm1]) {
    out.push({ label: `${m.name}: run ended by draining`, measured: m.stop, expected: 'drained', ok: m.stop === 'drained' });
  }
  const liveLong = f.chain.liveHeapMB;
  const liveShort = f.chainShort.liveHeapMB;
  if (liveLong !== null && liveShort !== null) {
    // Peak RSS includes V8's heap sizing; the live heap is what the simulation really holds.
    out.push({
      label: `chain live heap after GC, ${spanLabel(f.chain.simulatedMs)} vs ${spanLabel(f.chainShort.simulatedMs)}`,
      measured: `${liveLong.toFixed(1)} MB vs ${liveShort.toFixed(1)} MB`,
      expected: `≤ ${TARGETS.chainRssGrowth}×`,
      ok: liveLong <= TARGETS.chainRssGrowth * liveShort,
    });
  }
  if (f.simpy) {
    near('SimPy M/M/1 mean response time = 1/(μ−λ)', f.simpy.mm1.meanLatencyMs, th.meanMs, quick ? 0.3 : 0.08, (x) => ms(x));
    // Same model, independent implementation: the means should agree within the noise of
    // SimPy's shorter span (hop1 runs at ~94% utilization, so its queueing is noisy).
    near('chain mean latency: faultline vs SimPy', f.chain.latency.meanMs, f.simpy.chain.meanLatencyMs, quick ? 0.25 : 0.1, (x) => ms(x));
    const simpyAvail = (f.simpy.chain.succeeded ?? 0) / f.simpy.chain.requests;
    near('chain availability: faultline vs SimPy', chainAvailability(f.chain), simpyAvail, 0.002, (x) => pct(x, 3));
  }
  out.push({
    label: 'speed-up runs: same results with 1 and 2 workers',
    measured: f.speedup.identical ? 'identical' : 'DIFFERENT',
    expected: 'identical',
    ok: f.speedup.identical,
  });
  return out;
}
