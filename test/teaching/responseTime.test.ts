import { describe, expect, it } from 'vitest';
import { cdfAt, quantileOf, type Dist } from '../../sim/engine/distributions.js';
import { predictAvailability, predictLatency, predictLoad } from '../../sim/run/predict.js';
import { GridDist, ResponseTimes } from '../../sim/run/responseTime.js';
import { loadScenarioText } from '../../sim/scenario/load.js';
import type { Scenario } from '../../sim/scenario/types.js';
import { simulate } from '../helpers/sim.js';
import { quantileSE, Z } from '../helpers/stats.js';

/**
 * Response-time tails for `faultline explain` (sim/run/responseTime.ts): closed-form CDFs, the
 * lattice arithmetic (sums, maxima, mixtures, timeouts) against distributions worked by hand,
 * and a prediction built on them against a run.
 */

const exp = (mean: number): Dist => ({ kind: 'exponential', mean });
/** The lattice reads tails to about a cell's mass: a few thousandths here. */
const GRID_TOLERANCE = 3e-3;

function scenario(yaml: string): Scenario {
  return loadScenarioText(yaml, 'test.yaml').base;
}

/** P(response > t) of the traffic source's target, as the client sees it. */
function clientTail(s: Scenario): (t: number) => number {
  const r = new ResponseTimes(s).of(s.traffic[0].name, s.traffic[0].target)!;
  return (t) => r.tail(t);
}

describe('cdfAt', () => {
  const dists: Array<[string, Dist]> = [
    ['exponential', exp(10)],
    ['uniform', { kind: 'uniform', min: 2, max: 8 }],
    ['normal, truncated at 0', { kind: 'normal', mean: 1, sd: 1 }],
    ['lognormal', { kind: 'lognormal', median: 5, sigma: 0.8 }],
    ['percentiles', { kind: 'percentiles', points: [[0, 1], [0.5, 3], [0.99, 20], [1, 50]] }],
  ];
  it.each(dists)('of a %s distribution inverts its quantile function', (_, d) => {
    for (const p of [0.01, 0.1, 0.5, 0.9, 0.99]) expect(cdfAt(d, quantileOf(d, p)!)).toBeCloseTo(p, 6);
  });

  it('of a constant is a step, and nothing is below 0', () => {
    expect([cdfAt({ kind: 'constant', value: 3 }, 2.999), cdfAt({ kind: 'constant', value: 3 }, 3), cdfAt(exp(1), -1)]).toEqual([0, 1, 0]);
  });
});

describe('the lattice', () => {
  const w = 0.05; // ms per cell: 2048 cells span ~102 ms
  const g = (d: Dist) => GridDist.of(d, w);

  it('adds independent times: Exp(10) + Exp(20) has the hypoexponential tail (20e^(−t/20) − 10e^(−t/10)) / 10', () => {
    const sum = g(exp(10)).plus(g(exp(20)));
    for (const t of [5, 20, 40, 60]) expect(Math.abs(sum.tail(t) - (20 * Math.exp(-t / 20) - 10 * Math.exp(-t / 10)) / 10)).toBeLessThan(GRID_TOLERANCE);
  });

  it('adds a constant as a shift, and 0 as nothing', () => {
    const shifted = g({ kind: 'constant', value: 7 }).plus(g(exp(10)));
    for (const t of [8, 15, 30]) expect(Math.abs(shifted.tail(t) - Math.exp(-(t - 7) / 10))).toBeLessThan(GRID_TOLERANCE);
    const zero = g({ kind: 'constant', value: 0 });
    expect(Array.from(zero.plus(g(exp(10))).mass)).toEqual(Array.from(g(exp(10)).mass));
  });

  it('takes the slower of parallel branches: P(max > t) = 1 − (1 − e^(−t/10))²', () => {
    const m = g(exp(10)).max(g(exp(10)));
    for (const t of [2, 10, 30]) expect(Math.abs(m.tail(t) - (1 - (1 - Math.exp(-t / 10)) ** 2))).toBeLessThan(GRID_TOLERANCE);
  });

  it('caps at a timeout: nothing outlasts it, and below it nothing changes', () => {
    const capped = g(exp(10)).cappedAt(15);
    expect(capped.tail(15.1)).toBe(0);
    expect(Math.abs(capped.tail(10) - Math.exp(-1))).toBeLessThan(GRID_TOLERANCE);
  });

  it('keeps what lies beyond its last cell', () => {
    const far = g(exp(100)); // 102 ms of grid: e^(−1.02) of the mass is beyond
    expect(far.beyond).toBeCloseTo(Math.exp(-102.375 / 100), 6);
    expect(far.tail(500)).toBeCloseTo(far.beyond, 12);
  });
});

describe('the response time of a call', () => {
  const chain = (front: string, extra = '') => `name: rt
duration: 1m
traffic: {users: {target: front.get, rate: 10/s}}
services:
  front:
    endpoints: {get: ${front}}
  back:
    endpoints: {get: {work: {exponential: {mean: 10ms}}}}
  other:
    endpoints: {get: {work: {exponential: {mean: 10ms}}}}
${extra}`;

  it('is the links both ways, the work, and each call in turn: 1 + 2 + (1 + Exp(10) + 1) + 1 ms', () => {
    const tail = clientTail(scenario(chain('{work: 2ms, steps: [{call: back.get}]}', 'links:\n  default: {latency: 1ms}')));
    for (const t of [7, 12, 30]) expect(Math.abs(tail(t) - Math.exp(-(t - 6) / 10))).toBeLessThan(GRID_TOLERANCE);
    expect(tail(5.9)).toBe(1);
  });

  it('skips the steps of a request that fails after its work (errorRate 50%)', () => {
    const tail = clientTail(scenario(chain('{work: 2ms, errorRate: 50%, steps: [{call: back.get}]}')));
    for (const t of [3, 10, 25]) expect(Math.abs(tail(t) - 0.5 * Math.exp(-(t - 2) / 10))).toBeLessThan(GRID_TOLERANCE);
  });

  it('waits for the slower parallel branch, and adds up the copies of times: 2', () => {
    const par = clientTail(scenario(chain('{work: 0ms, steps: [{parallel: [{call: back.get}, {call: other.get}]}]}')));
    for (const t of [5, 15]) expect(Math.abs(par(t) - (1 - (1 - Math.exp(-t / 10)) ** 2))).toBeLessThan(GRID_TOLERANCE);
    const twice = clientTail(scenario(chain('{work: 0ms, steps: [{call: back.get, times: 2}]}')));
    // Erlang-2: e^(−t/10)(1 + t/10).
    for (const t of [5, 15, 40]) expect(Math.abs(twice(t) - Math.exp(-t / 10) * (1 + t / 10))).toBeLessThan(GRID_TOLERANCE);
  });

  it('ends a call at its timeout', () => {
    const tail = clientTail(scenario(chain('{work: 2ms, steps: [{call: back.get, timeout: 15ms}]}')));
    expect(Math.abs(tail(12) - Math.exp(-1))).toBeLessThan(GRID_TOLERANCE);
    expect(tail(17.1)).toBe(0);
  });
});

describe('a large call tree', () => {
  // 30 levels, each calling the next 80 times in turn: the top's response time is ~80²⁹ ms.
  const levels = 30;
  const services = Array.from({ length: levels }, (_, i) => {
    const next = i + 1 < levels ? `, steps: [{call: s${i + 1}.get, times: 80, hedge: {after: 5ms}}]` : '';
    return `  s${i}:\n    endpoints: {get: {work: {exponential: {mean: 1ms}}${next}}}`;
  }).join('\n');
  const s = scenario(`name: huge
duration: 1m
traffic: {users: {target: s0.get, rate: 1/s, timeout: 10s, hedge: {after: 1s}}}
services:
${services}
`);

  it('keeps the mean of times far shorter than a cell: eighty 1 ms calls take 80 ms, not 0', () => {
    // On the top's grid a cell is ~10²⁴ times longer than 1 ms; the shifts keep the means exact.
    const top = new ResponseTimes(s).of('users', s.traffic[0].target)!;
    expect(top.tail(10_000)).toBe(1);
    // So nothing answers within the client's 10 s: no successful latency to predict.
    const l = predictLatency(s)[0];
    expect(l.success).toBe(0);
    expect(l.p50Ms).toBeNaN();
    // s28 calls the leaf s29 80 times: Erlang-80 with mean 80 ms around 1 ms of work.
    const low = new ResponseTimes(s).of('s27', { service: 's28', endpoint: 'get' })!;
    expect(Math.abs(low.tail(81) - 0.5)).toBeLessThan(0.05);
  });

  it('gives no tail when its budget runs out, rather than a long wait: its hedges are not predicted, and the loads leave them out', () => {
    expect(new ResponseTimes(s, 10).of('users', s.traffic[0].target)).toBeNull();
    const p = predictLoad(s);
    // The real budget is enough for this tree: every hedge is predicted (and the top one is sure).
    expect(p.hedges.every((h) => h.predicted)).toBe(true);
    expect(p.hedges[0].firstHedge).toBe(1);
  });
});

/**
 * front (its `frontWork`, then a call to mid with `policy`) → mid (Exp 5 ms, then a call) →
 * leaf (Exp 10 ms), 64 workers each: at 200/s nothing queues.
 */
function threeTier(o: { name: string; seed: number; frontWork: string; policy: string; links?: string }): string {
  return `name: ${o.name}
duration: 60s
seed: ${o.seed}
traffic: {users: {target: front.get, rate: 200/s}}
services:
  front:
    concurrency: 64
    endpoints: {get: {work: ${o.frontWork}, steps: [{call: mid.get, ${o.policy}}]}}
  mid:
    concurrency: 64
    endpoints: {get: {work: {exponential: {mean: 5ms}}, steps: [{call: leaf.get}]}}
  leaf:
    concurrency: 64
    endpoints: {get: {work: {exponential: {mean: 10ms}}}}
${o.links ?? ''}`;
}

describe('predictions from the response time', () => {
  // front → mid (Exp 5 ms, then a call) → leaf (Exp 10 ms), no network: mid answers in
  // X₅ + X₁₀, whose tail is (10e^(−t/10) − 5e^(−t/5)) / 5; at 20 ms: 2e^(−2) − e^(−4) = 25.2%.
  const yaml = (policy: string) => threeTier({ name: 'deep', seed: 8, frontWork: '0ms', policy });
  const late = 2 * Math.exp(-2) - Math.exp(-4);

  it('note how often a timeout cuts into a callee that makes calls of its own', () => {
    const notes = predictAvailability(scenario(yaml('timeout: 20ms')))[0].notes.join('\n');
    expect(notes).toContain(`front.get → mid.get: about ${(100 * late).toPrecision(3)}% of its response times outlast the timeout (20ms; its own calls and the network included, no queueing)`);
  });

  it('count the hedges to such a callee, and the run agrees when nothing queues', () => {
    const predicted = predictLoad(scenario(yaml('hedge: {after: 20ms}'))).hedges[0];
    expect(Math.abs(predicted.perCall - late)).toBeLessThan(GRID_TOLERANCE);
    // ~200/s × 1.25 × 15 ms ≈ 4 of 64 workers busy at mid: no queueing, attempts independent.
    const c = simulate(yaml('hedge: {after: 20ms}'), { replications: 1 }).results.get('baseline')!.calls['front->mid.get'];
    const calls = c.attempts - c.hedges;
    const p = c.hedges / calls;
    expect(Math.abs(p - late)).toBeLessThan(Z * Math.sqrt((late * (1 - late)) / calls) + GRID_TOLERANCE);
  });
});

describe('the latency of an operation with no queueing', () => {
  it('of a tandem of four exponential hops is hypoexponential: p50 and p99 from its closed form', () => {
    // Exp(1), Exp(2), Exp(3), Exp(4) ms in turn, no network: P(R > t) = Σᵢ e^(−t/mᵢ) Πⱼ≠ᵢ mᵢ/(mᵢ − mⱼ).
    const means = [1, 2, 3, 4];
    const hops = means.map((m, i) => `  h${i}:\n    endpoints: {get: {work: {exponential: {mean: ${m}ms}}${i < 3 ? `, steps: [{call: h${i + 1}.get}]` : ''}}}`).join('\n');
    const s = scenario(`name: tandem\nduration: 1m\ntraffic: {users: {target: h0.get, rate: 10/s}}\nservices:\n${hops}\n`);
    const tail = (t: number) => means.reduce((sum, mi, i) => sum + Math.exp(-t / mi) * means.reduce((prod, mj, j) => (j === i ? prod : (prod * mi) / (mi - mj)), 1), 0);
    const quantile = (p: number) => {
      let lo = 0;
      let hi = 200;
      for (let k = 0; k < 100; k++) {
        const mid = (lo + hi) / 2;
        if (1 - tail(mid) < p) lo = mid;
        else hi = mid;
      }
      return lo;
    };
    const l = predictLatency(s)[0];
    expect(Math.abs(l.p50Ms! - quantile(0.5)) / quantile(0.5)).toBeLessThan(0.01);
    expect(Math.abs(l.p99Ms! - quantile(0.99)) / quantile(0.99)).toBeLessThan(0.01);
    expect(l.meanMs!).toBeCloseTo(10, 1);
    expect(l.success).toBeCloseTo(1, 9);
  });

  it('counts successes only: a 20 ms timeout on Exp(10 ms) work lets 1 − e⁻² through, and its median is the truncated one', () => {
    const s = scenario(`name: cut
duration: 1m
traffic: {users: {target: front.get, rate: 10/s}}
services:
  front: {endpoints: {get: {work: 0ms, steps: [{call: back.get, timeout: 20ms}]}}}
  back: {endpoints: {get: {work: {exponential: {mean: 10ms}}}}}
`);
    const l = predictLatency(s)[0];
    const pass = 1 - Math.exp(-2);
    expect(Math.abs(l.success! - pass)).toBeLessThan(GRID_TOLERANCE);
    // F(t) / F(20) = ½: t = −10 ln(1 − ½(1 − e⁻²)).
    expect(Math.abs(l.p50Ms! - -10 * Math.log(1 - 0.5 * pass))).toBeLessThan(0.1);
    expect(l.p999Ms!).toBeLessThanOrEqual(20.05);
  });

  it('matches a run at light load, hedges included', () => {
    const yaml = threeTier({ name: 'light', seed: 12, frontWork: '{exponential: {mean: 2ms}}', policy: 'hedge: {after: 20ms}', links: 'links:\n  default: {latency: {normal: {mean: 1ms, sd: 0.2ms}}}\n' });
    const s = scenario(yaml);
    const l = predictLatency(s)[0];
    const run = simulate(yaml, { replications: 1 }).results.get('baseline')!.summary;
    const n = run.succeeded;
    // The density at each predicted quantile, from the predicted distribution itself, gives the run's sampling error.
    const dist = new ResponseTimes(s).answer('users', s.traffic[0].target)!.ok;
    for (const [p, predicted, measured] of [
      [0.5, l.p50Ms!, run.latencyMs.p50!],
      [0.99, l.p99Ms!, run.latencyMs.p99!],
    ] as const) {
      const h = 0.5;
      const density = (dist.tail(predicted - h) - dist.tail(predicted + h)) / (2 * h);
      expect(Math.abs(measured - predicted), `p${p * 100}`).toBeLessThan(Z * quantileSE(p, n, density) + 0.02 * predicted);
    }
  });
});
