import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { World } from '../../sim/model/world.js';
import { collectRawRun } from '../../sim/run/collect.js';
import { replicationSeedKey } from '../../sim/run/runOne.js';
import { loadScenarioText } from '../../sim/scenario/load.js';
import { REPO } from '../helpers/cli.js';

/** One replication of a scenario file, traced (a sample of `traceTarget` operations) or not. */
function run(file: string, traceTarget: number) {
  const s = loadScenarioText(readFileSync(file, 'utf8'), file).base;
  const world = new World(s, { seedKey: replicationSeedKey(s.seed, 0), traceTarget });
  const raw = collectRawRun(world, 'baseline', 0, -1, world.run());
  return { world, raw };
}

describe('tracing only records', () => {
  // The kitchen-sink has every policy, queue feature and fault kind on; sync-chain is the default.
  for (const file of [join(REPO, 'test', 'fixtures', 'kitchen-sink.yaml'), join(REPO, 'scenarios', 'sync-chain.yaml')]) {
    it(`${basename(file)}: a traced run, primers included, gives the untraced run's results but for the traces`, () => {
      const traced = run(file, 400);
      const untraced = run(file, 0);
      // Enough operations that the JIT primers (operations 100 to 115) ran and sampling went on past them.
      expect(traced.raw.ops.requests).toBeGreaterThan(1000);
      expect(traced.raw.traces.length).toBeGreaterThan(0);
      expect(untraced.raw.traces).toEqual([]);
      expect(JSON.stringify({ ...traced.raw, traces: [] })).toBe(JSON.stringify(untraced.raw));
    });
  }

  it('keeps only the sampled operations: the primers’ traces are thrown away', () => {
    const { world, raw } = run(join(REPO, 'scenarios', 'sync-chain.yaml'), 400);
    const ids = world.traced.map((op) => op.id);
    const every = ids[1] - ids[0];
    // Evenly spaced from operation 0, so none of operations 101 to 115 is among them.
    expect(every).toBeGreaterThan(115);
    expect(ids.every((id) => id % every === 0)).toBe(true);
    // And the results' traces come from that sample alone.
    expect(raw.traces.length).toBeGreaterThan(0);
    expect(raw.traces.every((t) => ids.includes(t.operation))).toBe(true);
  });
});
