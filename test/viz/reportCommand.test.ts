import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { ARTIFACTS, cli, FIXTURES } from './helpers.js';

/** `faultline report <results.json> -o <report.html>`, and `run`'s report flags. */

const dir = join(ARTIFACTS, 'command');
const json = join(dir, 'results.json');

beforeAll(() => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const r = cli(['run', join(FIXTURES, 'hostile-strings.yaml'), '--json', json, '--report', join(dir, 'run.html'), '--quiet']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});

describe('faultline report', () => {
  test('regenerates the same report run wrote', () => {
    const out = join(dir, 'again.html');
    const r = cli(['report', json, '-o', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`report: ${out}\n`);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(dir, 'run.html'), 'utf8'));
  });

  test('without -o, writes the report beside the results', () => {
    const r = cli(['report', json, '--quiet']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(existsSync(join(dir, 'results.html'))).toBe(true);
  });

  test.each([
    ['a missing file', () => join(dir, 'nope.json'), /nope\.json: cannot read: no such file$/],
    ['a folder', () => dir, /: cannot read: is a directory$/],
    [
      'a file that is not JSON',
      () => {
        writeFileSync(join(dir, 'broken.json'), '{"tool": ');
        return join(dir, 'broken.json');
      },
      /broken\.json: not JSON \(.*\); expected the results of faultline run --json$/,
    ],
    [
      'JSON that is not faultline results',
      () => {
        writeFileSync(join(dir, 'other.json'), '{"name": "something else"}');
        return join(dir, 'other.json');
      },
      /other\.json: not faultline results/,
    ],
    [
      'a partial (shard) result',
      () => {
        writeFileSync(join(dir, 'shard.json'), '{"faultlinePartial": 1, "runs": []}');
        return join(dir, 'shard.json');
      },
      /shard\.json: a partial result from one shard; combine the shards first with faultline merge/,
    ],
    [
      'results with a broken variant',
      () => {
        const r = JSON.parse(readFileSync(json, 'utf8'));
        r.variants[1] = { name: 'x' };
        writeFileSync(join(dir, 'bad-variant.json'), JSON.stringify(r));
        return join(dir, 'bad-variant.json');
      },
      /bad-variant\.json: variants\[1\] is not a variant result/,
    ],
  ])('exits 2 with one line for %s', (_what, file, message) => {
    const r = cli(['report', file(), '-o', join(dir, 'never.html')]);
    expect(r.status).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^faultline: /);
    expect(lines[0]).toMatch(message);
    expect(existsSync(join(dir, 'never.html'))).toBe(false);
  });

  test('refuses to write over the results it reads', () => {
    const before = readFileSync(json, 'utf8');
    const r = cli(['report', json, '-o', json]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/refusing to overwrite the results it reads/);
    expect(readFileSync(json, 'utf8')).toBe(before);
  });

  test('an unwritable destination is one line, exit 2', () => {
    writeFileSync(join(dir, 'a-file'), 'x');
    const r = cli(['report', json, '-o', join(dir, 'a-file', 'report.html')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^faultline: .*a-file\/report\.html: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('--open hands the written report to the desktop opener', async () => {
    const bin = join(dir, 'bin');
    const opened = join(dir, 'opened.txt');
    mkdirSync(bin, { recursive: true });
    rmSync(opened, { force: true });
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`, { mode: 0o755 });
    const out = join(dir, 'opened.html');
    const r = cli(['report', json, '-o', out, '--open'], { env: { PATH: `${bin}:${process.env.PATH ?? ''}` } });
    expect(r.status).toBe(0);
    // The opener runs detached: wait for it.
    for (let i = 0; i < 100 && !existsSync(opened); i++) await new Promise((ok) => setTimeout(ok, 50));
    expect(readFileSync(opened, 'utf8')).toBe(out);
  });

  test('--open without a desktop opener says where the report is, and still exits 0', () => {
    const empty = join(dir, 'no-bin');
    mkdirSync(empty, { recursive: true });
    const out = join(dir, 'unopened.html');
    const r = cli(['report', json, '-o', out, '--open', '--quiet'], { env: { PATH: empty } });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`faultline: could not open a browser; the report is at ${out}\n`);
    expect(existsSync(out)).toBe(true);
  });

  test('a missing argument is a usage error', () => {
    const r = cli(['report']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/missing required argument/);
  });
});

describe('faultline run and the report', () => {
  test('the command a report shows for a bundled scenario reproduces its results from any folder', () => {
    const here = join(dir, 'elsewhere-1');
    const there = join(dir, 'elsewhere-2');
    mkdirSync(here, { recursive: true });
    mkdirSync(there, { recursive: true });
    const first = cli(['run', 'sync-chain', '--duration', '1m', '--replications', '1', '--json', 'a.json', '--no-report', '--quiet'], { cwd: here });
    expect(first.status).toBe(0);
    const a = readFileSync(join(here, 'a.json'), 'utf8');
    const command: string = JSON.parse(a).run.command;
    expect(command).toBe('faultline run scenarios/sync-chain.yaml --duration 1m --replications 1');
    const again = cli([...command.split(' ').slice(1), '--json', 'b.json', '--no-report', '--quiet'], { cwd: there });
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect(readFileSync(join(there, 'b.json'), 'utf8')).toBe(a);
  });


  test('--no-report writes no report; --report <file> writes it there', () => {
    const out = join(dir, 'out');
    const r1 = cli(['run', join(FIXTURES, 'hostile-strings.yaml'), '--no-report', '--out', out, '--quiet']);
    expect(r1.status).toBe(0);
    expect(existsSync(join(out, 'hostile-strings.html'))).toBe(false);
    const r2 = cli(['run', join(FIXTURES, 'hostile-strings.yaml'), '--out', out, '--quiet']);
    expect(r2.status).toBe(0);
    expect(readFileSync(join(out, 'hostile-strings.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });
});
