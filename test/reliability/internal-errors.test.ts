import { describe, expect, it } from 'vitest';
import { planRuns } from '../../sim/run/plan.js';
import { executeTasks } from '../../sim/run/pool.js';
import { loadScenarioText } from '../../sim/scenario/load.js';
import type { ScenarioSet } from '../../sim/scenario/types.js';
import { assertBuilt, SMALL } from '../cli/helpers.js';

/**
 * A broken invariant inside a worker thread (which bad input can no longer cause: the loader
 * refuses it first) still reaches the CLI as one line — `faultline: internal error: a
 * simulation run failed: ...` — with the worker's stack kept for FAULTLINE_DEBUG=1, not printed.
 */
describe('an engine error in a worker thread', () => {
  it('rejects with a one-line message and keeps the worker’s stack apart', async () => {
    assertBuilt();
    const set = loadScenarioText(SMALL, 'small.yaml');
    // A scenario the loader would refuse (an infinite work time), built by hand to break the engine.
    const api = set.base.services[0];
    const broken: ScenarioSet = {
      ...set,
      base: { ...set.base, services: [{ ...api, endpoints: [{ ...api.endpoints[0], work: { kind: 'constant', value: Infinity } }] }, ...set.base.services.slice(1)] },
    };
    const plan = planRuns(broken, null);
    const error = await executeTasks(plan, plan.tasks, { jobs: 1, maxEvents: 100_000 }).then(
      () => null,
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toMatch(/^a simulation run failed: RangeError: cannot schedule an event after Infinity ms/);
    expect(error!.message).not.toContain('\n');
    expect(error!.stack).toMatch(/\n\s+at /);
  });
});
