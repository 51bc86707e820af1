import { buildResults } from '../../run/buildResults.js';
import type { RawRun } from '../../run/rawRun.js';
import { toolVersion } from '../../version.js';
import { renderReport } from '../../../viz/report.js';
import { InputError, UsageError } from '../errors.js';
import { checkWritable, protectInput, readOwnFile, writeFileAtomic } from '../files.js';
import { interruptSignal } from '../interrupt.js';
import { prepareJob, resultFlags } from '../job.js';
import { checkResultsMemory, reportGates } from './run.js';
import { checkSweepGates, parseGates } from '../gates.js';
import type { Partial } from '../partial.js';

export interface MergeOptions {
  output?: string;
  report?: string;
  quiet?: boolean;
  failUnder?: string[];
}

function readPartial(file: string): Partial {
  const text = readOwnFile(file, 'a faultline partial result');
  let data: Partial;
  try {
    data = JSON.parse(text) as Partial;
  } catch {
    throw new InputError(`${file}: not a faultline partial result (not JSON)`);
  }
  if (data === null || typeof data !== 'object' || data.faultlinePartial !== 1 || !Array.isArray(data.runs) || !data.job || !data.shard) {
    throw new InputError(`${file}: not a faultline partial result (expected the output of run or sweep with --shard k/n)`);
  }
  return data;
}

/**
 * `faultline merge <partials…> -o results.json`: the shards of one job, from one version of
 * faultline, covering every run exactly once, aggregated exactly as a single machine would.
 */
export function mergeCommand(files: string[], o: MergeOptions): number {
  if (!o.output) throw new UsageError('missing -o <results.json>');
  const gates = o.failUnder === undefined ? [] : parseGates(o.failUnder);
  for (const f of files) protectInput(f);
  checkWritable(o.output);
  if (o.report) checkWritable(o.report);
  // The first partial names the job: its plan says how much the merged runs will hold, checked
  // before the other files are read.
  const first = readPartial(files[0]);
  const { plan, command, maxEvents } = prepareJob(first.job);
  if (first.job.verb === 'sweep') checkSweepGates(gates);
  checkResultsMemory(plan, plan.tasks.length);
  const partials = [first, ...files.slice(1).map(readPartial)];
  const job = JSON.stringify(first.job);
  partials.forEach((p, i) => {
    if (p.version !== toolVersion()) {
      throw new InputError(`${files[i]}: written by faultline ${p.version}, this is ${toolVersion()} (merge with the version that ran the shards)`);
    }
    if (JSON.stringify(p.job) !== job) throw new InputError(`${files[i]}: a shard of a different job than ${files[0]} (another scenario or other flags)`);
    if (p.shard.n !== first.shard.n) throw new InputError(`${files[i]}: shard ${p.shard.k}/${p.shard.n} does not split like ${files[0]} (${first.shard.k}/${first.shard.n})`);
  });
  if (plan.tasks.length !== first.tasks) throw new InputError(`${files[0]}: the scenario plans ${plan.tasks.length} runs, the shards ${first.tasks}`);
  const seen = new Map<string, string>();
  const raws: RawRun[] = [];
  partials.forEach((p, i) => {
    for (const r of p.runs) {
      const key = `${r.point}/${r.variant}/${r.replication}`;
      if (seen.has(key)) throw new InputError(`${files[i]}: run ${key} is also in ${seen.get(key)} (a shard given twice?)`);
      seen.set(key, files[i]);
      raws.push(r);
    }
  });
  const missing = plan.tasks.filter((t) => !seen.has(`${t.point}/${t.variant}/${t.replication}`));
  if (missing.length > 0) {
    const shards = [...new Set(missing.map((t) => (t.index % first.shard.n) + 1))].sort((a, b) => a - b);
    throw new InputError(`missing ${missing.length} of ${plan.tasks.length} runs: shard${shards.length > 1 ? 's' : ''} ${shards.map((k) => `${k}/${first.shard.n}`).join(', ')} not given`);
  }
  const results = buildResults(plan, raws, command, maxEvents);
  // A Ctrl-C while writing waits for the writes (they are synchronous): no temp file is left behind.
  const interrupt = interruptSignal();
  try {
    writeFileAtomic(o.output, `${JSON.stringify(results, null, 2)}\n`);
    if (o.report) writeFileAtomic(o.report, renderReport(results));
  } finally {
    interrupt.dispose();
  }
  if (!o.quiet) process.stderr.write(`merged ${partials.length} shards (${raws.length} runs) → ${o.output}\n`);
  return reportGates(results, gates, resultFlags(first.job.flags).variants);
}
