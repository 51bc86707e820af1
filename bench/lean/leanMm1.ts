/**
 * The M/M/1 benchmark's model with nothing but what it needs, on faultline's engine, streams,
 * samplers and latency histogram: the companion of leanChain.ts (see there), for
 * bench/scenarios/mm1.yaml. Two events per customer, as in faultline.
 */
import { makeSampler, standardExponential } from '../../sim/engine/distributions.js';
import { rootStream } from '../../sim/engine/random.js';
import { Simulator } from '../../sim/engine/simulator.js';
import { LatencyHistogram } from '../../sim/metrics/latencyHistogram.js';
import { chooseBucketMs, LevelIntegral, TimelineClock } from '../../sim/metrics/timeline.js';
import { Deque } from '../../sim/model/deque.js';
import type { Scenario } from '../../sim/scenario/types.js';
import { leanRun, runTimed, type LeanRun } from './leanRun.js';

export function leanMm1(scenario: Scenario): LeanRun {
  const sim = new Simulator();
  const root = rootStream(scenario.seed);
  const arrivals = root.fork('arrivals');
  const workStream = root.fork('work');
  const rate = scenario.traffic[0].ratePerMs;
  const work = makeSampler(scenario.services[0].endpoints[0].work);
  const endMs = scenario.durationMs;
  const busy = new LevelIntegral(new TimelineClock(chooseBucketMs(endMs, null), endMs), 0, endMs);
  const waiting = new Deque<number>();
  const latency = new LatencyHistogram();
  let requests = 0;

  // A customer is its arrival time: nothing else about it is needed.
  const arrival = (): void => {
    const now = sim.nowMs;
    requests++;
    if (busy.level === 0) start(now);
    else waiting.push(now);
    const next = now + standardExponential(arrivals) / rate;
    if (next < endMs) sim.at(next, arrival, null);
  };
  const start = (arrivedMs: number): void => {
    busy.add(sim.nowMs, 1);
    sim.schedule(work(workStream), served, arrivedMs);
  };
  const served = (arrivedMs: number): void => {
    const now = sim.nowMs;
    latency.record(now - arrivedMs);
    busy.add(now, -1);
    if (waiting.length > 0) start(waiting.shift()!);
  };

  sim.at(0, arrival, null);
  const run = runTimed(sim);
  busy.advance(endMs);
  return leanRun('lean-mm1', endMs, run, { requests, failed: 0, latency, busyWorkers: [busy.windowTotal / endMs] });
}
