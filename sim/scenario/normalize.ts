import { show, type Issue, type Path } from './errors.js';
import { LIMITS } from './limits.js';
import { readDist } from './readDist.js';
import { readFault, type Names } from './readFaults.js';
import { readBackoff, readCallPolicies, readHedge, readRetry } from './readPolicies.js';
import { given, isRecord, Reader } from './reader.js';
import { checkSchema } from './schema.js';
import type { Endpoint, EndpointRef, Link, Queue, Scenario, Service, Step, TrafficSource } from './types.js';

/**
 * Raw data (as parsed from YAML, possibly patched by a variant) → a normalized Scenario,
 * or the list of issues that stop it. Schema first (fastest-validator); then units and
 * semantics, which the schema cannot express.
 */
export function normalize(raw: unknown): { scenario: Scenario | null; issues: Issue[] } {
  if (raw === null || raw === undefined) {
    return { scenario: null, issues: [{ path: [], message: 'empty scenario file (expected a mapping with name, duration, traffic and services)' }] };
  }
  if (!isRecord(raw)) {
    return { scenario: null, issues: [{ path: [], message: `wrong type (found ${show(raw)}, expected a mapping with name, duration, traffic and services)` }] };
  }
  const schemaIssues = checkSchema('scenario', raw);
  if (schemaIssues.length > 0) return { scenario: null, issues: schemaIssues };

  const r = new Reader();
  const durationMs = r.requiredPositiveDuration(raw.duration, ['duration']);
  const warmupMs = r.duration(raw.warmup, ['warmup'], 0);
  if (warmupMs >= durationMs && durationMs > 0) {
    r.error(['warmup'], `warmup must end before the run does (found ${show(raw.warmup)}, expected less than ${show(raw.duration)})`);
  }
  const drainMs = r.duration(raw.drain, ['drain'], 300_000);
  for (const [k, v] of [['duration', durationMs], ['warmup', warmupMs], ['drain', drainMs]] as const) {
    if (v > LIMITS.maxDurationMs) r.error([k], `too long (found ${show(raw[k])}, expected at most 7 days of simulated time)`);
  }
  const replications = raw.replications ?? 1;
  r.atMost(replications, LIMITS.maxReplications, ['replications'], 'replications');

  const serviceEntries = Object.entries(raw.services as Record<string, any>);
  const trafficEntries = Object.entries(raw.traffic as Record<string, any>);
  const queueEntries = Object.entries((raw.queues ?? {}) as Record<string, any>);
  if (serviceEntries.length === 0) r.error(['services'], 'no services (expected at least one)');
  if (trafficEntries.length === 0) r.error(['traffic'], 'no traffic (expected at least one source)');
  r.atMost(serviceEntries.length, LIMITS.maxServices, ['services'], 'services');
  r.atMost(trafficEntries.length, LIMITS.maxTrafficSources, ['traffic'], 'traffic sources');
  r.atMost(queueEntries.length, LIMITS.maxQueues, ['queues'], 'queues');

  const names: Names = {
    services: new Map(serviceEntries.map(([n, s]) => [n, s.instances ?? 1])),
    traffic: new Set(trafficEntries.map(([n]) => n)),
    closedTraffic: new Set(trafficEntries.filter(([, t]) => t.arrivals === 'closed').map(([n]) => n)),
    queues: new Set(queueEntries.map(([n]) => n)),
  };
  checkUniqueNames(r, names);

  const services = serviceEntries.map(([name, s]) => readService(r, name, s, ['services', name]));
  const traffic = trafficEntries.map(([name, t]) => readTraffic(r, name, t, ['traffic', name]));
  const queues = queueEntries.map(([name, q]) => readQueue(r, name, q, ['queues', name]));
  const links = readLinks(r, raw.links ?? {}, names);
  const faults = ((raw.faults ?? []) as Array<Record<string, any>>)
    .map((f, i) => readFault(r, f, ['faults', i], names, durationMs))
    .filter((f): f is NonNullable<typeof f> => f !== null);
  r.atMost(faults.length, LIMITS.maxFaults, ['faults'], 'faults');

  const rec = raw.recovery ?? {};
  const recovery = {
    tolerance: r.probability(rec.tolerance, ['recovery', 'tolerance'], 0.01),
    holdMs: r.duration(rec.hold, ['recovery', 'hold'], 30_000),
    baselineMs: r.positiveDuration(rec.baseline, ['recovery', 'baseline'], 60_000),
  };
  const bucketMs = raw.bucket === undefined ? null : r.positiveDuration(raw.bucket, ['bucket'], 1000);

  const scenario: Scenario = {
    name: raw.name,
    title: raw.title ?? raw.name,
    description: raw.description ?? '',
    lesson: raw.lesson ? { question: raw.lesson.question ?? '', lookFor: raw.lesson.lookFor ?? '', takeaway: raw.lesson.takeaway ?? '' } : null,
    seed: raw.seed ?? 1,
    durationMs,
    warmupMs,
    drainMs,
    replications,
    bucketMs,
    recovery,
    traffic,
    services,
    links,
    queues,
    faults,
  };
  return { scenario: r.issues.length === 0 ? scenario : null, issues: r.issues };
}

function checkUniqueNames(r: Reader, names: Names): void {
  for (const t of names.traffic) {
    if (names.services.has(t)) r.error(['traffic', t], `name ${JSON.stringify(t)} is also a service (expected unique names: fault targets name them)`);
  }
  for (const q of names.queues) {
    if (names.services.has(q) || names.traffic.has(q)) {
      r.error(['queues', q], `name ${JSON.stringify(q)} is also a service or traffic source (expected unique names)`);
    }
  }
}

/** `service.endpoint`. References are checked later, against the whole scenario. */
export function readEndpointRef(r: Reader, text: unknown, path: Path): EndpointRef {
  const m = typeof text === 'string' ? /^([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)$/.exec(text) : null;
  if (!m) {
    r.error(path, `bad reference (found ${show(text)}, expected service.endpoint, e.g. orders.create)`);
    return { service: '', endpoint: '' };
  }
  return { service: m[1], endpoint: m[2] };
}

function readTraffic(r: Reader, name: string, t: Record<string, any>, path: Path): TrafficSource {
  const arrivals = t.arrivals ?? 'poisson';
  let ratePerMs = 0;
  if (arrivals === 'closed') {
    if (!given(t.users)) r.error([...path, 'users'], 'missing required field (a closed loop needs users: N)');
    if (t.rate !== undefined) r.error([...path, 'rate'], 'a closed loop has no rate (its users wait, then think)');
    r.atMost(t.users ?? 0, LIMITS.maxClosedUsers, [...path, 'users'], 'users');
  } else {
    if (t.rate === undefined) r.error([...path, 'rate'], 'missing required field (expected a rate such as 200/s)');
    else ratePerMs = r.rate(t.rate, [...path, 'rate']);
    if (t.users !== undefined) r.error([...path, 'users'], `users applies to arrivals: closed (found arrivals: ${arrivals})`);
    if (t.think !== undefined) r.error([...path, 'think'], `think applies to arrivals: closed (found arrivals: ${arrivals})`);
  }
  const schedule = ((t.schedule ?? []) as Array<Record<string, any>>).map((e, i) => ({
    atMs: r.requiredDuration(e.at, [...path, 'schedule', i, 'at']),
    ratePerMs: r.rate(e.rate, [...path, 'schedule', i, 'rate']),
  }));
  r.atMost(schedule.length, LIMITS.maxScheduleEntries, [...path, 'schedule'], 'schedule entries');
  for (let i = 1; i < schedule.length; i++) {
    if (schedule[i].atMs <= schedule[i - 1].atMs) {
      r.error([...path, 'schedule', i, 'at'], 'schedule times must increase');
    }
  }
  if (arrivals === 'closed' && schedule.length > 0) r.error([...path, 'schedule'], 'a closed loop has no rate schedule');
  const timeoutMs = t.timeout === undefined || t.timeout === null ? null : r.positiveDuration(t.timeout, [...path, 'timeout'], 1000);
  return {
    name,
    target: readEndpointRef(r, t.target, [...path, 'target']),
    arrivals,
    ratePerMs,
    schedule,
    users: t.users ?? 0,
    think: readDist(r, t.think ?? '0ms', [...path, 'think']),
    timeoutMs,
    retry: readRetry(r, t.retry, [...path, 'retry']),
    hedge: readHedge(r, t.hedge, [...path, 'hedge'], timeoutMs),
  };
}

function readService(r: Reader, name: string, s: Record<string, any>, path: Path): Service {
  const endpoints = Object.entries(s.endpoints as Record<string, any>);
  if (endpoints.length === 0) r.error([...path, 'endpoints'], 'no endpoints (expected at least one)');
  r.atMost(endpoints.length, LIMITS.maxEndpointsPerService, [...path, 'endpoints'], 'endpoints');
  r.atMost(s.instances ?? 1, LIMITS.maxInstancesPerService, [...path, 'instances'], 'instances');
  r.atMost(s.concurrency ?? 1, LIMITS.maxConcurrency, [...path, 'concurrency'], 'workers');
  const service: Service = {
    name,
    kind: s.kind ?? 'service',
    instances: s.instances ?? 1,
    concurrency: s.concurrency ?? 16,
    queueLimit: s.queueLimit ?? Infinity,
    balancer: s.balancer ?? 'round-robin',
    maxQueueTimeMs: r.optionalDuration(s.maxQueueTime, [...path, 'maxQueueTime']),
    deadlinePropagation: s.deadlinePropagation ?? false,
    healthCheckMs: r.duration(s.healthCheck, [...path, 'healthCheck'], 0),
    endpoints: endpoints.map(([en, e]) => readEndpoint(r, en, e, [...path, 'endpoints', en])),
  };
  return service;
}

function readEndpoint(r: Reader, name: string, e: Record<string, any>, path: Path): Endpoint {
  const steps = readSteps(r, e.steps ?? [], [...path, 'steps'], 0);
  const count = countSteps(steps);
  r.atMost(count, LIMITS.maxStepsPerEndpoint, [...path, 'steps'], 'steps (counting times and parallel branches)');
  if (e.idempotencyWindow !== undefined && !e.idempotent) {
    r.error([...path, 'idempotencyWindow'], 'idempotencyWindow needs idempotent: true');
  }
  if (e.idempotent && !e.effect) r.error([...path, 'idempotent'], 'idempotent needs an effect to deduplicate (expected effect: <name>)');
  return {
    name,
    work: readDist(r, e.work ?? '0ms', [...path, 'work']),
    errorRate: r.probability(e.errorRate, [...path, 'errorRate'], 0),
    steps,
    effect: e.effect ?? null,
    idempotent: e.idempotent ?? false,
    idempotencyWindowMs: r.optionalDuration(e.idempotencyWindow, [...path, 'idempotencyWindow']),
  };
}

function countSteps(steps: Step[]): number {
  let n = 0;
  for (const s of steps) n += s.kind === 'parallel' ? 1 + countSteps(s.steps) : s.kind === 'call' ? s.times : 1;
  return n;
}

function readSteps(r: Reader, raw: unknown[], path: Path, depth: number): Step[] {
  if (depth > LIMITS.maxStepDepth) {
    r.error(path, `parallel steps nested too deep (found depth ${depth}, expected at most ${LIMITS.maxStepDepth})`);
    return [];
  }
  const steps: Step[] = [];
  raw.forEach((s, i) => {
    const at = [...path, i];
    const step = readStep(r, s as Record<string, any>, at, depth);
    if (step) steps.push(step);
  });
  return steps;
}

function readStep(r: Reader, s: Record<string, any>, path: Path, depth: number): Step | null {
  const kinds = ['call', 'parallel', 'publish'].filter((k) => k in s);
  if (kinds.length !== 1) {
    r.error(path, `a step needs exactly one of call, parallel or publish (found ${kinds.length === 0 ? 'none' : kinds.join(' and ')})`);
    return null;
  }
  const kind = kinds[0] as 'call' | 'parallel' | 'publish';
  const issues = checkSchema(kind, s, path);
  if (issues.length > 0) {
    r.issues.push(...issues);
    return null;
  }
  if (kind === 'parallel') {
    return { kind, steps: readSteps(r, s.parallel, [...path, 'parallel'], depth + 1) };
  }
  const policies = readCallPolicies(r, s, path);
  if (kind === 'publish') return { kind, queue: s.publish, ...policies };
  return { kind, target: readEndpointRef(r, s.call, [...path, 'call']), times: s.times ?? 1, ...policies };
}

function readLink(r: Reader, l: Record<string, any>, path: Path, fallback: Link): Link {
  return {
    latency: l.latency === undefined ? fallback.latency : readDist(r, l.latency, [...path, 'latency']),
    loss: l.loss === undefined ? fallback.loss : r.probabilityBelowOne(l.loss, [...path, 'loss'], 0),
  };
}

function readLinks(r: Reader, raw: Record<string, any>, names: Names): Scenario['links'] {
  const none: Link = { latency: { kind: 'constant', value: 0 }, loss: 0 };
  const def = raw.default ? readLink(r, raw.default, ['links', 'default'], none) : none;
  const pairs = new Map<string, Link>();
  for (const [key, l] of Object.entries(raw)) {
    if (key === 'default') continue;
    const m = /^([^\s>]+?)\s*->\s*([^\s>]+)$/.exec(key);
    if (!m) {
      r.error(['links', key], `bad link name (found ${show(key)}, expected default or from->to, e.g. gateway->orders)`);
      continue;
    }
    for (const end of [m[1], m[2]]) {
      if (!names.services.has(end) && !names.traffic.has(end) && !names.queues.has(end)) {
        r.error(['links', key], `unknown link end ${JSON.stringify(end)} (expected a service, traffic source or queue)`);
      }
    }
    // Unset fields fall back to the default link, not to zero.
    pairs.set(`${m[1]}->${m[2]}`, readLink(r, l, ['links', key], def));
  }
  return { default: def, pairs };
}

function readQueue(r: Reader, name: string, q: Record<string, any>, path: Path): Queue {
  const delivery = q.delivery ?? 'at-least-once';
  const visibilityTimeoutMs = r.positiveDuration(q.visibilityTimeout, [...path, 'visibilityTimeout'], 30_000);
  if (delivery === 'at-most-once') {
    for (const f of ['visibilityTimeout', 'ackLoss', 'maxDeliveries', 'redelivery']) {
      if (q[f] !== undefined) r.error([...path, f], `${f} applies to at-least-once delivery (found delivery: at-most-once)`);
    }
  }
  return {
    name,
    consumer: readEndpointRef(r, q.consumer, [...path, 'consumer']),
    consumers: q.consumers ?? 1,
    delivery,
    visibilityTimeoutMs,
    ackLoss: r.probabilityBelowOne(q.ackLoss, [...path, 'ackLoss'], 0),
    maxDeliveries: q.maxDeliveries ?? Infinity,
    consumerTimeoutMs: q.consumerTimeout === undefined || q.consumerTimeout === null ? null : r.positiveDuration(q.consumerTimeout, [...path, 'consumerTimeout'], 30_000),
    redelivery: readBackoff(r, q.redelivery ?? {}, [...path, 'redelivery']),
    poison: r.probability(q.poison, [...path, 'poison'], 0),
  };
}
