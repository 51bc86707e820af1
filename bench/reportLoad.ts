import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../sim/version.js';

/**
 * How long the HTML report takes to draw: the default scenario's report, opened from file://
 * in headless Chromium, timed from navigation start to the moment the page has drawn every
 * chart (it records that in window.__faultlineDrawnMs). The median of a few loads.
 */
export interface ReportLoadResult {
  scenario: string;
  bytes: number;
  loadToDrawnMs: number;
}

const LOADS = 5;

export async function benchReportLoad(): Promise<ReportLoadResult[]> {
  const root = packageRoot();
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-report-'));
  try {
    const html = join(dir, 'report.html');
    const run = spawnSync(process.execPath, [join(root, 'bin/faultline.js'), 'run', '--report', html, '--quiet'], { cwd: root, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`faultline run failed (exit ${run.status}): ${run.stderr.trim()}`);
    const bytes = statSync(html).size;
    // playwright-core is a dev dependency: loaded only when this bench runs.
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const times: number[] = [];
      for (let i = 0; i < LOADS; i++) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        await page.goto(pathToFileURL(html).href);
        await page.waitForFunction(() => typeof (window as { __faultlineDrawnMs?: number }).__faultlineDrawnMs === 'number', null, { timeout: 60_000 });
        times.push(await page.evaluate(() => (window as { __faultlineDrawnMs?: number }).__faultlineDrawnMs as number));
        await page.close();
      }
      times.sort((a, b) => a - b);
      return [{ scenario: 'sync-chain (default)', bytes, loadToDrawnMs: Math.round(times[Math.floor(times.length / 2)] * 10) / 10 }];
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Standalone: node dist/bench/reportLoad.js
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchReportLoad();
  for (const r of rows) process.stdout.write(`report load  ${r.scenario}: ${(r.bytes / 1024).toFixed(0)} KiB, drawn ${r.loadToDrawnMs} ms after navigation (median of ${LOADS})\n`);
}
