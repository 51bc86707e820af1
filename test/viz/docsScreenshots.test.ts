import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ARTIFACTS, cli, launch, openReport, ROOT } from './helpers.js';

/**
 * The screenshots in docs/img, made from the richest fixture. Skipped unless asked for, so a
 * test run never rewrites committed files:
 *
 *   FAULTLINE_DOCS_SCREENSHOTS=1 npx vitest run test/viz/docsScreenshots.test.ts
 */
const wanted = process.env.FAULTLINE_DOCS_SCREENSHOTS === '1';
const out = join(ROOT, 'docs/img');
let browser: Browser;

describe.skipIf(!wanted)('docs screenshots', () => {
  beforeAll(async () => {
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  test('writes docs/img/report-*.png', async () => {
    mkdirSync(out, { recursive: true });
    // As a user would run it, from the package root, with the scenario's own settings.
    const html = join(ARTIFACTS, 'docs-everything.html');
    const r = cli(['run', 'test/viz/fixtures/everything.yaml', '--report', html, '--quiet']);
    expect(r.stderr).toBe('');
    const { page, problems } = await openReport(browser, html, { width: 1280, height: 1000 });
    try {
      // Page coordinates (boundingBox() is relative to the scrolled viewport).
      const box = async (selector: string) =>
        page.locator(selector).evaluate((e) => {
          const r = e.getBoundingClientRect();
          return { y: r.top + window.scrollY, height: r.height };
        });
      // From the top of the page, so the sticky legend sits in its place, not over a chart.
      const shot = async (name: string, top: number, bottom: number) => {
        await page.evaluate(() => window.scrollTo(0, 0));
        return page.screenshot({ path: join(out, name), fullPage: true, clip: { x: 0, y: Math.max(0, top), width: 1280, height: Math.round(bottom - top) } });
      };

      const comparison = await box('#comparison');
      await shot('report-overview.png', 0, comparison.y + comparison.height + 10);

      const topo = await box('#topology');
      const latency = await box('[data-chart="latency"]');
      await shot('report-topology-timelines.png', topo.y - 8, latency.y + latency.height + 8);

      const util = await box('[data-chart="utilization"]');
      const queues = await box('[data-chart="mq-lag-order-events"]');
      await shot('report-timelines.png', util.y - 40, queues.y + queues.height + 8);

      await page.click('.waterfall-block[data-variant="0"] .trace-chip.cat-double-processed');
      const dist = await box('#distributions');
      await shot('report-distributions.png', dist.y - 8, dist.y + dist.height + 8);
      const wf = await box('.waterfall-block[data-variant="0"]');
      await shot('report-waterfall.png', wf.y - 8, wf.y + wf.height + 8);
      expect(problems.console).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
