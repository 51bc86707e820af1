import { show, type Path } from './errors.js';
import { readDist } from './readDist.js';
import { given, isRecord, type Reader } from './reader.js';
import type { Fault, FaultKind, FaultTarget } from './types.js';
import { formatDurationMs, parseRate } from './units.js';

export interface Names {
  services: Map<string, number>; // name → instances
  traffic: Set<string>;
  /** Traffic sources with arrivals: closed (they have no rate to surge). */
  closedTraffic: Set<string>;
  queues: Set<string>;
}

/** Which target types each fault kind applies to. */
const TARGETS: Record<FaultKind, Array<FaultTarget['type']>> = {
  outage: ['service', 'queue'],
  crash: ['service'],
  errors: ['service'],
  latency: ['service'],
  capacity: ['service'],
  partition: ['link'],
  loss: ['link'],
  surge: ['traffic'],
};

const TARGET_WORDS: Record<FaultTarget['type'], string> = {
  service: 'a service (svc) or an instance (svc#0)',
  link: 'a link (a->b)',
  traffic: 'a traffic source',
  queue: 'a queue',
};

export function readTarget(text: string, names: Names): FaultTarget | { error: string } {
  const link = /^([^\s>]+?)\s*->\s*([^\s>]+)$/.exec(text);
  if (link) {
    for (const end of [link[1], link[2]]) {
      if (!names.services.has(end) && !names.traffic.has(end) && !names.queues.has(end)) {
        return { error: `unknown link end ${JSON.stringify(end)} (expected a service, traffic source or queue)` };
      }
    }
    return { type: 'link', from: link[1], to: link[2] };
  }
  const inst = /^([^#\s]+)#(\d+)$/.exec(text);
  if (inst) {
    const n = names.services.get(inst[1]);
    if (n === undefined) return { error: `unknown service ${JSON.stringify(inst[1])} (found ${show(text)})` };
    const i = Number(inst[2]);
    if (i >= n) return { error: `no such instance (found ${show(text)}, expected ${inst[1]}#0 to ${inst[1]}#${n - 1})` };
    return { type: 'service', service: inst[1], instance: i };
  }
  if (names.services.has(text)) return { type: 'service', service: text, instance: null };
  if (names.traffic.has(text)) return { type: 'traffic', source: text };
  if (names.queues.has(text)) return { type: 'queue', queue: text };
  return { error: `unknown fault target (found ${show(text)}, expected a service, svc#i, a->b, a traffic source or a queue)` };
}

export function readFault(r: Reader, raw: Record<string, any>, path: Path, names: Names, durationMs: number): Fault | null {
  const kind = raw.kind as FaultKind;
  const target = readTarget(String(raw.target), names);
  if ('error' in target) {
    r.error([...path, 'target'], target.error);
    return null;
  }
  if (!TARGETS[kind].includes(target.type)) {
    r.error(
      [...path, 'target'],
      `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} fault cannot target ${TARGET_WORDS[target.type].replace(/ \(.*/, '')} (found ${show(raw.target)}, expected ${TARGETS[kind].map((t) => TARGET_WORDS[t]).join(' or ')})`,
    );
    return null;
  }
  const atMs = r.requiredDuration(raw.at, [...path, 'at']);
  if (atMs >= durationMs && durationMs > 0) {
    r.error([...path, 'at'], `impossible window: the fault starts after the run ends (found ${show(raw.at)}, expected before ${formatDurationMs(durationMs)})`);
  }
  let forMs: number;
  // A crash says how long with restartAfter (or for); every other fault with for.
  const lengthKey = kind === 'crash' && (given(raw.restartAfter) || !given(raw.for)) ? 'restartAfter' : 'for';
  const issuesBefore = r.issues.length;
  if (kind === 'crash') {
    if (!given(raw.restartAfter) && !given(raw.for)) {
      r.error([...path, 'restartAfter'], 'missing required field (expected how long the instance stays down, e.g. 45s)');
    }
    forMs = r.duration(raw[lengthKey], [...path, lengthKey], 0);
  } else {
    forMs = r.requiredDuration(raw.for, [...path, 'for']);
  }
  // Only a well-formed length can make an impossible window: a bad one is already reported.
  if (forMs <= 0 && given(raw[lengthKey]) && r.issues.length === issuesBefore) {
    r.error([...path, lengthKey], `impossible window: a fault must last (found ${show(raw[lengthKey])}, expected a duration > 0)`);
  }
  const fault: Fault = {
    label: `${raw.target} ${kind} @${formatDurationMs(atMs)}`,
    kind,
    target,
    targetText: String(raw.target),
    atMs,
    forMs,
    rate: 0,
    add: null,
    factor: raw.factor ?? 1,
    concurrency: raw.concurrency ?? null,
    ratePerMs: null,
  };
  const unused = (field: string) => {
    if (raw[field] !== undefined) r.error([...path, field], `${field} does not apply to ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} fault`);
  };
  switch (kind) {
    case 'errors':
    case 'loss':
      if (!given(raw.rate)) r.error([...path, 'rate'], `missing required field (expected the ${kind === 'errors' ? 'error' : 'loss'} probability, e.g. 20%)`);
      fault.rate = r.probability(raw.rate, [...path, 'rate'], 0);
      ['add', 'factor', 'concurrency'].forEach(unused);
      break;
    case 'latency':
      if (!given(raw.add) && !given(raw.factor)) {
        r.error(path, 'a latency fault needs add (a duration or distribution) or factor (a multiplier)');
      }
      if (given(raw.add)) fault.add = readDist(r, raw.add, [...path, 'add']);
      ['rate', 'concurrency'].forEach(unused);
      break;
    case 'capacity':
      if (!given(raw.concurrency) && !given(raw.factor)) {
        r.error(path, 'a capacity fault needs concurrency (workers left per instance) or factor (e.g. 0.5)');
      }
      if (given(raw.factor) && raw.factor > 1) r.error([...path, 'factor'], `a capacity fault removes workers (found ${raw.factor}, expected at most 1)`);
      ['rate', 'add'].forEach(unused);
      break;
    case 'surge':
      if (target.type === 'traffic' && names.closedTraffic.has(target.source)) {
        r.error([...path, 'target'], `a surge changes an arrival rate, and a closed loop has none (found ${show(raw.target)} with arrivals: closed, expected an open-loop source)`);
      }
      if (!given(raw.rate) && !given(raw.factor)) {
        r.error(path, 'a surge needs rate (e.g. 600/s) or factor (e.g. 3)');
      }
      if (given(raw.rate)) {
        const rate = parseRate(raw.rate);
        if (typeof rate === 'number') fault.ratePerMs = rate;
        else r.error([...path, 'rate'], rate.error);
      }
      ['add', 'concurrency'].forEach(unused);
      break;
    default:
      ['rate', 'add', 'factor', 'concurrency'].forEach(unused);
  }
  if (kind !== 'crash') unused('restartAfter');
  return fault;
}

export function isFaultList(v: unknown): v is Array<Record<string, any>> {
  return Array.isArray(v) && v.every(isRecord);
}
