import { makeSampler } from '../engine/distributions.js';
import type { Fault } from '../scenario/types.js';
import type { InstanceRt, LatencyAdd } from './service.js';
import { instanceDown, instanceUp, startNext } from './service.js';
import type { World } from './world.js';

/**
 * The fault timeline: each fault starts at `at` and ends `for` later. Overlapping faults
 * compose: error and loss probabilities as independent events, latency factors multiply and
 * additions add up, capacity takes the smallest, surges the largest rate, and an instance
 * is down while any outage or crash covers it.
 */
export function scheduleFaults(world: World): void {
  world.scenario.faults.forEach((fault, i) => {
    const effect = faultEffect(world, fault, i);
    world.sim.at(fault.atMs, applyFault, effect.start);
    world.sim.at(fault.atMs + fault.forMs, applyFault, effect.end);
  });
}

function applyFault(f: () => void): void {
  f();
}

function faultEffect(world: World, fault: Fault, index: number): { start: () => void; end: () => void } {
  const now = () => world.sim.nowMs;
  const t = fault.target;
  const instances = (): InstanceRt[] => {
    if (t.type !== 'service') return [];
    const svc = world.service(t.service);
    return t.instance === null ? svc.instances : [svc.instances[t.instance]];
  };
  switch (fault.kind) {
    case 'outage':
    case 'crash':
      if (t.type === 'queue') {
        const q = world.queue(t.queue);
        return { start: () => void q.downCount++, end: () => (q.downCount--, q.dispatch()) };
      }
      return {
        start: () => instances().forEach((inst) => instanceDown(inst, now())),
        end: () => instances().forEach((inst) => instanceUp(inst, now())),
      };
    case 'errors':
      return {
        start: () => instances().forEach((inst) => (inst.errorFaults.push(fault.rate), recomputeErrors(inst))),
        end: () => instances().forEach((inst) => (inst.errorFaults.splice(inst.errorFaults.indexOf(fault.rate), 1), recomputeErrors(inst))),
      };
    case 'latency': {
      const add: LatencyAdd | null = fault.add ? { sample: makeSampler(fault.add), stream: world.stream(`fault:${index}/latency`) } : null;
      return {
        start: () =>
          instances().forEach((inst) => {
            inst.latencyFactors.push(fault.factor);
            if (add) inst.latencyAdds.push(add);
            recomputeLatency(inst);
          }),
        end: () =>
          instances().forEach((inst) => {
            inst.latencyFactors.splice(inst.latencyFactors.indexOf(fault.factor), 1);
            if (add) inst.latencyAdds.splice(inst.latencyAdds.indexOf(add), 1);
            recomputeLatency(inst);
          }),
      };
    }
    case 'capacity': {
      const left = (inst: InstanceRt) => fault.concurrency ?? Math.floor(inst.svc.def.concurrency * fault.factor);
      return {
        start: () => instances().forEach((inst) => (inst.capacityFaults.push(left(inst)), recomputeCapacity(inst))),
        end: () => instances().forEach((inst) => (inst.capacityFaults.splice(inst.capacityFaults.indexOf(left(inst)), 1), recomputeCapacity(inst))),
      };
    }
    case 'partition': {
      const links = t.type === 'link' ? world.links.between(t.from, t.to) : [];
      return { start: () => links.forEach((l) => l.partitions++), end: () => links.forEach((l) => l.partitions--) };
    }
    case 'loss': {
      const links = t.type === 'link' ? world.links.between(t.from, t.to) : [];
      return { start: () => links.forEach((l) => l.addLossFault(fault.rate)), end: () => links.forEach((l) => l.removeLossFault(fault.rate)) };
    }
    case 'surge':
      // The source reads its surges from the scenario, so it can draw gaps across them.
      return { start: () => {}, end: () => {} };
  }
}

function recomputeErrors(inst: InstanceRt): void {
  let pass = 1;
  for (const p of inst.errorFaults) pass *= 1 - p;
  inst.extraErrorRate = 1 - pass;
}

function recomputeLatency(inst: InstanceRt): void {
  inst.latencyFactor = inst.latencyFactors.reduce((a, b) => a * b, 1);
}

function recomputeCapacity(inst: InstanceRt): void {
  inst.capacity = Math.min(inst.svc.def.concurrency, ...inst.capacityFaults);
  startNext(inst);
}
