import { join } from 'node:path';
import { buildResults } from '../../run/buildResults.js';
import { estimateEvents, estimateRunBytes } from '../../run/budget.js';
import { shardTasks, type RunPlan } from '../../run/plan.js';
import { executeTasks } from '../../run/pool.js';
import type { Results } from '../../run/results.js';
import { ScenarioError, ScenarioErrors } from '../../scenario/errors.js';
import { LIMITS } from '../../scenario/limits.js';
import { renderReport } from '../../../viz/report.js';
import { EXIT, RunFailed, UsageError } from '../errors.js';
import { checkWritable, writeFileAtomic } from '../files.js';
import { checkGates, checkSweepGates, parseGates, type Gate } from '../gates.js';
import { parseDurationFlag, parseIntFlag, parseList, parseShard } from '../parse.js';
import { Progress } from '../progress.js';
import { DEFAULT_SCENARIO, readScenarioArg, type Overrides } from '../scenarios.js';
import { prepareJob, type JobSpec } from '../job.js';
import type { Partial } from '../partial.js';
import { toolVersion } from '../../version.js';
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
export function reproduceCommand(verb: string, file: string, o: JobSpec['flags'], extra: string[] = []): string {
  const parts = ['faultline', verb, file, ...extra];
  if (o.seed !== undefined) parts.push('--seed', o.seed);
  if (o.duration !== undefined) parts.push('--duration', o.duration);
  if (o.replications !== undefined) parts.push('--replications', o.replications);
  if (o.variant !== undefined) parts.push('--variant', o.variant);
  if (o.maxEvents !== undefined) parts.push('--max-events', o.maxEvents);
  return parts.map((p) => (/^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** Refuses a run whose estimated events exceed the budget, before it starts. */
export function checkBudget(plan: RunPlan, maxEvents: number | null): number {
  const budget = maxEvents ?? LIMITS.defaultMaxEvents;
  const scenarios = plan.sweep?.kind === 'points' ? plan.sweep.points.flatMap((p) => p.scenarios) : plan.scenarios;
  for (const s of scenarios) {
    const need = estimateEvents(s);
    // Written so that an estimate that is not a number (NaN) is refused too, never let through.
    if (!(need <= budget)) {
      throw new ScenarioErrors([
        new ScenarioError(
          plan.file,
          null,
          'duration',
          `this run needs about ${need.toExponential(1)} events (rates × duration × hops), above the budget of ${budget.toExponential(1)} (shorten the duration, lower the rates, or raise it with --max-events)`,
        ),
      ]);
    }
  }
  return budget;
}

/**
 * Refuses a command whose runs would hold more memory than LIMITS.maxResultsBytes until they
 * are aggregated (`held` tasks of the plan: a shard's slice, or all of them).
 */
export function checkResultsMemory(plan: RunPlan, held: number): void {
  const scenarios = plan.sweep?.kind === 'points' ? plan.sweep.points.flatMap((p) => p.scenarios) : plan.scenarios;
  const perRun = Math.max(...scenarios.map(estimateRunBytes));
  const need = perRun * held;
  if (!(need <= LIMITS.maxResultsBytes)) {
    const mb = (b: number) => `${Math.round(b / (1024 * 1024))} MiB`;
    throw new ScenarioErrors([
      new ScenarioError(
        plan.file,
        null,
        'replications',
        `${held} runs would hold about ${mb(need)} of results in memory, above the limit of ${mb(LIMITS.maxResultsBytes)} (run fewer replications or variants, or split it with --shard k/n)`,
      ),
    ]);
  }
}

/**
 * Runs a plan (or one shard of it) on worker threads, with progress. `signal` is Ctrl-C: it
 * stops the workers, and the error says how far the run got and what was already written.
 */
export async function executePlan(
  plan: RunPlan,
  jobs: number,
  budget: number,
  quiet: boolean,
  shard: { k: number; n: number } | null,
  signal: AbortSignal,
  written: string[] = [],
) {
  const tasks = shard ? shardTasks(plan, shard.k, shard.n) : plan.tasks;
  const progress = new Progress(plan.variants.length > 1 ? `${plan.scenarios[0].name} (${plan.variants.length} variants)` : plan.scenarios[0].name, quiet);
  try {
    const exec = await executeTasks(plan, tasks, { jobs, maxEvents: budget, signal, onProgress: (f, t, x) => progress.update(f, t, x) });
    progress.stop();
    if (exec.stopped) {
      const what = written.length === 0 ? 'nothing was written' : `nothing more was written (complete already: ${written.join(', ')})`;
      throw new RunFailed(`interrupted: ${exec.raws.length} of ${tasks.length} runs had finished; ${what}`);
    }
    return exec.raws;
  } finally {
    progress.stop();
  }
}

export async function runCommand(scenarioArgs: string[], o: RunOptions): Promise<number> {
  const args = scenarioArgs.length === 0 ? [DEFAULT_SCENARIO] : scenarioArgs;
  return runJobs(
    args.map((a) => {
      const { text, shown } = readScenarioArg(a);
      return { verb: 'run' as const, file: shown, text, flags: jobFlags(o) };
    }),
    o,
  );
}

/** The flags of a command that change its results: what a job (and a partial file) records. */
export function jobFlags(o: RunOptions): JobSpec['flags'] {
  const f: JobSpec['flags'] = {};
  if (o.seed !== undefined) f.seed = o.seed;
  if (o.duration !== undefined) f.duration = o.duration;
  if (o.replications !== undefined) f.replications = o.replications;
  if (o.variant !== undefined) f.variant = o.variant;
  if (o.maxEvents !== undefined) f.maxEvents = o.maxEvents;
  return f;
}

/** Runs jobs one after another: a table, JSON and report each, or a partial file per shard. */
export async function runJobs(specs: JobSpec[], o: RunOptions): Promise<number> {
  const flags = commonFlags(o);
  const several = specs.length > 1;
  if (typeof o.json === 'string' && several) throw new UsageError('--json <file>: one file takes one scenario (with several, use --out <dir>)');
  if (typeof o.report === 'string' && several) throw new UsageError('--report <file>: one file takes one scenario (with several, use --out <dir>)');
  if (flags.shard && flags.gates.length > 0) throw new UsageError('--fail-under: a shard holds only part of the runs; give the gates to faultline merge');
  if (specs.some((s) => s.verb === 'sweep')) checkSweepGates(flags.gates);
  // Load and check everything first: a bad second file must not leave the first half done.
  const jobs = specs.map((spec) => ({ spec, ...prepareJob(spec) }));
  for (const j of jobs) checkResultsMemory(j.plan, flags.shard ? shardTasks(j.plan, flags.shard.k, flags.shard.n).length : j.plan.tasks.length);
  const outDir = o.out ?? 'faultline-out';
  // An output that cannot be written fails now, not after the run.
  for (const j of jobs) for (const f of outputFiles(j.plan.scenarios[0].name, o, outDir, several, flags.shard)) checkWritable(f);

  let exit: number = EXIT.ok;
  // Ctrl-C is handled from the first run to the last file written: a signal that comes while
  // outputs are being written waits for them (no temp file is left, no output is cut short).
  const interrupt = interruptSignal();
  const written: string[] = [];
  try {
    for (const job of jobs) {
      const { plan } = job;
      const raws = await executePlan(plan, flags.jobs, job.budget, o.quiet === true, flags.shard, interrupt.signal, written);
      if (flags.shard) {
        const file = outputFiles(plan.scenarios[0].name, o, outDir, several, flags.shard)[0];
        const partial: Partial = { faultlinePartial: 1, version: toolVersion(), job: job.spec, shard: flags.shard, tasks: plan.tasks.length, runs: raws };
        writeFileAtomic(file, `${JSON.stringify(partial)}\n`);
        written.push(file);
        if (!o.quiet) process.stderr.write(`shard ${flags.shard.k}/${flags.shard.n}: ${raws.length} of ${plan.tasks.length} runs → ${file}\n`);
        continue;
      }
      const results = buildResults(plan, raws, job.command, job.maxEvents);
      exit = Math.max(exit, writeOutputs(results, o, outDir, several));
      written.push(...outputFiles(plan.scenarios[0].name, o, outDir, several, null));
      exit = Math.max(exit, reportGates(results, flags.gates, flags.variants, several));
    }
  } finally {
    interrupt.dispose();
  }
  return exit;
}

/** Prints each missed SLO gate (naming the scenario when a command ran several); exit 3 if any. */
export function reportGates(results: Results, gates: Gate[], variants: string[] | null, several = false): number {
  const misses = checkGates(results, gates, variants);
  const where = several ? `${results.scenario.file}: ` : '';
  for (const m of misses) process.stderr.write(`faultline: SLO gate missed: ${where}${m}\n`);
  return misses.length > 0 ? EXIT.gateMissed : EXIT.ok;
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
