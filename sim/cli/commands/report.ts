import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Results } from '../../run/results.js';
import { renderReport } from '../../../viz/report.js';
import { EXIT, InputError } from '../errors.js';
import { protectInput, writeFileAtomic, readOwnFile } from '../files.js';
import { openInBrowser } from '../open.js';

export interface ReportOptions {
  output?: string;
  open?: boolean;
  quiet?: boolean;
}

/**
 * `faultline report <results.json> -o <report.html>`: the HTML report again, from saved JSON
 * results (a `run --json`, a `merge`). Without -o the report goes beside the results.
 */
export function reportCommand(input: string, o: ReportOptions): number {
  const results = readResults(input);
  const output = o.output ?? defaultOutput(input);
  if (sameFile(input, output)) throw new InputError(`${output}: refusing to overwrite the results it reads (choose another output path)`);
  protectInput(input);
  writeFileAtomic(output, renderReport(results));
  if (!o.quiet) process.stdout.write(`report: ${output}\n`);
  if (o.open) openInBrowser(output);
  return EXIT.ok;
}

function sameFile(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  return real(a) === real(b);
}

function defaultOutput(input: string): string {
  return /\.json$/i.test(input) ? input.replace(/\.json$/i, '.html') : `${input}.html`;
}

/** Reads and checks a results file: one line saying what is wrong with it, never a stack trace. */
export function readResults(file: string): Results {
  const text = readOwnFile(file, 'faultline results');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not JSON (${(e as Error).message}); expected the results of faultline run --json`);
  }
  const r = data as Partial<Results> & { faultlinePartial?: unknown };
  if (r !== null && typeof r === 'object' && 'faultlinePartial' in r) {
    throw new InputError(`${file}: a partial result from one shard; combine the shards first with faultline merge <partial.json...> -o results.json`);
  }
  if (r === null || typeof r !== 'object' || r.tool?.name !== 'faultline' || typeof r.scenario !== 'object' || r.scenario === null || !Array.isArray(r.variants)) {
    throw new InputError(`${file}: not faultline results (expected the JSON written by faultline run --json)`);
  }
  if (r.variants.length === 0) throw new InputError(`${file}: the results hold no variants`);
  for (const [i, v] of r.variants.entries()) {
    if (v === null || typeof v !== 'object' || typeof v.name !== 'string' || typeof v.summary !== 'object' || v.summary === null || typeof v.timeline !== 'object' || v.timeline === null) {
      throw new InputError(`${file}: variants[${i}] is not a variant result (expected name, summary and timeline)`);
    }
  }
  if (typeof r.run !== 'object' || r.run === null) throw new InputError(`${file}: not faultline results (no run section)`);
  return r as Results;
}
