import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadScenarioText } from '../../sim/scenario/load.js';
import { FIXTURES, makeAjv, readJson, REPO, SCENARIO_SCHEMA_FILE, validateScenario } from './helpers.js';

const SCENARIOS = join(REPO, 'scenarios');
const yamlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => join(dir, f));

/** What the loader says about a scenario text: null when it accepts it, else its error message. */
function loaderError(text: string): string | null {
  try {
    loadScenarioText(text, 'snippet.yaml');
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * A small valid scenario that uses most sections; each case below changes one thing in a deep
 * copy of it.
 */
function base(): any {
  return {
    name: 'shop',
    duration: '2m',
    warmup: '10s',
    traffic: { shoppers: { target: 'gateway.checkout', rate: '50/s', timeout: '2s' } },
    services: {
      gateway: {
        instances: 2,
        concurrency: 8,
        endpoints: {
          checkout: {
            work: { lognormal: { median: '2ms', p99: '10ms' } },
            steps: [
              {
                call: 'payments.charge',
                timeout: '800ms',
                retry: { maxAttempts: 3, backoff: 'exponential', base: '50ms', jitter: 'full', budget: '10%' },
                circuitBreaker: { failureRateThreshold: '50%', slidingWindow: '10s', minimumCalls: 20, waitInOpen: '30s', halfOpenCalls: 5 },
                bulkhead: { maxConcurrent: 4 },
                fallback: 'degrade',
              },
              { parallel: [{ call: 'payments.charge' }, { publish: 'events' }] },
            ],
          },
        },
      },
      payments: {
        kind: 'external',
        queueLimit: 16,
        balancer: 'least-outstanding',
        endpoints: { charge: { work: { uniform: { min: '20ms', max: '200ms' } }, errorRate: '0.1%', effect: 'card-charge' } },
      },
      fulfilment: { endpoints: { ship: { work: '5ms', effect: 'shipment', idempotent: true } } },
    },
    links: { default: { latency: { normal: { mean: '1ms', sd: '0.2ms' } } }, 'gateway->payments': { latency: '2ms', loss: '0.1%' } },
    queues: { events: { consumer: 'fulfilment.ship', consumers: 2, visibilityTimeout: '5s', ackLoss: '0.5%', maxDeliveries: 5 } },
    faults: [
      { target: 'payments', kind: 'outage', at: '30s', for: '20s' },
      { target: 'gateway#1', kind: 'crash', at: '60s', restartAfter: '10s' },
    ],
    variants: { 'no-breaker': { description: 'No breaker.', set: { 'services.gateway.endpoints.checkout.steps[0].circuitBreaker': null } } },
  };
}

type Case = [name: string, change: (s: any) => void];

const checkout = (s: any) => s.services.gateway.endpoints.checkout;
const firstStep = (s: any) => checkout(s).steps[0];
const charge = (s: any) => s.services.payments.endpoints.charge;
const queue = (s: any) => s.queues.events;
const shoppers = (s: any) => s.traffic.shoppers;

/** Snippets the loader rejects; the JSON Schema must reject them too. */
const BROKEN: Case[] = [
  // Unknown fields (strict objects everywhere).
  ['unknown top-level field', (s) => (s.durration = '1m')],
  ['unknown service field', (s) => (s.services.payments.instance = 2)],
  ['unknown endpoint field', (s) => (charge(s).errorrate = '1%')],
  ['unknown step field', (s) => (firstStep(s).timeOut = '1s')],
  ['unknown retry field', (s) => (firstStep(s).retry.maxRetries = 3)],
  ['unknown hedge field', (s) => (firstStep(s).hedge = { after: '20ms', delay: '5ms' })],
  ['a hedge without after', (s) => (firstStep(s).hedge = { max: 1 })],
  ['a hedge after 0ms', (s) => (firstStep(s).hedge = { after: '0ms' })],
  ['a hedge max of 0', (s) => (firstStep(s).hedge = { after: '20ms', max: 0 })],
  ['too many hedges', (s) => (firstStep(s).hedge = { after: '20ms', max: 11 })],
  ['unknown breaker field', (s) => (firstStep(s).circuitBreaker.failureThreshold = '50%')],
  ['unknown bulkhead field', (s) => (firstStep(s).bulkhead.queue = 3)],
  ['unknown traffic field', (s) => (shoppers(s).burst = 3)],
  ['unknown queue field', (s) => (queue(s).ttl = '1m')],
  ['unknown link field', (s) => (s.links.default.jitter = '1ms')],
  ['unknown fault field', (s) => (s.faults[0].until = '50s')],
  ['unknown lesson field', (s) => (s.lesson = { question: 'q', answer: 'a' })],
  ['unknown recovery field', (s) => (s.recovery = { tolerance: '1%', window: '10s' })],
  ['unknown variant field', (s) => (s.variants['no-breaker'].sets = {})],
  ['unknown field in a distribution', (s) => (charge(s).work = { lognormal: { median: '1ms', p95: '4ms' } })],
  ['unknown distribution kind', (s) => (charge(s).work = { gamma: { shape: 2, scale: '1ms' } })],
  ['two distribution kinds', (s) => (charge(s).work = { constant: '1ms', exponential: { mean: '1ms' } })],
  ['two distribution keys in a mix part', (s) => (charge(s).work = { mix: [{ weight: 1, constant: '1ms', uniform: { min: '1ms', max: '2ms' } }] })],
  // Wrong enum values.
  ['wrong balancer', (s) => (s.services.payments.balancer = 'least-connections')],
  ['wrong service kind', (s) => (s.services.payments.kind = 'queue')],
  ['wrong arrivals', (s) => (shoppers(s).arrivals = 'bursty')],
  ['wrong delivery', (s) => (queue(s).delivery = 'exactly-once')],
  ['wrong fault kind', (s) => (s.faults[0].kind = 'shutdown')],
  ['wrong backoff', (s) => (firstStep(s).retry.backoff = 'linear')],
  ['wrong jitter', (s) => (firstStep(s).retry.jitter = 'random')],
  ['wrong retryOn', (s) => (firstStep(s).retry.retryOn = ['error', '5xx'])],
  ['wrong fallback', (s) => (firstStep(s).fallback = 'cache')],
  ['wrong breaker scope', (s) => (firstStep(s).circuitBreaker.scope = 'global')],
  // Wrong types.
  ['instances as a string', (s) => (s.services.payments.instances = 'two')],
  ['fractional concurrency', (s) => (s.services.payments.concurrency = 1.5)],
  ['idempotent as a string', (s) => (charge(s).idempotent = 'yes')],
  ['steps as a mapping', (s) => (charge(s).steps = { call: 'fulfilment.ship' })],
  ['seed as a string', (s) => (s.seed = 'abc')],
  ['fractional seed', (s) => (s.seed = 1.5)],
  ['title as a number', (s) => (s.title = 5)],
  ['services as a list', (s) => (s.services = [s.services.payments])],
  ['faults as a mapping', (s) => (s.faults = { outage: s.faults[0] })],
  ['variant set as a list', (s) => (s.variants['no-breaker'].set = ['x'])],
  ['retryOn as a string', (s) => (firstStep(s).retry.retryOn = 'error')],
  ['call as a list', (s) => (firstStep(s).call = ['payments.charge'])],
  // Out of range.
  ['zero replications', (s) => (s.replications = 0)],
  ['too many replications', (s) => (s.replications = 10001)],
  ['negative queueLimit', (s) => (s.services.payments.queueLimit = -1)],
  ['zero maxAttempts', (s) => (firstStep(s).retry.maxAttempts = 0)],
  ['too many attempts', (s) => (firstStep(s).retry.maxAttempts = 101)],
  ['too many instances', (s) => (s.services.payments.instances = 1001)],
  ['too much concurrency', (s) => (s.services.payments.concurrency = 100001)],
  ['zero times', (s) => (firstStep(s).times = 0)],
  ['multiplier below 1', (s) => (firstStep(s).retry.multiplier = 0.5)],
  ['budgetCapacity below 1', (s) => (firstStep(s).retry.budgetCapacity = 0.5)],
  ['zero maxConcurrent', (s) => (firstStep(s).bulkhead.maxConcurrent = 0)],
  ['zero consumers', (s) => (queue(s).consumers = 0)],
  ['lognormal sigma above 10', (s) => (charge(s).work = { lognormal: { median: '1ms', sigma: 11 } })],
  ['negative fault factor', (s) => s.faults.push({ target: 'payments', kind: 'latency', factor: -1, at: '1s', for: '1s' })],
  // Missing units, and units the loader does not know.
  ['duration without a unit', (s) => (s.duration = 120)],
  ['timeout without a unit', (s) => (firstStep(s).timeout = 800)],
  ['work without a unit', (s) => (charge(s).work = 5)],
  ['distribution field without a unit', (s) => (charge(s).work = { exponential: { mean: 5 } })],
  ['rate without a unit', (s) => (shoppers(s).rate = 200)],
  ['rate as a duration', (s) => (shoppers(s).rate = '200s')],
  ['link latency without a unit', (s) => (s.links.default.latency = 1)],
  ['fault start without a unit', (s) => (s.faults[0].at = 30)],
  ['visibility timeout without a unit', (s) => (queue(s).visibilityTimeout = 30)],
  ['unknown duration unit', (s) => (s.duration = '2 minutes')],
  ['duration in days', (s) => (s.duration = '1d')],
  ['unknown rate unit', (s) => (shoppers(s).rate = '200/day')],
  ['negative duration', (s) => (s.warmup = '-1s')],
  ['probability as words', (s) => (charge(s).errorRate = '0.1 percent')],
  ['probability above 1', (s) => (charge(s).errorRate = 1.5)],
  ['percentage above 100%', (s) => (charge(s).errorRate = '150%')],
  ['link loss of 100%', (s) => (s.links['gateway->payments'].loss = '100%')],
  ['ack loss of 1', (s) => (queue(s).ackLoss = 1)],
  ['surge rate without a unit', (s) => s.faults.push({ target: 'shoppers', kind: 'surge', rate: 600, at: '1s', for: '1s' })],
  // Zero where only a positive value makes sense.
  ['zero duration', (s) => (s.duration = '0s')],
  ['zero timeout', (s) => (firstStep(s).timeout = '0ms')],
  ['zero failure-rate threshold', (s) => (firstStep(s).circuitBreaker.failureRateThreshold = '0%')],
  ['zero sliding window', (s) => (firstStep(s).circuitBreaker.slidingWindow = 0)],
  ['fractional sliding window', (s) => (firstStep(s).circuitBreaker.slidingWindow = 2.5)],
  ['zero fault length', (s) => (s.faults[0].for = '0s')],
  ['zero lognormal median', (s) => (charge(s).work = { lognormal: { median: '0ms', p99: '5ms' } })],
  // Missing required fields.
  ['no name', (s) => delete s.name],
  ['no duration', (s) => delete s.duration],
  ['no traffic', (s) => delete s.traffic],
  ['no services', (s) => delete s.services],
  ['empty services', (s) => (s.services = {})],
  ['service without endpoints', (s) => delete s.services.fulfilment.endpoints],
  ['traffic without target', (s) => delete shoppers(s).target],
  ['open loop without rate', (s) => delete shoppers(s).rate],
  ['closed loop without users', (s) => (shoppers(s).arrivals = 'closed', delete shoppers(s).rate)],
  ['closed loop with a rate', (s) => Object.assign(shoppers(s), { arrivals: 'closed', users: 5 })],
  ['open loop with users', (s) => (shoppers(s).users = 5)],
  ['schedule entry without rate', (s) => (shoppers(s).schedule = [{ at: '1m' }])],
  ['bulkhead without maxConcurrent', (s) => (firstStep(s).bulkhead = { maxWait: '10ms' })],
  ['queue without consumer', (s) => delete queue(s).consumer],
  ['fault without start', (s) => delete s.faults[0].at],
  ['outage without length', (s) => delete s.faults[0].for],
  ['crash without restartAfter', (s) => delete s.faults[1].restartAfter],
  ['uniform without max', (s) => (charge(s).work = { uniform: { min: '1ms' } })],
  ['percentiles without max', (s) => (charge(s).work = { percentiles: { p50: '1ms', p99: '5ms' } })],
  ['lognormal with p99 and sigma', (s) => (charge(s).work = { lognormal: { median: '1ms', p99: '5ms', sigma: 0.5 } })],
  ['lognormal with neither p99 nor sigma', (s) => (charge(s).work = { lognormal: { median: '1ms' } })],
  ['mix part without weight', (s) => (charge(s).work = { mix: [{ constant: '1ms' }] })],
  ['mix part with zero weight', (s) => (charge(s).work = { mix: [{ weight: 0, constant: '1ms' }] })],
  ['empty mix', (s) => (charge(s).work = { mix: [] })],
  ['p0 percentile', (s) => (charge(s).work = { percentiles: { p0: '1ms', max: '5ms' } })],
  ['unknown percentile key', (s) => (charge(s).work = { percentiles: { median: '1ms', max: '5ms' } })],
  ['exponential backoff without base', (s) => (firstStep(s).retry = { maxAttempts: 3, backoff: 'exponential' })],
  ['redelivery backoff without base', (s) => (queue(s).redelivery = { backoff: 'constant' })],
  // Steps.
  ['a step with call and publish', (s) => (checkout(s).steps = [{ call: 'payments.charge', publish: 'events' }])],
  ['a step with no kind', (s) => (checkout(s).steps = [{ timeout: '1s' }])],
  ['an empty parallel step', (s) => (checkout(s).steps = [{ parallel: [] }])],
  ['times on a publish step', (s) => (checkout(s).steps = [{ publish: 'events', times: 2 }])],
  ['policies on a parallel step', (s) => (checkout(s).steps = [{ parallel: [{ call: 'payments.charge' }], timeout: '1s' }])],
  ['a call without an endpoint', (s) => (firstStep(s).call = 'payments')],
  ['a bad item inside a parallel step', (s) => (checkout(s).steps = [{ parallel: [{ call: 'payments.charge', retries: 3 }] }])],
  // Names and references.
  ['a service name with a space', (s) => (s.services['pay ments'] = s.services.fulfilment)],
  ['a scenario name starting with a digit', (s) => (s.name = '1st')],
  ['a traffic target without an endpoint', (s) => (shoppers(s).target = 'gateway')],
  ['a queue consumer without an endpoint', (s) => (queue(s).consumer = 'fulfilment')],
  ['a bad effect name', (s) => (charge(s).effect = 'card charge')],
  ['a bad link name', (s) => (s.links['gateway-payments'] = { latency: '1ms' })],
  ['a variant named baseline', (s) => (s.variants.baseline = { set: {} })],
  // Cross-field rules.
  ['idempotent without an effect', (s) => (s.services.fulfilment.endpoints.ship = { idempotent: true })],
  ['idempotencyWindow without idempotent', (s) => (charge(s).idempotencyWindow = '1m')],
  ['consecutiveFailures with a failure-rate threshold', (s) => (firstStep(s).circuitBreaker.consecutiveFailures = 5)],
  ['slowCallRateThreshold without slowCallDuration', (s) => (firstStep(s).circuitBreaker.slowCallRateThreshold = '50%')],
  ['at-most-once with a visibility timeout', (s) => (queue(s).delivery = 'at-most-once')],
  ['at-most-once with redelivery', (s) => (s.queues.events = { consumer: 'fulfilment.ship', delivery: 'at-most-once', redelivery: {} })],
  // Faults.
  ['an outage with a factor', (s) => (s.faults[0].factor = 2)],
  ['an outage with restartAfter', (s) => (s.faults[0].restartAfter = '5s')],
  ['an errors fault without rate', (s) => s.faults.push({ target: 'payments', kind: 'errors', at: '1s', for: '1s' })],
  ['an errors fault with a rate per second', (s) => s.faults.push({ target: 'payments', kind: 'errors', rate: '5/s', at: '1s', for: '1s' })],
  ['a latency fault without add or factor', (s) => s.faults.push({ target: 'payments', kind: 'latency', at: '1s', for: '1s' })],
  ['a latency fault with a concurrency', (s) => s.faults.push({ target: 'payments', kind: 'latency', factor: 2, concurrency: 1, at: '1s', for: '1s' })],
  ['a capacity fault that adds workers', (s) => s.faults.push({ target: 'payments', kind: 'capacity', factor: 2, at: '1s', for: '1s' })],
  ['a capacity fault with add', (s) => s.faults.push({ target: 'payments', kind: 'capacity', concurrency: 1, add: '5ms', at: '1s', for: '1s' })],
  ['a surge with a concurrency', (s) => s.faults.push({ target: 'shoppers', kind: 'surge', factor: 3, concurrency: 2, at: '1s', for: '1s' })],
  ['a surge without rate or factor', (s) => s.faults.push({ target: 'shoppers', kind: 'surge', at: '1s', for: '1s' })],
  ['a partition of a service', (s) => s.faults.push({ target: 'payments', kind: 'partition', at: '1s', for: '1s' })],
  ['a loss fault on a service', (s) => s.faults.push({ target: 'payments', kind: 'loss', rate: '5%', at: '1s', for: '1s' })],
  ['an errors fault on a link', (s) => s.faults.push({ target: 'gateway->payments', kind: 'errors', rate: '5%', at: '1s', for: '1s' })],
  ['a surge on an instance', (s) => s.faults.push({ target: 'payments#0', kind: 'surge', factor: 2, at: '1s', for: '1s' })],
];

/** Less common forms the loader accepts; the JSON Schema must accept them too. */
const VALID: Case[] = [
  ['the base scenario', () => {}],
  ['every duration unit', (s) => Object.assign(s, { duration: '1h', warmup: '1min', drain: '1.5s', bucket: '500ms' })],
  ['microseconds', (s) => ((charge(s).work = '500us'), (s.services.fulfilment.endpoints.ship.work = '250µs'))],
  ['durations with spaces and exponents', (s) => Object.assign(s, { duration: '2 m', warmup: '1e4ms', drain: '.5s' })],
  ['rates per minute, hour and sec', (s) => ((shoppers(s).rate = '90/min'), (shoppers(s).schedule = [{ at: '30s', rate: '5/h' }, { at: '1m', rate: '3 / sec' }, { at: '90s', rate: '2/m' }]))],
  ['probabilities as numbers and percentages', (s) => ((charge(s).errorRate = 0.001), (queue(s).ackLoss = '0%'), (s.links.default.loss = 0), (queue(s).poison = '100%'))],
  ['probability 1', (s) => (charge(s).errorRate = 1)],
  ['explicit null timeout and policies', (s) => Object.assign(firstStep(s), { timeout: null, retry: null, circuitBreaker: null, bulkhead: null, fallback: null })],
  ['a retry budget of null', (s) => (firstStep(s).retry.budget = null)],
  ['an empty retry', (s) => (firstStep(s).retry = {})],
  ['a hedge on a call step', (s) => (firstStep(s).hedge = { after: '20ms', max: 2 })],
  ['a hedge on a traffic source', (s) => (shoppers(s).hedge = { after: '500ms' })],
  ['a hedge of null', (s) => (firstStep(s).hedge = null)],
  ['an empty retryOn', (s) => (firstStep(s).retry.retryOn = [])],
  ['backoff implied by base', (s) => (firstStep(s).retry = { maxAttempts: 2, base: '100ms', jitter: 'decorrelated', cap: '1s' })],
  ['a count sliding window', (s) => (firstStep(s).circuitBreaker.slidingWindow = 20)],
  ['a consecutive-failures breaker', (s) => (firstStep(s).circuitBreaker = { consecutiveFailures: 3, waitInOpen: '5s', scope: 'service' })],
  ['a slow-call breaker', (s) => Object.assign(firstStep(s).circuitBreaker, { slowCallDuration: '300ms', slowCallRateThreshold: 0.8 })],
  ['a threshold as a number', (s) => (firstStep(s).circuitBreaker.failureRateThreshold = 0.25)],
  ['every distribution', (s) => {
    const eps = s.services.fulfilment.endpoints;
    eps.a = { work: { constant: '1ms' } };
    eps.b = { work: { exponential: { mean: '5ms' } } };
    eps.c = { work: { normal: { mean: '5ms', sd: '1ms' } } };
    eps.d = { work: { lognormal: { median: '5ms', sigma: 0.7 } } };
    eps.e = { work: { percentiles: { min: '1ms', p50: '5ms', p90: '9ms', 'p99.9': '20ms', max: '30ms' } } };
    eps.g = { work: { percentiles: { p05: '1ms', p99: '5ms', p999: '20ms', max: '30ms' } } };
    eps.f = { work: { mix: [{ weight: 3, constant: '1ms' }, { weight: 1, mix: [{ weight: 1, uniform: { min: '1ms', max: '2ms' } }] }] } };
  }],
  ['times on a call step', (s) => (firstStep(s).times = 3)],
  ['nested parallel steps', (s) => (delete s.variants, checkout(s).steps = [{ parallel: [{ parallel: [{ call: 'payments.charge' }, { publish: 'events' }] }] }])],
  ['a publish step with policies', (s) => (delete s.variants, checkout(s).steps = [{ publish: 'events', timeout: '100ms', retry: { maxAttempts: 2 }, fallback: 'degrade' }])],
  ['queueLimit 0', (s) => (s.services.payments.queueLimit = 0)],
  ['service options', (s) => Object.assign(s.services.payments, { maxQueueTime: '200ms', deadlinePropagation: true, healthCheck: '5s', balancer: 'random', kind: 'database' })],
  ['an idempotency window', (s) => (s.services.fulfilment.endpoints.ship.idempotencyWindow = '1m')],
  ['a closed loop', (s) => (s.traffic.shoppers = { target: 'gateway.checkout', arrivals: 'closed', users: 10, think: { exponential: { mean: '1s' } }, retry: { maxAttempts: 2 } })],
  ['a closed loop with an empty schedule', (s) => (s.traffic.shoppers = { target: 'gateway.checkout', arrivals: 'closed', users: 10, schedule: [] })],
  ['constant arrivals without timeout', (s) => Object.assign(shoppers(s), { arrivals: 'constant', timeout: null })],
  ['links to and from queues and sources', (s) => Object.assign(s.links, { 'events->fulfilment': { latency: '1ms' }, 'shoppers -> gateway': { loss: 0.01 } })],
  ['at-most-once with a consumer timeout and poison', (s) => (s.queues.events = { consumer: 'fulfilment.ship', delivery: 'at-most-once', consumerTimeout: '1s', poison: '1%' })],
  ['redelivery backoff', (s) => (queue(s).redelivery = { backoff: 'exponential', base: '100ms', cap: '5s', jitter: 'equal' })],
  ['every fault kind', (s) => {
    s.faults.push(
      { target: 'events', kind: 'outage', at: '10s', for: '5s' },
      { target: 'payments', kind: 'crash', at: '10s', for: '5s' },
      { target: 'payments#0', kind: 'errors', rate: 0.2, at: '10s', for: '5s' },
      { target: 'payments', kind: 'latency', add: { exponential: { mean: '50ms' } }, factor: 2, at: '10s', for: '5s' },
      { target: 'payments', kind: 'capacity', concurrency: 0, at: '10s', for: '5s' },
      { target: 'payments', kind: 'capacity', factor: 0.5, at: '20s', for: '5s' },
      { target: 'gateway->payments', kind: 'partition', at: '10s', for: '5s' },
      { target: 'gateway -> events', kind: 'loss', rate: '20%', at: '10s', for: '5s' },
      { target: 'shoppers', kind: 'surge', rate: '600/s', at: '10s', for: '5s' },
      { target: 'shoppers', kind: 'surge', factor: 3, at: '20s', for: '5s' },
    );
  }],
  ['recovery settings', (s) => (s.recovery = { tolerance: '2%', hold: '0s', baseline: '30s' })],
  ['a lesson and a $schema', (s) => Object.assign(s, { $schema: '../schema/scenario.schema.json', title: 'Shop', description: 'A shop.', lesson: { question: 'q', lookFor: 'l', takeaway: 't' }, seed: -3 })],
  ['variants with extends and quoted paths', (s) => (s.variants = {
    a: { set: { 'links["gateway->payments"].loss': '1%' } },
    b: { extends: 'a', description: 'More.', set: { 'services.payments.instances': 3 } },
    c: {},
  })],
];

describe('schema/scenario.schema.json', () => {
  it('is a valid draft-07 JSON Schema that compiles in strict mode', () => {
    const schema = readJson(SCENARIO_SCHEMA_FILE);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const ajv = makeAjv();
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  const files = [...yamlFiles(SCENARIOS), ...yamlFiles(FIXTURES)];
  it('finds the bundled scenarios and the fixtures', () => {
    expect(yamlFiles(SCENARIOS).length).toBeGreaterThan(0);
    expect(yamlFiles(FIXTURES).length).toBeGreaterThanOrEqual(2);
  });

  describe.each(files.map((f) => [f.slice(REPO.length + 1), f]))('%s', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    it('is accepted by the loader and validates against the schema', () => {
      expect(loaderError(text)).toBeNull();
      const r = validateScenario(parse(text));
      expect(r.errors).toBe('');
      expect(r.ok).toBe(true);
    });
    it('names the schema on its first line, for editors', () => {
      const first = text.split('\n')[0];
      expect(first).toMatch(/^# yaml-language-server: \$schema=(\.\.\/)+schema\/scenario\.schema\.json$/);
      const target = first.split('=')[1];
      expect(join(file, '..', target)).toBe(SCENARIO_SCHEMA_FILE);
    });
  });

  describe('rejects what the loader rejects', () => {
    it.each(BROKEN)('%s', (_name, change) => {
      const s = base();
      change(s);
      const text = stringify(s);
      expect(loaderError(text), `the loader accepted:\n${text}`).not.toBeNull();
      expect(validateScenario(parse(text)).ok, `the schema accepted:\n${text}`).toBe(false);
    });
  });

  describe('accepts what the loader accepts', () => {
    it.each(VALID)('%s', (_name, change) => {
      const s = base();
      change(s);
      const text = stringify(s);
      expect(loaderError(text)).toBeNull();
      const r = validateScenario(parse(text));
      expect(r.errors).toBe('');
    });
  });
});
