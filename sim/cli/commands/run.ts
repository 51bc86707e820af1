import { join } from 'node:path';
import { buildResults } from '../../run/buildResults.js';
import { estimateEvents } from '../../run/budget.js';
import { planRuns, shardTasks, type RunPlan } from '../../run/plan.js';
import { executeTasks } from '../../run/pool.js';
import type { Results } from '../../run/results.js';
import { ScenarioError, ScenarioErrors } from '../../scenario/errors.js';
import { LIMITS } from '../../scenario/limits.js';
import type { ScenarioSet } from '../../scenario/types.js';
import { renderReport } from '../../../viz/report.js';
import { EXIT, RunFailed, UsageError } from '../errors.js';
import { checkWritable, writeFileAtomic } from '../files.js';
import { checkGates, parseGates } from '../gates.js';
import { parseDurationFlag, parseIntFlag, parseList, parseShard } from '../parse.js';
import { Progress } from '../progress.js';
import { checkVariants, DEFAULT_SCENARIO, loadWithOverrides, type Overrides } from '../scenarios.js';
import { renderTable } from '../table.js';
import { availableParallelism } from 'node:os';
import { openInBrowser } from '../open.js';
import { interruptSignal } from '../interrupt.js';

export interface RunOptions {
  seed?: string;
  duration?: string;
  replications?: string;
  variant?: string;
  jobs?: string;
  shard?: string;
  json?: string | boolean;
  report?: string | boolean;
  out?: string;
  open?: boolean;
  quiet?: boolean;
  failUnder?: string[];
  maxEvents?: string;
}

/** Flags shared by `run` and `sweep`, checked before anything is loaded. */
export function commonFlags(o: RunOptions) {
  const overrides: Overrides = {};
  if (o.seed !== undefined) overrides.seed = parseIntFlag('--seed', o.seed, 0, 2 ** 31 - 1);
  if (o.duration !== undefined) overrides.durationMs = parseDurationFlag('--duration', o.duration);
  if (o.replications !== undefined) overrides.replications = parseIntFlag('--replications', o.replications, 1, LIMITS.maxReplications);
  const jobs = o.jobs === undefined ? availableParallelism() : parseIntFlag('--jobs', o.jobs, 1, 256);
  const shard = o.shard === undefined ? null : parseShard(o.shard);
  const variants = o.variant === undefined ? null : parseList(o.variant);
  if (variants !== null && variants.length === 0) throw new UsageError('--variant: expected a comma-separated list of variant names');
  const gates = o.failUnder === undefined ? [] : parseGates(o.failUnder);
  const maxEvents = o.maxEvents === undefined ? null : parseIntFlag('--max-events', o.maxEvents, 1);
  return { overrides, jobs, shard, variants, gates, maxEvents };
}

/** The command that reproduces these results: only the flags that change them. */
export function reproduceCommand(verb: string, file: string, o: RunOptions, extra: string[] = []): string {
  const parts = ['faultline', verb, file, ...extra];
  if (o.seed !== undefined) parts.push('--seed', o.seed);
  if (o.duration !== undefined) parts.push('--duration', o.duration);
  if (o.replications !== undefined) parts.push('--replications', o.replications);
  if (o.variant !== undefined) parts.push('--variant', o.variant);
  if (o.maxEvents !== undefined) parts.push('--max-events', o.maxEvents);
  return parts.map((p) => (/^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** Refuses a run whose estimated events exceed the budget, before it starts. */
export function checkBudget(set: ScenarioSet, maxEvents: number | null): number {
  const budget = maxEvents ?? LIMITS.defaultMaxEvents;
  for (const s of [set.base, ...set.variants.map((v) => v.scenario)]) {
    const need = estimateEvents(s);
    if (need > budget) {
      throw new ScenarioErrors([
        new ScenarioError(
          set.file,
          null,
          'duration',
          `this run needs about ${need.toExponential(1)} events (rates × duration × hops), above the budget of ${budget.toExponential(1)} (shorten the duration, lower the rates, or raise it with --max-events)`,
        ),
      ]);
    }
  }
  return budget;
}

/** Runs a plan (or one shard of it) on worker threads, with progress and Ctrl-C handling. */
export async function executePlan(plan: RunPlan, jobs: number, budget: number, quiet: boolean, shard: { k: number; n: number } | null) {
  const tasks = shard ? shardTasks(plan, shard.k, shard.n) : plan.tasks;
  const progress = new Progress(plan.variants.length > 1 ? `${plan.scenarios[0].name} (${plan.variants.length} variants)` : plan.scenarios[0].name, quiet);
  const interrupt = interruptSignal();
  try {
    const exec = await executeTasks(plan, tasks, { jobs, maxEvents: budget, signal: interrupt.signal, onProgress: (f, t, x) => progress.update(f, t, x) });
    progress.stop();
    if (exec.stopped) {
      throw new RunFailed(`interrupted: ${exec.raws.length} of ${tasks.length} runs had finished; nothing was written`);
    }
    return exec.raws;
  } finally {
    progress.stop();
    interrupt.dispose();
  }
}

export async function runCommand(scenarioArgs: string[], o: RunOptions): Promise<number> {
  const flags = commonFlags(o);
  const args = scenarioArgs.length === 0 ? [DEFAULT_SCENARIO] : scenarioArgs;
  if (typeof o.json === 'string' && args.length > 1) throw new UsageError('--json <file>: one file takes one scenario (with several, use --out <dir>)');
  if (typeof o.report === 'string' && args.length > 1) throw new UsageError('--report <file>: one file takes one scenario (with several, use --out <dir>)');
  // Load and check everything first: a bad second file must not leave the first half done.
  const sets = args.map((a) => loadWithOverrides(a, flags.overrides));
  for (const set of sets) checkVariants(set, flags.variants);
  const budgets = sets.map((set) => checkBudget(set, flags.maxEvents));
  const outDir = o.out ?? 'faultline-out';
  // An output that cannot be written fails now, not after the run.
  for (const set of sets) for (const f of outputFiles(set.base.name, o, outDir, args.length > 1, flags.shard)) checkWritable(f);

  let exit: number = EXIT.ok;
  for (const [i, set] of sets.entries()) {
    const plan = planRuns(set, flags.variants);
    const raws = await executePlan(plan, flags.jobs, budgets[i], o.quiet === true, flags.shard);
    const command = reproduceCommand('run', set.file, o);
    if (flags.shard) {
      const file = typeof o.json === 'string' ? o.json : join(outDir, `${set.base.name}.shard-${flags.shard.k}-of-${flags.shard.n}.json`);
      writeFileAtomic(file, `${JSON.stringify({ faultlinePartial: 1, file: set.file, command, shard: flags.shard, tasks: plan.tasks.length, maxEvents: flags.maxEvents, runs: raws })}\n`);
      if (!o.quiet) process.stderr.write(`shard ${flags.shard.k}/${flags.shard.n}: ${raws.length} of ${plan.tasks.length} runs → ${file}\n`);
      continue;
    }
    const results = buildResults(plan, raws, command, flags.maxEvents);
    exit = Math.max(exit, writeOutputs(results, o, outDir, args.length > 1));
    const misses = checkGates(results, flags.gates, flags.variants);
    if (misses.length > 0) {
      for (const m of misses) process.stderr.write(`faultline: SLO gate missed: ${m}\n`);
      exit = Math.max(exit, EXIT.gateMissed);
    }
  }
  return exit;
}

/** The files a run of scenario `name` will write, as the flags ask. */
export function outputFiles(name: string, o: RunOptions, outDir: string, several: boolean, shard: { k: number; n: number } | null): string[] {
  if (shard) return [typeof o.json === 'string' ? o.json : join(outDir, `${name}.shard-${shard.k}-of-${shard.n}.json`)];
  const files: string[] = [];
  const jsonToStdout = o.json === true && !several;
  if (o.json !== undefined && o.json !== false && !jsonToStdout) files.push(typeof o.json === 'string' ? o.json : join(outDir, `${name}.json`));
  if (o.report !== false) files.push(typeof o.report === 'string' ? o.report : join(outDir, `${name}.html`));
  return files;
}

/** Table, JSON and report, as the flags ask. Returns 1 if a run was cut short by the event budget. */
export function writeOutputs(results: Results, o: RunOptions, outDir: string, several: boolean): number {
  const name = results.scenario.name;
  const jsonText = `${JSON.stringify(results, null, 2)}\n`;
  const jsonToStdout = o.json === true && !several;
  if (o.json !== undefined && o.json !== false) {
    if (jsonToStdout) process.stdout.write(jsonText);
    else writeFileAtomic(typeof o.json === 'string' ? o.json : join(outDir, `${name}.json`), jsonText);
  }
  let reportFile: string | null = null;
  if (o.report !== false) {
    reportFile = typeof o.report === 'string' ? o.report : join(outDir, `${name}.html`);
    writeFileAtomic(reportFile, renderReport(results));
  }
  if (!o.quiet) {
    const out = jsonToStdout ? process.stderr : process.stdout;
    out.write(`${renderTable(results, (jsonToStdout ? process.stderr : process.stdout).isTTY === true && !process.env.NO_COLOR)}\n`);
    if (reportFile) out.write(`\nreport: ${reportFile}\n`);
  }
  if (o.open && reportFile) openInBrowser(reportFile);
  const truncated = results.variants.reduce((a, v) => a + v.stop.truncatedRuns, 0);
  if (truncated > 0) {
    process.stderr.write(`faultline: ${truncated} run(s) reached the event budget before the drain ended; raise --max-events or shorten the scenario\n`);
    return EXIT.runFailed;
  }
  return EXIT.ok;
}
