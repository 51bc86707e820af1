import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeRegExp, lines, positionOf, replaceOnce, runCli, useTempDir } from './helpers.js';

/**
 * Broken scenarios through the real CLI: `validate` and `run --no-report` must both exit 2 and
 * print exactly one `file:line:col path: message` line per error, pointing at the YAML node at
 * fault, with no stack trace, and write nothing.
 */

const BASE = `name: broken
duration: 10s
traffic:
  shoppers: {target: api.get, rate: 10/s}
services:
  api:
    instances: 2
    endpoints:
      get:
        work: 1ms
        steps:
          - call: db.query
            timeout: 500ms
  db:
    endpoints:
      query:
        work: 2ms
`;

/** BASE with each `from` (which must occur exactly once) replaced by its `to`. */
function edit(text: string, ...pairs: Array<[string, string]>): string {
  return pairs.reduce((out, [from, to]) => replaceOnce(out, from, to), text);
}

interface Expected {
  /** Where the error points: a needle in the fixture (and the part of it pointed at), or null for no position. */
  at: { needle: string; sub?: string } | { line: number; col: number } | null;
  path: string;
  message: RegExp;
}

interface Case {
  name: string;
  /** The fixture text; undefined = no file at all; 'dir' = a directory. */
  text?: string;
  dir?: boolean;
  errors: Expected[];
}

const cases: Case[] = [
  {
    name: 'a YAML syntax error',
    text: edit(BASE, ['work: 2ms', 'work: @2ms']),
    errors: [{ at: { needle: 'work: @2ms', sub: '@' }, path: '(root)', message: /^YAML syntax error: .*reserved character @$/ }],
  },
  {
    name: 'a YAML syntax error: an unclosed quote (points at the opening quote, not the end of the file)',
    text: edit(BASE, ['timeout: 500ms', 'timeout: "500ms']),
    errors: [
      {
        at: { needle: '"500ms', sub: '"' },
        path: 'services.api.endpoints.get.steps[0].timeout',
        message: /^YAML syntax error: unclosed quote \(found an opening " with no closing " before the end of the file\)$/,
      },
    ],
  },
  {
    name: 'a YAML syntax error: an unclosed { (points at the brace that opened it)',
    text: edit(BASE, ['{target: api.get, rate: 10/s}', '{target: api.get, rate: 10/s']),
    errors: [
      {
        at: { needle: '{target: api.get', sub: '{' },
        path: 'traffic.shoppers',
        message: /^YAML syntax error: unclosed \{ \(found an opening \{ with no matching \}\)$/,
      },
    ],
  },
  {
    name: 'a wrong type',
    text: edit(BASE, ['instances: 2', 'instances: two']),
    errors: [{ at: { needle: 'instances: two', sub: 'two' }, path: 'services.api.instances', message: /^wrong type \(found "two", expected a number\)$/ }],
  },
  {
    name: 'a missing unit (timeout: 800)',
    text: edit(BASE, ['timeout: 500ms', 'timeout: 800']),
    errors: [
      {
        at: { needle: 'timeout: 800', sub: '800' },
        path: 'services.api.endpoints.get.steps[0].timeout',
        message: /^missing unit \(found 800, expected a duration with a unit: us, ms, s, m or h, e\.g\. 250ms\)$/,
      },
    ],
  },
  {
    name: 'a missing unit on the run’s duration (duration: 10): one line, not a second about its sign',
    text: edit(BASE, ['duration: 10s', 'duration: 10']),
    errors: [{ at: { needle: 'duration: 10', sub: '10' }, path: 'duration', message: /^missing unit \(found 10, expected a duration with a unit/ }],
  },
  {
    name: 'a zero duration',
    text: edit(BASE, ['duration: 10s', 'duration: 0s']),
    errors: [{ at: { needle: 'duration: 0s', sub: '0s' }, path: 'duration', message: /^must be positive \(found "0s", expected a duration > 0\)$/ }],
  },
  {
    name: 'an unknown field, with a "did you mean"',
    text: edit(BASE, ['instances: 2', 'instances: 2\n    concurrancy: 4']),
    errors: [
      {
        at: { needle: 'concurrancy: 4', sub: 'concurrancy' },
        path: 'services.api.concurrancy',
        message: /^unknown field "concurrancy" \(did you mean "concurrency"\?\) \(expected one of: .*\bconcurrency\b.*\)$/,
      },
    ],
  },
  {
    name: 'a hedge with a bad after',
    text: edit(BASE, ['timeout: 500ms', 'timeout: 500ms\n            hedge: {after: 0ms}']),
    errors: [{ at: { needle: 'after: 0ms', sub: '0ms' }, path: 'services.api.endpoints.get.steps[0].hedge.after', message: /^must be positive \(found "0ms", expected a duration > 0\)$/ }],
  },
  {
    name: 'an unknown hedge field',
    text: edit(BASE, ['timeout: 500ms', 'timeout: 500ms\n            hedge: {after: 20ms, delay: 5ms}']),
    errors: [{ at: { needle: 'delay: 5ms', sub: 'delay' }, path: 'services.api.endpoints.get.steps[0].hedge.delay', message: /^unknown field "delay" \(expected one of: after, max\)$/ }],
  },
  {
    name: 'an unknown service',
    text: edit(BASE, ['call: db.query', 'call: dbx.query']),
    errors: [{ at: { needle: 'dbx.query' }, path: 'services.api.endpoints.get.steps[0].call', message: /^unknown service "dbx" \(expected one of: api, db\)$/ }],
  },
  {
    name: 'an unknown endpoint',
    text: edit(BASE, ['call: db.query', 'call: db.qery']),
    errors: [{ at: { needle: 'db.qery' }, path: 'services.api.endpoints.get.steps[0].call', message: /^unknown endpoint "db\.qery" \(expected one of: db\.query\)$/ }],
  },
  {
    name: 'an unknown queue in a publish step',
    text: edit(BASE, ['- call: db.query\n            timeout: 500ms', '- publish: event']) + 'queues:\n  events: {consumer: db.query}\n',
    errors: [{ at: { needle: 'publish: event', sub: 'event' }, path: 'services.api.endpoints.get.steps[0].publish', message: /^unknown queue "event" \(expected one of: events\)$/ }],
  },
  {
    name: 'a publish step when no queue is defined',
    text: edit(BASE, ['- call: db.query\n            timeout: 500ms', '- publish: events']),
    errors: [{ at: { needle: 'publish: events', sub: 'events' }, path: 'services.api.endpoints.get.steps[0].publish', message: /^unknown queue "events" \(expected a queue defined under queues:, and there are none\)$/ }],
  },
  {
    name: 'a synchronous call cycle',
    text: edit(BASE, ['work: 2ms', 'work: 2ms\n        steps: [{call: api.get}]']),
    errors: [
      {
        at: { needle: '{call: api.get}', sub: 'api.get' },
        path: 'services.db.endpoints.query.steps[0].call',
        message: /^synchronous call cycle: api\.get -> db\.query -> api\.get \(expected calls that end\)$/,
      },
    ],
  },
  {
    name: 'a negative rate',
    text: edit(BASE, ['rate: 10/s', 'rate: -10/s']),
    errors: [{ at: { needle: '-10/s' }, path: 'traffic.shoppers.rate', message: /^negative rate \(found "-10\/s", expected a rate ≥ 0\)$/ }],
  },
  {
    name: 'a probability above 1 (loss: 120%)',
    text: `${BASE}links:\n  api->db: {loss: 120%}\n`,
    errors: [{ at: { needle: '120%' }, path: 'links.api->db.loss', message: /^probability out of range \(found "120%", expected a probability: a percentage such as 0\.1% or a number from 0 to 1\)$/ }],
  },
  {
    name: 'an empty file',
    text: '',
    errors: [{ at: { line: 1, col: 1 }, path: '(root)', message: /^empty scenario file \(expected a mapping with name, duration, traffic and services\)$/ }],
  },
  {
    name: 'a file of only comments',
    text: '# nothing here yet\n',
    errors: [{ at: { line: 1, col: 1 }, path: '(root)', message: /^empty scenario file/ }],
  },
  {
    name: 'a missing file',
    errors: [{ at: null, path: '(file)', message: /^cannot read scenario \(no such file\)$/ }],
  },
  {
    name: 'a directory instead of a file',
    dir: true,
    errors: [{ at: null, path: '(file)', message: /^is a directory \(expected a scenario \.yaml file\)$/ }],
  },
  {
    name: 'a duplicate key',
    text: `${BASE}  api:\n    endpoints: {other: {work: 1ms}}\n`,
    errors: [{ at: { needle: '  api:\n    endpoints: {other', sub: 'api' }, path: 'services.api', message: /^duplicate key \(found "api" twice in the same mapping, expected each key once\)$/ }],
  },
  {
    name: 'an unknown fault target',
    text: `${BASE}faults:\n  - {target: dbb, kind: outage, at: 1s, for: 1s}\n`,
    errors: [{ at: { needle: 'dbb' }, path: 'faults[0].target', message: /^unknown fault target \(found "dbb", expected a service, svc#i, a->b, a traffic source or a queue\)$/ }],
  },
  {
    name: 'a fault starting after the run ends (impossible window)',
    text: `${BASE}faults:\n  - {target: db, kind: outage, at: 20s, for: 1s}\n`,
    errors: [{ at: { needle: '20s' }, path: 'faults[0].at', message: /^impossible window: the fault starts after the run ends \(found "20s", expected before 10s\)$/ }],
  },
  {
    name: 'a crash that lasts a negative time (one line, at the key written)',
    text: `${BASE}faults:\n  - {target: db, kind: crash, at: 1s, for: -1s}\n`,
    errors: [{ at: { needle: '-1s' }, path: 'faults[0].for', message: /^negative duration \(found "-1s", expected a duration ≥ 0\)$/ }],
  },
  {
    name: 'a crash that lasts no time',
    text: `${BASE}faults:\n  - {target: db, kind: crash, at: 1s, for: 0s}\n`,
    errors: [{ at: { needle: '0s}' , sub: '0s' }, path: 'faults[0].for', message: /^impossible window: a fault must last \(found "0s", expected a duration > 0\)$/ }],
  },
  {
    name: 'a traffic source without a target',
    text: edit(BASE, ['{target: api.get, rate: 10/s}', '{rate: 10/s}']),
    errors: [{ at: { needle: '{rate: 10/s}' }, path: 'traffic.shoppers.target', message: /^missing required field \(expected service\.endpoint, e\.g\. api\.checkout\)$/ }],
  },
  {
    name: 'a fault kind that cannot apply to its target',
    text: `${BASE}faults:\n  - {target: api->db, kind: outage, at: 1s, for: 1s}\n`,
    errors: [{ at: { needle: 'api->db' }, path: 'faults[0].target', message: /^an outage fault cannot target a link \(found "api->db", expected .*\)$/ }],
  },
  {
    name: 'an instance index out of range (svc#5)',
    text: `${BASE}faults:\n  - {target: api#5, kind: crash, at: 2s, restartAfter: 1s}\n`,
    errors: [{ at: { needle: 'api#5' }, path: 'faults[0].target', message: /^no such instance \(found "api#5", expected api#0 to api#1\)$/ }],
  },
  {
    name: 'a variant `set` path that does not exist',
    text: `${BASE}variants:\n  with-retries:\n    set:\n      services.api.endpoints.get.steps[0].retry.maxAttempts: 3\n`,
    errors: [
      {
        at: { needle: 'services.api.endpoints.get.steps[0].retry.maxAttempts: 3', sub: 'services' },
        path: 'variants.with-retries.set["services.api.endpoints.get.steps[0].retry.maxAttempts"]',
        message: /^path does not exist: services\.api\.endpoints\.get\.steps\[0\]\.retry is not in the scenario/,
      },
    ],
  },
  {
    name: 'a variant `set` index past the end of a list',
    text: `${BASE}variants:\n  more:\n    set:\n      services.api.endpoints.get.steps[4].timeout: 1s\n`,
    errors: [
      {
        at: { needle: 'services.api.endpoints.get.steps[4].timeout: 1s', sub: 'services' },
        path: 'variants.more.set["services.api.endpoints.get.steps[4].timeout"]',
        message: /^path does not exist: services\.api\.endpoints\.get\.steps\[4\] \(found a list of 1 item, expected an index from 0 to 0\)$/,
      },
    ],
  },
  {
    name: 'a variant with a bad value (names the variant, points at the set entry)',
    text: `${BASE}variants:\n  tight:\n    set:\n      services.api.endpoints.get.steps[0].timeout: 800\n`,
    errors: [
      {
        at: { needle: 'steps[0].timeout: 800', sub: '800' },
        path: 'variants.tight: services.api.endpoints.get.steps[0].timeout',
        message: /^missing unit \(found 800, expected a duration with a unit/,
      },
    ],
  },
  {
    name: '`extends` of an unknown variant',
    text: `${BASE}variants:\n  bigger:\n    extends: nope\n    set: {services.db.instances: 3}\n`,
    errors: [{ at: { needle: 'extends: nope', sub: 'nope' }, path: 'variants.bigger.extends', message: /^unknown variant "nope" \(expected one of: bigger\)$/ }],
  },
  {
    name: 'variants that extend each other in a loop',
    text: `${BASE}variants:\n  a: {extends: b}\n  b: {extends: a}\n`,
    errors: [
      { at: { needle: 'a: {extends: b}', sub: 'b}' }, path: 'variants.a.extends', message: /^extends loops: a -> b -> a \(expected a chain that ends\)$/ },
      { at: { needle: 'b: {extends: a}', sub: 'a}' }, path: 'variants.b.extends', message: /^extends loops: b -> a -> b \(expected a chain that ends\)$/ },
    ],
  },
  {
    name: 'a document that is a list, not a mapping',
    text: '- name: x\n- duration: 10s\n',
    errors: [{ at: { line: 1, col: 1 }, path: '(root)', message: /^wrong type \(found a list, expected a mapping with name, duration, traffic and services\)$/ }],
  },
  {
    name: 'a lognormal with both p99 and sigma',
    text: edit(BASE, ['work: 2ms', 'work: {lognormal: {median: 2ms, p99: 20ms, sigma: 0.5}}']),
    errors: [{ at: { needle: '{median: 2ms' }, path: 'services.db.endpoints.query.work.lognormal', message: /^give exactly one of p99 or sigma \(found both\)$/ }],
  },
  {
    name: 'percentiles that decrease',
    text: edit(BASE, ['work: 2ms', 'work: {percentiles: {p50: 10ms, p90: 5ms, max: 20ms}}']),
    errors: [{ at: { needle: 'p90: 5ms', sub: '5ms' }, path: 'services.db.endpoints.query.work.percentiles.p90', message: /^percentiles must not decrease \(p90 is below p50\)$/ }],
  },
  {
    name: 'warmup equal to the duration',
    text: edit(BASE, ['duration: 10s\n', 'duration: 10s\nwarmup: 10s\n']),
    errors: [{ at: { needle: 'warmup: 10s', sub: '10s' }, path: 'warmup', message: /^warmup must end before the run does \(found "10s", expected less than "10s"\)$/ }],
  },
  {
    name: 'warmup longer than the duration',
    text: edit(BASE, ['duration: 10s\n', 'duration: 10s\nwarmup: 1m\n']),
    errors: [{ at: { needle: 'warmup: 1m', sub: '1m' }, path: 'warmup', message: /^warmup must end before the run does/ }],
  },
  {
    name: 'an unknown enum value',
    text: edit(BASE, ['instances: 2', 'instances: 2\n    balancer: round-robbin']),
    errors: [
      { at: { needle: 'round-robbin' }, path: 'services.api.balancer', message: /^unknown value \(found "round-robbin", expected one of: round-robin, random, least-outstanding\)$/ },
    ],
  },
  {
    name: 'a null service entry',
    text: edit(BASE, ['  db:\n    endpoints:\n      query:\n        work: 2ms\n', '  db:\n']) + '  cache: ~\n',
    errors: [
      { at: { needle: '  db:\n', sub: 'db' }, path: 'services.db', message: /^empty value \(found null, expected a mapping\)$/ },
      { at: { needle: '~' }, path: 'services.cache', message: /^empty value \(found null, expected a mapping\)$/ },
    ],
  },
  {
    name: 'an alias with no anchor',
    text: edit(BASE, ['work: 2ms', 'work: *fast']),
    errors: [{ at: { needle: '*fast' }, path: 'services.db.endpoints.query.work', message: /^unknown YAML alias \(found \*fast, expected an anchor &fast defined before it\)$/ }],
  },
  {
    name: 'two YAML documents in one file',
    text: `${BASE}---\nname: second\n`,
    errors: [{ at: { needle: '---' }, path: '(root)', message: /^YAML syntax error: a second document \(found ---, expected one scenario per file\)$/ }],
  },
  {
    name: 'several errors of a kind in one file, each on its own line',
    text: edit(BASE, ['timeout: 500ms', 'timeout: 800'], ['rate: 10/s', 'rate: -10/s'], ['work: 2ms', 'work: 2']),
    errors: [
      { at: { needle: '-10/s' }, path: 'traffic.shoppers.rate', message: /^negative rate/ },
      { at: { needle: 'timeout: 800', sub: '800' }, path: 'services.api.endpoints.get.steps[0].timeout', message: /^missing unit \(found 800,/ },
      { at: { needle: 'work: 2\n', sub: '2' }, path: 'services.db.endpoints.query.work', message: /^missing unit \(found 2,/ },
    ],
  },
  {
    name: 'several schema errors in one file, each on its own line',
    text: edit(BASE, ['instances: 2', 'instances: two\n    concurrancy: 4'], ['name: broken', 'name: broken\nseed: 1.5']),
    errors: [
      { at: { needle: '1.5' }, path: 'seed', message: /^not a whole number \(found 1\.5, expected an integer\)$/ },
      { at: { needle: 'two' }, path: 'services.api.instances', message: /^wrong type \(found "two", expected a number\)$/ },
      { at: { needle: 'concurrancy' }, path: 'services.api.concurrancy', message: /^unknown field "concurrancy"/ },
    ],
  },
];

const tmp = useTempDir('bad-input');

/** Writes the case's fixture in its own folder; returns the folder and the file name to pass. */
function setUp(c: Case, index: number): { cwd: string; file: string } {
  const cwd = join(tmp.root(), `case-${index}`);
  mkdirSync(cwd);
  const file = c.dir ? 'adir.yaml' : c.text === undefined ? 'missing.yaml' : 'scenario.yaml';
  if (c.dir) mkdirSync(join(cwd, file));
  else if (c.text !== undefined) writeFileSync(join(cwd, file), c.text);
  return { cwd, file };
}

function expectedLine(c: Case, e: Expected, file: string): RegExp {
  let where = escapeRegExp(file);
  if (e.at !== null) {
    const p = 'needle' in e.at ? positionOf(c.text!, e.at.needle, e.at.sub) : e.at;
    where += `:${p.line}:${p.col}`;
  }
  // The message regexes are anchored; splice them after `file:line:col path: `.
  return new RegExp(`^${where} ${escapeRegExp(e.path)}: ${e.message.source.replace(/^\^/, '')}`);
}

describe('bad input: exit 2, one located line per error, no stack trace, nothing written', () => {
  it('has at least 20 kinds of broken scenario', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  cases.forEach((c, i) => {
    it(c.name, async () => {
      const { cwd, file } = setUp(c, i);
      const [validate, run] = await Promise.all([runCli(['validate', file], cwd), runCli(['run', file, '--no-report', '--out', 'out'], cwd)]);
      for (const [cmd, r] of [
        ['validate', validate],
        ['run', run],
      ] as const) {
        const errLines = lines(r.stderr);
        expect(r.code, `${cmd} exit code; stderr:\n${r.stderr}`).toBe(2);
        expect(r.stdout, `${cmd} stdout`).toBe('');
        expect(errLines, `${cmd} stderr`).toHaveLength(c.errors.length);
        expect(errLines.filter((l) => /^\s+at /.test(l) || /\bError:/.test(l)), `${cmd}: no stack trace`).toEqual([]);
        // Each expected error appears on exactly one line (in whatever order they were found).
        const unmatched = [...errLines];
        for (const e of c.errors) {
          const re = expectedLine(c, e, file);
          const k = unmatched.findIndex((l) => re.test(l));
          expect(k, `${cmd}: no line matches ${re}\nstderr:\n${r.stderr}`).toBeGreaterThanOrEqual(0);
          unmatched.splice(k, 1);
        }
      }
      // Nothing written: neither the --out folder nor the default one, and no stray files.
      expect(existsSync(join(cwd, 'out'))).toBe(false);
      expect(existsSync(join(cwd, 'faultline-out'))).toBe(false);
      const left = readdirSync(cwd).sort();
      expect(left).toEqual(c.text === undefined && !c.dir ? [] : [file]);
    });
  });
});
