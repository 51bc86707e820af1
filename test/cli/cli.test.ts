import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPercent } from '../../sim/cli/format.js';
import { cli } from '../helpers/cli.js';
import { lines, positionOf, REPO, runCli, SMALL, useTempDir } from './helpers.js';

/**
 * The CLI end to end: the built `bin/faultline.js`, spawned in a temp dir (its cwd), as a
 * user or a CI job would run it.
 */

/** SMALL with errors: db fails 10% of calls; a variant retries at the client. */
const FLAKY = `${SMALL.replace('name: small', 'name: flaky').replace('        work: 2ms\n', '        work: 2ms\n        errorRate: 10%\n')}variants:
  client-retry:
    set:
      traffic.shoppers.retry: {maxAttempts: 3, backoff: constant, base: 10ms}
`;

const tmp = useTempDir('cli');

/** A fresh folder with the two scenario files in it. */
const workdir = (): string => tmp.workdir({ 'small.yaml': SMALL, 'flaky.yaml': FLAKY });

/** Relative error of `x` against `want`. */
const rel = (x: number, want: number) => Math.abs(x - want) / Math.abs(want);

/** Every contract field of DESIGN §5, with its type; and the identities that define them. */
function checkContract(json: any, expect_: { name: string; seed: number; replications: number; durationMs: number; warmupMs: number; variants: string[] }): void {
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  expect(json.tool).toEqual(expect.objectContaining({ name: 'faultline', version: pkg.version }));
  expect(json.scenario).toEqual(
    expect.objectContaining({ name: expect_.name, seed: expect_.seed, replications: expect_.replications, durationMs: expect_.durationMs, warmupMs: expect_.warmupMs }),
  );
  expect(json.variants.map((v: any) => v.name)).toEqual(expect_.variants);
  for (const v of json.variants) {
    const s = v.summary;
    for (const k of ['requests', 'succeeded', 'degraded', 'failed', 'doubleProcessing']) {
      expect(Number.isInteger(s[k]), `${v.name}.summary.${k} is a count`).toBe(true);
      expect(s[k]).toBeGreaterThanOrEqual(0);
    }
    expect(s.requests).toBeGreaterThan(0);
    // Every operation ends one way or the other (or is still unfinished at the drain's end).
    expect(s.succeeded + s.degraded + s.failed + (s.unfinished ?? 0)).toBe(s.requests);
    // availability = (succeeded + degraded) / requests, rounded to 6 significant digits.
    expect(rel(s.availability, (s.succeeded + s.degraded) / s.requests)).toBeLessThanOrEqual(5e-6);
    expect(s.availabilityCI95 === null || (Array.isArray(s.availabilityCI95) && s.availabilityCI95.length === 2)).toBe(true);
    if (expect_.replications === 1) expect(s.availabilityCI95).toBeNull();
    for (const k of ['mean', 'p50', 'p90', 'p99', 'p999', 'max']) expect(typeof s.latencyMs[k], `latencyMs.${k}`).toBe('number');
    expect(s.latencyMs.p50).toBeLessThanOrEqual(s.latencyMs.p90);
    expect(s.latencyMs.p90).toBeLessThanOrEqual(s.latencyMs.p99);
    expect(s.latencyMs.p99).toBeLessThanOrEqual(s.latencyMs.p999);
    // Percentiles come from a 3-significant-digit histogram: within 0.1% of the exact max.
    expect(s.latencyMs.p999).toBeLessThanOrEqual(s.latencyMs.max * 1.001);
    expect(s.latencyMs.mean).toBeLessThanOrEqual(s.latencyMs.max);
    // amplification = requests received by all services / user operations.
    const received = Object.values(v.services as Record<string, any>).reduce((a, x) => a + x.received, 0);
    expect(rel(s.amplification, received / s.requests)).toBeLessThanOrEqual(5e-6);
    expect(Array.isArray(s.recovery)).toBe(true);
    for (const svc of Object.values(v.services as Record<string, any>)) {
      for (const k of ['received', 'succeeded', 'failed', 'rejected', 'utilization']) expect(typeof svc[k], `services.*.${k}`).toBe('number');
    }
    for (const c of Object.values(v.calls as Record<string, any>)) {
      for (const k of ['attempts', 'retries', 'timeouts', 'shortCircuited']) expect(Number.isInteger(c[k]), `calls.*.${k}`).toBe(true);
    }
    expect(typeof v.effects).toBe('object');
    expect(typeof v.queues).toBe('object');
    expect(v.timeline.bucketMs).toBeGreaterThan(0);
  }
}

describe('faultline run', () => {
  it('prints the comparison table on stdout and exits 0', async () => {
    const cwd = workdir();
    const r = await runCli(['run', 'small.yaml', '--no-report', '--json', 'out.json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const json = JSON.parse(readFileSync(join(cwd, 'out.json'), 'utf8'));
    const out = lines(r.stdout);
    const header = out.find((l) => l.startsWith('variant'));
    expect(header).toBeDefined();
    expect(header!.split(/\s{2,}/)).toEqual(['variant', 'availability', 'p50', 'p99', 'p99.9', 'double-processed', 'amplification', 'recovery']);
    const row = out.find((l) => l.startsWith('baseline'))!.split(/\s{2,}/);
    // No errors, no faults: every operation succeeds, and the table says what the JSON says.
    expect(json.variants[0].summary.availability).toBe(1);
    expect(row[1]).toBe(formatPercent(json.variants[0].summary.availability));
    expect(row[1]).toBe('100%');
    expect(r.stdout).toContain('small');
  });

  it('with constant work and instant links, every operation takes the sum of the work times (1 ms + 2 ms)', async () => {
    const cwd = workdir();
    const r = await runCli(['run', 'small.yaml', '--no-report', '--json', 'out.json', '--quiet'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(readFileSync(join(cwd, 'out.json'), 'utf8')).variants[0].summary;
    // Mean and max are exact; percentiles are within the histogram's 0.1% plus 1 µs of rounding.
    expect(s.latencyMs.mean).toBeCloseTo(3, 9);
    expect(s.latencyMs.max).toBeCloseTo(3, 9);
    for (const k of ['p50', 'p90', 'p99', 'p999']) expect(Math.abs(s.latencyMs[k] - 3)).toBeLessThanOrEqual(3 * 0.001 + 0.001);
    // Poisson arrivals at 10/s for 10 s: 100 expected; 5 standard deviations (√100 = 10) either side.
    expect(s.requests).toBeGreaterThanOrEqual(50);
    expect(s.requests).toBeLessThanOrEqual(150);
    // Each operation reaches api once and db once.
    expect(s.amplification).toBe(2);
  });

  it('--json <file> writes valid JSON with every field of the DESIGN §5 contract', async () => {
    const cwd = workdir();
    const r = await runCli(['run', 'flaky.yaml', '--no-report', '--json', 'results.json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(cwd, 'results.json'), 'utf8'));
    checkContract(json, { name: 'flaky', seed: 7, replications: 1, durationMs: 10_000, warmupMs: 0, variants: ['baseline', 'client-retry'] });
    // The call site api -> db.query is reported under its contract key.
    expect(Object.keys(json.variants[0].calls)).toContain('api->db.query');
    // The client retry variant makes retries at the traffic source, and the baseline makes none.
    const retries = (v: any) => Object.values(v.calls as Record<string, any>).reduce((a, c) => a + c.retries, 0);
    expect(retries(json.variants[0])).toBe(0);
    expect(retries(json.variants[1])).toBeGreaterThan(0);
    // The table still goes to stdout.
    expect(r.stdout).toMatch(/^baseline\s/m);
  });

  it('--json with no file prints the JSON on stdout (and the table on stderr)', async () => {
    const cwd = workdir();
    const r = await runCli(['run', 'small.yaml', '--no-report', '--json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    checkContract(json, { name: 'small', seed: 7, replications: 1, durationMs: 10_000, warmupMs: 0, variants: ['baseline'] });
    expect(r.stderr).toMatch(/^baseline\s/m);
    expect(readdirSync(cwd).sort()).toEqual(['flaky.yaml', 'small.yaml']);
  });

  it('--no-report writes no HTML (and no output folder)', async () => {
    const cwd = workdir();
    const r = await runCli(['run', 'small.yaml', '--no-report'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(cwd, 'faultline-out'))).toBe(false);
    expect(readdirSync(cwd).sort()).toEqual(['flaky.yaml', 'small.yaml']);
    expect(r.stdout).not.toMatch(/report:/);
  });

  it('by default writes the report to faultline-out/<name>.html and says where', async () => {
    const cwd = workdir();
    const r = await runCli(['run', 'small.yaml'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const file = join(cwd, 'faultline-out', 'small.html');
    expect(existsSync(file)).toBe(true);
    expect(readdirSync(join(cwd, 'faultline-out'))).toEqual(['small.html']);
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('small');
    expect(r.stdout).toContain(`report: ${join('faultline-out', 'small.html')}`);
  });

  it('--out <dir> puts the default report in that folder', async () => {
    const cwd = workdir();
    const r = await runCli(['run', 'small.yaml', '--out', 'reports/today'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(cwd, 'reports', 'today'))).toEqual(['small.html']);
    expect(existsSync(join(cwd, 'faultline-out'))).toBe(false);
  });

  it('the same seed twice gives byte-identical JSON, whatever the number of worker threads', async () => {
    const cwd = workdir();
    const [a, b, c] = await Promise.all([
      runCli(['run', 'flaky.yaml', '--no-report', '--json', 'a.json', '--quiet', '--jobs', '1'], cwd),
      runCli(['run', 'flaky.yaml', '--no-report', '--json', 'b.json', '--quiet', '--jobs', '1'], cwd),
      runCli(['run', 'flaky.yaml', '--no-report', '--json', 'c.json', '--quiet', '--jobs', '2', '--replications', '1'], cwd),
    ]);
    for (const r of [a, b, c]) expect(r.code, r.stderr).toBe(0);
    const ja = readFileSync(join(cwd, 'a.json'));
    expect(readFileSync(join(cwd, 'b.json')).equals(ja)).toBe(true);
    // c adds --replications 1 to the command it records; everything else must match.
    const strip = (buf: Buffer) => {
      const j = JSON.parse(buf.toString('utf8'));
      delete j.run;
      return JSON.stringify(j);
    };
    expect(strip(readFileSync(join(cwd, 'c.json')))).toBe(strip(ja));
  });

  it('a different --seed gives different results (the seed is really used)', async () => {
    const cwd = workdir();
    const [a, b] = await Promise.all([
      runCli(['run', 'flaky.yaml', '--no-report', '--json', 'a.json', '--quiet'], cwd),
      runCli(['run', 'flaky.yaml', '--no-report', '--json', 'b.json', '--quiet', '--seed', '8'], cwd),
    ]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const ja = JSON.parse(readFileSync(join(cwd, 'a.json'), 'utf8'));
    const jb = JSON.parse(readFileSync(join(cwd, 'b.json'), 'utf8'));
    expect(jb.scenario.seed).toBe(8);
    // Poisson arrivals over 10 s: two seeds giving the same timeline bucket by bucket would be a coincidence.
    expect(JSON.stringify(jb.variants[0].timeline)).not.toBe(JSON.stringify(ja.variants[0].timeline));
  });
});

describe('faultline validate, --help, --version', () => {
  it('validate: a good scenario → exit 0 and an ok line', async () => {
    const cwd = workdir();
    const r = await runCli(['validate', 'small.yaml', 'flaky.yaml'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(lines(r.stdout)).toEqual(['small.yaml: ok (small: 2 services, 0 variants)', 'flaky.yaml: ok (flaky: 2 services, 1 variant)']);
  });

  it('validate: one bad file among good ones → exit 2, the good ones still reported', async () => {
    const cwd = workdir();
    const bad = SMALL.replace('timeout: 2s', 'timeout: 2');
    writeFileSync(join(cwd, 'bad.yaml'), bad);
    const r = await runCli(['validate', 'small.yaml', 'bad.yaml'], cwd);
    expect(r.code).toBe(2);
    expect(lines(r.stdout)).toEqual(['small.yaml: ok (small: 2 services, 0 variants)']);
    expect(lines(r.stderr)).toHaveLength(1);
    const at = positionOf(bad, 'timeout: 2\n', '2');
    expect(r.stderr.startsWith(`bad.yaml:${at.line}:${at.col} traffic.shoppers.timeout: missing unit`)).toBe(true);
  });

  it('--help exits 0 and prints the usage on stdout', async () => {
    const r = await runCli(['--help'], tmp.root());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: faultline/);
    expect(r.stdout).toMatch(/\brun\b/);
    expect(r.stdout).toMatch(/\bvalidate\b/);
  });

  it('run --help exits 0 and lists the contract flags', async () => {
    const r = await runCli(['run', '--help'], tmp.root());
    expect(r.code).toBe(0);
    for (const flag of ['--seed', '--duration', '--replications', '--variant', '--jobs', '--shard', '--json', '--report', '--no-report', '--out', '--open', '--quiet', '--fail-under', '--max-events']) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('--help, --version and validate load only the packages they need (each command is imported when it runs)', () => {
    // NODE_DEBUG=module makes Node log every CommonJS file it loads, with its path.
    const packages = (args: string[]) => {
      const r = cli(args, REPO, { NODE_DEBUG: 'module' });
      expect(r.code, r.stderr).toBe(0);
      return [...new Set([...r.stderr.matchAll(/node_modules\/([\w.-]+)\//g)].map((m) => m[1]))].sort();
    };
    expect(packages(['--version'])).toEqual(['commander']);
    expect(packages(['--help'])).toEqual(['commander']);
    const validate = packages(['validate', 'scenarios/sync-chain.yaml']);
    expect(validate).toContain('yaml');
    expect(validate).not.toContain('hdr-histogram-js');
    expect(validate).not.toContain('cli-progress');
    // The log does show them when a command needs them.
    expect(packages(['run', 'scenarios/sync-chain.yaml', '--duration', '40s', '--replications', '1', '--no-report', '--jobs', '1'])).toEqual(expect.arrayContaining(['cli-progress', 'hdr-histogram-js']));
  });

  it('--version exits 0 and prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    const r = await runCli(['--version'], tmp.root());
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});

describe('bad flags: exit 2, one error line and a Usage line', () => {
  const badFlags: Array<[string, string[], RegExp]> = [
    ['an unknown flag', ['--bogus'], /^faultline: unknown option '--bogus'/],
    ['--seed abc', ['--seed', 'abc'], /^faultline: --seed: not a whole number \(found "abc"\)$/],
    ['--jobs 0', ['--jobs', '0'], /^faultline: --jobs: out of range \(found 0, expected 1 to \d+\)$/],
    ['--shard 3/2', ['--shard', '3/2'], /^faultline: --shard: expected 1 ≤ k ≤ n \(found 3\/2\)$/],
    ['--variant nope', ['--variant', 'nope'], /^faultline: --variant: unknown variant "nope" in flaky\.yaml \(expected one of: baseline, client-retry\)$/],
    ['--duration 5 (missing unit)', ['--duration', '5'], /^faultline: --duration: .*\(found "5", expected a duration with a unit/],
    ['--replications 0', ['--replications', '0'], /^faultline: --replications: out of range/],
    ['--fail-under with an unknown metric', ['--fail-under', 'speed=1'], /^faultline: --fail-under: unknown metric "speed"/],
  ];
  for (const [name, flags, message] of badFlags) {
    it(name, async () => {
      const cwd = workdir();
      const r = await runCli(['run', 'flaky.yaml', '--no-report', ...flags], cwd);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      const errLines = lines(r.stderr);
      expect(errLines, r.stderr).toHaveLength(2);
      expect(errLines[0]).toMatch(message);
      expect(errLines[1]).toMatch(/^Usage: faultline run /);
      expect(readdirSync(cwd).sort()).toEqual(['flaky.yaml', 'small.yaml']);
    });
  }
});

describe('outputs that cannot be written', () => {
  const unwritable: Array<[string, string[], RegExp]> = [
    ['--json under /proc', ['--json', '/proc/forbidden.json'], /^faultline: \/proc\/forbidden\.json: cannot write: /],
    ['--json under a file', ['--json', 'small.yaml/out.json'], /^faultline: small\.yaml\/out\.json: cannot write: a parent is not a folder$/],
    ['--report under a file', ['--report', 'small.yaml/report.html'], /^faultline: small\.yaml\/report\.html: cannot write: a parent is not a folder$/],
    ['--json onto a folder', ['--json', '.'], /^faultline: \.: cannot write: is a directory$/],
    ['--out under a file', ['--out', 'small.yaml/reports'], /^faultline: small\.yaml\/reports\/flaky\.html: cannot write: a parent is not a folder$/],
  ];
  for (const [name, flags, message] of unwritable) {
    it(`${name} → exit 2, one line, nothing written`, async () => {
      const cwd = workdir();
      const r = await runCli(['run', 'flaky.yaml', ...flags], cwd);
      expect(r.code, r.stderr).toBe(2);
      expect(lines(r.stderr), r.stderr).toHaveLength(1);
      expect(lines(r.stderr)[0]).toMatch(message);
      expect(r.stdout).toBe('');
      expect(readdirSync(cwd).sort()).toEqual(['flaky.yaml', 'small.yaml']);
    });
  }

  it('--json <the input scenario> refuses to overwrite it (exit 2, file unchanged)', async () => {
    const cwd = workdir();
    const before = readFileSync(join(cwd, 'flaky.yaml'));
    const mtime = statSync(join(cwd, 'flaky.yaml')).mtimeMs;
    for (const flags of [['--json', 'flaky.yaml'], ['--json', './flaky.yaml'], ['--report', 'flaky.yaml'], ['--json', join(cwd, 'flaky.yaml')]]) {
      const r = await runCli(['run', 'flaky.yaml', '--no-report', ...flags], cwd);
      expect(r.code, r.stderr).toBe(2);
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toMatch(/refusing to overwrite an input scenario/);
    }
    expect(readFileSync(join(cwd, 'flaky.yaml')).equals(before)).toBe(true);
    expect(statSync(join(cwd, 'flaky.yaml')).mtimeMs).toBe(mtime);
    expect(readdirSync(cwd).sort()).toEqual(['flaky.yaml', 'small.yaml']);
  });
});

describe('--fail-under (SLO gates)', () => {
  it('availability=100% on a scenario with errors → exit 3, naming the metric and each variant that missed', async () => {
    const cwd = workdir();
    const r = await runCli(['run', 'flaky.yaml', '--no-report', '--json', 'out.json', '--fail-under', 'availability=100%'], cwd);
    expect(r.code, r.stderr).toBe(3);
    const json = JSON.parse(readFileSync(join(cwd, 'out.json'), 'utf8'));
    const missed = json.variants.filter((v: any) => v.summary.availability < 1);
    // db fails 10% of ~100 calls: the baseline cannot be at 100%.
    expect(missed.map((v: any) => v.name)).toContain('baseline');
    const gateLines = lines(r.stderr);
    expect(gateLines).toHaveLength(missed.length);
    for (const v of missed) {
      expect(gateLines).toContain(`faultline: SLO gate missed: ${v.name}: availability ${formatPercent(v.summary.availability)} is below the gate availability=100%`);
    }
  });

  it('availability=50% on the same scenario → exit 0', async () => {
    const cwd = workdir();
    const r = await runCli(['run', 'flaky.yaml', '--no-report', '--json', 'out.json', '--fail-under', 'availability=50%'], cwd);
    const json = JSON.parse(readFileSync(join(cwd, 'out.json'), 'utf8'));
    expect(json.variants.every((v: any) => v.summary.availability >= 0.5)).toBe(true);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('a gate is checked only for the variants asked for with --variant', async () => {
    const cwd = workdir();
    const r = await runCli(['run', 'flaky.yaml', '--no-report', '--json', 'out.json', '--variant', 'baseline', '--fail-under', 'availability=100%'], cwd);
    expect(r.code).toBe(3);
    const json = JSON.parse(readFileSync(join(cwd, 'out.json'), 'utf8'));
    expect(json.variants.map((v: any) => v.name)).toEqual(['baseline']);
    expect(lines(r.stderr)).toEqual([`faultline: SLO gate missed: baseline: availability ${formatPercent(json.variants[0].summary.availability)} is below the gate availability=100%`]);
  });
});
