import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, REPO, tempDir } from '../helpers/cli.js';

const KITCHEN = join(REPO, 'test', 'fixtures', 'kitchen-sink.yaml');

describe('sharding and merging', () => {
  it('--shard 1/3..3/3 + merge gives byte-identical JSON to a single run', () => {
    const dir = tempDir();
    const common = ['--no-report', '--quiet', '--replications', '3'];
    expect(cli(['run', KITCHEN, '--json', join(dir, 'single.json'), ...common], dir).code).toBe(0);
    for (const k of [1, 2, 3]) {
      const r = cli(['run', KITCHEN, '--shard', `${k}/3`, '--json', join(dir, `p${k}.json`), ...common], dir);
      expect(r.code, r.stderr).toBe(0);
    }
    // Shards in any order.
    const m = cli(['merge', join(dir, 'p3.json'), join(dir, 'p1.json'), join(dir, 'p2.json'), '-o', join(dir, 'merged.json'), '--quiet'], dir);
    expect(m.code, m.stderr).toBe(0);
    expect(readFileSync(join(dir, 'merged.json')).equals(readFileSync(join(dir, 'single.json')))).toBe(true);
  });

  it('a sweep shards and merges too', () => {
    const dir = tempDir();
    const args = ['sweep', 'sync-chain', '--param', 'services.ledger.endpoints.record.errorRate=0%..2%', '--steps', '3', '--duration', '45s', '--replications', '2', '--no-report', '--quiet'];
    expect(cli([...args, '--json', join(dir, 'single.json')], dir).code).toBe(0);
    for (const k of [1, 2]) expect(cli([...args, '--shard', `${k}/2`, '--json', join(dir, `p${k}.json`)], dir).code).toBe(0);
    expect(cli(['merge', join(dir, 'p1.json'), join(dir, 'p2.json'), '-o', join(dir, 'merged.json'), '--quiet'], dir).code).toBe(0);
    expect(readFileSync(join(dir, 'merged.json')).equals(readFileSync(join(dir, 'single.json')))).toBe(true);
  });

  it('refuses a missing shard, a shard given twice, another job, and a file that is not a partial', () => {
    const dir = tempDir();
    const run = (k: number, extra: string[] = []) =>
      cli(['run', 'sync-chain', '--duration', '45s', '--replications', '2', '--shard', `${k}/2`, '--json', join(dir, `p${k}${extra.length ? 'x' : ''}.json`), '--no-report', '--quiet', ...extra], dir);
    expect(run(1).code).toBe(0);
    expect(run(2).code).toBe(0);
    expect(run(2, ['--seed', '9']).code).toBe(0);
    const merge = (...files: string[]) => cli(['merge', ...files.map((f) => join(dir, f)), '-o', join(dir, 'out.json')], dir);
    const lines = (s: string) => s.trim().split('\n');

    let r = merge('p1.json');
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual(['faultline: missing 3 of 6 runs: shard 2/2 not given']);
    r = merge('p1.json', 'p1.json', 'p2.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is also in .*p1\.json \(a shard given twice\?\)/);
    r = merge('p1.json', 'p2x.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/p2x\.json: a shard of a different job/);
    writeFileSync(join(dir, 'not.json'), '{"tool": {"name": "faultline"}}');
    r = merge('not.json');
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([`faultline: ${join(dir, 'not.json')}: not a faultline partial result (expected the output of run or sweep with --shard k/n)`]);
    r = cli(['merge', join(dir, 'p1.json'), join(dir, 'p2.json')], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing -o/);
    for (const s of [r.stderr]) expect(s).not.toMatch(/\n\s+at /);
  });
});
