import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { checkBudget } from '../../sim/cli/commands/run.js';
import { estimateEvents } from '../../sim/run/budget.js';
import { planRuns, scenarioFor } from '../../sim/run/plan.js';
import { runOne } from '../../sim/run/runOne.js';
import { loadScenarioText } from '../../sim/scenario/load.js';
import type { Scenario, ScenarioSet } from '../../sim/scenario/types.js';
import { assertBuilt, lines, makeTempDir, removeDir, runCli } from '../cli/helpers.js';
import { badError, locatedLine, seedScenarios, STACK_OR_INTERNAL } from './helpers.js';

/**
 * Issue #8, deliverable 1: hostile input never crashes or hangs faultline.
 *
 * fast-check mutates the bundled scenarios and test/fixtures/*.yaml — at the data level (a
 * value replaced by a wrong type, removed, made huge, negative, NaN, Infinity, unicode, a
 * 100 kB string or a deep nest; unknown keys added) and at the text level (duplicated keys,
 * anchors and aliases up to alias bombs, truncation, random bytes, `.nan`/`.inf`, tabs, a
 * second document). Every case goes through the in-process loader and, when it loads, through
 * the CLI's event-budget check and a bounded run. The case passes if it runs, or ends in
 * located ScenarioErrors; any other exception fails the test with the shrunk counterexample.
 * A watchdog thread turns a hang into a failure that prints the case.
 */

const FILE = 'fuzz.yaml';
const CASES = 10_000;
const SEED = 20_260_808;
/** A run may take this many events: small, so ten thousand cases fit in a CI minute or two. */
const MAX_EVENTS = 20_000;
/** Runs are compressed in time to at most this long (rates unchanged), so most can run. */
const RUN_MS = 2_000;

// ---------------------------------------------------------------- values and mutations

/** A value to put somewhere: a constant, or a recipe for one too big to print in a counterexample. */
type ValueSpec = { v: unknown } | { long: number } | { deep: number; as: 'list' | 'map' } | { num: number; keepUnit: true } | { plausible: number };

/**
 * In-range values of each kind, put where a value of the same kind was: these mostly load,
 * so the fuzz also drives the engine through odd but valid corners (zero work, zero rates,
 * 100% errors, one worker, a one-microsecond timeout).
 */
const PLAUSIBLE = {
  number: [0, 1, 2, 3, 5, 64, 1000],
  duration: ['0ms', '1us', '3ms', '250ms', '2s', '1m'],
  rate: ['0/s', '1/s', '50/s', '500/s', '2000/s'],
  percent: ['0%', '0.1%', '50%', '99%', '100%'],
};

const HOSTILE_NUMBERS = [0, -1, -0.5, 1.5, 1e308, -1e308, 1e-320, 2 ** 53 + 1, NaN, Infinity, -Infinity];
const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  false,
  ...HOSTILE_NUMBERS,
  '',
  ' ',
  'x',
  '5',
  '-5s',
  '0ms',
  '1e400ms',
  '1e300ms',
  '1e-300us',
  'NaNms',
  '-1/s',
  '0/s',
  '1e300/s',
  '200%',
  '-1%',
  '🙂 ü 名 \u0301',
  '\u0000\u0007\u001b[31m',
  '\u202eevil',
  'a\nb',
  '\uD800',
  '</script><script>alert(1)</script><!--',
  '__proto__',
  'constructor',
  'toString',
  'a.b',
  'a->b',
  'svc#99',
  [],
  [1],
  [null],
  {},
  { a: 1 },
  { constant: '1ms', weight: 1 },
];

const valueSpec: fc.Arbitrary<ValueSpec> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_VALUES).map((v) => ({ v })) },
  { weight: 6, arbitrary: fc.nat(50).map((plausible) => ({ plausible })) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS, 1e3, 1e6, 1e12).map((num) => ({ num, keepUnit: true as const })) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }).map((v) => ({ v })) },
  { weight: 1, arbitrary: fc.double().map((v) => ({ v })) },
  { weight: 1, arbitrary: fc.integer().map((v) => ({ v })) },
  { weight: 1, arbitrary: fc.constantFrom(1_000, 100_000).map((long) => ({ long })) },
  { weight: 1, arbitrary: fc.record({ deep: fc.constantFrom(10, 40, 200), as: fc.constantFrom('list' as const, 'map' as const) }) },
);

type DataMutation =
  | { op: 'replace'; at: number; value: ValueSpec }
  | { op: 'delete'; at: number }
  | { op: 'addKey'; at: number; key: string; value: ValueSpec }
  | { op: 'renameKey'; at: number; key: string };

const keyArb = fc.oneof(fc.constantFrom('bogus', 'concurrancy', 'ñame', '🙂', '__proto__', 'constructor', 'a.b', '', ' ', '<<', 'x'.repeat(300)), fc.string({ maxLength: 8 }));

const dataMutation: fc.Arbitrary<DataMutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: valueSpec }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('addKey' as const), at: fc.nat(), key: keyArb, value: valueSpec }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('renameKey' as const), at: fc.nat(), key: keyArb }) },
);

type TextMutation =
  | { op: 'duplicateLine'; line: number }
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; chars: string }
  | { op: 'scalar'; line: number; to: string }
  | { op: 'tab'; line: number }
  | { op: 'anchorAlias'; from: number; to: number }
  | { op: 'aliasBomb'; width: number; depth: number; use: boolean }
  | { op: 'selfAlias'; line: number }
  | { op: 'unknownAlias'; line: number }
  | { op: 'secondDocument'; line: number }
  | { op: 'variant'; path: string; value: string; extends: string | null };

/** `set` paths a hostile variant may write: prototype pollution, bad indices, odd keys. */
const SET_PATHS = [
  '__proto__.polluted',
  'services.__proto__.polluted',
  'constructor.prototype.polluted',
  'traffic.constructor',
  'services',
  'services[0]',
  'faults[99999999999]',
  'faults[0]',
  'faults[-1]',
  'services..x',
  '[0]',
  '',
  '.',
  'duration',
  'name',
  'variants.x',
  'services.🙂',
  `services.${'a'.repeat(300)}`,
];
const SET_VALUES = ['null', '1', '.nan', '-.inf', '"1e300ms"', '"5s"', '[]', '{}', '{a: 1}', '"</script>"', '*nowhere'];

const HOSTILE_CHARS = [...'{}[]:,#&*!|>\'"%@`-?~=\\ \t\r\n', '\u0000', '\uFEFF', '\uD800', '\u2028', '\u00A0', 'é', '名', '🙂'];
const SCALARS = ['.nan', '.NaN', '.inf', '-.inf', '~', 'null', '0x1F', '0o17', '1_000', '1e999', '-0', '!!binary aGVsbG8=', '!!str 5', '!!int x', '!foo bar', '!!set {a, b}', '!!map []', '|-\n  text', '"\\u0000"', "''", '[', '{a: 1', '"unterminated', '2001-12-14', 'yes', 'off'];

const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ op: fc.constant('duplicateLine' as const), line: fc.nat() }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), chars: fc.array(fc.constantFrom(...HOSTILE_CHARS), { minLength: 1, maxLength: 4 }).map((a) => a.join('')) }),
  fc.record({ op: fc.constant('scalar' as const), line: fc.nat(), to: fc.constantFrom(...SCALARS) }),
  fc.record({ op: fc.constant('tab' as const), line: fc.nat() }),
  fc.record({ op: fc.constant('anchorAlias' as const), from: fc.nat(), to: fc.nat() }),
  fc.record({ op: fc.constant('aliasBomb' as const), width: fc.integer({ min: 2, max: 12 }), depth: fc.integer({ min: 1, max: 12 }), use: fc.boolean() }),
  fc.record({ op: fc.constant('selfAlias' as const), line: fc.nat() }),
  fc.record({ op: fc.constant('unknownAlias' as const), line: fc.nat() }),
  fc.record({ op: fc.constant('secondDocument' as const), line: fc.nat() }),
  fc.record({
    op: fc.constant('variant' as const),
    path: fc.constantFrom(...SET_PATHS),
    value: fc.constantFrom(...SET_VALUES),
    extends: fc.option(fc.constantFrom('toString', '__proto__', 'constructor', 'fz', 'baseline', 'nope'), { nil: null }),
  }),
);

interface Case {
  seed: number;
  data: readonly DataMutation[];
  text: readonly TextMutation[];
  /** Which of the plan's runs to run, if it loads. */
  task: number;
}

/** Values replaced by in-range ones only: valid but odd scenarios, to exercise the engine. */
const tweak: fc.Arbitrary<DataMutation> = fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: fc.nat(50).map((plausible) => ({ plausible })) });

const caseArb: fc.Arbitrary<Case> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ seed: fc.nat(), data: fc.array(tweak, { minLength: 1, maxLength: 4 }), text: fc.constant([]), task: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ seed: fc.nat(), data: fc.array(dataMutation, { minLength: 1, maxLength: 3 }), text: fc.constant([]), task: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ seed: fc.nat(), data: fc.constant([]), text: fc.array(textMutation, { minLength: 1, maxLength: 2 }), task: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ seed: fc.nat(), data: fc.array(dataMutation, { minLength: 1, maxLength: 2 }), text: fc.array(textMutation, { minLength: 1, maxLength: 1 }), task: fc.nat() }) },
);

function makeValue(spec: ValueSpec, old: unknown): unknown {
  if ('v' in spec) return spec.v;
  if ('long' in spec) return 'é'.repeat(spec.long / 2);
  if ('plausible' in spec) {
    const pick = <T,>(xs: T[]) => xs[spec.plausible % xs.length];
    if (typeof old === 'number') return pick(PLAUSIBLE.number);
    if (typeof old === 'string' && /\/\s*(s|sec|m|min|h)\s*$/.test(old)) return pick(PLAUSIBLE.rate);
    if (typeof old === 'string' && /%\s*$/.test(old)) return pick(PLAUSIBLE.percent);
    if (typeof old === 'string' && /^\s*[\d.]+\s*(us|µs|ms|s|m|min|h)\s*$/.test(old)) return pick(PLAUSIBLE.duration);
    if (typeof old === 'boolean') return spec.plausible % 2 === 0;
    return old;
  }
  if ('num' in spec) {
    // The same kind of value, out of range: `5ms` → `1e308ms`, `200/s` → `NaN/s`, 3 → -1.
    if (typeof old === 'string') {
      const m = /^\s*[+-]?[\d.]+(?:[eE][+-]?\d+)?\s*(.*)$/.exec(old);
      if (m) return `${spec.num}${m[1]}`;
    }
    return spec.num;
  }
  let v: unknown = 1;
  for (let i = 0; i < spec.deep; i++) v = spec.as === 'list' ? [v] : { a: v };
  return v;
}

type Seg = string | number;

/** Every path to a value in the document (mappings and lists included), root first. */
function paths(v: unknown, prefix: Seg[] = []): Seg[][] {
  const out: Seg[][] = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

function parentOf(root: any, path: Seg[]): any {
  let node = root;
  for (const seg of path.slice(0, -1)) node = node[seg];
  return node;
}

function mutateData(data: unknown, muts: readonly DataMutation[]): unknown {
  let root: any = { doc: structuredClone(data) };
  for (const m of muts) {
    const all = paths(root.doc, ['doc']);
    const path = all[m.at % all.length];
    const parent = parentOf(root, path);
    const leaf = path[path.length - 1];
    switch (m.op) {
      case 'replace':
        parent[leaf] = makeValue(m.value, parent[leaf]);
        break;
      case 'delete':
        if (Array.isArray(parent)) parent.splice(leaf as number, 1);
        else delete parent[leaf];
        break;
      case 'addKey': {
        const target = parent[leaf];
        if (target !== null && typeof target === 'object' && !Array.isArray(target)) Object.defineProperty(target, m.key, { value: makeValue(m.value, undefined), enumerable: true, configurable: true, writable: true });
        else parent[leaf] = { [m.key]: makeValue(m.value, undefined) };
        break;
      }
      case 'renameKey':
        if (typeof leaf === 'string' && !Array.isArray(parent) && parent !== root) {
          const entries = Object.entries(parent).map(([k, v]) => [k === leaf ? m.key : k, v] as const);
          for (const k of Object.keys(parent)) delete parent[k];
          for (const [k, v] of entries) Object.defineProperty(parent, k, { value: v, enumerable: true, configurable: true, writable: true });
        }
        break;
    }
    if (root.doc === undefined) root = { doc: null };
  }
  return root.doc;
}

function mutateText(text: string, muts: readonly TextMutation[]): string {
  let t = text;
  for (const m of muts) {
    const ls = t.split('\n');
    const pick = (n: number) => n % Math.max(1, ls.length);
    switch (m.op) {
      case 'duplicateLine': {
        const i = pick(m.line);
        ls.splice(i, 0, ls[i]);
        t = ls.join('\n');
        break;
      }
      case 'truncate':
        t = t.slice(0, m.at % (t.length + 1));
        break;
      case 'insert': {
        const at = m.at % (t.length + 1);
        t = t.slice(0, at) + m.chars + t.slice(at);
        break;
      }
      case 'scalar': {
        // `key: value` → `key: <hostile scalar>`; a list item `- value` likewise.
        const i = pick(m.line);
        ls[i] = ls[i].replace(/^(\s*(?:-\s+)?[^:#\s][^:#]*:\s+|\s*-\s+)(?![{[|>&*!]).*$/, `$1${m.to}`);
        t = ls.join('\n');
        break;
      }
      case 'tab': {
        const i = pick(m.line);
        ls[i] = ls[i].replace(/^( +)/, (s) => '\t'.repeat(Math.max(1, s.length / 2)));
        t = ls.join('\n');
        break;
      }
      case 'anchorAlias': {
        // Put an anchor on one value and use it as another.
        const a = pick(m.from);
        const b = pick(m.to);
        const va = /^(\s*(?:-\s+)?[^:#\s][^:#]*:\s+)(\S.*)$/.exec(ls[a]);
        const vb = /^(\s*(?:-\s+)?[^:#\s][^:#]*:\s+)(\S.*)$/.exec(ls[b]);
        if (va && vb) {
          ls[a] = `${va[1]}&fz ${va[2]}`;
          ls[b] = `${vb[1]}*fz`;
        }
        t = ls.join('\n');
        break;
      }
      case 'aliasBomb': {
        // The "billion laughs": each level a list of `width` aliases of the level below.
        const bomb = [`x-lol0: &lol0 [${Array(m.width).fill('"lol"').join(', ')}]`];
        for (let d = 1; d <= m.depth; d++) bomb.push(`x-lol${d}: &lol${d} [${Array(m.width).fill(`*lol${d - 1}`).join(', ')}]`);
        t = `${bomb.join('\n')}\n${t}`;
        if (m.use) t = t.replace(/^(description|title):.*$/m, `$1: *lol${m.depth}`);
        break;
      }
      case 'selfAlias': {
        const i = pick(m.line);
        ls[i] = ls[i].replace(/^(\s*[^:#\s][^:#]*:)\s+\S.*$/, '$1 &self [*self]');
        t = ls.join('\n');
        break;
      }
      case 'unknownAlias': {
        const i = pick(m.line);
        ls[i] = ls[i].replace(/^(\s*[^:#\s][^:#]*:)\s+\S.*$/, '$1 *nowhere');
        t = ls.join('\n');
        break;
      }
      case 'secondDocument':
        ls.splice(pick(m.line), 0, '---');
        t = ls.join('\n');
        break;
      case 'variant': {
        // A variant whose `set` writes a hostile path (and perhaps extends something odd).
        const v = `  fz: {${m.extends === null ? '' : `extends: ${m.extends}, `}set: {${JSON.stringify(m.path)}: ${m.value}}}`;
        const at = ls.findIndex((l) => /^variants:\s*$/.test(l));
        if (at >= 0) ls.splice(at + 1, 0, v);
        else ls.push('variants:', v);
        t = ls.join('\n');
        break;
      }
    }
  }
  return t;
}

// ---------------------------------------------------------------- the bounded run

/** The scenario compressed in time to at most RUN_MS (faults and schedules scaled with it), one replication. */
function compress(s: Scenario): Scenario {
  const f = Math.min(1, RUN_MS / s.durationMs);
  return {
    ...s,
    replications: 1,
    durationMs: s.durationMs * f,
    warmupMs: s.warmupMs * f,
    drainMs: Math.min(s.drainMs, RUN_MS),
    traffic: s.traffic.map((t) => ({ ...t, schedule: t.schedule.map((e) => ({ ...e, atMs: e.atMs * f })) })),
    faults: s.faults.map((x) => ({ ...x, atMs: x.atMs * f, forMs: x.forMs * f })),
  };
}

type Outcome = 'rejected' | 'over budget' | 'ran';

/** Fails if loading a scenario wrote anything onto Object.prototype (a `set: {__proto__.x: 1}`). */
function polluted(): void {
  const own = Object.getOwnPropertyNames(Object.prototype).filter((k) => !PROTOTYPE_KEYS.has(k));
  if (own.length > 0) {
    for (const k of own) delete (Object.prototype as any)[k];
    throw new Error(`Object.prototype polluted with ${own.join(', ')}`);
  }
}
const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

/** One case, as the CLI would take it: load, check the budget, run. Throws only what the test should fail on. */
function evaluate(text: string, task: number): Outcome {
  let set: ScenarioSet;
  try {
    set = loadScenarioText(text, FILE);
  } catch (e) {
    polluted();
    const bad = badError(e, FILE, text);
    if (bad) throw new Error(bad, { cause: e });
    return 'rejected';
  }
  polluted();
  const small: ScenarioSet = { ...set, base: compress(set.base), variants: set.variants.map((v) => ({ ...v, scenario: compress(v.scenario) })) };
  const plan = planRuns(small, null);
  try {
    checkBudget(plan, MAX_EVENTS);
  } catch (e) {
    const bad = badError(e, FILE, text);
    if (bad) throw new Error(bad, { cause: e });
    return 'over budget';
  }
  const t = plan.tasks[task % plan.tasks.length];
  const scenario = scenarioFor(plan, t);
  if (!(estimateEvents(scenario) <= MAX_EVENTS)) throw new Error('checkBudget let through a run over the budget');
  const raw = runOne(scenario, t, MAX_EVENTS);
  polluted();
  // The run's record must be data a worker can post back and JSON can hold.
  structuredClone(raw);
  JSON.stringify(raw);
  return 'ran';
}

// ---------------------------------------------------------------- the hang watchdog

/**
 * A thread that watches a heartbeat the fuzz loop bumps before each case. If a case takes more
 * than HANG_MS, it prints that case's text and ends the process: a hang fails the run loudly,
 * with its input, instead of silently eating the CI timeout.
 */
const HANG_MS = 30_000;
const WATCHDOG = `
const { workerData } = require('node:worker_threads');
const beat = new Int32Array(workerData.sab, 0, 2);
const bytes = new Uint8Array(workerData.sab, 8);
let last = -1, since = Date.now();
setInterval(() => {
  const n = Atomics.load(beat, 0);
  if (n === -2) return;
  if (n !== last) { last = n; since = Date.now(); return; }
  if (n >= 0 && Date.now() - since > workerData.hangMs) {
    const len = Atomics.load(beat, 1);
    const text = Buffer.from(bytes.slice(0, len)).toString('utf8');
    // The main thread is stuck: write straight to fd 2 and end the whole process (a worker's
    // process.exit would end only this thread, and its process.stderr goes through the main one).
    require('node:fs').writeSync(2, '\\nfuzz: case ' + n + ' did not finish in ' + workerData.hangMs + ' ms (a hang). Its text:\\n' + text + '\\n');
    process.kill(process.pid, 'SIGKILL');
  }
}, 500);
`;

class Watchdog {
  private readonly sab = new SharedArrayBuffer(8 + 2 * 1024 * 1024);
  private readonly beat = new Int32Array(this.sab, 0, 2);
  private readonly bytes = new Uint8Array(this.sab, 8);
  private readonly worker: Worker;
  private n = 0;
  private readonly encoder = new TextEncoder();

  constructor() {
    Atomics.store(this.beat, 0, -1);
    this.worker = new Worker(WATCHDOG, { eval: true, workerData: { sab: this.sab, hangMs: HANG_MS } });
    this.worker.unref();
  }

  starting(text: string): void {
    const { written } = this.encoder.encodeInto(text, this.bytes);
    Atomics.store(this.beat, 1, written);
    Atomics.store(this.beat, 0, this.n++);
  }

  stop(): void {
    Atomics.store(this.beat, 0, -2);
    void this.worker.terminate();
  }
}

// ---------------------------------------------------------------- the tests

const seeds = seedScenarios();
const seedData = seeds.map((s) => parse(s.text) as unknown);

function caseText(c: Case): string {
  const i = c.seed % seeds.length;
  const base = c.data.length > 0 ? stringify(mutateData(seedData[i], c.data), { lineWidth: 0 }) : seeds[i].text;
  return mutateText(base, c.text);
}

/** A deterministic sample of cases (the same fast-check seed), with their texts. */
function sampleCases(n: number, seed: number): Array<{ c: Case; text: string }> {
  return fc.sample(caseArb, { numRuns: n, seed }).map((c) => ({ c, text: caseText(c) }));
}

let dir: string;
beforeAll(() => {
  assertBuilt();
  dir = makeTempDir('fuzz');
});
afterAll(() => removeDir(dir));

describe('fuzz: mutated scenarios run cleanly or end in located ScenarioErrors', () => {
  it('every seed scenario loads and runs unmutated', () => {
    expect(seeds.length).toBeGreaterThanOrEqual(4);
    for (const s of seeds) expect(evaluate(s.text, 0), s.name).not.toBe('rejected');
  });

  it(`${CASES} mutated scenarios through the loader, the budget check and a bounded run: no other exception, no hang`, () => {
    const counts: Record<Outcome, number> = { rejected: 0, 'over budget': 0, ran: 0 };
    let cases = 0;
    let slowest = { ms: 0, text: '' };
    const watchdog = new Watchdog();
    const t0 = performance.now();
    try {
      fc.assert(
        fc.property(caseArb, (c) => {
          const text = caseText(c);
          watchdog.starting(text);
          const start = performance.now();
          let outcome: Outcome;
          try {
            outcome = evaluate(text, c.task);
          } catch (e) {
            // fast-check prints the shrunk case; the text it makes is what a user would send.
            throw new Error(`${(e as Error).message}\n--- the scenario text ---\n${text.slice(0, 4000)}`, { cause: e });
          }
          const ms = performance.now() - start;
          if (ms > slowest.ms) slowest = { ms, text };
          cases++;
          counts[outcome]++;
        }),
        { seed: SEED, numRuns: CASES, endOnFailure: false },
      );
    } finally {
      watchdog.stop();
    }
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `fuzz: ${cases} cases in ${seconds.toFixed(1)} s, ${counts.rejected} rejected with located errors, ${counts['over budget']} refused by the event budget, ${counts.ran} ran (slowest case ${slowest.ms.toFixed(0)} ms)`,
    );
    expect(cases).toBeGreaterThanOrEqual(CASES);
    // A fuzz that only ever hit one branch would prove little.
    expect(counts.rejected).toBeGreaterThan(CASES * 0.3);
    expect(counts.ran).toBeGreaterThan(CASES * 0.1);
    // No case may approach a hang: the slowest is far below the watchdog.
    expect(slowest.ms, `slowest case:\n${slowest.text.slice(0, 3000)}`).toBeLessThan(5_000);
  });

  it('a sample of the rejected cases through the real CLI (validate): exit 2, the same located lines, no stack trace', async () => {
    // The in-process errors for each case, then the CLI on the same files, several files per process.
    const sample = sampleCases(1_200, SEED + 1);
    const rejected: Array<{ file: string; text: string; expected: string[] }> = [];
    for (const sampled of sample) {
      // As a file holds it: a lone surrogate cannot be written in UTF-8 and reads back as U+FFFD.
      const text = Buffer.from(sampled.text, 'utf8').toString('utf8');
      try {
        loadScenarioText(text, 'x');
      } catch (e) {
        const file = `case-${rejected.length}.yaml`;
        rejected.push({ file, text, expected: (e as { errors: Array<{ message: string }> }).errors.map((x) => `${file}${x.message.slice(1)}`) });
        if (rejected.length === 300) break;
      }
    }
    expect(rejected.length).toBe(300);
    mkdirSync(join(dir, 'cli'));
    for (const r of rejected) writeFileSync(join(dir, 'cli', r.file), r.text);

    // One process per case for the first few: the exact contract of a single bad file.
    for (const r of rejected.slice(0, 12)) {
      const res = await runCli(['validate', r.file], join(dir, 'cli'));
      expect(res.code, `${r.file}: ${res.stderr}`).toBe(2);
      expect(res.stdout).toBe('');
      expect(lines(res.stderr)).toEqual(r.expected);
      for (const l of lines(res.stderr)) {
        expect(l).toMatch(locatedLine(r.file));
        expect(l).not.toMatch(STACK_OR_INTERNAL);
      }
    }
    // The rest in batches of 48 files per process (`validate` takes many files and reports each).
    for (let i = 12; i < rejected.length; i += 48) {
      const batch = rejected.slice(i, i + 48);
      const res = await runCli(['validate', ...batch.map((r) => r.file)], join(dir, 'cli'));
      expect(res.code, res.stderr).toBe(2);
      expect(res.stdout).toBe('');
      expect(lines(res.stderr)).toEqual(batch.flatMap((r) => r.expected));
      for (const l of lines(res.stderr)) expect(l).not.toMatch(STACK_OR_INTERNAL);
    }
  });
});
