import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarizeVariant } from '../../sim/run/aggregate.js';
import { planRuns, scenarioFor } from '../../sim/run/plan.js';
import type { RawRun } from '../../sim/run/rawRun.js';
import type { VariantResult } from '../../sim/run/results.js';
import { runOne } from '../../sim/run/runOne.js';
import { loadScenarioText } from '../../sim/scenario/load.js';
import type { ScenarioSet } from '../../sim/scenario/types.js';
import { REPO } from './cli.js';

export interface SimRun {
  set: ScenarioSet;
  /** Per variant (baseline first), its runs in replication order. */
  raws: Map<string, RawRun[]>;
  /** Per variant, the aggregated results. */
  results: Map<string, VariantResult>;
}

/** Runs scenario text in this thread (all replications, all variants) and aggregates it. */
export function simulate(yaml: string, opts: { replications?: number; seed?: number; variants?: string[] } = {}): SimRun {
  const set = loadScenarioText(yaml, 'test.yaml');
  const patch = <T extends { replications: number; seed: number }>(s: T): T => ({
    ...s,
    replications: opts.replications ?? s.replications,
    seed: opts.seed ?? s.seed,
  });
  const patched: ScenarioSet = { ...set, base: patch(set.base), variants: set.variants.map((v) => ({ ...v, scenario: patch(v.scenario) })) };
  const plan = planRuns(patched, opts.variants ?? null);
  const raws = new Map<string, RawRun[]>();
  for (const task of plan.tasks) {
    const raw = runOne(scenarioFor(plan, task), task, 1e10);
    raws.set(task.variant, [...(raws.get(task.variant) ?? []), raw]);
  }
  const results = new Map<string, VariantResult>();
  plan.variants.forEach((v, i) => {
    results.set(v.name, summarizeVariant(v.name, v.description, plan.scenarios[i], raws.get(v.name)!, v.name === 'baseline' ? null : raws.get('baseline')!));
  });
  return { set: patched, raws, results };
}

/** Runs a bundled scenario, scenarios/<name>.yaml, as `simulate` runs scenario text. */
export function simulateBundled(name: string, opts: Parameters<typeof simulate>[1] = {}): SimRun {
  return simulate(readFileSync(join(REPO, 'scenarios', `${name}.yaml`), 'utf8'), opts);
}

/** The baseline's results. */
export function baseline(run: SimRun): VariantResult {
  return run.results.get('baseline')!;
}
