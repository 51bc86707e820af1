import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenarioText } from '../sim/scenario/load.js';
import type { ScenarioSet } from '../sim/scenario/types.js';
import { SCENARIOS_DIR } from './paths.js';

export interface Rewrite {
  durationMs?: number;
  replications?: number;
}

/**
 * Loads bench/scenarios/<name>.yaml with its top-level `duration:` / `replications:` lines
 * rewritten. Rewriting the text (rather than patching the normalized Scenario) sends the
 * changed span through the same loader and checks as any user's file.
 */
export function loadBenchScenario(name: string, rewrite: Rewrite = {}): ScenarioSet {
  const file = join(SCENARIOS_DIR, `${name}.yaml`);
  let text = readFileSync(file, 'utf8');
  if (rewrite.durationMs !== undefined) text = replaceTopLevel(text, 'duration', `${Math.round(rewrite.durationMs)}ms`, file);
  if (rewrite.replications !== undefined) text = replaceTopLevel(text, 'replications', String(rewrite.replications), file);
  return loadScenarioText(text, file);
}

function replaceTopLevel(text: string, key: string, value: string, file: string): string {
  const re = new RegExp(`^${key}:[^#\\n]*`, 'm');
  if (!re.test(text)) throw new Error(`${file}: no top-level "${key}:" line to rewrite`);
  return text.replace(re, `${key}: ${value} `);
}

/** The M/M/1 benchmark sized for `customers` expected arrivals (duration = customers / λ). */
export function loadMm1(customers: number): ScenarioSet {
  const lambda = loadBenchScenario('mm1').base.traffic[0].ratePerMs;
  return loadBenchScenario('mm1', { durationMs: customers / lambda });
}
