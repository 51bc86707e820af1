import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Results } from '../../sim/run/results.js';
import { Ajv } from 'ajv';
import { cli, REPO, tempDir } from '../helpers/cli.js';

const validateResults = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(REPO, 'schema', 'results.schema.json'), 'utf8')));

/** Runs a sweep through the CLI; its results must fit the published results schema. */
function sweep(args: string[]): Results {
  const dir = tempDir();
  const r = cli(['sweep', ...args, '--json', join(dir, 'r.json'), '--no-report', '--quiet'], dir);
  expect(r.code, r.stderr).toBe(0);
  const results = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Results;
  expect(validateResults(results), JSON.stringify(validateResults.errors?.slice(0, 3))).toBe(true);
  return results;
}

describe('faultline sweep', () => {
  it('gives one curve per variant, and availability does not increase as the error rate rises', () => {
    const res = sweep(['sync-chain', '--param', 'services.payments.endpoints.charge.errorRate=0%..4%', '--steps', '5', '--duration', '1m', '--replications', '2']);
    const s = res.sweep!;
    expect(s.values).toEqual([0, 1, 2, 3, 4]);
    expect(s.curves.map((c) => c.variant)).toEqual(['baseline', 'ten-hops', 'edge-retry']);
    for (const c of s.curves) {
      expect(c.availability).toHaveLength(5);
      for (let i = 1; i < 5; i++) expect(c.availability[i]!, `${c.variant} at ${s.values[i]}`).toBeLessThanOrEqual(c.availability[i - 1]!);
    }
    // The baseline falls by about the added error rate per point (one more failing hop).
    const base = s.curves[0].availability;
    expect(base[0]! - base[4]!).toBeGreaterThan(0.035);
    expect(base[0]! - base[4]!).toBeLessThan(0.045);
    // Edge retries hold availability up, paying in amplification.
    expect(s.curves[2].availability[4]!).toBeGreaterThan(0.998);
    expect(s.curves[2].amplification[4]!).toBeGreaterThan(s.curves[2].amplification[0]!);
  });

  it('takes a list of values', () => {
    const res = sweep(['sync-chain', '--param', 'traffic.shoppers.rate=50/s,200/s', '--duration', '45s', '--replications', '1', '--variant', 'edge-retry']);
    expect(res.sweep!.values).toEqual([50, 200]);
    expect(res.sweep!.curves.map((c) => c.variant)).toEqual(['baseline', 'edge-retry']);
  });

  it('refuses a bad parameter with a usage error', () => {
    const dir = tempDir();
    for (const [args, message] of [
      [['--param', 'services.nope.x=1,2'], /--param services\.nope\.x=1: path does not exist/],
      [['--param', 'traffic.shoppers.rate=1/s..5ms'], /--param: the ends of a range need the same unit/],
      [['--param', 'traffic.shoppers.rate'], /--param: expected <path>=<values>/],
      [[], /missing --param/],
      [['--param', 'traffic.shoppers.timeout=100/s,200/s'], /--param traffic\.shoppers\.timeout=100: not a duration/],
      [['--param', 'services.payments.endpoints.charge.errorRate=1%,2%', '--hysteresis'], /--hysteresis ramps a load/],
    ] as Array<[string[], RegExp]>) {
      const r = cli(['sweep', 'sync-chain', ...args, '--no-report', '--quiet'], dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')[0]).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('faultline sweep --hysteresis', () => {
  // The retry storm of test/theory/metastable.test.ts without its surge: the ramp is the
  // trigger. Capacity is 1000 requests/s and each operation makes up to 3 attempts, so once
  // the 1050/s step has tipped it over, 400/s (1200 attempts/s) cannot come back, and the
  // fixes can.
  const STORM = join(import.meta.dirname, '..', 'fixtures', 'storm.yaml');

  it('marks the metastable case: on the way down the baseline does not come back at the same load', () => {
    const res = sweep([STORM, '--param', 'traffic.users.rate=250/s,400/s,1050/s', '--hysteresis', '--duration', '300s', '--replications', '2']);
    const s = res.sweep!;
    expect(s.hysteresis).toBe(true);
    expect(s.values).toEqual([250, 400, 1050, 400, 250]);
    expect(s.directions).toEqual(['up', 'up', 'up', 'down', 'down']);
    expect(s.stepMs).toBe(60_000);
    const curve = (name: string) => s.curves.find((c) => c.variant === name)!;
    const base = curve('baseline');
    expect(base.availability[1]!).toBeGreaterThan(0.99); // 400/s on the way up
    expect(base.availability[3]!).toBeLessThan(0.1); // 400/s on the way down
    expect(base.metastable).toBe(true);
    expect(base.metastableAt).toContain(400);
    for (const fix of ['budget', 'breaker', 'deadline']) {
      const c = curve(fix);
      expect(c.metastable, `${fix}: ${JSON.stringify(c.availability)}`).toBe(false);
      expect(c.availability[3]!).toBeGreaterThan(0.95);
    }
  });
});
