import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderExplain } from '../../sim/cli/commands/explain.js';
import { nameFor, schemaRef } from '../../sim/cli/commands/init.js';
import { firstSentence, listBundled, renderList } from '../../sim/cli/commands/list.js';
import { starterScenario } from '../../sim/cli/starter.js';
import { loadScenarioText } from '../../sim/scenario/load.js';
import { makeTempDir, removeDir, SMALL } from '../cli/helpers.js';

/** The pieces of list, explain and init that need no process: rendering and helpers. */

let dir: string;
beforeAll(() => {
  dir = makeTempDir('teaching-unit');
});
afterAll(() => removeDir(dir));

describe('list', () => {
  it('shows a broken file with its error on its line, and the others as usual', () => {
    const d = join(dir, 'lib');
    mkdirSync(d);
    writeFileSync(join(d, 'good.yaml'), SMALL.replace('name: small', 'name: good\ntitle: A good one\ndescription: First sentence here. Second one.'));
    writeFileSync(join(d, 'broken.yaml'), SMALL.replace('rate: 10/s', 'rate: 10').replace('work: 2ms', 'work: 2'));
    writeFileSync(join(d, 'syntax.yaml'), 'name: [unclosed\n');
    writeFileSync(join(d, 'notes.txt'), 'not a scenario');
    const entries = listBundled(d);
    expect(entries.map((e) => e.name)).toEqual(['broken', 'good', 'syntax']);
    const [broken, good, syntax] = entries;
    expect(good).toEqual(expect.objectContaining({ title: 'A good one', summary: 'First sentence here.', error: null, variants: [] }));
    expect(broken.error).toMatch(/^scenarios\/broken\.yaml:\d+:\d+ \S+: missing unit .*\(and 1 more error: faultline validate scenarios\/broken\.yaml\)$/);
    expect(syntax.error).toMatch(/^scenarios\/syntax\.yaml/);
    const text = renderList(entries);
    expect(text).toMatch(/^broken {2}✗ scenarios\/broken\.yaml:\d+:\d+ /m);
    expect(text).toMatch(/^good {4}A good one\n {8}First sentence here\.$/m);
    expect(text).toContain('3 scenarios.');
  });

  it('falls back to the lesson question, and cuts lines to a terminal width', () => {
    const d = join(dir, 'lib2');
    mkdirSync(d);
    writeFileSync(join(d, 'q.yaml'), SMALL.replace('name: small', 'name: q\nlesson: {question: Why is the sky blue?}'));
    const [e] = listBundled(d);
    expect(e.summary).toBe('Why is the sky blue?');
    const long = renderList([{ ...e, summary: 'x'.repeat(200) }], 40);
    for (const l of long.split('\n').slice(0, 2)) expect([...l].length).toBeLessThanOrEqual(40);
    expect(long).toContain('…');
  });

  it('finds the first sentence without stopping at abbreviations or decimals', () => {
    expect(firstSentence('A chain of 99.9% services. Then more.')).toBe('A chain of 99.9% services.');
    expect(firstSentence('Sync vs. async, e.g. queues. Next.')).toBe('Sync vs. async, e.g. queues.');
    expect(firstSentence('  no full stop  ')).toBe('no full stop');
    expect(firstSentence('')).toBeNull();
  });
});

describe('explain rendering', () => {
  const set = () => loadScenarioText(SMALL.replace('name: small', 'name: small\nlesson: {question: Q?, lookFor: L., takeaway: The secret answer.}'), 'small.yaml');

  it('hides the takeaway unless answers are asked for', () => {
    const base = { arg: 'small.yaml', text: null, variants: null, predictions: true };
    const hidden = renderExplain(set(), { ...base, answers: false });
    expect(hidden).not.toContain('The secret answer.');
    expect(hidden).toContain('Takeaway  (hidden: predict, run it, then `faultline explain small.yaml --answers`)');
    const shown = renderExplain(set(), { ...base, answers: true });
    expect(shown).toContain('Takeaway  The secret answer.');
  });

  it('counts hedges in the load, for a callee with calls of its own from its whole response time', () => {
    const yaml = `name: hedges
duration: 1m
traffic: {users: {target: front.get, rate: 100/s, hedge: {after: 50ms}}}
services:
  front:
    endpoints: {get: {work: 1ms, steps: [{call: back.get, hedge: {after: 10ms}}]}}
  back:
    concurrency: 64
    endpoints: {get: {work: {exponential: {mean: 10ms}}}}
variants:
  none:
    set:
      traffic.users.hedge: null
      services.front.endpoints.get.steps[0].hedge: null
`;
    const text = renderExplain(loadScenarioText(yaml, 'hedges.yaml'), { arg: 'hedges.yaml', text: null, variants: null, predictions: true, answers: false }).replace(/\s+/g, ' ');
    // Exp(10 ms) work: P(an attempt outlasts 10 ms) = e^(−1) = 36.8%.
    expect(text).toContain('front.get → back.get: a hedge after 10ms; an attempt outlasts 10ms with P ≈ 36.8%, so ≈ 0.368 hedges per call, counted in the λ below it.');
    // The client hedges front, which calls back with its own hedge: front answers in
    // 1 ms + min(X₁, 10 ms + X₂), so P(> 50 ms) = e^(−4.9) · e^(−3.9) = e^(−8.8) = 0.0151%.
    expect(text).toContain('client users → front.get: a hedge after 50ms; an attempt outlasts 50ms with P ≈ 0.0151%');
    // front gets 100 × (1 + e^(−8.8)), back that × (1 + e^(−1)) ≈ 136.8/s; requests per operation (1 + e^(−8.8)) × (2 + e^(−1)).
    const client = Math.exp(-8.8);
    expect(text).toMatch(/front 100\/s 1ms/);
    expect(text).toMatch(/back 136\.8\/s 10ms/);
    const perOp = Number(/with nothing failing, ([\d.]+) requests per operation/.exec(text)![1]);
    expect(Math.abs(perOp - (1 + client) * (2 + Math.exp(-1)))).toBeLessThan(0.01);
    // Without hedges the loads differ from the baseline's, so the variant shows its own table.
    const variant = text.slice(text.indexOf('variant none'));
    expect(variant).toMatch(/back 100\/s 10ms/);
    expect(variant).toContain('with nothing failing, 2 requests per operation');
  });

  it('predicts the latency of a successful operation, and says how many succeed when timeouts cut in', () => {
    const yaml = `name: cut
duration: 1m
traffic: {users: {target: front.get, rate: 10/s}}
services:
  front: {endpoints: {get: {work: 0ms, steps: [{call: back.get, timeout: 20ms}]}}}
  back: {endpoints: {get: {work: {exponential: {mean: 10ms}}}}}
variants:
  patient:
    set:
      services.front.endpoints.get.steps[0].timeout: 1s
`;
    const text = renderExplain(loadScenarioText(yaml, 'cut.yaml'), { arg: 'cut.yaml', text: null, variants: null, predictions: true, answers: false });
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('  Latency of one operation with no queueing'));
    expect(lines[at + 2]).toMatch(/p50≈ +p99≈ +p99\.9≈ +mean≈/);
    // Exp(10 ms) cut at 20 ms: 1 − e⁻² = 86.47% succeed (to the grid's resolution), and the median success takes −10 ln(1 − ½(1 − e⁻²)) = 5.66 ms.
    expect(lines[at + 3]).toMatch(/^ {4}users → front\.get +5\.6\d+ms /);
    expect(text.replace(/\s+/g, ' ')).toMatch(/users: 86\.4\d% of the operations succeed within the timeouts/);
    // With a 1 s timeout: Exp(10 ms)'s own median, 6.93 ms, and no note.
    const variant = lines.slice(lines.findIndex((l) => l.startsWith('variant patient')));
    expect(variant.find((l) => /^ {4}users → front\.get +\d/.test(l))).toMatch(/ 6\.9\d+ms /);
    expect(variant.join('\n')).not.toContain('succeed within the timeouts');
  });

  it('explains hedges once, where they first appear', () => {
    const yaml = `name: hedges
duration: 1m
traffic: {users: {target: back.get, rate: 100/s}}
services:
  back: {endpoints: {get: {work: {exponential: {mean: 10ms}}}}}
variants:
  early: {set: {traffic.users.hedge: {after: 5ms}}}
  late: {set: {traffic.users.hedge: {after: 20ms}}}
`;
    const text = renderExplain(loadScenarioText(yaml, 'hedges.yaml'), { arg: 'hedges.yaml', text: null, variants: null, predictions: true, answers: false });
    expect(text.split('A hedge goes out when no attempt has answered').length - 1).toBe(1);
    expect(text.indexOf('A hedge goes out')).toBeGreaterThan(text.indexOf('variant early'));
    expect(text.indexOf('A hedge goes out')).toBeLessThan(text.indexOf('variant late'));
    // Both variants still give their own numbers: P(Exp(10) > 5) = 60.7%, P(> 20) = 13.5%.
    expect(text).toContain('client users → back.get: a hedge after 5ms; an attempt outlasts 5ms with P ≈ 60.7%');
    expect(text).toContain('client users → back.get: a hedge after 20ms; an attempt outlasts 20ms with P ≈ 13.5%');
  });

  it('describes distributions, policies, queues and faults in words', () => {
    const yaml = `name: words
duration: 5m
traffic:
  users: {target: web.get, rate: 30/min, timeout: 2s, retry: {maxAttempts: 2, backoff: constant, base: 1s}}
services:
  web:
    instances: 3
    concurrency: 8
    queueLimit: 20
    endpoints:
      get:
        work: {lognormal: {median: 3ms, p99: 25ms}}
        errorRate: 0.1%
        steps:
          - call: db.q
            times: 2
            timeout: 800ms
            retry: {maxAttempts: 3, backoff: exponential, base: 50ms, cap: 1s, jitter: full, budget: 10%}
            circuitBreaker: {failureRateThreshold: 50%, slidingWindow: 10s, minimumCalls: 20, waitInOpen: 30s, halfOpenCalls: 5}
            bulkhead: {maxConcurrent: 32}
            fallback: degrade
          - publish: events
  db:
    kind: database
    endpoints:
      q: {work: {percentiles: {p50: 4ms, p90: 10ms, p99: 30ms, max: 80ms}}, effect: write, idempotent: true}
  sink:
    endpoints: {take: {work: {mix: [{weight: 0.9, constant: 1ms}, {weight: 0.1, constant: 40ms}]}}}
links:
  web->db: {latency: 2ms, loss: 0.1%}
queues:
  events: {consumer: sink.take, consumers: 8, visibilityTimeout: 30s, ackLoss: 0.5%, maxDeliveries: 5}
faults:
  - {target: db, kind: outage, at: 2m, for: 1m}
  - {target: users, kind: surge, rate: 60/s, at: 3m, for: 30s}
`;
    const out = renderExplain(loadScenarioText(yaml, 'words.yaml'), { arg: 'words.yaml', text: yaml, variants: null, answers: false, predictions: true });
    expect(out).toContain('users → web.get: poisson 30/min · timeout 2s · retry 2 attempts, 1s apart');
    expect(out).toContain('web: 3 instances × 8 workers = 24 · wait queue ≤ 20 per instance · round-robin');
    expect(out).toContain('get: work lognormal median 3ms p99 25ms (mean');
    expect(out).toContain('errors 0.1%');
    expect(out).toContain('q: work percentiles p50 4ms p90 10ms p99 30ms max 80ms (mean');
    expect(out.replace(/\s+/g, ' ')).toContain('effect write (idempotent)');
    expect(out).toContain('take: work mix of 90% 1ms | 10% 40ms (mean 4.9ms)');
    const flat = out.replace(/\s+/g, ' ');
    expect(flat).toContain(
      '→ db.q × 2 (one after another) [timeout 800ms · retry 3 attempts, exponential from 50ms up to 1s, full jitter, budget 10% · breaker: opens at ≥ 50% failures over the last 10s (min 20 calls), open 30s, 5 probes · bulkhead 32 in flight · fallback degrade]',
    );
    expect(flat).toContain("⇢ publish events [no timeout; waits only for the broker's ack] ⇢ sink.take (delivered by events: 8 consumers, at-least-once)");
    expect(out).toContain('web->db: latency 2ms · loss 0.1% each way');
    expect(flat).toContain('events → sink.take: at-least-once · 8 consumers · visibility timeout 30s · ack loss 0.5% · dead-lettered after 5 deliveries');
    expect(out).toMatch(/2m → 3m +db outage/);
    expect(out).toMatch(/3m → 3m30s +users surges to 60\/s/);
    // The fallback makes the db call count as a success; the amplification stops there.
    expect(out).toContain('no retries    0.999 = 99.90%');
    expect(flat).toContain('web.get → sink.take: rᴸ = 5 (deliveries by events)');
    expect(flat).toContain('web.get → db.q: rᴸ = 6 (web.get → db.q × 2 with fallback); with the retry budgets, in the long run ≈ 1.1');
    expect(out).toContain('ρ peak');
  });
});

describe('init', () => {
  it('writes a starter that loads, with every feature it promises', () => {
    const text = starterScenario({ name: 'demo', schemaRef: '../schema/scenario.schema.json', schemaNote: ['a note'], file: 'demo.yaml' });
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/scenario.schema.json');
    const set = loadScenarioText(text, 'demo.yaml');
    const s = set.base;
    expect(s.name).toBe('demo');
    expect(set.variants).toHaveLength(2);
    expect(s.traffic).toHaveLength(1);
    expect(s.queues).toHaveLength(1);
    expect(s.faults).toHaveLength(1);
    const web = s.services.find((x) => x.name === 'web')!;
    expect(web.instances).toBeGreaterThan(1);
    expect(web.queueLimit).toBeLessThan(Infinity);
    const call = web.endpoints[0].steps.find((x) => x.kind === 'call');
    expect(call).toEqual(expect.objectContaining({ timeoutMs: 400, retry: expect.anything(), circuitBreaker: expect.anything() }));
    expect(s.services.some((x) => x.endpoints.some((e) => e.errorRate > 0))).toBe(true);
    // Every field line is commented somewhere near: at least one comment per ~2 lines of YAML.
    const yamlLines = text.split('\n').filter((l) => l.trim() !== '');
    expect(yamlLines.filter((l) => l.includes('#')).length).toBeGreaterThan(yamlLines.length / 2);
    expect(text).toContain('npx faultline run demo.yaml');
  });

  it('points at the schema relatively inside the package or a node_modules, else absolutely', () => {
    expect(schemaRef('/repo/scenarios/x.yaml', '/repo').ref).toBe('../schema/scenario.schema.json');
    expect(schemaRef('/proj/labs/x.yaml', '/proj/node_modules/faultline').ref).toBe('../node_modules/faultline/schema/scenario.schema.json');
    expect(schemaRef('/proj/x.yaml', '/proj/node_modules/faultline').ref).toBe('node_modules/faultline/schema/scenario.schema.json');
    const global = schemaRef('/home/me/x.yaml', '/usr/lib/node_modules/faultline');
    expect(global.ref).toBe('/usr/lib/node_modules/faultline/schema/scenario.schema.json');
    expect(global.note.join(' ')).toContain('node_modules/faultline/schema/scenario.schema.json');
  });

  it('names the scenario after its file when that is a valid name', () => {
    expect(nameFor('checkout.yaml')).toBe('checkout');
    expect(nameFor('labs/retry-storm.yml')).toBe('retry-storm');
    expect(nameFor('scenario.yaml')).toBe('my-scenario');
    expect(nameFor('my scenario.yaml')).toBe('my-scenario');
    expect(nameFor('1st.yaml')).toBe('my-scenario');
  });
});
