import { meanOf } from '../engine/distributions.js';
import { walkSteps } from '../scenario/references.js';
import { r6 } from './aggregate.js';
import type { Scenario } from '../scenario/types.js';
import type { Topology } from './results.js';

/** The system's shape, for the report's topology and `faultline explain`. */
export function topologyOf(s: Scenario): Topology {
  const edges: Topology['edges'] = [];
  const seen = new Set<string>();
  const add = (e: Topology['edges'][number]) => {
    if (!seen.has(e.key)) {
      seen.add(e.key);
      edges.push(e);
    }
  };
  for (const t of s.traffic) add({ key: `${t.name}->${t.target.service}.${t.target.endpoint}`, kind: 'client', from: t.name, to: t.target.service });
  for (const svc of s.services) {
    for (const ep of svc.endpoints) {
      walkSteps(ep.steps, [], (step) => {
        if (step.kind === 'call') add({ key: `${svc.name}->${step.target.service}.${step.target.endpoint}`, kind: 'call', from: svc.name, to: step.target.service });
        if (step.kind === 'publish') add({ key: `${svc.name}->${step.queue}`, kind: 'publish', from: svc.name, to: step.queue });
      });
    }
  }
  for (const q of s.queues) add({ key: `${q.name}->${q.consumer.service}.${q.consumer.endpoint}`, kind: 'delivery', from: q.name, to: q.consumer.service });
  return {
    services: s.services.map((svc) => ({ name: svc.name, kind: svc.kind, instances: svc.instances, concurrency: svc.concurrency, endpoints: svc.endpoints.map((e) => e.name) })),
    traffic: s.traffic.map((t) => ({
      name: t.name,
      target: `${t.target.service}.${t.target.endpoint}`,
      arrivals: t.arrivals,
      ratePerSec: t.arrivals === 'closed' ? null : r6(t.ratePerMs * 1000),
      users: t.arrivals === 'closed' ? t.users : null,
    })),
    queues: s.queues.map((q) => ({ name: q.name, consumer: `${q.consumer.service}.${q.consumer.endpoint}`, delivery: q.delivery })),
    edges,
    links: [...new Set(edges.map((e) => `${e.from}->${e.to}`))].map((key) => {
      const [from, to] = key.split('->');
      const link = s.links.pairs.get(key) ?? s.links.default;
      return { from, to, meanLatencyMs: r6(meanOf(link.latency)), loss: r6(link.loss) };
    }),
  };
}
