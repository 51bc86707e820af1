import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../sim/scenario/limits.js';
import { escapeRegExp, lines, positionOf, replaceOnce, runCli, SMALL, useTempDir } from '../cli/helpers.js';
import { expectOneLine, listAll, STACK_OR_INTERNAL } from './helpers.js';

/**
 * Issue #8, deliverable 2: every limit of sim/scenario/limits.ts, through the real CLI. A
 * scenario over a limit is refused before the run starts: `faultline run` exits 2 at once with
 * one located line and no stack trace, and writes nothing (not even the default report).
 */

const tmp = useTempDir('limits');

/** A fresh folder holding `text` as scenario.yaml. */
const workdir = (text: string): string => tmp.workdir({ 'scenario.yaml': text });

/** SMALL with `from` (which must occur exactly once) replaced by `to`. */
const edit = (from: string, to: string): string => replaceOnce(SMALL, from, to);

const range = (k: number) => Array.from({ length: k }, (_, i) => i);

interface LimitCase {
  limit: keyof typeof LIMITS;
  name: string;
  text: string;
  /** Where the error points: a needle in the text (and the part of it pointed at), or null for the file itself. */
  at: { needle: string; sub?: string } | { line: number; col: number } | null;
  path: string;
  message: RegExp;
  /** Extra flags after `run scenario.yaml`. */
  flags?: string[];
}

/** 20 000 services would take a while to write by hand: the generators below build each case. */
const services = (k: number) => range(k).map((i) => `  s${i}:\n    endpoints:\n      e: {work: 1ms}\n`).join('');

/** A flow nest far deeper than the YAML parser's stack. */
const DEEP_NEST = edit('name: small', `name: small\nx-nest: ${'['.repeat(100_000)}${']'.repeat(100_000)}`);

const cases: LimitCase[] = [
  {
    limit: 'maxFileBytes',
    name: 'a file over 1 MiB',
    text: `${SMALL}# ${'x'.repeat(LIMITS.maxFileBytes)}\n`,
    at: null,
    path: '(file)',
    message: new RegExp(`^file too large \\(found ${SMALL.length + LIMITS.maxFileBytes + 3} bytes, expected at most ${LIMITS.maxFileBytes}\\)$`),
  },
  {
    limit: 'maxAliasCount',
    name: 'a billion-laughs alias bomb (9 levels of 9 aliases: 387 420 489 strings if expanded)',
    text: `${['lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]', ...range(8).map((i) => `lol${i + 1}: &l${i + 1} [${Array(9).fill(`*l${i}`).join(', ')}]`)].join('\n')}\n${SMALL.replace('name: small', 'name: small\ntitle: *l8')}`,
    at: { line: 1, col: 1 },
    path: '(root)',
    message: /^too many YAML alias expansions \(found more than 100, expected a document without alias bombs\)$/,
  },
  {
    limit: 'maxNestingDepth',
    name: 'YAML nested 40 levels deep',
    text: edit('name: small', `name: small\nx-nest: ${'['.repeat(40)}${']'.repeat(40)}`),
    at: { line: 1, col: 1 },
    path: '(root)',
    message: /^nesting too deep \(found depth 3\d, expected at most 32\)$/,
  },
  {
    limit: 'maxNestingDepth',
    name: 'YAML nested 100 000 levels deep (deeper than the parser’s stack)',
    text: DEEP_NEST,
    // Not where the parser ran out of stack (that moves with the stack's depth: run and validate
    // reported columns 795 and 794): the bracket that opens level 33.
    at: { line: positionOf(DEEP_NEST, 'x-nest: ').line, col: positionOf(DEEP_NEST, 'x-nest: ').col + 'x-nest: '.length + LIMITS.maxNestingDepth },
    path: '(root)',
    message: /^nesting too deep \(found more than 32 levels, expected at most 32\)$/,
  },
  {
    limit: 'maxStepDepth',
    name: 'parallel steps nested 9 deep',
    text: edit('          - call: db.query\n            timeout: 500ms\n', `          - ${'parallel: [{'.repeat(9)}call: db.query${'}]'.repeat(9)}\n`),
    at: { needle: '[{call: db.query}', sub: '[' },
    path: 'services.api.endpoints.get.steps[0].parallel[0].parallel[0].parallel[0].parallel[0].parallel[0].parallel[0].parallel[0].parallel[0].parallel',
    message: /^parallel steps nested too deep \(found depth 9, expected at most 8\)$/,
  },
  {
    limit: 'maxServices',
    name: '201 services',
    text: `${SMALL}${services(LIMITS.maxServices - 1)}`,
    at: { needle: '  api:\n', sub: 'api' },
    path: 'services',
    message: /^too many services \(found 201, expected at most 200\)$/,
  },
  {
    limit: 'maxInstancesPerService',
    name: '1001 instances',
    text: edit('instances: 2', 'instances: 1001'),
    at: { needle: '1001' },
    path: 'services.api.instances',
    message: /^too many instances \(found 1001, expected at most 1000\)$/,
  },
  {
    limit: 'maxConcurrency',
    name: '100 001 workers per instance',
    text: edit('instances: 2', 'instances: 2\n    concurrency: 100001'),
    at: { needle: '100001' },
    path: 'services.api.concurrency',
    message: /^too many workers \(found 100001, expected at most 100000\)$/,
  },
  {
    limit: 'maxEndpointsPerService',
    name: '101 endpoints in a service',
    text: edit('      query:\n        work: 2ms\n', `      query:\n        work: 2ms\n${range(100).map((i) => `      e${i}: {work: 1ms}\n`).join('')}`),
    at: { needle: '      query:', sub: 'query' },
    path: 'services.db.endpoints',
    message: /^too many endpoints \(found 101, expected at most 100\)$/,
  },
  {
    limit: 'maxStepsPerEndpoint',
    name: 'a call repeated 1001 times',
    text: edit('timeout: 500ms', 'timeout: 500ms\n            times: 1001'),
    at: { needle: '- call: db.query', sub: '-' },
    path: 'services.api.endpoints.get.steps',
    message: /^too many steps \(counting times and parallel branches\) \(found 1001, expected at most 1000\)$/,
  },
  {
    limit: 'maxStepsPerEndpoint',
    name: '1002 steps counting times and parallel branches (600 + a parallel of 400 + 1)',
    text: edit('timeout: 500ms', 'timeout: 500ms\n            times: 600\n          - parallel:\n              - {call: db.query, times: 400}\n              - {call: db.query}'),
    at: { needle: '- call: db.query', sub: '-' },
    path: 'services.api.endpoints.get.steps',
    message: /^too many steps \(counting times and parallel branches\) \(found 1002, expected at most 1000\)$/,
  },
  {
    limit: 'maxTrafficSources',
    name: '101 traffic sources',
    text: edit('    timeout: 2s\n', `    timeout: 2s\n${range(100).map((i) => `  t${i}: {target: api.get, rate: 1/s}\n`).join('')}`),
    at: { needle: '  shoppers:', sub: 'shoppers' },
    path: 'traffic',
    message: /^too many traffic sources \(found 101, expected at most 100\)$/,
  },
  {
    limit: 'maxQueues',
    name: '101 queues',
    text: `${SMALL}queues:\n${range(101).map((i) => `  q${i}: {consumer: db.query}\n`).join('')}`,
    at: { needle: '  q0:', sub: 'q0' },
    path: 'queues',
    message: /^too many queues \(found 101, expected at most 100\)$/,
  },
  {
    limit: 'maxFaults',
    name: '1001 faults',
    text: `${SMALL}faults:\n${range(1001).map((i) => `  - {target: db, kind: outage, at: ${i}ms, for: 1ms}\n`).join('')}`,
    at: { needle: '- {target: db, kind: outage, at: 0ms', sub: '-' },
    path: 'faults',
    message: /^too many faults \(found 1001, expected at most 1000\)$/,
  },
  {
    limit: 'maxVariants',
    name: '51 variants',
    text: `${SMALL}variants:\n${range(51).map((i) => `  v${i}: {set: {seed: ${i}}}\n`).join('')}`,
    at: { needle: '  v0:', sub: 'v0' },
    path: 'variants',
    message: /^too many variants \(found 51, expected at most 50\)$/,
  },
  {
    limit: 'maxReplications',
    name: 'replications: 10001',
    text: edit('seed: 7', 'seed: 7\nreplications: 10001'),
    at: { needle: '10001' },
    path: 'replications',
    message: /^too many replications \(found 10001, expected at most 10000\)$/,
  },
  {
    limit: 'maxResultsBytes',
    name: '10000 replications of a small scenario (~0.25 MB of results each)',
    text: SMALL,
    flags: ['--replications', '10000'],
    at: null,
    path: 'replications',
    message: /^10000 runs would hold about \d+ MiB of results in memory, above the limit of 1536 MiB \(run fewer replications or variants, or split it with --shard k\/n\)$/,
  },
  {
    limit: 'maxRetryAttempts',
    name: 'a retry of 101 attempts',
    text: edit('timeout: 500ms', 'timeout: 500ms\n            retry: {maxAttempts: 101}'),
    at: { needle: '101' },
    path: 'services.api.endpoints.get.steps[0].retry.maxAttempts',
    message: /^too many attempts \(found 101, expected at most 100\)$/,
  },
  {
    limit: 'maxHedges',
    name: 'a hedge policy of 11 hedges',
    text: edit('timeout: 500ms', 'timeout: 500ms\n            hedge: {after: 100ms, max: 11}'),
    at: { needle: '11}', sub: '11' },
    path: 'services.api.endpoints.get.steps[0].hedge.max',
    message: /^too many hedges \(found 11, expected at most 10\)$/,
  },
  {
    limit: 'maxScheduleEntries',
    name: 'a rate schedule of 10 001 entries',
    text: edit('rate: 10/s\n', `rate: 10/s\n    schedule:\n${range(10_001).map((i) => `      - {at: ${i + 1}ms, rate: 1/s}\n`).join('')}`),
    at: { needle: '- {at: 1ms,', sub: '-' },
    path: 'traffic.shoppers.schedule',
    message: /^too many schedule entries \(found 10001, expected at most 10000\)$/,
  },
  {
    limit: 'maxMixParts',
    name: 'a mix of 101 parts',
    text: edit('work: 2ms', `work: {mix: [${range(101).map(() => '{weight: 1, constant: 1ms}').join(', ')}]}`),
    at: { needle: '[{weight', sub: '[' },
    path: 'services.db.endpoints.query.work.mix',
    message: /^too many parts \(found 101, expected at most 100\)$/,
  },
  {
    limit: 'maxPercentilePoints',
    name: 'percentiles with 101 points',
    text: edit('work: 2ms', `work: {percentiles: {${range(99).map((i) => `p${i + 1}: 1ms`).join(', ')}, p99.9: 1ms, max: 2ms}}`),
    at: { needle: '{p1: ', sub: '{' },
    path: 'services.db.endpoints.query.work.percentiles',
    message: /^too many percentiles \(found 101, expected at most 100\)$/,
  },
  {
    limit: 'maxClosedUsers',
    name: 'a closed loop of 1 000 001 users',
    text: edit('    rate: 10/s\n', '    arrivals: closed\n    users: 1000001\n'),
    at: { needle: '1000001' },
    path: 'traffic.shoppers.users',
    message: /^too many users \(found 1000001, expected at most 1000000\)$/,
  },
  {
    limit: 'maxDurationMs',
    name: 'a simulated duration over 7 days',
    text: edit('duration: 10s', 'duration: 169h'),
    at: { needle: '169h' },
    path: 'duration',
    message: /^too long \(found "169h", expected at most 7 days of simulated time\)$/,
  },
  {
    limit: 'maxAnyDurationMs',
    name: 'a timeout over 365 days',
    text: edit('timeout: 500ms', 'timeout: 9000h'),
    at: { needle: '9000h' },
    path: 'services.api.endpoints.get.steps[0].timeout',
    message: /^duration out of range \(found "9000h", expected at most 365 days\)$/,
  },
  {
    limit: 'maxFactor',
    name: 'a latency fault factor of 1e300 (work times would overflow to Infinity)',
    text: `${SMALL}faults:\n  - {target: db, kind: latency, at: 1s, for: 1s, factor: 1e300}\n`,
    at: { needle: '1e300' },
    path: 'faults[0].factor',
    message: /^too large \(found 1e\+300, expected at most 1000\)$/,
  },
  {
    limit: 'maxFactor',
    name: 'a backoff multiplier of 1001',
    text: edit('timeout: 500ms', 'timeout: 500ms\n            retry: {maxAttempts: 3, backoff: exponential, base: 10ms, multiplier: 1001}'),
    at: { needle: '1001' },
    path: 'services.api.endpoints.get.steps[0].retry.multiplier',
    message: /^too large \(found 1001, expected at most 1000\)$/,
  },
  {
    limit: 'maxNameLength',
    name: 'a service name of 101 characters',
    text: edit('  db:\n', `  ${'d'.repeat(101)}:\n`).replace('call: db.query', `call: ${'d'.repeat(101)}.query`),
    // At the service's mapping, as for any bad name of a service.
    at: { needle: `  ${'d'.repeat(101)}:\n    endpoints`, sub: 'endpoints' },
    path: `services.${'d'.repeat(101)}`,
    message: /^name too long \(found 101 characters, expected at most 100\)$/,
  },
  {
    limit: 'defaultMaxEvents',
    name: 'a run that needs more events than the default budget (1 000 000/s for 7 days)',
    text: edit('rate: 10/s', 'rate: 1000000/s').replace('duration: 10s', 'duration: 168h'),
    at: null,
    path: 'duration',
    message: /^this run needs about 6\.\de\+1\d events \(rates × duration × hops\), above the budget of 2\.0e\+9 \(shorten the duration, lower the rates, or raise it with --max-events\)$/,
  },
];

describe('limits: each is checked before the run starts (exit 2, one located line, nothing written)', () => {
  it('every limit of sim/scenario/limits.ts has a case here', () => {
    const tested = new Set<string>(cases.map((c) => c.limit));
    expect(Object.keys(LIMITS).filter((k) => !tested.has(k))).toEqual([]);
  });

  for (const c of cases) {
    it(`${c.limit}: ${c.name}`, async () => {
      const cwd = workdir(c.text);
      const t0 = Date.now();
      // `run` with every output on: a run that started would write the report and the JSON.
      const r = await runCli(['run', 'scenario.yaml', '--json', 'out.json', ...(c.flags ?? [])], cwd);
      const ms = Date.now() - t0;
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      let where = 'scenario\\.yaml';
      if (c.at !== null) {
        const p = 'needle' in c.at ? positionOf(c.text, c.at.needle, c.at.sub) : c.at;
        where += `:${p.line}:${p.col}`;
      }
      expectOneLine(r.stderr, new RegExp(`^${where} ${escapeRegExp(c.path)}: ${c.message.source.replace(/^\^/, '')}`));
      // Refused before anything ran: nothing written, and at once (a started run of these would take minutes to years).
      expect(listAll(cwd)).toEqual(['scenario.yaml']);
      expect(ms, 'refused promptly').toBeLessThan(15_000);
      // `validate` says the same of the file (the event budget and the results' memory are the
      // run's, not the file's).
      if (c.limit !== 'defaultMaxEvents' && c.limit !== 'maxResultsBytes') {
        const v = await runCli(['validate', 'scenario.yaml'], cwd);
        expect(v.code).toBe(2);
        expect(v.stderr).toBe(r.stderr);
      }
    });
  }
});

describe('the file size limit holds for files without a size', () => {
  it('a device that never ends (/dev/zero) is read only up to the limit: exit 2 at once, one line', async () => {
    const cwd = workdir(SMALL);
    const t0 = Date.now();
    const r = await runCli(['run', '/dev/zero'], cwd);
    expect(r.code, r.stderr).toBe(2);
    expectOneLine(r.stderr, new RegExp(`^/dev/zero \\(file\\): file too large \\(found more than ${LIMITS.maxFileBytes} bytes, expected at most ${LIMITS.maxFileBytes}\\)$`));
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(listAll(cwd)).toEqual(['scenario.yaml']);
  });
});

/** A chain of five services, each retrying up to 100 times: 4 × 100⁵ events per operation in the worst case. */
const RETRY_CHAIN = `name: retry-chain
duration: 1s
traffic:
  users: {target: s0.e, rate: 2/s}
services:
${range(6)
  .map((i) => `  s${i}:\n    endpoints:\n      e:\n        work: 1ms\n${i < 5 ? `        steps: [{call: s${i + 1}.e, retry: {maxAttempts: 100, backoff: none}}]\n` : ''}`)
  .join('')}`;

describe('the event budget and --max-events', () => {
  it('the default budget refuses a run whose worst case is too big, saying by how much; --max-events raises it and the same run proceeds', async () => {
    const cwd = workdir(RETRY_CHAIN);
    const refused = await runCli(['run', 'scenario.yaml', '--no-report', '--json', 'out.json'], cwd);
    expect(refused.code, refused.stderr).toBe(2);
    expectOneLine(refused.stderr, /^scenario\.yaml duration: this run needs about \d\.\de\+10 events \(rates × duration × hops\), above the budget of 2\.0e\+9 \(shorten the duration, lower the rates, or raise it with --max-events\)$/);
    expect(listAll(cwd)).toEqual(['scenario.yaml']);

    // Nothing fails in it, so the real run takes a few events per operation: raised, it runs at once.
    const raised = await runCli(['run', 'scenario.yaml', '--no-report', '--json', 'out.json', '--max-events', '100000000000'], cwd);
    expect(raised.code, raised.stderr).toBe(0);
    expect(raised.stderr).toBe('');
    const json = JSON.parse(readFileSync(join(cwd, 'out.json'), 'utf8'));
    expect(json.variants[0].summary.requests).toBeGreaterThan(0);
    expect(json.variants[0].stop.truncatedRuns).toBe(0);
  });

  it('--max-events lowers the budget too: a run over it is refused before starting, with both numbers', async () => {
    const cwd = workdir(SMALL);
    const r = await runCli(['run', 'scenario.yaml', '--max-events', '500'], cwd);
    expect(r.code, r.stderr).toBe(2);
    expectOneLine(r.stderr, /^scenario\.yaml duration: this run needs about \d\.\de\+3 events \(rates × duration × hops\), above the budget of 5\.0e\+2 \(/);
    expect(listAll(cwd)).toEqual(['scenario.yaml']);
  });

  it('a run that reaches a too-small --max-events mid-run exits 1 and says so', async () => {
    // A consumer that always fails, with no limit on deliveries: the estimate counts one
    // delivery per message, but each is redelivered until the drain ends, so only the budget stops it.
    const text = `name: redeliver
duration: 10s
traffic:
  users: {target: api.get, rate: 10/s}
services:
  api:
    endpoints:
      get:
        work: 1ms
        steps: [{publish: jobs}]
  worker:
    endpoints:
      run: {work: 1ms, errorRate: 100%}
queues:
  jobs: {consumer: worker.run}
`;
    const cwd = workdir(text);
    const r = await runCli(['run', 'scenario.yaml', '--no-report', '--quiet', '--json', 'out.json', '--max-events', '20000'], cwd);
    expect(r.code, r.stderr).toBe(1);
    const ls = lines(r.stderr);
    expect(ls).toEqual(['faultline: 1 run(s) reached the event budget before the drain ended; raise --max-events or shorten the scenario']);
    expect(ls[0]).not.toMatch(STACK_OR_INTERNAL);
    // What it measured until then is still written, and marked as cut short.
    const json = JSON.parse(readFileSync(join(cwd, 'out.json'), 'utf8'));
    expect(json.variants[0].stop).toEqual({ events: 20000, truncatedRuns: 1 });
  });

  it('a closed loop that takes no simulated time cannot run away: refused before the run, located', async () => {
    // Its users neither think nor wait: no number of events would end it (the estimate, users ×
    // duration / (think + 1 ms), cannot see that), so the loader refuses it like a call cycle.
    const text = `name: spin
duration: 1s
traffic:
  users: {target: api.get, arrivals: closed, users: 1}
services:
  api:
    endpoints:
      get: {work: 0ms}
`;
    const cwd = workdir(text);
    const r = await runCli(['run', 'scenario.yaml', '--json', 'out.json'], cwd);
    expect(r.code, r.stderr).toBe(2);
    expectOneLine(r.stderr, /^scenario\.yaml:4:10 traffic\.users\.think: a closed loop that takes no simulated time: .* \(expected a think time, or a work time or latency above 0\)$/);
    expect(listAll(cwd)).toEqual(['scenario.yaml']);
    // Any time on the path is enough for it to run.
    const ok = workdir(text.replace('work: 0ms', 'work: 1us'));
    expect((await runCli(['run', 'scenario.yaml', '--no-report', '--quiet', '--max-events', '100000000'], ok)).code).toBe(0);
  });

  it('--max-events takes a positive whole number (exit 2 and the usage line otherwise)', async () => {
    const cwd = workdir(SMALL);
    for (const bad of ['0', '-5', '1e6', 'lots']) {
      const r = await runCli(['run', 'scenario.yaml', '--max-events', bad], cwd);
      expect(r.code, r.stderr).toBe(2);
      const ls = lines(r.stderr);
      expect(ls).toHaveLength(2);
      expect(ls[0]).toMatch(/^faultline: --max-events: (not a whole number|out of range)/);
      expect(ls[1]).toMatch(/^Usage: faultline run /);
    }
    expect(listAll(cwd)).toEqual(['scenario.yaml']);
  });
});

describe('limits on flags', () => {
  const flagCases: Array<[string, string[], RegExp]> = [
    ['--replications over the limit', ['--replications', '10001'], /^faultline: --replications: out of range \(found 10001, expected 1 to 10000\)$/],
    ['--duration over 7 days', ['--duration', '169h'], /^faultline: --duration: too long \(found "169h", expected at most 7 days of simulated time\)$/],
    ['--duration out of range', ['--duration', '1e400ms'], /^faultline: --duration: duration out of range/],
  ];
  for (const [name, flags, re] of flagCases) {
    it(`${name}: exit 2, the error and the usage line, nothing written`, async () => {
      const cwd = workdir(SMALL);
      const r = await runCli(['run', 'scenario.yaml', ...flags], cwd);
      expect(r.code, r.stderr).toBe(2);
      const ls = lines(r.stderr);
      expect(ls, r.stderr).toHaveLength(2);
      expect(ls[0]).toMatch(re);
      expect(ls[1]).toMatch(/^Usage: faultline run /);
      expect(listAll(cwd)).toEqual(['scenario.yaml']);
    });
  }
});
