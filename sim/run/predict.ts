import { meanOf, tailBeyond } from '../engine/distributions.js';
import { walkSteps } from '../scenario/references.js';
import type { EndpointRef, HedgePolicy, RetryOn, RetryPolicy, Scenario, ServiceKind, Step } from '../scenario/types.js';
import { ResponseTimes, withPolicies } from './responseTime.js';
import { ScenarioIndex } from './scenarioIndex.js';

/**
 * Analytic predictions for `faultline explain` ("predict, then run"): what simple theory says
 * a scenario will do, computed from the normalized Scenario alone, before any simulation.
 *
 * - availability: the series product Π(1 − errorRate) along each traffic target's synchronous
 *   call tree (no faults), without and with retries (1 − (1 − p)ⁿ per retried layer);
 * - load: each endpoint's arrival rate λ, pushed down the call tree from the traffic sources
 *   (hedges included), and each service's utilization ρ = λ·E[work] / (instances × concurrency),
 *   with an estimate of the worker holding time (work + waiting for downstream calls);
 * - amplification: the worst case rᴸ, the product of maxAttempts along nested retrying layers.
 *
 * Pure functions: no I/O, no randomness. Every number comes with the formula it uses.
 */

/** `service.endpoint`. */
export function refKey(r: EndpointRef): string {
  return `${r.service}.${r.endpoint}`;
}

/** P(an attempt from `caller` to `target` takes longer than t), link and calls included (responseTime.ts); null when the call tree is too large to compute. */
function responseTail(s: Scenario, caller: string, target: EndpointRef): ((tMs: number) => number) | null {
  const r = ResponseTimes.for(s).of(caller, target);
  return r === null ? null : (t) => r.tail(t);
}

// ───────────────────────────── formatting helpers (pure) ─────────────────────────────

const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** 4 → "⁴", 10 → "¹⁰". */
export function superscript(n: number): string {
  return String(n)
    .split('')
    .map((c) => (c >= '0' && c <= '9' ? SUPERSCRIPTS[Number(c)] : c))
    .join('');
}

/** A probability close to 1 with enough digits to show its complement: 0.999, 0.99601. */
export function formatProbability(p: number): string {
  if (p >= 1) return '1';
  if (p <= 0) return '0';
  const q = 1 - p;
  const decimals = Math.min(15, Math.max(1, Math.floor(-Math.log10(q)) + 3));
  return trimZeros(p.toFixed(decimals));
}

/** An availability as a percentage with enough decimals to show the failures: 99.60%, 99.9999936%. */
export function formatAvailability(p: number): string {
  if (p >= 1) return '100%';
  if (p <= 0) return '0%';
  const q = (1 - p) * 100;
  if (q < 1e-12) return '≈100%';
  const decimals = Math.min(14, Math.max(2, Math.floor(-Math.log10(q)) + 2));
  // Trailing zeros beyond two decimals say nothing: 99.999900% → 99.9999%.
  return `${(p * 100).toFixed(decimals).replace(/(\.\d\d\d*?)0+$/, '$1')}%`;
}

/** A small probability as a percentage: 0.001 → "0.1%". */
export function formatRate(p: number): string {
  return `${Number((p * 100).toPrecision(3))}%`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

// ───────────────────────────── response and holding times ─────────────────────────────

/**
 * The mean time a request to each endpoint holds its worker, with no queueing anywhere and
 * no retries: E[work] + (1 − errorRate) × Σ over its steps of the time the step takes, where a
 * call takes `times` × (link latency both ways + the callee's own holding time), capped at the
 * step's timeout; a parallel step takes its slowest branch (a lower bound on the mean of the
 * maximum); a publish waits for the broker's ack (the link both ways). An estimate: it is what
 * a worker holds at light load, and the response time a caller sees, minus the network.
 */
export function holdingTimes(s: Scenario): Map<string, number> {
  const ix = new ScenarioIndex(s);
  const memo = new Map<string, number>();
  const inProgress = new Set<string>();
  const hold = (key: string): number => {
    const known = memo.get(key);
    if (known !== undefined) return known;
    const at = ix.endpoints.get(key);
    if (!at || inProgress.has(key)) return 0; // the loader rejects sync cycles; guard anyway
    inProgress.add(key);
    const stepsMs = at.ep.steps.reduce((sum, st) => sum + stepTime(st, at.svc.name), 0);
    inProgress.delete(key);
    const ms = meanOf(at.ep.work) + (1 - at.ep.errorRate) * stepsMs;
    memo.set(key, ms);
    return ms;
  };
  const stepTime = (step: Step, caller: string): number => {
    switch (step.kind) {
      case 'call': {
        const one = 2 * ix.latencyMs(caller, step.target.service) + hold(refKey(step.target));
        return step.times * Math.min(one, step.timeoutMs ?? Infinity);
      }
      case 'publish':
        return Math.min(2 * ix.latencyMs(caller, step.queue), step.timeoutMs ?? Infinity);
      case 'parallel':
        return step.steps.reduce((m, b) => Math.max(m, stepTime(b, caller)), 0);
    }
  };
  for (const key of ix.endpoints.keys()) hold(key);
  return memo;
}

// ───────────────────────────── hedges ─────────────────────────────

/**
 * Hedges one try of a call sends when nothing fails. Hedge k goes out at k × after if no
 * attempt sent so far has answered; with independent attempts and no queueing,
 * P(hedge k) = Π_{i=1..k} S(min(i × after, timeout)), where S(t) is the chance that an attempt
 * takes longer than t (an attempt still running at its timeout has failed: it never answers
 * successfully). A hedge due after the timeout is sent only while a later attempt is in flight,
 * which the product already requires; with after ≥ timeout no hedge is ever sent.
 */
export function expectedHedges(h: HedgePolicy, timeoutMs: number | null, tail: (tMs: number) => number): number {
  const limit = timeoutMs ?? Infinity;
  if (h.afterMs >= limit) return 0;
  let sum = 0;
  let p = 1;
  for (let k = 1; k <= h.max; k++) {
    p *= tail(Math.min(k * h.afterMs, limit));
    if (p === 0) break;
    sum += p;
  }
  return sum;
}

/**
 * S(t) for one attempt of a call from `caller` to `target`. For a callee without steps, its
 * work tail in closed form, shifted by the link's mean latency both ways; for one with calls of
 * its own, the whole response time on a grid (responseTime.ts: links, work, its calls in turn,
 * errors that skip them). No queueing: at high load attempts are later, and hedge more, than
 * this says.
 */
function attemptTail(ix: ScenarioIndex, caller: string, target: EndpointRef): ((tMs: number) => number) | null {
  const at = ix.endpoints.get(refKey(target));
  if (!at) return () => 0; // the loader rejects unknown targets
  if (at.ep.steps.length > 0) return responseTail(ix.s, caller, target);
  const shiftMs = 2 * ix.latencyMs(caller, target.service);
  return (t) => tailBeyond(at.ep.work, t - shiftMs);
}

/** A call site that hedges, and what its hedges add to the load. */
export interface HedgeLoad {
  /** `client shoppers → search.query`, `search.query → index.lookup`. */
  label: string;
  afterMs: number;
  max: number;
  /** False when the call tree below is too large to compute its response time: its hedges are left out of the loads. */
  predicted: boolean;
  /** P(an attempt takes longer than `after`): the chance of the first hedge (NaN when not predicted). */
  firstHedge: number;
  /** Expected hedges per try (see expectedHedges): the callee gets 1 + this requests per call (0 when not predicted). */
  perCall: number;
}

function hedgeLoad(label: string, h: HedgePolicy, timeoutMs: number | null, tail: ((tMs: number) => number) | null): HedgeLoad {
  if (tail === null) return { label, afterMs: h.afterMs, max: h.max, predicted: false, firstHedge: NaN, perCall: 0 };
  return { label, afterMs: h.afterMs, max: h.max, predicted: true, firstHedge: expectedHedges({ ...h, max: 1 }, timeoutMs, tail), perCall: expectedHedges(h, timeoutMs, tail) };
}

/** Every hedging call site: the traffic sources' (by index; null without a hedge) and the call steps'. */
function hedgeLoads(ix: ScenarioIndex): { sources: Array<HedgeLoad | null>; steps: Map<Step, HedgeLoad> } {
  const sources = ix.s.traffic.map((t) => (t.hedge ? hedgeLoad(`client ${t.name} → ${refKey(t.target)}`, t.hedge, t.timeoutMs, attemptTail(ix, t.name, t.target)) : null));
  const steps = new Map<Step, HedgeLoad>();
  for (const [key, { svc, ep }] of ix.endpoints) {
    walkSteps(ep.steps, [], (st) => {
      if (st.kind === 'call' && st.hedge) steps.set(st, hedgeLoad(`${key} → ${refKey(st.target)}`, st.hedge, st.timeoutMs, attemptTail(ix, svc.name, st.target)));
    });
  }
  return { sources, steps };
}

// ───────────────────────────── load and utilization ─────────────────────────────

export interface ClosedLoopBound {
  users: number;
  thinkMs: number;
  /** The response time with no queueing (client side, network included): a lower bound on R. */
  responseMs: number;
  /** λ = users / (think + R) ≤ users / (think + R₀): the bound used for the loads. */
  boundPerSec: number;
  /** users / think: the bound that needs no response time (Infinity without think time). */
  thinkBoundPerSec: number;
}

export interface SourceLoad {
  source: string;
  target: string;
  arrivals: 'poisson' | 'constant' | 'closed';
  /** Open loop: the base rate (before any schedule entry). Closed loop: the upper bound. */
  perSec: number;
  /** The highest rate of its schedule and surge faults (= perSec without them). */
  peakPerSec: number;
  closed: ClosedLoopBound | null;
  /** Requests that all services receive per operation when nothing fails (the results' amplification). */
  requestsPerOperation: number;
}

export interface EndpointLoad {
  endpoint: string;
  perSec: number;
  meanWorkMs: number;
  meanHoldMs: number;
}

export type LoadStatus = 'idle' | 'ok' | 'held' | 'saturated' | 'unknown';

export interface ServiceLoad {
  service: string;
  kind: ServiceKind;
  instances: number;
  concurrency: number;
  workers: number;
  queueLimit: number;
  /** λ: requests per second, first attempts, nothing failing. */
  perSec: number;
  peakPerSec: number;
  /** E[work], weighted by each endpoint's λ. */
  meanWorkMs: number;
  /** Estimated E[holding time], weighted by each endpoint's λ (see holdingTimes). */
  meanHoldMs: number;
  /** λ·E[work]: the average number of busy workers, from work alone (erlangs). */
  offeredLoad: number;
  /** ρ = λ·E[work] / workers: a lower bound on the workers' utilization. */
  rhoWork: number;
  /** λ·E[hold] / workers: the utilization including waiting for downstream calls (an estimate). */
  rhoHold: number;
  peakRhoWork: number;
  peakRhoHold: number;
  /** The rates come from a closed loop's upper bound: real loads are at most these. */
  upperBound: boolean;
  /** saturated: ρ(work) ≥ 1; held: only ρ(hold) ≥ 1; unknown: fed by a publish cycle or an unbounded closed loop. */
  status: LoadStatus;
  /** Like status, at the peak rates. */
  peakStatus: LoadStatus;
  endpoints: EndpointLoad[];
}

export interface QueueLoad {
  queue: string;
  consumer: string;
  consumers: number;
  perSec: number;
  peakPerSec: number;
  /** Estimated time a delivery holds a consumer slot: the link both ways + the consumer's holding time. */
  meanDeliveryMs: number;
  /** λ × E[delivery] / consumers: ≥ 1 means the backlog grows. */
  rho: number;
  peakRho: number;
  upperBound: boolean;
  status: LoadStatus;
  peakStatus: LoadStatus;
}

export interface LoadPrediction {
  sources: SourceLoad[];
  services: ServiceLoad[];
  queues: QueueLoad[];
  /** Publish cycles (a consumer that publishes back): the load feeds itself, not predicted. */
  cycles: string[];
  /** Some source's peak (schedule, surge) differs from its base rate. */
  hasPeak: boolean;
  /** The hedging call sites (traffic sources first): their hedges are in the loads. */
  hedges: HedgeLoad[];
}

type Node = string; // `e:service.endpoint` or `q:queue`

/** Arrival rates at a node; `bound`: some of it comes from a closed loop's upper bound. */
interface Rates {
  perSec: number;
  peakPerSec: number;
  bound: boolean;
}

const NO_LOAD: Rates = { perSec: 0, peakPerSec: 0, bound: false };

/**
 * The graph of first-attempt requests: endpoint → callee (× times, × 1 + its expected hedges),
 * endpoint → queue, queue → consumer.
 */
function requestGraph(ix: ScenarioIndex, hedges: Map<Step, HedgeLoad>): { edges: Map<Node, Map<Node, number>>; order: Node[]; cyclic: Set<Node> } {
  const edges = new Map<Node, Map<Node, number>>();
  const add = (from: Node, to: Node, w: number) => {
    const m = edges.get(from) ?? new Map<Node, number>();
    m.set(to, (m.get(to) ?? 0) + w);
    edges.set(from, m);
  };
  const nodes: Node[] = [];
  for (const [key, { ep }] of ix.endpoints) {
    nodes.push(`e:${key}`);
    walkSteps(ep.steps, [], (step) => {
      if (step.kind === 'call') add(`e:${key}`, `e:${refKey(step.target)}`, step.times * (1 + (hedges.get(step)?.perCall ?? 0)));
      if (step.kind === 'publish') add(`e:${key}`, `q:${step.queue}`, 1);
    });
  }
  for (const q of ix.queues.values()) {
    nodes.push(`q:${q.name}`);
    add(`q:${q.name}`, `e:${refKey(q.consumer)}`, 1);
  }
  // Kahn: nodes on a cycle (through queues: sync cycles are rejected) and below one stay out.
  const indegree = new Map<Node, number>(nodes.map((n) => [n, 0]));
  for (const m of edges.values()) for (const to of m.keys()) indegree.set(to, (indegree.get(to) ?? 0) + 1);
  const ready = nodes.filter((n) => indegree.get(n) === 0);
  const order: Node[] = [];
  while (ready.length > 0) {
    const n = ready.shift()!;
    order.push(n);
    for (const to of edges.get(n)?.keys() ?? []) {
      const d = indegree.get(to)! - 1;
      indegree.set(to, d);
      if (d === 0) ready.push(to);
    }
  }
  const done = new Set(order);
  return { edges, order, cyclic: new Set(nodes.filter((n) => !done.has(n))) };
}

/**
 * Requests each node receives per operation started at `target` (first attempts and hedges,
 * nothing failing; the target gets `first`: 1 + the client's hedges); NaN below a cycle.
 */
function multiplicities(graph: ReturnType<typeof requestGraph>, target: Node, first: number): Map<Node, number> {
  const m = new Map<Node, number>([[target, first]]);
  for (const n of graph.order) {
    const here = m.get(n);
    if (!here) continue;
    for (const [to, w] of graph.edges.get(n) ?? []) m.set(to, (m.get(to) ?? 0) + here * w);
  }
  // Everything reachable that Kahn could not order is fed by a cycle.
  const seen = new Set<Node>([target]);
  const stack = [target];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (graph.cyclic.has(n)) m.set(n, NaN);
    for (const to of graph.edges.get(n)?.keys() ?? []) {
      if (!seen.has(to)) {
        seen.add(to);
        stack.push(to);
      }
    }
  }
  return m;
}

function statusOf(rhoWork: number, rhoHold: number, perSec: number): LoadStatus {
  if (Number.isNaN(rhoWork) || Number.isNaN(perSec)) return 'unknown';
  if (perSec === 0) return 'idle';
  if (rhoWork >= 1) return 'saturated';
  if (rhoHold >= 1) return 'held';
  return 'ok';
}

/**
 * Offered load and utilization of every service and queue: each source's rate pushed down its
 * call tree (× times, to every parallel branch, through queues to their consumers), first
 * attempts only. A closed loop's rate is not known up front (it depends on the response time):
 * its upper bound users / (think + R₀) is used, R₀ being the response time with no queueing.
 */
export function predictLoad(s: Scenario): LoadPrediction {
  const ix = new ScenarioIndex(s);
  const holds = holdingTimes(s);
  const hedging = hedgeLoads(ix);
  const graph = requestGraph(ix, hedging.steps);
  const perEndpoint = new Map<string, Rates>();
  const perQueue = new Map<string, Rates>();
  const sources: SourceLoad[] = s.traffic.map((t, ti) => {
    const target = refKey(t.target);
    const m = multiplicities(graph, `e:${target}`, 1 + (hedging.sources[ti]?.perCall ?? 0));
    let perSec: number;
    let peakPerSec: number;
    let closed: ClosedLoopBound | null = null;
    if (t.arrivals === 'closed') {
      const thinkMs = meanOf(t.think);
      const responseMs = Math.min(2 * ix.latencyMs(t.name, t.target.service) + (holds.get(target) ?? 0), t.timeoutMs ?? Infinity);
      const boundPerSec = (1000 * t.users) / (thinkMs + responseMs);
      closed = { users: t.users, thinkMs, responseMs, boundPerSec, thinkBoundPerSec: thinkMs > 0 ? (1000 * t.users) / thinkMs : Infinity };
      // No think time and no response time: nothing bounds the loop's rate (NaN: not predicted).
      perSec = Number.isFinite(boundPerSec) ? boundPerSec : NaN;
      peakPerSec = perSec;
    } else {
      perSec = t.ratePerMs * 1000;
      const scheduled = [t.ratePerMs, ...t.schedule.map((e) => e.ratePerMs)];
      const peaks = [...scheduled];
      for (const f of s.faults) {
        if (f.kind === 'surge' && f.target.type === 'traffic' && f.target.source === t.name) {
          peaks.push(f.ratePerMs ?? Math.max(...scheduled) * f.factor);
        }
      }
      peakPerSec = Math.max(...peaks) * 1000;
    }
    let requests = 0;
    for (const [node, k] of m) {
      const into = node.startsWith('e:') ? perEndpoint : perQueue;
      if (node.startsWith('e:')) requests += k;
      const cur = into.get(node.slice(2)) ?? { perSec: 0, peakPerSec: 0, bound: false };
      into.set(node.slice(2), { perSec: cur.perSec + perSec * k, peakPerSec: cur.peakPerSec + peakPerSec * k, bound: cur.bound || (closed !== null && k > 0) });
    }
    return { source: t.name, target, arrivals: t.arrivals, perSec, peakPerSec, closed, requestsPerOperation: requests };
  });

  const services: ServiceLoad[] = s.services.map((svc) => {
    const workers = svc.instances * svc.concurrency;
    let perSec = 0;
    let peakPerSec = 0;
    let work = 0; // Σ λ·E[work], per ms
    let hold = 0;
    let peakWork = 0;
    let peakHold = 0;
    let bound = false;
    const endpoints: EndpointLoad[] = svc.endpoints.map((ep) => {
      const key = `${svc.name}.${ep.name}`;
      const l = perEndpoint.get(key) ?? NO_LOAD;
      bound ||= l.bound;
      const meanWorkMs = meanOf(ep.work);
      const meanHoldMs = holds.get(key) ?? meanWorkMs;
      perSec += l.perSec;
      peakPerSec += l.peakPerSec;
      work += (l.perSec / 1000) * meanWorkMs;
      hold += (l.perSec / 1000) * meanHoldMs;
      peakWork += (l.peakPerSec / 1000) * meanWorkMs;
      peakHold += (l.peakPerSec / 1000) * meanHoldMs;
      return { endpoint: ep.name, perSec: l.perSec, meanWorkMs, meanHoldMs };
    });
    const rhoWork = work / workers;
    const rhoHold = hold / workers;
    const peakRhoWork = peakWork / workers;
    const peakRhoHold = peakHold / workers;
    return {
      service: svc.name,
      kind: svc.kind,
      instances: svc.instances,
      concurrency: svc.concurrency,
      workers,
      queueLimit: svc.queueLimit,
      perSec,
      peakPerSec,
      meanWorkMs: perSec > 0 ? (1000 * work) / perSec : weightedless(endpoints, 'meanWorkMs'),
      meanHoldMs: perSec > 0 ? (1000 * hold) / perSec : weightedless(endpoints, 'meanHoldMs'),
      offeredLoad: work,
      rhoWork,
      rhoHold,
      peakRhoWork,
      peakRhoHold,
      upperBound: bound,
      status: statusOf(rhoWork, rhoHold, perSec),
      peakStatus: statusOf(peakRhoWork, peakRhoHold, peakPerSec),
      endpoints,
    };
  });

  const queues: QueueLoad[] = s.queues.map((q) => {
    const l = perQueue.get(q.name) ?? NO_LOAD;
    const consumer = refKey(q.consumer);
    const meanDeliveryMs = Math.min(2 * ix.latencyMs(q.name, q.consumer.service) + (holds.get(consumer) ?? 0), q.consumerTimeoutMs ?? Infinity);
    const rho = ((l.perSec / 1000) * meanDeliveryMs) / q.consumers;
    const peakRho = ((l.peakPerSec / 1000) * meanDeliveryMs) / q.consumers;
    return {
      queue: q.name,
      consumer,
      consumers: q.consumers,
      perSec: l.perSec,
      peakPerSec: l.peakPerSec,
      meanDeliveryMs,
      rho,
      peakRho,
      upperBound: l.bound,
      status: statusOf(rho, rho, l.perSec),
      peakStatus: statusOf(peakRho, peakRho, l.peakPerSec),
    };
  });

  return {
    sources,
    services,
    queues,
    cycles: [...graph.cyclic].map((n) => n.slice(2)).sort(),
    hasPeak: sources.some((x) => x.peakPerSec !== x.perSec && !Number.isNaN(x.perSec)),
    hedges: [...hedging.sources.filter((h) => h !== null), ...hedging.steps.values()],
  };
}

/** The plain mean over endpoints, for a service nobody calls. */
function weightedless(eps: EndpointLoad[], k: 'meanWorkMs' | 'meanHoldMs'): number {
  return eps.length === 0 ? 0 : eps.reduce((a, e) => a + e[k], 0) / eps.length;
}

// ───────────────────────────── availability ─────────────────────────────

/**
 * How one attempt ends, as probabilities: ok (success or degraded), error, timeout, and hang
 * (a lost message that no timeout notices: the caller waits for ever). ok + … = 1.
 */
export interface Outcome {
  ok: number;
  error: number;
  timeout: number;
  hang: number;
}

type FailureKind = 'error' | 'timeout' | 'hang';
const FAILURES: FailureKind[] = ['error', 'timeout', 'hang'];

/** A factor of the availability product, kept symbolic for the formula. */
export type Factor =
  | { kind: 'p'; value: number; text: string }
  | { kind: 'retry'; inner: Factor[]; attempts: number; p: number; r: number; exact: boolean }
  | { kind: 'pow'; inner: Factor[]; n: number };

interface Eval {
  o: Outcome;
  f: Factor[];
}

const OK: Eval = { o: { ok: 1, error: 0, timeout: 0, hang: 0 }, f: [] };

/** A then B, B only if A succeeded (steps of an endpoint; parallel branches, for the product). */
function seq(a: Eval, b: Eval): Eval {
  const o = { ok: a.o.ok * b.o.ok, error: 0, timeout: 0, hang: 0 };
  for (const k of FAILURES) o[k] = a.o[k] + a.o.ok * b.o[k];
  return { o, f: [...a.f, ...b.f] };
}

/** Over a link with loss l each way: both the request and the answer must arrive. */
function overLink(e: Eval, loss: number): Eval {
  if (loss === 0) return e;
  const k = (1 - loss) ** 2;
  const lost: Factor = { kind: 'p', value: 1 - loss, text: `(1 − ${formatRate(loss)})` };
  return {
    o: { ok: k * e.o.ok, error: k * e.o.error, timeout: k * e.o.timeout, hang: 1 - k + k * e.o.hang },
    f: [lost, lost, ...e.f],
  };
}

/** A timeout turns "waits for ever" into a timeout (which a retry may then retry). */
function withTimeout(e: Eval, timeoutMs: number | null): Eval {
  if (timeoutMs === null || e.o.hang === 0) return e;
  return { o: { ...e.o, timeout: e.o.timeout + e.o.hang, hang: 0 }, f: e.f };
}

function retryable(kind: FailureKind, on: RetryOn[]): boolean {
  return kind !== 'hang' && on.includes(kind);
}

/**
 * Up to n independent attempts, retrying the failures whose kind is in retryOn: with per-attempt
 * success p and retryable failure r, P(success) = p(1 − rⁿ)/(1 − r) — which is 1 − (1 − p)ⁿ
 * when every failure is retryable.
 */
function retried(e: Eval, retry: RetryPolicy): Eval {
  const n = retry.maxAttempts;
  const r = FAILURES.reduce((sum, k) => sum + (retryable(k, retry.retryOn) ? e.o[k] : 0), 0);
  if (n <= 1 || r === 0) return e;
  const geo = r >= 1 ? n : (1 - r ** n) / (1 - r);
  const o = { ok: e.o.ok * geo, error: 0, timeout: 0, hang: 0 };
  for (const k of FAILURES) o[k] = retryable(k, retry.retryOn) ? r ** (n - 1) * e.o[k] : e.o[k] * geo;
  const exact = Math.abs(1 - e.o.ok - r) < 1e-12;
  return { o, f: [{ kind: 'retry', inner: e.f, attempts: n, p: e.o.ok, r, exact }] };
}

/** N sequential copies, each of which must succeed. */
function repeated(e: Eval, n: number): Eval {
  if (n === 1 || e.f.length === 0) return e;
  const ok = e.o.ok ** n;
  const geo = e.o.ok >= 1 ? 0 : (1 - ok) / (1 - e.o.ok);
  const o = { ok, error: e.o.error * geo, timeout: e.o.timeout * geo, hang: e.o.hang * geo };
  return { o, f: [{ kind: 'pow', inner: e.f, n }] };
}

/**
 * A product of factors as text: equal factors become powers (0.999⁴), an empty product is 1.
 * A lone retry factor is written without its brackets unless `nested`.
 */
export function renderFactors(fs: Factor[], nested = false): string {
  // Powers of plain probabilities expand into counts, so (0.999)³ × 0.999 reads 0.999⁴.
  const counts = new Map<string, number>();
  const others: string[] = [];
  const order: string[] = [];
  const addP = (text: string, n: number) => {
    if (!counts.has(text)) order.push(text);
    counts.set(text, (counts.get(text) ?? 0) + n);
  };
  const visit = (f: Factor, times: number) => {
    if (f.kind === 'p') addP(f.text, times);
    else if (f.kind === 'pow' && f.inner.every((g) => g.kind === 'p' || g.kind === 'pow')) for (const g of f.inner) visit(g, times * f.n);
    else if (f.kind === 'pow') others.push(`(${renderFactors(f.inner, true)})${superscript(f.n * times)}`);
    else {
      const s = renderRetry(f);
      for (let i = 0; i < times; i++) others.push(`[${s}]`);
    }
  };
  for (const f of fs) visit(f, 1);
  const parts = [...order.map((t) => `${t}${counts.get(t)! > 1 ? superscript(counts.get(t)!) : ''}`), ...others];
  if (parts.length === 0) return '1';
  if (!nested && parts.length === 1 && others.length === 1 && parts[0].startsWith('[')) return parts[0].slice(1, -1);
  return parts.join(' × ');
}

function renderRetry(f: Extract<Factor, { kind: 'retry' }>): string {
  const inner = renderFactors(f.inner, true);
  const n = superscript(f.attempts);
  if (f.exact) return `1 − (1 − ${inner})${n}`;
  const r = Number(f.r.toPrecision(3));
  return `${inner}·(1 − ${r}${n})/(1 − ${r})`;
}

export interface AvailabilityEstimate {
  /** P(one operation succeeds), degraded answers included. */
  value: number;
  /** The formula with its numbers, e.g. `0.999⁴`. */
  formula: string;
}

export interface SourceAvailability {
  source: string;
  target: string;
  /** Every call tried once: the series product. */
  noRetries: AvailabilityEstimate;
  /** With every retry policy on the tree (the client's included); null when there is none. */
  withRetries: AvailabilityEstimate | null;
  /** What the estimate assumes or leaves out, for this tree. */
  notes: string[];
}

/** Hedges are left out of the estimate: a slow attempt's hedge may still succeed. */
function noteHedge(where: string, afterMs: number): string {
  return `${where} hedges after ${ms(afterMs)}: an attempt that fails while its hedge is in flight does not fail the call, which this estimate leaves out (it is pessimistic there)`;
}

/**
 * The probability that one operation of each traffic source succeeds, with no faults: the
 * product of (1 − errorRate) along its synchronous call tree (and (1 − loss)² per lossy link),
 * where a step with `fallback: degrade` counts as a success, `times: N` multiplies N copies,
 * parallel branches must all succeed and a publish counts as a success (its work is not
 * waited for). With retries, each retried layer succeeds with 1 − (1 − p)ⁿ, assuming
 * independent attempts (true of error rates; not of an outage).
 */
export function predictAvailability(s: Scenario): SourceAvailability[] {
  const ix = new ScenarioIndex(s);
  return s.traffic.map((t) => {
    const notes = new Set<string>();
    let anyRetry = false;
    const run = (mode: 'none' | 'retries'): Eval => {
      const memo = new Map<string, Eval>();
      const endpoint = (key: string): Eval => {
        const known = memo.get(key);
        if (known) return known;
        const at = ix.endpoints.get(key);
        if (!at) return OK;
        const e = at.ep.errorRate;
        let ev: Eval = e > 0 ? { o: { ok: 1 - e, error: e, timeout: 0, hang: 0 }, f: [{ kind: 'p', value: 1 - e, text: formatProbability(1 - e) }] } : OK;
        for (const st of at.ep.steps) ev = seq(ev, step(st, at.svc.name, key));
        memo.set(key, ev);
        return ev;
      };
      const step = (st: Step, caller: string, callerKey: string): Eval => {
        switch (st.kind) {
          case 'parallel':
            return st.steps.reduce((acc, b) => seq(acc, step(b, caller, callerKey)), OK);
          case 'publish':
            if (mode === 'none') notes.add(`${callerKey} publishes to ${st.queue}: counted as a success (the work behind the queue is not waited for)`);
            return OK;
          case 'call': {
            const target = refKey(st.target);
            let attempt = withTimeout(overLink(endpoint(target), ix.loss(caller, st.target.service)), st.timeoutMs);
            if (mode === 'retries' && st.retry && st.retry.maxAttempts > 1) {
              anyRetry = true;
              noteRetry(notes, `${callerKey} → ${target}`, attempt, st.retry);
              attempt = retried(attempt, st.retry);
            }
            const all = repeated(attempt, st.times);
            if (mode === 'none' && st.hedge) notes.add(noteHedge(`${callerKey} → ${target}`, st.hedge.afterMs));
            if (mode === 'none') {
              const callee = ix.endpoints.get(target);
              const latency = 2 * ix.latencyMs(caller, st.target.service);
              if (callee && st.timeoutMs !== null) {
                // A callee without steps: its work tail in closed form; with calls of its own: its whole response time, on a grid.
                const leaf = callee.ep.steps.length === 0;
                const tail = leaf ? tailBeyond(callee.ep.work, st.timeoutMs - latency) : (responseTail(s, caller, st.target)?.(st.timeoutMs) ?? 0);
                if (tail >= TAIL_NOTED) {
                  const again =
                    st.retry && st.retry.maxAttempts > 1 && st.retry.retryOn.includes('timeout') && callee.ep.effect && !callee.ep.idempotent
                      ? `; a retry after one runs ${callee.ep.effect} again (not idempotent)`
                      : '';
                  const what = leaf ? `work times outlast the timeout (${ms(st.timeoutMs)}, less the network)` : `response times outlast the timeout (${ms(st.timeoutMs)}; its own calls and the network included, no queueing)`;
                  notes.add(`${callerKey} → ${target}: about ${formatRate(tail)} of its ${what}: those calls time out, which this estimate leaves out${again}`);
                }
              }
            }
            if (st.fallback === 'degrade') {
              if (mode === 'none' && all.f.length > 0) notes.add(`${callerKey} → ${target} has fallback: degrade: its failures count as (degraded) successes`);
              return OK;
            }
            return all;
          }
        }
      };
      const target = refKey(t.target);
      let op = withTimeout(overLink(endpoint(target), ix.loss(t.name, t.target.service)), t.timeoutMs);
      if (mode === 'retries' && t.retry && t.retry.maxAttempts > 1) {
        anyRetry = true;
        noteRetry(notes, `client ${t.name}`, op, t.retry);
        op = retried(op, t.retry);
      }
      if (mode === 'none' && t.hedge) notes.add(noteHedge(`client ${t.name}`, t.hedge.afterMs));
      if (mode === 'none') {
        if (t.timeoutMs !== null) {
          const tail = responseTail(s, t.name, t.target)?.(t.timeoutMs) ?? 0;
          if (tail >= TAIL_NOTED) {
            notes.add(`client ${t.name}: about ${formatRate(tail)} of its response times outlast its timeout (${ms(t.timeoutMs)}; network included, no queueing): those operations time out, which this estimate leaves out`);
          }
        }
        if (op.o.hang > 0) notes.add('a lost message that no timeout notices leaves its caller waiting for ever: counted as a failure');
      }
      return op;
    };
    const none = run('none');
    const withR = run('retries');
    return {
      source: t.name,
      target: refKey(t.target),
      noRetries: { value: none.o.ok, formula: renderFactors(none.f) },
      withRetries: anyRetry ? { value: withR.o.ok, formula: renderFactors(withR.f) } : null,
      notes: [...notes],
    };
  });
}

function noteRetry(notes: Set<string>, where: string, attempt: Eval, retry: RetryPolicy): void {
  const fail = 1 - attempt.o.ok;
  if (retry.budget !== null && fail > retry.budget) {
    notes.add(`${where}: the retry budget (${formatRate(retry.budget)}) is below the failure rate (${formatRate(fail)}): retries are capped, so the estimate with retries is optimistic`);
  }
  const skipped = FAILURES.filter((k) => attempt.o[k] > 0 && !retryable(k, retry.retryOn));
  if (skipped.length > 0) notes.add(`${where} does not retry ${skipped.map((k) => (k === 'hang' ? 'lost messages without a timeout' : `${k}s`)).join(' or ')}`);
}

/** Timeouts cutting into fewer response times than this (0.05%) are not worth a note. */
const TAIL_NOTED = 0.0005;

function ms(x: number): string {
  return `${trimZeros(x.toFixed(3))}ms`;
}

// ───────────────────────────── retry amplification ─────────────────────────────

/** One retrying layer on a path: a client retry, a call step's retry, or a queue's redeliveries. */
export interface AmplificationLayer {
  /** `client shoppers`, `gateway.checkout → orders.create`, `deliveries by order-events`. */
  label: string;
  /** How many times this layer sends a request that keeps failing (maxAttempts, × times with a fallback, maxDeliveries). */
  factor: number;
  /** A retry budget caps the layer, in the long run, at (1 + budget) attempts per call. */
  budget: number | null;
}

export interface AmplificationPath {
  /** The endpoints from the traffic target down to the leaf. */
  hops: string[];
  /** The layers that multiply when the leaf's service fails, from the top. */
  layers: AmplificationLayer[];
  /** rᴸ: requests the leaf's service receives per operation when it fails every request. */
  worst: number;
  /** The same with retry budgets applied in the long run (null when no layer has a budget). */
  withBudgets: number | null;
  /** The path goes back to an endpoint already on it (through a queue): cut there. */
  cycle: boolean;
}

export interface SourceAmplification {
  source: string;
  target: string;
  /** Requests all services receive per operation when nothing fails. */
  requestsPerOperation: number;
  paths: AmplificationPath[];
  /** The largest rᴸ over the paths. */
  worst: number;
  /** More paths than MAX_PATHS: the rest are left out. */
  truncated: boolean;
}

const MAX_PATHS = 500;

interface StackLayer {
  label: string;
  factor: number;
  budget: number | null;
  /** A failure stops here: the layer above sees a success (fallback) or never waited (queue). */
  stops: boolean;
}

/**
 * The worst-case retry amplification rᴸ of every path from each traffic source to a leaf
 * endpoint: when the leaf's service fails every request, how many requests it receives per
 * operation. Going up from the leaf, every retrying layer multiplies (maxAttempts; `times: N`
 * with a fallback keeps going, × N) until a layer that stops the failure: a fallback (the
 * caller sees a degraded success) or a queue (the publisher got its ack; the queue redelivers
 * up to maxDeliveries instead). Without failures `times` does not multiply here: the first
 * failing copy fails the endpoint.
 */
export function predictAmplification(s: Scenario): SourceAmplification[] {
  const ix = new ScenarioIndex(s);
  const load = predictLoad(s);
  return s.traffic.map((t, ti) => {
    const target = refKey(t.target);
    const paths: AmplificationPath[] = [];
    let truncated = false;
    const client: StackLayer = { label: `client ${t.name}`, factor: attemptsOf(t.retry), budget: t.retry?.budget ?? null, stops: false };
    const leaf = (hops: string[], stack: StackLayer[], cycle: boolean) => {
      if (paths.length >= MAX_PATHS) {
        truncated = true;
        return;
      }
      const layers: AmplificationLayer[] = [];
      for (let i = stack.length - 1; i >= 0; i--) {
        const l = stack[i];
        if (l.factor !== 1) layers.unshift({ label: l.label, factor: l.factor, budget: l.budget });
        if (l.stops) break;
      }
      const worst = layers.reduce((p, l) => p * l.factor, 1);
      const budgeted = layers.some((l) => l.budget !== null);
      const withBudgets = budgeted ? layers.reduce((p, l) => p * (l.budget !== null ? Math.min(l.factor, 1 + l.budget) : l.factor), 1) : null;
      paths.push({ hops, layers, worst, withBudgets, cycle });
    };
    const visit = (key: string, hops: string[], stack: StackLayer[]) => {
      if (truncated) return;
      const at = ix.endpoints.get(key);
      const children: Array<{ key: string; layer: StackLayer; queue?: StackLayer }> = [];
      if (at) {
        walkSteps(at.ep.steps, [], (st) => {
          if (st.kind === 'call') {
            const target = refKey(st.target);
            const fallback = st.fallback === 'degrade';
            children.push({
              key: target,
              layer: {
                label: `${key} → ${target}${fallback && st.times > 1 ? ` × ${st.times} with fallback` : ''}`,
                factor: attemptsOf(st.retry) * (fallback ? st.times : 1),
                budget: st.retry?.budget ?? null,
                stops: fallback,
              },
            });
          } else if (st.kind === 'publish') {
            const q = ix.queues.get(st.queue);
            if (q) {
              const deliveries = q.delivery === 'at-most-once' ? 1 : q.maxDeliveries;
              children.push({ key: refKey(q.consumer), layer: { label: `deliveries by ${q.name}`, factor: deliveries, budget: null, stops: true } });
            }
          }
        });
      }
      if (children.length === 0) {
        leaf(hops, stack, false);
        return;
      }
      for (const c of children) {
        const next = [...hops, c.key];
        if (hops.includes(c.key)) leaf(next, [...stack, c.layer], true);
        else visit(c.key, next, [...stack, c.layer]);
      }
    };
    visit(target, [target], [client]);
    return {
      source: t.name,
      target,
      requestsPerOperation: load.sources[ti].requestsPerOperation,
      paths,
      worst: paths.reduce((m, p) => Math.max(m, p.worst), 1),
      truncated,
    };
  });
}

function attemptsOf(retry: RetryPolicy | null): number {
  return retry && retry.retryOn.length > 0 ? retry.maxAttempts : 1;
}

// ───────────────────────────── latency ─────────────────────────────

export interface LatencyEstimate {
  source: string;
  target: string;
  /** P(an operation succeeds, within the timeouts): what the percentiles are conditional on; null as below. */
  success: number | null;
  /** Percentiles and mean of a successful operation's response time (as the results count latency); null when the call tree is too large to compute. */
  p50Ms: number | null;
  p99Ms: number | null;
  p999Ms: number | null;
  meanMs: number | null;
}

/**
 * The response time of a successful operation of each traffic source with no queueing
 * anywhere: the network, the work and the calls in turn (responseTime.ts), hedges included (the
 * client's too), retries not; errors, timeouts and losses are failures, as in the results'
 * latency, and fallbacks answer at the failure. What the run adds to it is queueing.
 */
export function predictLatency(s: Scenario): LatencyEstimate[] {
  const rt = ResponseTimes.for(s);
  return s.traffic.map((t) => {
    const a = rt.answer(t.name, t.target);
    // The client's own hedge and timeout, as a call step's.
    const r = a === null ? null : withPolicies(a, t.hedge, t.timeoutMs).ok;
    return {
      source: t.name,
      target: refKey(t.target),
      success: r?.total ?? null,
      p50Ms: r?.quantile(0.5) ?? null,
      p99Ms: r?.quantile(0.99) ?? null,
      p999Ms: r?.quantile(0.999) ?? null,
      meanMs: r?.meanMs ?? null,
    };
  });
}

// ───────────────────────────── all together ─────────────────────────────

export interface Predictions {
  availability: SourceAvailability[];
  latency: LatencyEstimate[];
  load: LoadPrediction;
  amplification: SourceAmplification[];
}

export function predict(s: Scenario): Predictions {
  return { availability: predictAvailability(s), latency: predictLatency(s), load: predictLoad(s), amplification: predictAmplification(s) };
}
