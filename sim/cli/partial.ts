import type { JobSpec } from './job.js';
import type { RawRun } from '../run/rawRun.js';

/**
 * A shard's output: its runs, exactly as measured, and the job they belong to. `merge` checks
 * that the partials are of one job and one version and cover every task once, then aggregates
 * them as a single machine would — so the merged JSON is byte-identical.
 */
export interface Partial {
  faultlinePartial: 1;
  version: string;
  job: JobSpec;
  shard: { k: number; n: number };
  /** Tasks in the whole plan. */
  tasks: number;
  runs: RawRun[];
}
