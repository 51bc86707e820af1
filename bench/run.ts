/**
 * `npm run bench [-- --quick] [-- --json <file>]`: measures faultline and prints a table.
 *
 * Each faultline benchmark runs in its own child process (bench/one.ts), one after another:
 * peak RSS is per process, and two benchmarks at once on 2 cores would slow each other. The
 * SimPy models run the same way when SimPy is installed. The figures go to stdout, to
 * bench/results/latest.json, docs/benchmarks.md and the README's performance block (a --quick run writes
 * bench/results/quick.json only, so a smoke run never overwrites the real figures).
 * Exit code: 0 when everything ran (a MISS is a figure, not a failure), 1 when something broke.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { compare, modelChecks, targets } from './checks.js';
import { runChild } from './child.js';
import { cpuBusy, describeMachine } from './machine.js';
import type { RunMeasurement } from './measure.js';
import { DOCS_FILE, RESULTS_DIR, ROOT } from './paths.js';
import { FULL, QUICK } from './plan.js';
import { runReportLoad } from './reportLoadStep.js';
import type { BenchResults } from './results.js';
import type { HoldRun } from './lean/engineHold.js';
import type { LeanRun } from './lean/leanRun.js';
import { detectSimpy, simpyChain, simpyMm1, type SimpyResult } from './simpy.js';
import { medianTrial } from './trials.js';
import type { SpeedupMeasurement } from './speedup.js';
import { README_FILE, updateReadme } from './readme.js';
import { renderSummary } from './summary.js';
import { renderTable } from './table.js';
import { span } from './format.js';

function step(what: string): void {
  process.stderr.write(`bench: ${what}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, json: { type: 'string' } } });
  const plan = values.quick ? QUICK : FULL;
  const started = performance.now();

  const simpyInfo = detectSimpy();
  const machine = describeMachine(simpyInfo, await cpuBusy());

  // The rates: each in a fresh process, trial after trial, faultline's, the lean models' and
  // SimPy's interleaved so that a slow phase of the shared machine touches them all; the median
  // trial of each counts.
  const trials = { mm1: [] as RunMeasurement[], leanMm1: [] as LeanRun[], chain: [] as RunMeasurement[], leanChain: [] as LeanRun[], leanChainCalendar: [] as LeanRun[], simpyMm1: [] as SimpyResult[], simpyChain: [] as SimpyResult[] };
  for (let i = 1; i <= plan.speedTrials; i++) {
    const of = plan.speedTrials > 1 ? ` (trial ${i} of ${plan.speedTrials})` : '';
    step(`M/M/1, ${plan.mm1Customers} customers, faultline then the lean model${of}`);
    trials.mm1.push(await runChild<RunMeasurement>('mm1', plan));
    trials.leanMm1.push(await runChild<LeanRun>('lean-mm1', plan));
    step(`4-hop chain, ${span(plan.chainMs)} simulated, faultline then the lean model on both event loops${of}`);
    trials.chain.push(await runChild<RunMeasurement>('chain', plan));
    trials.leanChain.push(await runChild<LeanRun>('lean-chain', plan));
    trials.leanChainCalendar.push(await runChild<LeanRun>('lean-chain-calendar', plan));
    if (simpyInfo) {
      step(`SimPy M/M/1, ${plan.simpyMm1Customers} customers, and 4-hop chain, ${span(plan.simpyChainMs)} simulated${of}`);
      trials.simpyMm1.push(await simpyMm1(plan.simpyMm1Customers));
      trials.simpyChain.push(await simpyChain(plan.simpyChainMs));
    }
  }
  const perSec = (t: { requestsPerSec: number }) => t.requestsPerSec;
  const mm1 = medianTrial(trials.mm1, perSec);
  const chain = medianTrial(trials.chain, perSec);
  step(`4-hop chain, ${span(plan.chainShortMs)} simulated (memory growth check)`);
  const chainShort = await runChild<RunMeasurement>('chain-short', plan);
  step(`the engine alone: a hold model, ${plan.holdEvents} events`);
  const hold = await runChild<HoldRun>('engine-hold', plan);
  const ceiling = {
    mm1: medianTrial(trials.leanMm1, perSec),
    chain: medianTrial(trials.leanChain, perSec),
    chainCalendar: medianTrial(trials.leanChainCalendar, perSec),
    hold,
  };

  const simpy: BenchResults['simpy'] = simpyInfo
    ? { info: simpyInfo, mm1: medianTrial(trials.simpyMm1, perSec), chain: medianTrial(trials.simpyChain, perSec) }
    : { skipped: `SimPy not importable by ${process.env.BENCH_PYTHON ?? '/usr/bin/python3'} (install python3-simpy3)` };

  step(`parallel speed-up, ${plan.speedupReplications} replications, --jobs 1 then --jobs 2`);
  const speedup = await runChild<SpeedupMeasurement>('speedup', plan);
  step('report load time');
  const reportLoad = await runReportLoad();

  machine.loadAfter = loadavg()[0];
  const figures = { plan, mm1, chain, chainShort, simpy: 'skipped' in simpy ? null : simpy, speedup };
  const comparisons = compare(figures);
  const results: BenchResults = {
    bench: 'faultline',
    mode: plan.mode,
    machine,
    faultline: { mm1, chain, chainShort },
    simpy,
    ceiling,
    comparisons,
    speedup,
    reportLoad,
    targets: targets(figures, comparisons),
    checks: modelChecks(figures),
    totalWallMs: performance.now() - started,
  };

  process.stdout.write(`\n${renderTable(results)}\n`);
  const jsonFile = values.json ?? join(RESULTS_DIR, plan.mode === 'quick' ? 'quick.json' : 'latest.json');
  mkdirSync(dirname(jsonFile), { recursive: true });
  writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  if (plan.mode === 'full') {
    mkdirSync(dirname(DOCS_FILE), { recursive: true });
    writeFileSync(DOCS_FILE, renderSummary(results));
    updateReadme(results);
  }
  const written = plan.mode === 'full' ? [jsonFile, DOCS_FILE, README_FILE] : [jsonFile];
  process.stdout.write(`figures written to ${written.map((f) => relative(ROOT, f)).join(' and ')}\n`);
  // A MISS is a figure; a benchmark that could not run is a failure.
  if (reportLoad.status === 'failed') process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
