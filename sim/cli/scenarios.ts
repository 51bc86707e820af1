import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readScenarioText } from '../scenario/load.js';
import { ScenarioError, ScenarioErrors } from '../scenario/errors.js';
import type { Scenario, ScenarioSet } from '../scenario/types.js';
import { formatDurationMs } from '../scenario/units.js';
import { packageRoot } from '../version.js';
import { UsageError } from './errors.js';
import { protectInput } from './files.js';

/** The scenario `faultline run` runs when given none. */
export const DEFAULT_SCENARIO = 'sync-chain';

export function bundledDir(): string {
  return join(packageRoot(), 'scenarios');
}

export function bundledNames(): string[] {
  return readdirSync(bundledDir())
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

/**
 * A scenario argument: a file path, or a bundled scenario by name (`sync-chain`,
 * `sync-chain.yaml`) or by the machine-independent path it is shown under
 * (`scenarios/sync-chain.yaml`), so that the command recorded in results reproduces them from
 * any folder. A file that exists wins. Returns the path to read and the name to show.
 */
export function resolveScenario(arg: string): { path: string; shown: string } {
  if (existsSync(arg)) return { path: arg, shown: arg };
  const name = /^(?:scenarios\/)?([^/]+?)(?:\.yaml)?$/.exec(arg)?.[1];
  const bundled = name === undefined ? null : join(bundledDir(), `${name}.yaml`);
  if (bundled !== null && existsSync(bundled)) return { path: bundled, shown: relative(packageRoot(), bundled) };
  return { path: arg, shown: arg };
}

export interface Overrides {
  seed?: number;
  durationMs?: number;
  replications?: number;
}

/**
 * Applies command-line overrides to every scenario of a set. A shortened duration must still
 * hold the warmup and every fault's start.
 */
export function applyOverrides(set: ScenarioSet, o: Overrides): ScenarioSet {
  const shown = set.file;
  const apply = (s: Scenario): Scenario => {
    const out = { ...s };
    if (o.seed !== undefined) out.seed = o.seed;
    if (o.replications !== undefined) out.replications = o.replications;
    if (o.durationMs !== undefined) {
      out.durationMs = o.durationMs;
      if (out.warmupMs >= out.durationMs) {
        throw new ScenarioErrors([new ScenarioError(shown, null, 'duration', `--duration ${formatDurationMs(o.durationMs)} ends before the warmup does (${formatDurationMs(out.warmupMs)})`)]);
      }
      const late = out.faults.find((f) => f.atMs >= out.durationMs);
      if (late) {
        throw new ScenarioErrors([
          new ScenarioError(shown, null, 'duration', `--duration ${formatDurationMs(o.durationMs)} ends before fault "${late.label}" starts (expected a duration after ${formatDurationMs(late.atMs)})`),
        ]);
      }
    }
    return out;
  };
  return { file: shown, base: apply(set.base), variants: set.variants.map((v) => ({ ...v, scenario: apply(v.scenario) })) };
}

/** A scenario argument's text and the name to show, guarding the file against being overwritten. */
export function readScenarioArg(arg: string): { text: string; shown: string } {
  const { path, shown } = resolveScenario(arg);
  protectInput(path);
  try {
    return { text: readScenarioText(path), shown };
  } catch (e) {
    if (e instanceof ScenarioErrors && path !== shown) {
      throw new ScenarioErrors(e.errors.map((x) => new ScenarioError(shown, x.position, x.pathText, x.detail)));
    }
    throw e;
  }
}

/** `--variant a,b`: every name must exist. */
export function checkVariants(set: ScenarioSet, names: string[] | null): void {
  if (names === null) return;
  const known = set.variants.map((v) => v.name);
  for (const n of names) {
    if (n !== 'baseline' && !known.includes(n)) {
      throw new UsageError(`--variant: unknown variant ${JSON.stringify(n)} in ${set.file} (expected one of: ${['baseline', ...known].join(', ')})`);
    }
  }
}
