import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadScenarioFile } from '../../sim/scenario/load.js';

/** Helpers shared by the report tests: the CLI, short runs of scenarios, and a headless Chromium. */

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const FIXTURES = join(ROOT, 'test/viz/fixtures');
export const ARTIFACTS = join(ROOT, 'test-artifacts/viz');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function cli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { status: number; stdout: string; stderr: string } {
  const env = { ...process.env, NO_COLOR: '1', ...opts.env };
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/faultline.js'), ...args], { cwd: opts.cwd ?? ROOT, encoding: 'utf8', env });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export interface Target {
  name: string;
  /** Relative to the package root. */
  file: string;
  /** A --duration that keeps the run short but still holds every fault window; null: the scenario's own. */
  duration: string | null;
}

/**
 * A short duration for a scenario: enough after the warm-up to measure, and past the end of its
 * last fault (a fault that starts after the run ends is an error, and one cut short shows less).
 */
export function shortDuration(file: string): string | null {
  const set = loadScenarioFile(file);
  const all = [set.base, ...set.variants.map((v) => v.scenario)];
  let need = 0;
  for (const s of all) {
    need = Math.max(need, s.warmupMs + 20_000);
    for (const f of s.faults) need = Math.max(need, f.atMs + f.forMs + 10_000);
  }
  const own = set.base.durationMs;
  return need >= own ? null : `${Math.ceil(need / 1000)}s`;
}

/** Every bundled scenario present now, then the report's own fixtures. */
export function targets(): Target[] {
  // Paths relative to the package root (the CLI runs there), as a user would type them.
  const bundled = readdirSync(join(ROOT, 'scenarios'))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `scenarios/${f}`);
  const fixtures = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `test/viz/fixtures/${f}`);
  return [...bundled, ...fixtures].map((file) => ({ name: `${file.includes('/fixtures/') ? 'fixture-' : ''}${basename(file, '.yaml')}`, file, duration: shortDuration(join(ROOT, file)) }));
}

/** Runs a scenario short (2 replications) and writes its JSON and report into the artifacts folder. */
export function runTarget(t: Target): { json: string; html: string } {
  mkdirSync(ARTIFACTS, { recursive: true });
  const json = join(ARTIFACTS, `${t.name}.json`);
  const html = join(ARTIFACTS, `${t.name}.html`);
  const args = ['run', t.file, '--replications', '2', '--jobs', '2', '--quiet', '--json', json, '--report', html];
  if (t.duration) args.push('--duration', t.duration);
  const r = cli(args);
  if (r.status !== 0 && r.status !== 3) throw new Error(`faultline ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { json, html };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface Watched {
  page: Page;
  /** Console errors, page errors, dialogs (alert), and every request that is not file:, data: or blob:. */
  problems: { console: string[]; network: string[]; dialogs: string[] };
}

/** Opens a report and waits until every chart is drawn. */
export async function openReport(browser: Browser, html: string, viewport = { width: 1280, height: 900 }): Promise<Watched> {
  const page = await browser.newPage({ viewport });
  const problems = { console: [] as string[], network: [] as string[], dialogs: [] as string[] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.console.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.console.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    if (!/^(file|data|blob):/.test(r.url())) problems.network.push(r.url());
  });
  page.on('dialog', (d) => {
    problems.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`file://${html}`);
  await page.waitForFunction(() => document.documentElement.hasAttribute('data-drawn'), null, { timeout: 30_000 });
  return { page, problems };
}

/** Per visible chart: its name and how many of its marks have a size on screen. */
export async function chartMarks(page: Page): Promise<Array<{ chart: string; marks: number }>> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.chart'))
      .filter((c) => c.offsetParent !== null)
      .map((c) => {
        const drawn = Array.from(c.querySelectorAll<SVGGraphicsElement>('.mark')).filter((m) => {
          const b = m.getBBox();
          return b.width > 0 || b.height > 0;
        });
        return { chart: c.dataset.chart ?? '?', marks: drawn.length };
      }),
  );
}

/** How many elements of a variant (data-variant) are rendered and visible. */
export async function visibleOf(page: Page, variant: number): Promise<number> {
  return page.evaluate((vi) => {
    return Array.from(document.querySelectorAll<Element>(`[data-variant="${vi}"]`)).filter((e) => {
      const r = e.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) return false;
      for (let n: Element | null = e; n; n = n.parentElement) {
        if ((n as HTMLElement).hidden) return false;
        const st = getComputedStyle(n);
        if (st.display === 'none' || st.visibility === 'hidden') return false;
      }
      return true;
    }).length;
  }, variant);
}
