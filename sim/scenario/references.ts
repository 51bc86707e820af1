import { meanOf } from '../engine/distributions.js';
import type { Issue, Path } from './errors.js';
import type { Endpoint, EndpointRef, RetryPolicy, Scenario, Step } from './types.js';

/** Unknown services, endpoints and queues; synchronous call cycles (which would never end). */
export function checkReferences(s: Scenario): Issue[] {
  const issues: Issue[] = [];
  const services = new Map(s.services.map((svc) => [svc.name, svc]));
  const queues = new Set(s.queues.map((q) => q.name));

  const checkRef = (ref: EndpointRef, path: Path) => {
    const svc = services.get(ref.service);
    if (!svc) {
      issues.push({ path, message: `unknown service ${JSON.stringify(ref.service)} (expected one of: ${[...services.keys()].join(', ')})` });
      return false;
    }
    if (!svc.endpoints.some((e) => e.name === ref.endpoint)) {
      issues.push({
        path,
        message: `unknown endpoint ${JSON.stringify(`${ref.service}.${ref.endpoint}`)} (expected one of: ${svc.endpoints.map((e) => `${svc.name}.${e.name}`).join(', ')})`,
      });
      return false;
    }
    return true;
  };

  for (const t of s.traffic) checkRef(t.target, ['traffic', t.name, 'target']);
  for (const q of s.queues) checkRef(q.consumer, ['queues', q.name, 'consumer']);

  // The synchronous call graph between endpoints, with the path of each call step.
  const edges = new Map<string, Array<{ to: string; path: Path }>>();
  for (const svc of s.services) {
    for (const ep of svc.endpoints) {
      const from = `${svc.name}.${ep.name}`;
      const out: Array<{ to: string; path: Path }> = [];
      walkSteps(ep.steps, ['services', svc.name, 'endpoints', ep.name, 'steps'], (step, path) => {
        if (step.kind === 'call') {
          if (checkRef(step.target, [...path, 'call'])) out.push({ to: `${step.target.service}.${step.target.endpoint}`, path: [...path, 'call'] });
        } else if (step.kind === 'publish' && !queues.has(step.queue)) {
          issues.push({
            path: [...path, 'publish'],
            message:
              queues.size > 0
                ? `unknown queue ${JSON.stringify(step.queue)} (expected one of: ${[...queues].join(', ')})`
                : `unknown queue ${JSON.stringify(step.queue)} (expected a queue defined under queues:, and there are none)`,
          });
        }
      });
      edges.set(from, out);
    }
  }
  const cycle = findCycle(edges);
  if (cycle) issues.push({ path: cycle.path, message: `synchronous call cycle: ${cycle.nodes.join(' -> ')} (expected calls that end)` });
  if (issues.length === 0) issues.push(...zeroTimeLoops(s));
  return issues;
}

/**
 * A closed loop whose users neither think nor wait: think time, work and latency all zero on
 * the whole synchronous path. Its operations take no simulated time, so they would repeat
 * forever at one instant — no estimate of events can bound that. Flagged only when the zero
 * is certain (every distribution here is ≥ 0, so a mean of 0 means always 0); anything that
 * may take time (a fault that adds latency or cuts capacity, a lossy link, a backoff) clears it.
 */
function zeroTimeLoops(s: Scenario): Issue[] {
  if (s.faults.some((f) => f.kind === 'latency' || f.kind === 'capacity' || f.kind === 'partition' || f.kind === 'loss')) return [];
  const endpoints = new Map<string, Endpoint>(s.services.flatMap((svc) => svc.endpoints.map((e) => [`${svc.name}.${e.name}`, e] as const)));
  const instantLink = (from: string, to: string) => {
    const l = s.links.pairs.get(`${from}->${to}`) ?? s.links.default;
    return meanOf(l.latency) === 0 && l.loss === 0;
  };
  const noBackoff = (r: RetryPolicy | null) => r === null || r.backoff === 'none' || r.baseMs === 0;
  // Memoized: a call tree with fan-out visits an endpoint many times (there are no cycles here).
  const memo = new Map<string, boolean>();
  const instant = (service: string, endpoint: string): boolean => {
    const key = `${service}.${endpoint}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const ep = endpoints.get(key);
    let all = ep !== undefined && meanOf(ep.work) === 0;
    if (ep && all) {
      walkSteps(ep.steps, [], (step) => {
        if (step.kind === 'call') all &&= noBackoff(step.retry) && instantLink(service, step.target.service) && instant(step.target.service, step.target.endpoint);
        else if (step.kind === 'publish') all &&= noBackoff(step.retry) && instantLink(service, step.queue);
      });
    }
    memo.set(key, all);
    return all;
  };
  const issues: Issue[] = [];
  for (const t of s.traffic) {
    if (t.arrivals !== 'closed' || meanOf(t.think) !== 0 || !noBackoff(t.retry) || !instantLink(t.name, t.target.service)) continue;
    if (!instant(t.target.service, t.target.endpoint)) continue;
    issues.push({
      path: ['traffic', t.name, 'think'],
      message: `a closed loop that takes no simulated time: its users think 0ms and every call on its path takes 0ms, so they would repeat forever at one instant (expected a think time, or a work time or latency above 0)`,
    });
  }
  return issues;
}

export function walkSteps(steps: Step[], path: Path, visit: (step: Step, path: Path) => void): void {
  steps.forEach((step, i) => {
    const p = [...path, i];
    visit(step, p);
    if (step.kind === 'parallel') walkSteps(step.steps, [...p, 'parallel'], visit);
  });
}

function findCycle(edges: Map<string, Array<{ to: string; path: Path }>>): { nodes: string[]; path: Path } | null {
  const state = new Map<string, 1 | 2>(); // 1 = on the stack, 2 = done
  const stack: string[] = [];
  const visit = (node: string): { nodes: string[]; path: Path } | null => {
    state.set(node, 1);
    stack.push(node);
    for (const e of edges.get(node) ?? []) {
      const st = state.get(e.to);
      if (st === 1) return { nodes: [...stack.slice(stack.indexOf(e.to)), e.to], path: e.path };
      if (st === undefined) {
        const c = visit(e.to);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(node, 2);
    return null;
  };
  for (const node of edges.keys()) {
    if (!state.has(node)) {
      const c = visit(node);
      if (c) return c;
    }
  }
  return null;
}
