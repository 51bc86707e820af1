import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../sim/scenario/load.js';
import { lines, REPO, runCli, SMALL, useTempDir } from '../cli/helpers.js';

/**
 * The teaching commands end to end — list, explain, init — through the built CLI, spawned in
 * a temp dir as a workshop participant would run them.
 */

const tmp = useTempDir('teaching');
const workdir = (): string => tmp.workdir();

/** The bundled scenarios present now (others may be adding more while the tests run). */
function bundled(): string[] {
  return readdirSync(join(REPO, 'scenarios'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

/** A bundled scenario's base, or null while someone is still writing it. */
function loadBundled(name: string) {
  try {
    return loadScenarioFile(join(REPO, 'scenarios', `${name}.yaml`)).base;
  } catch {
    return null;
  }
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('faultline list', () => {
  it('shows every bundled scenario with its title, and exits 0', async () => {
    const names = bundled();
    const r = await runCli(['list'], workdir());
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = lines(r.stdout);
    for (const name of names) {
      const line = out.find((l) => l.startsWith(`${name} `));
      expect(line, `a line for ${name}`).toBeDefined();
      const s = loadBundled(name);
      if (s) expect(line).toContain(collapse(s.title));
      else expect(line).toContain('✗');
    }
    expect(r.stdout).toMatch(/\d+ scenarios?\. faultline explain <name>/);
  });

  it('aligns the titles in one column, with the summary under each', async () => {
    const r = await runCli(['list'], workdir());
    const out = lines(r.stdout).filter((l) => l !== '' && !/^\d+ scenario/.test(l));
    const heads = out.filter((l) => !l.startsWith(' '));
    const column = heads[0].search(/ {2}\S/) + 2;
    for (const h of heads) expect(h.search(/ {2}\S/) + 2, h).toBe(column);
    for (const l of out.filter((x) => x.startsWith(' '))) expect(l.search(/\S/)).toBe(column);
    const sync = out.findIndex((l) => l.startsWith('sync-chain '));
    expect(out[sync + 1].trim()).toBe('A checkout request crosses four services in a row: gateway → orders → payments → ledger.');
  });

  it('--json gives every scenario as data', async () => {
    const names = bundled();
    const r = await runCli(['list', '--json'], workdir());
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.tool.name).toBe('faultline');
    const byName = new Map<string, any>(json.scenarios.map((e: any) => [e.name, e]));
    for (const name of names) {
      const e = byName.get(name);
      expect(e, name).toBeDefined();
      expect(e.file).toBe(`scenarios/${name}.yaml`);
      if (e.error === null) {
        expect(typeof e.title).toBe('string');
        expect(typeof e.summary).toBe('string');
        expect(Array.isArray(e.variants)).toBe(true);
      }
    }
    const sync = byName.get('sync-chain');
    expect(sync).toEqual(
      expect.objectContaining({ scenario: 'sync-chain', title: 'Synchronous chains multiply failure', variants: ['ten-hops', 'edge-retry'], error: null }),
    );
    expect(JSON.stringify(json)).not.toContain('takeaway');
  });

  it('rejects an unknown option with exit 2', async () => {
    const r = await runCli(['list', '--bogus'], workdir());
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});

describe('faultline explain', () => {
  it('explains every bundled scenario: title, the four kinds of prediction, no takeaway', async () => {
    const names = bundled();
    expect(names).toContain('sync-chain');
    const cwd = workdir();
    for (const name of names) {
      const s = loadBundled(name);
      if (!s) continue; // being written right now
      const r = await runCli(['explain', name], cwd);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(r.stderr).toBe('');
      const out = r.stdout;
      expect(out.startsWith(`${s.title}\n`), name).toBe(true);
      expect(out).toContain('TOPOLOGY');
      expect(out).toContain('Call tree');
      // The four predictions: the availability product, latency without queueing, utilization ρ, amplification rᴸ.
      expect(out).toMatch(/Availability of one operation, no faults: Π\(1 − errorRate\)/);
      expect(out).toMatch(/no retries {4}\S.* = \d+(\.\d+)?%/);
      expect(out).toMatch(/Latency of one operation with no queueing/);
      expect(out).toMatch(/→ \S+ +\d[\d.]*(us|ms|s) +\d[\d.]*(us|ms|s) +\d[\d.]*(us|ms|s) +\d[\d.]*(us|ms|s)$/m);
      expect(out).toMatch(/Utilization ρ = λ × E\[work\] \/ \(instances × concurrency\)/);
      expect(out).toMatch(/Retry amplification rᴸ = Π maxAttempts/);
      expect(out).toMatch(/rᴸ = /);
      if (s.lesson?.question) expect(collapse(out)).toContain(collapse(s.lesson.question));
      if (s.lesson?.takeaway) {
        expect(collapse(out)).not.toContain(collapse(s.lesson.takeaway));
        expect(out).toContain(`faultline explain ${name} --answers`);
      }
    }
  });

  it('shows the takeaway with --answers', async () => {
    const s = loadBundled('sync-chain')!;
    const r = await runCli(['explain', 'sync-chain', '--answers'], workdir());
    expect(r.code).toBe(0);
    expect(collapse(r.stdout)).toContain(collapse(s.lesson!.takeaway));
    expect(r.stdout).not.toContain('--answers');
  });

  it('predicts 0.999⁴ for sync-chain, 0.999¹⁰ with ten hops, and the edge retry', async () => {
    const r = await runCli(['explain', 'sync-chain'], workdir());
    expect(r.stdout).toContain('no retries    0.999⁴ = 99.60%');
    expect(r.stdout).toContain('no retries    0.999¹⁰ = 99.00%');
    expect(r.stdout).toContain('with retries  1 − (1 − 0.999⁴)³ = 99.9999936%');
    expect(collapse(r.stdout)).toContain('gateway.checkout → orders.create → payments.charge → ledger.record: rᴸ = 3 (client shoppers)');
    expect(r.stdout).toMatch(/gateway +200\/s/);
  });

  it('--variant limits the predictions to those variants (and the baseline)', async () => {
    const r = await runCli(['explain', 'sync-chain', '--variant', 'edge-retry'], workdir());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\nbaseline\n');
    expect(r.stdout).toContain('\nvariant edge-retry');
    expect(r.stdout).not.toContain('\nvariant ten-hops');
  });

  it('--no-predictions leaves them out, for a first round of guesses', async () => {
    const r = await runCli(['explain', 'sync-chain', '--no-predictions'], workdir());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('TOPOLOGY');
    expect(r.stdout).not.toContain('PREDICTIONS');
    expect(r.stdout).not.toContain('no retries');
    expect(r.stdout).not.toContain('rᴸ =');
  });

  it('explains a scenario file given by path', async () => {
    const cwd = workdir();
    writeFileSync(join(cwd, 'small.yaml'), SMALL);
    const r = await runCli(['explain', 'small.yaml'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('small · small.yaml');
    expect(r.stdout).toContain('(this scenario has no lesson)');
    expect(r.stdout).toContain('→ db.query [timeout 500ms]');
    expect(r.stdout).toContain('Next: faultline run small.yaml');
  });

  it('rejects an unknown scenario with exit 2 and one line', async () => {
    const r = await runCli(['explain', 'no-such-scenario'], workdir());
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^faultline: no-such-scenario: no such file, and no bundled scenario of that name \(expected a path or one of: .*sync-chain/);
  });

  it('rejects a scenario with errors with exit 2 and its located errors', async () => {
    const cwd = workdir();
    writeFileSync(join(cwd, 'bad.yaml'), SMALL.replace('rate: 10/s', 'rate: 10'));
    const r = await runCli(['explain', 'bad.yaml'], cwd);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^bad\.yaml:\d+:\d+ traffic\.shoppers\.rate: missing unit/)]);
  });

  it('rejects an unknown variant and a missing argument with exit 2', async () => {
    const cwd = workdir();
    const v = await runCli(['explain', 'sync-chain', '--variant', 'nope'], cwd);
    expect(v.code).toBe(2);
    expect(v.stdout).toBe('');
    expect(lines(v.stderr)[0]).toMatch(/--variant: unknown variant "nope"/);
    const m = await runCli(['explain'], cwd);
    expect(m.code).toBe(2);
    expect(lines(m.stderr)[0]).toMatch(/missing required argument 'scenario'/);
  });
});

describe('faultline init', () => {
  it('writes scenario.yaml, which validates and runs', async () => {
    const cwd = workdir();
    const r = await runCli(['init'], cwd);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Wrote scenario.yaml');
    expect(r.stdout).toContain('npx faultline run scenario.yaml');
    const file = join(cwd, 'scenario.yaml');
    const text = readFileSync(file, 'utf8');
    // The first line points editors at the schema of this installation, and that file exists.
    const first = text.split('\n')[0];
    const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
    expect(m, first).not.toBeNull();
    const schema = isAbsolute(m![1]) ? m![1] : resolve(dirname(file), m![1]);
    expect(existsSync(schema), schema).toBe(true);
    expect(JSON.parse(readFileSync(schema, 'utf8')).title ?? 'schema').toBeTruthy();
    // No temp files left behind.
    expect(readdirSync(cwd)).toEqual(['scenario.yaml']);

    const v = await runCli(['validate', 'scenario.yaml'], cwd);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toContain('scenario.yaml: ok (my-scenario: 3 services, 2 variants)');

    const run = await runCli(['run', 'scenario.yaml', '--no-report', '--json', 'out.json', '--quiet'], cwd, 120_000);
    expect(run.code, run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(cwd, 'out.json'), 'utf8'));
    expect(results.variants.map((x: any) => x.name)).toEqual(['baseline', 'no-breaker', 'idempotent-charges']);
    const [base, , idem] = results.variants;
    expect(base.summary.requests).toBeGreaterThan(5000);
    // The outage shows, retries after timeouts charge twice, idempotency keys stop that.
    expect(base.summary.availability).toBeLessThan(0.99);
    expect(base.summary.doubleProcessing).toBeGreaterThan(0);
    expect(idem.summary.doubleProcessing).toBe(0);
    expect(base.queues.emails.delivered).toBeGreaterThan(0);

    const e = await runCli(['explain', 'scenario.yaml'], cwd);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toContain('Checkout with a flaky payment provider');
  });

  it('names the scenario after the file, in any folder', async () => {
    const cwd = workdir();
    const r = await runCli(['init', 'labs/checkout.yaml'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('npx faultline run labs/checkout.yaml');
    const set = loadScenarioFile(join(cwd, 'labs', 'checkout.yaml'));
    expect(set.base.name).toBe('checkout');
  });

  it('refuses to overwrite a file, unless --force', async () => {
    const cwd = workdir();
    writeFileSync(join(cwd, 'scenario.yaml'), 'mine\n');
    const r = await runCli(['init'], cwd);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual(['faultline: scenario.yaml: already exists (use --force to overwrite it)']);
    expect(readFileSync(join(cwd, 'scenario.yaml'), 'utf8')).toBe('mine\n');
    const f = await runCli(['init', '--force', '--quiet'], cwd);
    expect(f.code, f.stderr).toBe(0);
    expect(f.stdout).toBe('');
    expect(readFileSync(join(cwd, 'scenario.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=/);
  });

  it('rejects a folder as the file with exit 2 and one line', async () => {
    const cwd = workdir();
    mkdirSync(join(cwd, 'sub'));
    const r = await runCli(['init', 'sub', '--force'], cwd);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^faultline: sub: is a directory/);
  });
});
