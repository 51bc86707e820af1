/**
 * Where a cold run's time goes: `node dist/bench/warmup.js` runs the M/M/1 benchmark (1M
 * customers) in this fresh process and prints the wall time of each 2% of it — the slices a
 * real run reports progress by. The first slice holds the JIT's warm-up (interpreted and
 * baseline code until TurboFan's is ready); the rest are the engine's steady pace. Then the
 * same run again in the same process, warm. docs/performance.md reads these figures.
 */
import { performance } from 'node:perf_hooks';
import { World } from '../sim/model/world.js';
import { replicationSeedKey } from '../sim/run/runOne.js';
import { FULL } from './plan.js';
import { loadMm1 } from './scenarioText.js';

function slices(label: string): void {
  const set = loadMm1(FULL.mm1Customers);
  const world = new World(set.base, { seedKey: replicationSeedKey(set.base.seed, 0), traceTarget: 0 });
  const perSlice: number[] = [];
  const t0 = performance.now();
  let last = t0;
  world.run(Infinity, () => {
    const now = performance.now();
    perSlice.push(now - last);
    last = now;
  });
  const total = performance.now() - t0;
  const customers = world.ops.requests;
  const steady = perSlice.slice(1).sort((a, b) => a - b)[Math.floor((perSlice.length - 1) / 2)];
  const nsPerCustomer = (ms: number) => ((ms * 1e6) / (customers / perSlice.length)).toFixed(0);
  process.stdout.write(
    `${label}: ${customers} customers in ${total.toFixed(0)} ms (${((customers / total) * 1e3 / 1e6).toFixed(2)} M/s); ` +
      `first 2%: ${perSlice[0].toFixed(1)} ms (${nsPerCustomer(perSlice[0])} ns/customer); ` +
      `median later 2%: ${steady.toFixed(1)} ms (${nsPerCustomer(steady)} ns/customer)\n`,
  );
}

slices('cold');
slices('warm');
