/**
 * Report load time comes from bench/reportLoad.ts, written by someone else and possibly not
 * there yet: import it if it was built, and say it was skipped if not. Any other failure is
 * reported, not hidden behind "skipped".
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ReportLoadRow {
  scenario: string;
  bytes: number;
  loadToDrawnMs: number;
}

export type ReportLoadOutcome =
  | { status: 'ok'; rows: ReportLoadRow[] }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; error: string };

export async function runReportLoad(): Promise<ReportLoadOutcome> {
  const url = new URL('../bench/reportLoad.js', import.meta.url);
  const file = fileURLToPath(url);
  // Check for the file first: an import error from inside an existing module (one of its own
  // imports missing) is a failure to report, not a reason to skip.
  if (!existsSync(file)) return { status: 'skipped', reason: 'dist/bench/reportLoad.js not found (bench/reportLoad.ts not written yet)' };
  let mod: { benchReportLoad?: () => Promise<ReportLoadRow[]> };
  try {
    mod = (await import(url.href)) as typeof mod;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // Deleted between the check and the import: still "not there".
    if (err.code === 'ERR_MODULE_NOT_FOUND' && !existsSync(file)) return { status: 'skipped', reason: 'dist/bench/reportLoad.js not found' };
    return { status: 'failed', error: err.message };
  }
  if (typeof mod.benchReportLoad !== 'function') return { status: 'failed', error: 'bench/reportLoad.js does not export benchReportLoad()' };
  try {
    return { status: 'ok', rows: await mod.benchReportLoad() };
  } catch (e) {
    return { status: 'failed', error: (e as Error).message };
  }
}
