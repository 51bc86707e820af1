/**
 * One measurement in a fresh process: `node dist/bench/one.js <benchmark> [--quick]`.
 * A fresh process per benchmark makes peak RSS (a per-process high-water mark) mean "this
 * benchmark", and keeps one benchmark's JIT state and heap out of the next one's figures.
 * Prints one JSON line on stdout; anything else goes to stderr.
 */
import { relative } from 'node:path';
import { meanOf } from '../sim/engine/distributions.js';
import { ROOT } from './paths.js';
import { measureRun, type RunMeasurement } from './measure.js';
import { BENCHMARKS, FULL, QUICK, type BenchmarkName, type BenchPlan } from './plan.js';
import { loadBenchScenario, loadMm1 } from './scenarioText.js';
import { measureSpeedup } from './speedup.js';
import { engineHold, HOLD_PENDING } from './lean/engineHold.js';
import { CalendarLoop } from './lean/calendarLoop.js';
import { leanChain } from './lean/leanChain.js';
import { leanMm1 } from './lean/leanMm1.js';

function mm1(plan: BenchPlan): RunMeasurement {
  const set = loadMm1(plan.mm1Customers);
  // Read λ and μ from the scenario itself, so the theory always matches the file.
  const lambda = set.base.traffic[0].ratePerMs;
  const mu = 1 / meanOf(set.base.services[0].endpoints[0].work);
  const m = measureRun('mm1', relative(ROOT, set.file), set.base);
  // The same customers again, warm: how much of the cold figure is JIT warm-up.
  const again = measureRun('mm1', relative(ROOT, set.file), set.base);
  m.warm = { wallMs: again.wallMs, eventsPerSec: again.eventsPerSec, requestsPerSec: again.requestsPerSec };
  // M/M/1: the response time is exponential with rate μ − λ.
  const rate = mu - lambda;
  m.theory = { meanMs: 1 / rate, p50Ms: Math.LN2 / rate, p99Ms: Math.log(100) / rate, utilization: lambda / mu };
  return m;
}

function chain(name: string, durationMs: number): RunMeasurement {
  const set = loadBenchScenario('chain', { durationMs });
  return measureRun(name, relative(ROOT, set.file), set.base);
}

async function main(): Promise<void> {
  const [which, ...rest] = process.argv.slice(2);
  const plan = rest.includes('--quick') ? QUICK : FULL;
  let result: unknown;
  switch (which as BenchmarkName) {
    case 'mm1':
      result = mm1(plan);
      break;
    case 'chain':
      result = chain('chain', plan.chainMs);
      break;
    case 'chain-short':
      result = chain('chain-short', plan.chainShortMs);
      break;
    case 'speedup':
      result = await measureSpeedup(plan);
      break;
    case 'lean-mm1':
      result = leanMm1(loadMm1(plan.mm1Customers).base);
      break;
    case 'lean-chain':
      result = leanChain(loadBenchScenario('chain', { durationMs: plan.chainMs }).base);
      break;
    case 'lean-chain-calendar':
      // 0.1 ms buckets: a year of 25.6 ms holds the delays pending in the chain (links, work).
      result = leanChain(loadBenchScenario('chain', { durationMs: plan.chainMs }).base, new CalendarLoop(0.1), 'lean-chain-calendar');
      break;
    case 'engine-hold':
      result = engineHold(HOLD_PENDING, plan.holdEvents);
      break;
    default:
      process.stderr.write(`usage: node dist/bench/one.js <${BENCHMARKS.join('|')}> [--quick]\n`);
      process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
