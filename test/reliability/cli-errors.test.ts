import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lines, runCli, SMALL, useTempDir } from '../cli/helpers.js';
import { listAll, STACK_OR_INTERNAL } from './helpers.js';

/**
 * Issue #8, deliverable 4: unknown flags and bad values exit 2 with the error and a usage line,
 * for every command. `run`'s own cases (--bogus, --seed abc, --jobs 0, --shard 3/2, an unknown
 * --variant, --duration 5, --replications 0, an unknown --fail-under metric) are in
 * test/cli/cli.test.ts ("bad flags: exit 2, one error line and a Usage line"); this file adds
 * the other commands and the values that test does not try.
 */

const tmp = useTempDir('cli-errors');
let partials: string;

const FLAKY = `${SMALL.replace('name: small', 'name: flaky')}variants:\n  client-retry:\n    set:\n      traffic.shoppers.retry: {maxAttempts: 3, backoff: constant, base: 10ms}\n`;

beforeAll(async () => {
  // Two shards of one job (two variants: one run each), for merge.
  partials = join(tmp.root(), 'partials');
  mkdirSync(partials);
  writeFileSync(join(partials, 'flaky.yaml'), FLAKY);
  for (const k of [1, 2]) {
    const r = await runCli(['run', 'flaky.yaml', '--shard', `${k}/2`, '--json', `p${k}.json`, '--quiet'], partials);
    expect(r.code, r.stderr).toBe(0);
  }
});

function workdir(): string {
  const d = tmp.workdir({ 'small.yaml': SMALL, 'flaky.yaml': FLAKY });
  for (const k of [1, 2]) copyFileSync(join(partials, `p${k}.json`), join(d, `p${k}.json`));
  return d;
}

const SWEEP = ['sweep', 'flaky.yaml', '--param', 'traffic.shoppers.rate=5/s,10/s'];

/** [what, arguments, the error line, the usage line it must be followed by (null: none, the input is at fault, not the usage)] */
const cases: Array<[string, string[], RegExp, RegExp | null]> = [
  // The program itself.
  ['an unknown command', ['frobnicate'], /^faultline: unknown command 'frobnicate'$/, /^Usage: faultline \[options\] \[command\]$/],
  ['a misspelt command (with a suggestion)', ['runn', 'small.yaml'], /^faultline: unknown command 'runn' \(Did you mean run\?\)$/, /^Usage: faultline \[options\] \[command\]$/],
  ['an unknown option before any command', ['--bogus'], /^faultline: unknown option '--bogus'$/, /^Usage: faultline \[options\] \[command\]$/],

  // run: values cli.test.ts does not try.
  ['run --jobs 1.5', ['run', 'flaky.yaml', '--jobs', '1.5'], /^faultline: --jobs: not a whole number \(found "1\.5"\)$/, /^Usage: faultline run /],
  ['run --jobs 99999', ['run', 'flaky.yaml', '--jobs', '99999'], /^faultline: --jobs: out of range \(found 99999, expected 1 to 256\)$/, /^Usage: faultline run /],
  ['run --seed -1', ['run', 'flaky.yaml', '--seed', '-1'], /^faultline: --seed: out of range \(found -1, expected 0 to 2147483647\)$/, /^Usage: faultline run /],
  ['run --seed 99999999999', ['run', 'flaky.yaml', '--seed', '99999999999'], /^faultline: --seed: out of range/, /^Usage: faultline run /],
  ['run --seed with no value', ['run', 'flaky.yaml', '--seed'], /^faultline: option '--seed <n>' argument missing$/, /^Usage: faultline run /],
  ['run --shard 0/2', ['run', 'flaky.yaml', '--shard', '0/2'], /^faultline: --shard: expected 1 ≤ k ≤ n \(found 0\/2\)$/, /^Usage: faultline run /],
  ['run --shard 1/0', ['run', 'flaky.yaml', '--shard', '1/0'], /^faultline: --shard: expected 1 ≤ k ≤ n \(found 1\/0\)$/, /^Usage: faultline run /],
  ['run --shard abc', ['run', 'flaky.yaml', '--shard', 'abc'], /^faultline: --shard: expected k\/n such as 2\/5 \(found "abc"\)$/, /^Usage: faultline run /],
  ['run --variant with no names', ['run', 'flaky.yaml', '--variant', ','], /^faultline: --variant: expected a comma-separated list of variant names$/, /^Usage: faultline run /],
  ['run --variant naming one good and one unknown variant', ['run', 'flaky.yaml', '--variant', 'client-retry,nope'], /^faultline: --variant: unknown variant "nope" in flaky\.yaml/, /^Usage: faultline run /],
  ['run --duration 0s', ['run', 'flaky.yaml', '--duration', '0s'], /^faultline: --duration: must be positive \(found "0s"\)$/, /^Usage: faultline run /],
  ['run --replications 1.5', ['run', 'flaky.yaml', '--replications', '1.5'], /^faultline: --replications: not a whole number \(found "1\.5"\)$/, /^Usage: faultline run /],
  ['run --fail-under without =', ['run', 'flaky.yaml', '--fail-under', 'availability'], /^faultline: --fail-under: expected metric=value such as availability=99\.9% \(found "availability"\)$/, /^Usage: faultline run /],
  ['run --fail-under with a bad value', ['run', 'flaky.yaml', '--fail-under', 'p99=fast'], /^faultline: --fail-under p99: not a duration/, /^Usage: faultline run /],
  ['run --json <file> with two scenarios', ['run', 'flaky.yaml', 'small.yaml', '--json', 'out.json'], /^faultline: --json <file>: one file takes one scenario/, /^Usage: faultline run /],

  // sweep: the same flags, and its own.
  ['sweep with an unknown option', [...SWEEP, '--bogus'], /^faultline: unknown option '--bogus'$/, /^Usage: faultline sweep \[options\] <scenario>$/],
  ['sweep --seed abc', [...SWEEP, '--seed', 'abc'], /^faultline: --seed: not a whole number \(found "abc"\)$/, /^Usage: faultline sweep /],
  ['sweep --jobs 0', [...SWEEP, '--jobs', '0'], /^faultline: --jobs: out of range \(found 0, expected 1 to 256\)$/, /^Usage: faultline sweep /],
  ['sweep --shard 3/2', [...SWEEP, '--shard', '3/2'], /^faultline: --shard: expected 1 ≤ k ≤ n \(found 3\/2\)$/, /^Usage: faultline sweep /],
  ['sweep --variant nope', [...SWEEP, '--variant', 'nope'], /^faultline: --variant: unknown variant "nope" in flaky\.yaml \(expected one of: baseline, client-retry\)$/, /^Usage: faultline sweep /],
  ['sweep without --param', ['sweep', 'flaky.yaml'], /^faultline: missing --param <path>=<values>/, /^Usage: faultline sweep /],
  ['sweep --param without =', ['sweep', 'flaky.yaml', '--param', 'nonsense'], /^faultline: --param: expected <path>=<values>/, /^Usage: faultline sweep /],
  ['sweep --steps 1', ['sweep', 'flaky.yaml', '--param', 'traffic.shoppers.rate=5/s..10/s', '--steps', '1'], /^faultline: --steps: out of range \(found 1, expected 2 to 200\)$/, /^Usage: faultline sweep /],
  ['sweep with no scenario', ['sweep'], /^faultline: missing required argument 'scenario'$/, /^Usage: faultline sweep /],

  // merge.
  ['merge with no partials', ['merge'], /^faultline: missing required argument 'partial\.json'$/, /^Usage: faultline merge \[options\] <partial\.json\.\.\.>$/],
  ['merge without -o', ['merge', 'p1.json', 'p2.json'], /^faultline: missing -o <results\.json>$/, /^Usage: faultline merge /],
  ['merge -o with no value', ['merge', 'p1.json', 'p2.json', '-o'], /^faultline: option '-o, --output <results\.json>' argument missing$/, /^Usage: faultline merge /],
  ['merge with an unknown option', ['merge', 'p1.json', 'p2.json', '-o', 'm.json', '--bogus'], /^faultline: unknown option '--bogus'$/, /^Usage: faultline merge /],
  ['merge of a file that is not a partial', ['merge', 'small.yaml', '-o', 'm.json'], /^faultline: small\.yaml: not a faultline partial result \(not JSON\)$/, null],
  ['merge of a missing file', ['merge', 'nothere.json', '-o', 'm.json'], /^faultline: nothere\.json: cannot read: no such file$/, null],
  ['merge of a device that never ends (not read at all)', ['merge', '/dev/zero', '-o', 'm.json'], /^faultline: \/dev\/zero: not a faultline partial result \(not a regular file\)$/, null],
  ['merge with a shard missing', ['merge', 'p1.json', '-o', 'm.json'], /^faultline: missing \d+ of \d+ runs: shard 2\/2 not given$/, null],
  ['merge with a shard given twice', ['merge', 'p1.json', 'p1.json', 'p2.json', '-o', 'm.json'], /^faultline: p1\.json: run .* is also in p1\.json \(a shard given twice\?\)$/, null],

  // validate and report.
  ['validate with no scenario', ['validate'], /^faultline: missing required argument 'scenario'$/, /^Usage: faultline validate /],
  ['validate with an unknown option', ['validate', '--bogus', 'small.yaml'], /^faultline: unknown option '--bogus'$/, /^Usage: faultline validate /],
  ['report with no results', ['report'], /^faultline: missing required argument 'results\.json'$/, /^Usage: faultline report /],
  ['report of a file that is not results', ['report', 'small.yaml'], /^faultline: small\.yaml: not JSON/, null],
];

describe('CLI errors: exit 2, the error, the usage line, no stack trace, nothing written', () => {
  for (const [name, args, error, usage] of cases) {
    it(name, async () => {
      const cwd = workdir();
      const before = listAll(cwd);
      const r = await runCli(args, cwd);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      const ls = lines(r.stderr);
      // The error (with commander's "did you mean", if any, on the same line), then the usage line.
      const shown = ls;
      expect(shown, r.stderr).toHaveLength(usage ? 2 : 1);
      expect(shown[0]).toMatch(error);
      if (usage) expect(shown[1]).toMatch(usage);
      for (const l of ls) expect(l).not.toMatch(STACK_OR_INTERNAL);
      expect(listAll(cwd)).toEqual(before);
    });
  }
});
