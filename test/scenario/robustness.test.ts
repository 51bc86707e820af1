import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadScenarioText } from '../../sim/scenario/load.js';
import { ScenarioErrors } from '../../sim/scenario/errors.js';

/**
 * Every field of a rich scenario replaced, one at a time, by a value of the wrong kind: the
 * loader must either accept the result or reject it with located ScenarioErrors — never throw
 * anything else (a TypeError from a half-checked value is a crash the user would see).
 */

const RICH = {
  name: 'rich',
  title: 'A scenario that uses most fields',
  seed: 3,
  duration: '2m',
  warmup: '10s',
  replications: 2,
  recovery: { tolerance: '1%', hold: '10s', baseline: '30s' },
  traffic: {
    shoppers: {
      target: 'gateway.checkout',
      rate: '50/s',
      schedule: [{ at: '30s', rate: '80/s' }],
      timeout: '2s',
      retry: { maxAttempts: 2, backoff: 'constant', base: '100ms', retryOn: ['error', 'timeout'] },
    },
    bots: { target: 'gateway.checkout', arrivals: 'closed', users: 5, think: { exponential: { mean: '1s' } } },
  },
  services: {
    gateway: {
      instances: 2,
      concurrency: 8,
      queueLimit: 16,
      balancer: 'least-outstanding',
      endpoints: {
        checkout: {
          work: { lognormal: { median: '2ms', p99: '20ms' } },
          errorRate: '0.1%',
          steps: [
            {
              call: 'orders.create',
              timeout: '500ms',
              retry: { maxAttempts: 3, backoff: 'exponential', base: '20ms', cap: '200ms', jitter: 'full', budget: '10%' },
              circuitBreaker: { failureRateThreshold: '50%', slidingWindow: '10s', minimumCalls: 10, waitInOpen: '5s', halfOpenCalls: 2 },
              bulkhead: { maxConcurrent: 4, maxWait: '10ms' },
              fallback: 'degrade',
            },
            { parallel: [{ call: 'pricing.quote', times: 2 }, { publish: 'events' }] },
          ],
        },
      },
    },
    orders: {
      endpoints: {
        create: {
          work: { percentiles: { p50: '3ms', p90: '8ms', p99: '20ms', max: '50ms' } },
          effect: 'order-created',
          idempotent: true,
        },
      },
    },
    pricing: { kind: 'cache', endpoints: { quote: { work: { mix: [{ weight: 0.9, constant: '1ms' }, { weight: 0.1, uniform: { min: '5ms', max: '10ms' } }] } } } },
    shipping: { endpoints: { ship: { work: { normal: { mean: '5ms', sd: '1ms' } } } } },
  },
  links: { default: { latency: '1ms' }, 'gateway->orders': { latency: { exponential: { mean: '2ms' } }, loss: '0.1%' } },
  queues: { events: { consumer: 'shipping.ship', consumers: 2, visibilityTimeout: '5s', ackLoss: '1%', maxDeliveries: 3, redelivery: { backoff: 'constant', base: '1s' } } },
  faults: [
    { target: 'orders', kind: 'outage', at: '30s', for: '10s' },
    { target: 'gateway#1', kind: 'crash', at: '40s', restartAfter: '5s' },
    { target: 'gateway->orders', kind: 'loss', at: '50s', for: '5s', rate: '20%' },
    { target: 'shoppers', kind: 'surge', at: '60s', for: '5s', factor: 2 },
    { target: 'pricing', kind: 'latency', at: '70s', for: '5s', add: '10ms' },
  ],
  variants: {
    'no-breaker': { description: 'no breaker', set: { 'services.gateway.endpoints.checkout.steps[0].circuitBreaker': null } },
    'no-retry': { extends: 'no-breaker', set: { 'services.gateway.endpoints.checkout.steps[0].retry': null } },
  },
};

const WRONG: unknown[] = [null, 0, -1, 1.5, 1e300, 'x', '', '5', '-5s', '200%', true, [], [1], {}, { a: 1 }];

/** Every path to a value in the document (mappings and lists included). */
function paths(v: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push([...prefix, i], ...paths(x, [...prefix, i])));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push([...prefix, k], ...paths(x, [...prefix, k]));
  return out;
}

function withValue(root: unknown, path: Array<string | number>, value: unknown): unknown {
  const copy = structuredClone(root) as any;
  let node = copy;
  for (const seg of path.slice(0, -1)) node = node[seg];
  node[path[path.length - 1]] = value;
  return copy;
}

describe('the loader never crashes on a wrong value', () => {
  it('the rich scenario itself is valid', () => {
    const set = loadScenarioText(stringify(RICH), 'rich.yaml');
    expect(set.variants.map((v) => v.name)).toEqual(['no-breaker', 'no-retry']);
    expect(set.variants[1].scenario.services[0].endpoints[0].steps[0]).toMatchObject({ kind: 'call', retry: null, circuitBreaker: null });
  });

  it('every field replaced by every kind of wrong value: accepted, or located ScenarioErrors', () => {
    const crashes: string[] = [];
    let rejected = 0;
    for (const path of paths(RICH)) {
      for (const value of WRONG) {
        const text = stringify(withValue(RICH, path, value));
        const nLines = text.split('\n').length;
        try {
          loadScenarioText(text, 'f.yaml');
        } catch (e) {
          if (!(e instanceof ScenarioErrors)) {
            crashes.push(`${path.join('.')} = ${JSON.stringify(value)}: ${(e as Error).stack?.split('\n').slice(0, 2).join(' ')}`);
            continue;
          }
          rejected++;
          for (const err of e.errors) {
            // Located inside the file, one line, `file:line:col path: message`.
            expect(err.position, err.message).not.toBeNull();
            expect(err.position!.line).toBeGreaterThanOrEqual(1);
            expect(err.position!.line).toBeLessThanOrEqual(nLines);
            expect(err.message).toMatch(/^f\.yaml:\d+:\d+ \S.*: \S/);
            expect(err.message).not.toContain('\n');
            expect(err.message).not.toMatch(/undefined|NaN|\[object Object\]/);
          }
        }
      }
    }
    expect(crashes).toEqual([]);
    // Most wrong values must be refused; a loader that accepted everything would pass the rest.
    expect(rejected).toBeGreaterThan(paths(RICH).length * WRONG.length * 0.5);
  });
});
