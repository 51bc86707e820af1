import { planRuns, type RunPlan, type SweepInput } from '../run/plan.js';
import { parseSweepParam, rampOf } from '../run/sweepSpec.js';
import { loadScenarioText } from '../scenario/load.js';
import type { ScenarioSet } from '../scenario/types.js';
import type { Patch } from '../scenario/variants.js';
import { checkBudget, reproduceCommand } from './commands/run.js';
import { UsageError } from './errors.js';
import { parseDurationFlag, parseIntFlag, parseList } from './parse.js';
import { applyOverrides, checkVariants, type Overrides } from './scenarios.js';
import { LIMITS } from '../scenario/limits.js';

/**
 * Everything that decides a run's results, and nothing else: the scenario's text, the name it
 * is shown under, and the flags that change results. A shard's partial file carries it, so
 * `merge` rebuilds exactly the plan the shards ran.
 */
export interface JobSpec {
  verb: 'run' | 'sweep';
  file: string;
  text: string;
  flags: { seed?: string; duration?: string; replications?: string; variant?: string; maxEvents?: string };
  sweep?: { param: string; steps: number; hysteresis: boolean };
}

export interface PreparedJob {
  plan: RunPlan;
  budget: number;
  command: string;
  maxEvents: number | null;
}

export function resultFlags(f: JobSpec['flags']): { overrides: Overrides; variants: string[] | null; maxEvents: number | null } {
  const overrides: Overrides = {};
  if (f.seed !== undefined) overrides.seed = parseIntFlag('--seed', f.seed, 0, 2 ** 31 - 1);
  if (f.duration !== undefined) overrides.durationMs = parseDurationFlag('--duration', f.duration);
  if (f.replications !== undefined) overrides.replications = parseIntFlag('--replications', f.replications, 1, LIMITS.maxReplications);
  const variants = f.variant === undefined ? null : parseList(f.variant);
  if (variants !== null && variants.length === 0) throw new UsageError('--variant: expected a comma-separated list of variant names');
  const maxEvents = f.maxEvents === undefined ? null : parseIntFlag('--max-events', f.maxEvents, 1);
  return { overrides, variants, maxEvents };
}

/** Loads, checks and plans a job; throws ScenarioErrors or UsageError for bad input. */
export function prepareJob(spec: JobSpec): PreparedJob {
  const { overrides, variants, maxEvents } = resultFlags(spec.flags);
  const load = (patches: Patch[] = [], label = '') =>
    applyOverrides(loadScenarioText(spec.text, spec.file, patches.length > 0 ? { overlay: { label, patches } } : {}), overrides);
  const set = load();
  checkVariants(set, variants);
  let sweepInput: SweepInput | null = null;
  let planSet: ScenarioSet = set;
  const extra: string[] = [];
  if (spec.sweep) {
    const s = spec.sweep;
    const parsed = parseSweepParam(s.param, s.steps);
    if ('error' in parsed) throw new UsageError(`--param: ${parsed.error}`);
    extra.push('--param', s.param);
    if (/\.\./.test(s.param)) extra.push('--steps', String(s.steps));
    if (s.hysteresis) {
      extra.push('--hysteresis');
      const ramp = rampOf(parsed, set.base.durationMs);
      if ('error' in ramp) throw new UsageError(ramp.error);
      const source = set.base.traffic.find((t) => t.name === ramp.source);
      if (!source) throw new UsageError(`--param: unknown traffic source ${JSON.stringify(ramp.source)} in ${spec.file}`);
      if (source.arrivals === 'closed') throw new UsageError(`--hysteresis: ${ramp.source} is a closed loop, which has no rate to ramp`);
      if (source.schedule.length > 0) throw new UsageError(`--hysteresis: ${ramp.source} already follows a rate schedule, which the ramp would replace`);
      const schedule = ramp.values.slice(1).map((v, i) => ({ at: `${(i + 1) * ramp.stepMs}ms`, rate: v }));
      planSet = load(
        [
          { key: s.param, path: parsed.path, value: ramp.values[0] },
          { key: `traffic.${ramp.source}.schedule`, path: ['traffic', ramp.source, 'schedule'], value: schedule },
        ],
        `--param ${s.param}`,
      );
      sweepInput = { kind: 'ramp', param: parsed.param, ramp };
    } else {
      const sets = parsed.values.map((v, i) => load([{ key: parsed.param, path: parsed.path, value: v }], `--param ${parsed.param}=${parsed.labels[i]}`));
      planSet = sets[0];
      sweepInput = { kind: 'points', param: parsed.param, labels: parsed.labels, sets };
    }
  }
  const plan = planRuns(planSet, variants, sweepInput);
  const budget = checkBudget(plan, maxEvents);
  return { plan, budget, command: reproduceCommand(spec.verb, spec.file, spec.flags, extra), maxEvents };
}
