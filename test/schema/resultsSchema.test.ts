import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAjv, readJson, REPO, RESULTS_SCHEMA_FILE, validateResults } from './helpers.js';

const CLI = join(REPO, 'bin', 'faultline.js');

/** Runs `node bin/faultline.js run <scenario> ... --json <tmp>` and returns the parsed JSON. */
function runJson(dir: string, scenario: string, extra: string[] = []): any {
  const out = join(dir, `${scenario.replace(/\W+/g, '_')}.json`);
  execFileSync(process.execPath, [CLI, 'run', scenario, ...extra, '--json', out, '--no-report', '--quiet'], {
    cwd: REPO,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 120_000,
  });
  return JSON.parse(readFileSync(out, 'utf8'));
}

/** The leaves of an object that are null, as JSON paths (to check the null cases are exercised). */
function nullPaths(x: unknown, path = '', out: string[] = []): string[] {
  if (x === null) out.push(path);
  else if (Array.isArray(x)) x.forEach((v, i) => nullPaths(v, `${path}[${i}]`, out));
  else if (typeof x === 'object') for (const [k, v] of Object.entries(x as object)) nullPaths(v, `${path}.${k}`, out);
  return out;
}

describe('schema/results.schema.json', () => {
  let dir = '';
  const results: Record<string, any> = {};

  beforeAll(() => {
    if (!existsSync(join(REPO, 'dist', 'sim', 'cli', 'main.js'))) {
      throw new Error('the CLI is not built: run `npm run build` before these tests');
    }
    dir = mkdtempSync(join(tmpdir(), 'faultline-schema-'));
    results['sync-chain'] = runJson(dir, 'scenarios/sync-chain.yaml', ['--duration', '1m', '--replications', '2']);
    for (const f of ['checkout-resilience', 'closed-loop-and-faults', 'total-outage']) {
      results[f] = runJson(dir, join('test', 'schema', 'fixtures', `${f}.yaml`));
    }
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is a valid draft-07 JSON Schema that compiles in strict mode', () => {
    const schema = readJson(RESULTS_SCHEMA_FILE);
    const ajv = makeAjv();
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('requires every field of the DESIGN §5 contract', () => {
    const s = readJson(RESULTS_SCHEMA_FILE);
    const d = s.definitions;
    const requires = (schema: any, fields: string[]) => expect(schema.required).toEqual(expect.arrayContaining(fields));
    requires(s, ['tool', 'scenario', 'variants']);
    requires(s.properties.tool, ['name', 'version']);
    requires(s.properties.scenario, ['name', 'seed', 'replications', 'durationMs', 'warmupMs']);
    requires(d.variant, ['name', 'summary', 'services', 'calls', 'effects', 'queues', 'timeline']);
    requires(d.summary, ['requests', 'succeeded', 'degraded', 'failed', 'availability', 'availabilityCI95', 'latencyMs', 'doubleProcessing', 'amplification', 'recovery']);
    requires(d.latencySummary, ['mean', 'p50', 'p90', 'p99', 'p999', 'max']);
    requires(d.recovery, ['fault', 'endedAtMs', 'recoveredAfterMs']);
    requires(d.service, ['received', 'succeeded', 'failed', 'rejected', 'utilization']);
    requires(d.call, ['attempts', 'retries', 'timeouts', 'shortCircuited']);
    requires(d.effect, ['operations', 'executions', 'duplicated', 'suppressed']);
    requires(d.queue, ['published', 'delivered', 'redelivered', 'deadLettered', 'maxDepth']);
    requires(d.timeline, ['bucketMs']);
  });

  it.each(['sync-chain', 'checkout-resilience', 'closed-loop-and-faults', 'total-outage'])('validates the results of %s', (name) => {
    const r = validateResults(results[name]);
    expect(r.errors).toBe('');
    expect(r.ok).toBe(true);
  });

  it('covers the sections: queues, breakers, effects, fallbacks, faults, deltas, traces', () => {
    const v = results['checkout-resilience'].variants;
    expect(v.map((x: any) => x.name)).toEqual(['baseline', 'no-breaker', 'idempotent-payments']);
    expect(Object.keys(v[0].queues)).toEqual(['order-events']);
    expect(Object.keys(v[0].effects).sort()).toEqual(['card-charge', 'shipment', 'stock-reservation']);
    expect(Object.keys(v[0].timeline.breakers)).toEqual(['gateway->orders.create']);
    expect(v[0].summary.degraded).toBeGreaterThan(0);
    expect(v[0].summary.recovery.length).toBe(5);
    expect(v[0].vsBaseline).toBeNull();
    expect(v[1].vsBaseline.availability.significant).not.toBeNull();
    expect(v[0].traces.length).toBeGreaterThan(0);
    const kinds = new Set(Object.values(v[0].calls).map((c: any) => c.kind));
    expect([...kinds].sort()).toEqual(['call', 'client', 'delivery', 'publish']);
  });

  it('exercises the nullable fields (nothing succeeds in total-outage)', () => {
    const nulls = nullPaths(results['total-outage']);
    for (const p of ['.latencyMs.p99', '.replications.p50Ms.mean', '.vsBaseline.p99Ms.delta', '.vsBaseline.p99Ms.ci95', '.vsBaseline.p99Ms.significant', '.recoveredAfterMs', '.meanWorkMs']) {
      expect(nulls.some((n) => n.endsWith(p)), p).toBe(true);
    }
  });

  it('rejects results with a field missing, a wrong type, or an undocumented field', () => {
    const base = results['sync-chain'];
    const broken = [
      (r: any) => delete r.variants[0].summary.availability,
      (r: any) => (r.variants[0].summary.requests = '12'),
      (r: any) => (r.variants[0].summary.latencyMs.p99 = 'slow'),
      (r: any) => (r.variants[0].summary.surprise = 1),
      (r: any) => (r.tool.name = 'other'),
      (r: any) => (r.variants[0].calls['gateway->orders.create'].kind = 'rpc'),
    ];
    for (const change of broken) {
      const r = structuredClone(base);
      change(r);
      expect(validateResults(r).ok).toBe(false);
    }
  });
});
