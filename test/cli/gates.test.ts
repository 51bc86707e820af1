import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatMs, formatPercent } from '../../sim/cli/format.js';
import { checkGates, checkSweepGates, parseGates } from '../../sim/cli/gates.js';
import { renderSweep } from '../../sim/cli/sweepTable.js';
import type { Results, VariantResult } from '../../sim/run/results.js';
import { lines, runCli, SMALL, useTempDir } from './helpers.js';

/**
 * SLO gates (`--fail-under`) on single results, on sweeps (every point must meet them), on
 * sharded runs (gated at merge) and on several scenarios at once; and the sweep's curves in
 * the terminal.
 */

/** The parts of a variant's results the gates read; the rest is left out. */
function variant(name: string, s: { availability: number; p99: number; doubleProcessing: number; amplification: number }): VariantResult {
  return {
    name,
    summary: { availability: s.availability, latencyMs: { p99: s.p99 }, doubleProcessing: s.doubleProcessing, amplification: s.amplification, recovery: [] },
  } as unknown as VariantResult;
}

function results(variants: VariantResult[], sweep?: Results['sweep']): Results {
  return { scenario: { file: 'x.yaml' }, variants, sweep } as unknown as Results;
}

const curve = (name: string, availability: Array<number | null>, p99Ms: Array<number | null> = availability.map(() => 10)) => ({
  variant: name,
  availability,
  p99Ms,
  doubleProcessing: availability.map(() => 0),
  amplification: availability.map(() => 1),
});

describe('checkGates', () => {
  it('several gates in one flag each report their own miss, one line per metric and variant', () => {
    const r = results([
      variant('baseline', { availability: 0.999, p99: 450, doubleProcessing: 3, amplification: 1 }),
      variant('fixed', { availability: 0.9995, p99: 120, doubleProcessing: 0, amplification: 1.2 }),
    ]);
    const gates = parseGates(['availability=99.9%', 'p99=300ms', 'doubleProcessing=0']);
    expect(checkGates(r, gates, null)).toEqual([
      'baseline: p99 450ms is above the gate p99=300ms',
      'baseline: doubleProcessing 3 is above the gate doubleProcessing=0',
    ]);
  });

  it('a value exactly at the gate meets it', () => {
    const r = results([variant('baseline', { availability: 0.999, p99: 300, doubleProcessing: 0, amplification: 2 })]);
    expect(checkGates(r, parseGates(['availability=99.9%', 'p99=300ms', 'doubleProcessing=0', 'amplification=2']), null)).toEqual([]);
  });

  it('a sweep must meet each gate at every point: the line names the worst point and how many missed', () => {
    const sweep = { param: 'traffic.users.rate', values: [100, 200, 300, 400], hysteresis: false, curves: [curve('baseline', [1, 0.9995, 0.98, 0.995]), curve('fixed', [1, 1, 0.9999, 0.9991])] };
    // The variants' own summaries (the first point) meet the gate: only the curves miss it.
    const r = results([variant('baseline', { availability: 1, p99: 10, doubleProcessing: 0, amplification: 1 }), variant('fixed', { availability: 1, p99: 10, doubleProcessing: 0, amplification: 1 })], sweep);
    expect(checkGates(r, parseGates(['availability=99.9%']), null)).toEqual([
      `baseline: availability ${formatPercent(0.98)} at traffic.users.rate=300 is below the gate availability=99.9% (2 of 4 points missed)`,
    ]);
    expect(checkGates(r, parseGates(['availability=99.9%']), ['fixed'])).toEqual([]);
  });

  it('a sweep point with no operations misses the gate, and is the worst', () => {
    const sweep = { param: 'p', values: ['a', 'b'], hysteresis: false, curves: [curve('baseline', [0.5, 1], [400, null])] };
    const r = results([variant('baseline', { availability: 0.5, p99: 400, doubleProcessing: 0, amplification: 1 })], sweep);
    expect(checkGates(r, parseGates(['p99=300ms']), null)).toEqual([`baseline: p99 — at p=b is above the gate p99=300ms (2 of 2 points missed)`]);
  });

  it('a hysteresis sweep names the direction of the worst step', () => {
    const sweep = {
      param: 'traffic.users.rate',
      values: [100, 500, 100],
      hysteresis: true,
      directions: ['up', 'up', 'down'] as Array<'up' | 'down'>,
      stepMs: 1000,
      curves: [curve('baseline', [1, 0.7, 0.2])],
    };
    const r = results([variant('baseline', { availability: 0.6, p99: 10, doubleProcessing: 0, amplification: 1 })], sweep);
    expect(checkGates(r, parseGates(['availability=99%']), null)).toEqual([
      `baseline: availability ${formatPercent(0.2)} at traffic.users.rate=100 (down) is below the gate availability=99% (2 of 3 points missed)`,
    ]);
  });

  it('a sweep refuses gates its curves do not hold', () => {
    expect(() => checkSweepGates(parseGates(['availability=99%', 'p99=1s', 'doubleProcessing=0', 'amplification=3']))).not.toThrow();
    for (const g of ['p50=10ms', 'p99.9=1s', 'mean=1s', 'recovery=30s']) {
      expect(() => checkSweepGates(parseGates([g]))).toThrow(/a sweep is gated at every point, on what its curves hold/);
    }
  });
});

describe('renderSweep', () => {
  it('shows a row per metric and variant, a column per value, ↑/↓ on a ramp, and the curves that did not come back', () => {
    const c = { ...curve('baseline', [1, 0.5, 0.25], [10, 2000, 3000]), metastable: true, metastableAt: [100] };
    const text = renderSweep({ param: 'traffic.users.rate', values: [100, 500, 100], hysteresis: true, directions: ['up', 'up', 'down'], stepMs: 1000, curves: [c] }, false);
    const rows = text.split('\n');
    expect(rows[0].split(/\s{2,}/)).toEqual(['traffic.users.rate =', '100↑', '500↑', '100↓']);
    expect(rows[1].split(/\s{2,}/)).toEqual(['availability', 'baseline', formatPercent(1), formatPercent(0.5), formatPercent(0.25)]);
    expect(rows[2].split(/\s{2,}/)).toEqual(['p99', 'baseline', formatMs(10), formatMs(2000), formatMs(3000)]);
    expect(rows.at(-1)).toBe('baseline: metastable — on the way down, availability stayed more than 5 points below the way up at 100');
  });
});

/** SMALL with errors at db (10%), and a variant that retries them at the client. */
const FLAKY = `${SMALL.replace('name: small', 'name: flaky').replace('        work: 2ms\n', '        work: 2ms\n        errorRate: 10%\n')}variants:
  client-retry:
    set:
      traffic.shoppers.retry: {maxAttempts: 3, backoff: constant, base: 10ms}
`;

const tmp = useTempDir('gates');
const workdir = (): string => tmp.workdir({ 'small.yaml': SMALL, 'flaky.yaml': FLAKY });

describe('--fail-under end to end', () => {
  it('a p99 gate missed exits 3 with one line naming it', async () => {
    const cwd = workdir();
    const r = await runCli(['run', 'small.yaml', '--no-report', '--json', 'out.json', '--fail-under', 'p99=1us'], cwd);
    expect(r.code, r.stderr).toBe(3);
    const json = JSON.parse(readFileSync(join(cwd, 'out.json'), 'utf8'));
    expect(lines(r.stderr)).toEqual([`faultline: SLO gate missed: baseline: p99 ${formatMs(json.variants[0].summary.latencyMs.p99)} is above the gate p99=1us`]);
  });

  it('with several scenarios, each missed gate names its scenario', async () => {
    const cwd = workdir();
    const r = await runCli(['run', 'small.yaml', 'flaky.yaml', '--no-report', '--quiet', '--variant', 'baseline', '--fail-under', 'availability=99.99%'], cwd);
    expect(r.code).toBe(3);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^faultline: SLO gate missed: flaky\.yaml: baseline: availability [\d.]+% is below the gate availability=99\.99%$/)]);
  });

  it('a sweep is gated at every point: errors swept up to 50% miss, though the first point meets the gate', async () => {
    const cwd = workdir();
    const r = await runCli(['sweep', 'small.yaml', '--param', 'services.db.endpoints.query.errorRate=0%,50%', '--no-report', '--json', 'out.json', '--fail-under', 'availability=99%'], cwd);
    expect(r.code, r.stderr).toBe(3);
    const json = JSON.parse(readFileSync(join(cwd, 'out.json'), 'utf8'));
    expect(json.variants[0].summary.availability).toBe(1);
    const at50 = json.sweep.curves[0].availability[1];
    expect(lines(r.stderr)).toEqual([
      `faultline: SLO gate missed: baseline: availability ${formatPercent(at50)} at services.db.endpoints.query.errorRate=${json.sweep.values[1]} is below the gate availability=99% (1 of 2 points missed)`,
    ]);
  });

  it('a sweep prints its curves under the table, as in the JSON', async () => {
    const cwd = workdir();
    const r = await runCli(['sweep', 'small.yaml', '--param', 'services.db.endpoints.query.errorRate=0%,50%', '--no-report', '--json', 'out.json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(cwd, 'out.json'), 'utf8'));
    const out = lines(r.stdout);
    expect(out).toContain(`the table: at services.db.endpoints.query.errorRate=${json.sweep.values[0]}, the sweep's first value; the curves below`);
    const row = out.find((l) => l.startsWith('availability '))!;
    expect(row.trim().split(/\s{2,}/)).toEqual(['availability', 'baseline', ...json.sweep.curves[0].availability.map(formatPercent)]);
  });

  it('a sweep refuses a gate its curves do not hold, before running: exit 2', async () => {
    const cwd = workdir();
    const r = await runCli(['sweep', 'small.yaml', '--param', 'traffic.shoppers.rate=5/s,10/s', '--no-report', '--fail-under', 'p50=10ms'], cwd);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)[0]).toBe('faultline: --fail-under p50: a sweep is gated at every point, on what its curves hold (expected availability, p99, doubleProcessing or amplification)');
  });

  it('a shard refuses gates (exit 2); merge applies them to all the runs (exit 3)', async () => {
    const cwd = workdir();
    const refused = await runCli(['run', 'flaky.yaml', '--shard', '1/2', '--json', 'p1.json', '--fail-under', 'availability=100%'], cwd);
    expect(refused.code).toBe(2);
    expect(lines(refused.stderr)[0]).toBe('faultline: --fail-under: a shard holds only part of the runs; give the gates to faultline merge');
    for (const k of [1, 2]) expect((await runCli(['run', 'flaky.yaml', '--shard', `${k}/2`, '--json', `p${k}.json`, '--quiet'], cwd)).code).toBe(0);
    const merged = await runCli(['merge', 'p1.json', 'p2.json', '-o', 'merged.json', '--quiet', '--fail-under', 'availability=100%'], cwd);
    expect(merged.code).toBe(3);
    const json = JSON.parse(readFileSync(join(cwd, 'merged.json'), 'utf8'));
    const missed = json.variants.filter((v: { summary: { availability: number } }) => v.summary.availability < 1);
    expect(missed.length).toBeGreaterThan(0);
    expect(lines(merged.stderr)).toEqual(
      missed.map((v: { name: string; summary: { availability: number } }) => `faultline: SLO gate missed: ${v.name}: availability ${formatPercent(v.summary.availability)} is below the gate availability=100%`),
    );
    const passed = await runCli(['merge', 'p1.json', 'p2.json', '-o', 'merged2.json', '--quiet', '--fail-under', 'availability=50%'], cwd);
    expect(passed.code).toBe(0);
  });
});
