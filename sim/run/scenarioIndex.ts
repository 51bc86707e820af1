import { meanOf } from '../engine/distributions.js';
import type { Endpoint, Link, Queue, Scenario, Service } from '../scenario/types.js';

export interface Located {
  svc: Service;
  ep: Endpoint;
}

/** A scenario's endpoints (by `service.endpoint`), queues and links, for the analytic predictions. */
export class ScenarioIndex {
  readonly endpoints = new Map<string, Located>();
  readonly queues = new Map<string, Queue>();

  constructor(readonly s: Scenario) {
    for (const svc of s.services) for (const ep of svc.endpoints) this.endpoints.set(`${svc.name}.${ep.name}`, { svc, ep });
    for (const q of s.queues) this.queues.set(q.name, q);
  }

  link(from: string, to: string): Link {
    return this.s.links.pairs.get(`${from}->${to}`) ?? this.s.links.default;
  }

  /** Mean one-way latency of the link `from->to`. */
  latencyMs(from: string, to: string): number {
    return meanOf(this.link(from, to).latency);
  }

  loss(from: string, to: string): number {
    return this.link(from, to).loss;
  }
}
