import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Results } from '../../sim/run/results.js';
import { ARTIFACTS, chartMarks, cli, launch, openReport, runTarget, targets, visibleOf, type Target } from './helpers.js';

/**
 * The report in a real browser (Debian's Chromium through playwright-core): every bundled
 * scenario and every fixture is run short, and its report must load from file:// with no
 * console error and no network request, draw marks in every chart, and hide a variant's
 * series when its legend entry is toggled. A screenshot of each is kept in test-artifacts/.
 */

const all: Target[] = targets();
const built = new Map<string, { json: string; html: string }>();
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

function report(t: Target) {
  let r = built.get(t.name);
  if (!r) {
    r = runTarget(t);
    built.set(t.name, r);
  }
  return r;
}

describe.each(all.map((t) => [t.name, t] as const))('report of %s', (name, t) => {
  test('loads offline, draws every chart, toggles variants', async () => {
    const { html, json } = report(t);
    const results = JSON.parse(readFileSync(json, 'utf8')) as Results;
    const { page, problems } = await openReport(browser, html);
    try {
      expect(await page.getAttribute('html', 'data-drawn')).toBe('ok');

      // Every part is there, and every chart drew marks.
      for (const id of ['#header', '#legend', '#comparison', '#topology', '#timelines', '#distributions', '#waterfalls']) {
        expect(await page.locator(id).count(), id).toBe(1);
      }
      const charts = await chartMarks(page);
      expect(charts.length).toBeGreaterThan(5);
      for (const c of charts) expect(c.marks, `chart ${c.chart} drew nothing`).toBeGreaterThan(0);
      const names = charts.map((c) => c.chart);
      for (const must of ['topology', 'availability', 'utilization', 'amplification', ...results.variants.map((_v, i) => `ops-${i}`)]) expect(names).toContain(must);
      // Latency charts when something succeeded; a note saying why not otherwise.
      const anyLatency = results.variants.some((v) => v.latencyCdf.length > 0);
      expect(names.includes('latency-cdf')).toBe(anyLatency);
      expect(names.includes('latency')).toBe(anyLatency);
      if (!anyLatency) expect(await page.locator('#distributions .empty-note').count()).toBeGreaterThan(0);
      if (Object.keys(results.variants[0].timeline.breakers).length > 0) expect(names.some((n) => n.startsWith('breaker-'))).toBe(true);
      if (Object.keys(results.variants[0].timeline.queues).length > 0) expect(names.some((n) => n.startsWith('mq-depth-'))).toBe(true);
      if (Object.keys(results.variants[0].effects).length > 0) expect(names).toContain('effects');
      expect(await page.locator('#sweep').count()).toBe(results.sweep ? 1 : 0);

      // The header shows the scenario's own words, and the command that reproduces it.
      expect(await page.textContent('#title')).toBe(results.scenario.title);
      expect(await page.textContent('#command')).toBe(results.run.command);
      expect(await page.locator('#comparison-table tbody tr').count()).toBe(results.variants.length);

      // Toggling a variant in the legend hides its series everywhere; toggling again brings them back.
      const last = results.variants.length - 1;
      if (last > 0) {
        const before = await visibleOf(page, last);
        expect(before).toBeGreaterThan(0);
        const othersBefore = await visibleOf(page, 0);
        await page.click(`[data-variant-toggle="${last}"]`);
        expect(await page.getAttribute(`[data-variant-toggle="${last}"]`, 'aria-pressed')).toBe('false');
        expect(await visibleOf(page, last)).toBe(0);
        expect(await visibleOf(page, 0)).toBe(othersBefore);
        await page.click(`[data-variant-toggle="${last}"]`);
        expect(await visibleOf(page, last)).toBe(before);
      } else {
        // The only variant cannot be hidden: an empty report teaches nothing.
        await page.click('[data-variant-toggle="0"]');
        expect(await page.getAttribute('[data-variant-toggle="0"]', 'aria-pressed')).toBe('true');
      }

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
      expect(problems.console).toEqual([]);
      expect(problems.network).toEqual([]);
      expect(problems.dialogs).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('interaction', () => {
  const fixture = () => all.find((t) => t.name === 'fixture-everything')!;

  test('hovering one timeline moves the crosshair in all of them', async () => {
    const { html } = report(fixture());
    const { page, problems } = await openReport(browser, html);
    try {
      const overlay = page.locator('[data-chart="availability"] .brush .overlay');
      await overlay.scrollIntoViewIfNeeded();
      const box = (await overlay.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
      const shown = await page.evaluate(() =>
        Array.from(document.querySelectorAll<SVGGElement>('.chart.timeline:not([hidden]) .crosshair')).map((c) => c.style.display !== 'none'),
      );
      expect(shown.length).toBeGreaterThan(5);
      expect(shown.every(Boolean)).toBe(true);
      // All crosshairs stand at the same simulated time: the same x in charts of the same width.
      const xs = await page.evaluate(() =>
        Array.from(document.querySelectorAll<SVGLineElement>('[data-chart="availability"] .crosshair line, [data-chart="latency"] .crosshair line')).map((l) => l.getAttribute('x1')),
      );
      expect(new Set(xs).size).toBe(1);
      expect(await page.locator('.tooltip.visible').count()).toBe(1);
      await page.mouse.move(2, 2);
      expect(await page.locator('[data-chart="latency"] .crosshair').evaluate((c) => (c as SVGGElement).style.display)).toBe('none');
      expect(problems.console).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test('dragging across a timeline zooms every timeline; the button zooms out', async () => {
    const { html } = report(fixture());
    const { page, problems } = await openReport(browser, html);
    try {
      const label = () => page.textContent('.zoom-label');
      expect(await label()).toMatch(/^Whole run/);
      const overlay = page.locator('[data-chart="latency"] .brush .overlay');
      await overlay.scrollIntoViewIfNeeded();
      const box = (await overlay.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
      expect(await label()).toMatch(/^Zoomed/);
      const ticks = await page.locator('[data-chart="availability"] .x-axis .tick text').allTextContents();
      expect(ticks[0]).not.toBe('0:00');
      await page.click('.zoom-reset');
      expect(await label()).toMatch(/^Whole run/);
      expect(problems.console).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test('the waterfall switches between traced operations, the CDF has a tail view, the results can be saved', async () => {
    const { html } = report(fixture());
    const { page, problems } = await openReport(browser, html);
    try {
      const chips = page.locator('.waterfall-block[data-variant="1"] .trace-chip');
      expect(await chips.count()).toBeGreaterThan(1);
      const title = () => page.textContent('[data-chart="waterfall-1"] .chart-title');
      const first = await title();
      await chips.nth(1).click();
      expect(await title()).not.toBe(first);
      expect(await page.locator('[data-chart="waterfall-1"] .mark').count()).toBeGreaterThan(0);
      // A double-processed operation shows the effect that ran again.
      const dp = page.locator('.waterfall-block[data-variant="0"] .trace-chip.cat-double-processed');
      await dp.click();
      expect(await page.locator('[data-chart="waterfall-0"] .wf-effect.bad').count()).toBeGreaterThan(0);
      // The results can be saved back out of the page, as the JSON they are.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('.report-footer .download')]);
      expect(download.suggestedFilename()).toBe('everything.json');
      const saved = JSON.parse(readFileSync((await download.path())!, 'utf8')) as Results;
      expect(saved.scenario.name).toBe('everything');
      await page.click('[data-chart="latency-cdf"] .chart-toggle');
      expect(await page.getAttribute('[data-chart="latency-cdf"] .chart-toggle', 'aria-pressed')).toBe('true');
      expect(await page.locator('[data-chart="latency-cdf"] .mark').count()).toBeGreaterThan(0);
      expect(problems.console).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('edge cases', () => {
  test('one replication: no intervals, no significance marks, and a warning saying why', async () => {
    const json = join(ARTIFACTS, 'edge-one-replication.json');
    const html = join(ARTIFACTS, 'edge-one-replication.html');
    const r = cli(['run', 'test/viz/fixtures/everything.yaml', '--replications', '1', '--json', json, '--report', html, '--quiet']);
    expect(r.status).toBe(0);
    const { page, problems } = await openReport(browser, html);
    try {
      expect(await page.getAttribute('html', 'data-drawn')).toBe('ok');
      expect(await page.textContent('#header')).toContain('One replication');
      expect(await page.locator('.delta.sig').count()).toBe(0);
      expect(await page.locator('.delta .sig-mark').allTextContents()).toEqual(expect.arrayContaining(['']));
      for (const c of await chartMarks(page)) expect(c.marks, c.chart).toBeGreaterThan(0);
      expect(problems.console).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test('the baseline alone: every chart drawn, and it cannot be hidden', async () => {
    const html = join(ARTIFACTS, 'edge-baseline-only.html');
    const r = cli(['run', 'test/viz/fixtures/everything.yaml', '--variant', 'baseline', '--report', html, '--quiet']);
    expect(r.status).toBe(0);
    const { page, problems } = await openReport(browser, html);
    try {
      expect(await page.getAttribute('html', 'data-drawn')).toBe('ok');
      expect(await page.locator('.legend-item').count()).toBe(1);
      expect(await page.locator('.best').count()).toBe(0);
      for (const c of await chartMarks(page)) expect(c.marks, c.chart).toBeGreaterThan(0);
      await page.click('[data-variant-toggle="0"]');
      expect(await visibleOf(page, 0)).toBeGreaterThan(0);
      expect(problems.console).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('hostile strings', () => {
  test('titles and descriptions with </script> and HTML are shown as text, run nothing, load nothing', async () => {
    const t = all.find((x) => x.name === 'fixture-hostile-strings')!;
    const { html, json } = report(t);
    const results = JSON.parse(readFileSync(json, 'utf8')) as Results;
    const source = readFileSync(html, 'utf8');
    expect(source).not.toContain('<script>alert(');
    expect(source).not.toContain('<img src=x');
    const { page, problems } = await openReport(browser, html);
    try {
      expect(await page.textContent('#title')).toBe(results.scenario.title);
      expect(await page.textContent('#description')).toBe(results.scenario.description.trim());
      expect(await page.textContent('.lesson-question p')).toBe(results.scenario.lesson!.question.trim());
      expect(await page.title()).toContain('</script><script>alert(1)</script>');
      expect(await page.locator('img, iframe, #app a[href^="http"], #app b, #app i').count()).toBe(0);
      expect(await page.locator('script').count()).toBe(3);
      expect(await page.evaluate(() => getComputedStyle(document.body).display)).not.toBe('none');
      expect(await page.textContent('.card[data-variant-row="1"] .card-desc')).toBe(results.variants[1].description.trim());
      expect(problems.dialogs).toEqual([]);
      expect(problems.network).toEqual([]);
      expect(problems.console).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('sweep', () => {
  test('a results file with a sweep draws the sweep curves (and one without has no sweep section)', async () => {
    const { json } = report(all.find((x) => x.name === 'fixture-everything')!);
    const results = JSON.parse(readFileSync(json, 'utf8')) as Results;
    expect(results.sweep).toBeUndefined();
    const values = [20, 40, 60, 80, 60, 40, 20];
    results.sweep = {
      param: 'traffic.shoppers.rate',
      values,
      hysteresis: true,
      directions: ['up', 'up', 'up', 'up', 'down', 'down', 'down'],
      stepMs: 10_000,
      curves: results.variants.map((v, i) => ({
        variant: v.name,
        availability: values.map((x, k) => Math.max(0, 1 - (x / 100) ** 2 * (i + 1) * 0.1 - (k > 3 && i === 1 ? 0.2 : 0))),
        p99Ms: values.map((x) => 50 + x * (i + 1) * 3),
        doubleProcessing: values.map((x) => (i === 2 ? 0 : Math.round(x * (i + 1)))),
        amplification: values.map((x) => 3 + x / 40 + i * 0.5),
        metastable: i === 1,
        metastableAt: i === 1 ? [60, 40] : [],
      })),
    };
    const sweepJson = join(ARTIFACTS, 'fixture-sweep.json');
    const sweepHtml = join(ARTIFACTS, 'fixture-sweep.html');
    writeFileSync(sweepJson, JSON.stringify(results));
    const r = cli(['report', sweepJson, '-o', sweepHtml, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const { page, problems } = await openReport(browser, sweepHtml);
    try {
      expect(await page.locator('#sweep').count()).toBe(1);
      for (const id of ['sweep-availability', 'sweep-p99', 'sweep-double', 'sweep-amplification']) {
        expect(await page.locator(`[data-chart="${id}"] .mark`).count(), id).toBeGreaterThan(0);
      }
      expect(await page.locator('[data-chart="sweep-availability"] .mark.return').count()).toBe(3);
      expect(await page.textContent('#sweep .warning')).toContain(`${results.variants[1].name} (at 60, 40)`);
      expect(await page.locator('[data-chart="sweep-availability"] .mark.ring').count()).toBe(2);
      await page.click('[data-variant-toggle="1"]');
      expect(await page.locator('#sweep [data-variant="1"]').count()).toBe(0);
      await page.screenshot({ path: join(ARTIFACTS, 'fixture-sweep.png'), fullPage: true });
      expect(problems.console).toEqual([]);
      expect(problems.network).toEqual([]);
    } finally {
      await page.close();
    }
  });

  // The sweep command is built separately: when it is there, its real output must draw too.
  test.skipIf(cli(['sweep', '--help']).status !== 0)('a real faultline sweep --hysteresis draws its curves', async () => {
    const html = join(ARTIFACTS, 'real-sweep.html');
    const r = cli(['sweep', 'test/viz/fixtures/everything.yaml', '--param', 'traffic.shoppers.rate=30/s..90/s', '--steps', '3', '--hysteresis', '--replications', '1', '--report', html, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const { page, problems } = await openReport(browser, html);
    try {
      expect(await page.getAttribute('html', 'data-drawn')).toBe('ok');
      for (const c of await chartMarks(page)) expect(c.marks, c.chart).toBeGreaterThan(0);
      expect(await page.locator('[data-chart="sweep-p99"] .mark').count()).toBeGreaterThan(0);
      expect(await page.locator('[data-chart="sweep-availability"] .mark.return').count()).toBeGreaterThan(0);
      expect(problems.console).toEqual([]);
      expect(problems.network).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
