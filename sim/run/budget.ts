import { meanOf } from '../engine/distributions.js';
import { chooseBucketMs } from '../metrics/timeline.js';
import { walkSteps } from '../scenario/references.js';
import type { CallPolicies, Scenario, Step } from '../scenario/types.js';

/**
 * A pessimistic estimate of the events one run needs: operations (rates × duration, or users
 * × duration / (think + 1 ms)) × events per operation, where each hop costs about four events (send,
 * work, response, timeout) times its retry attempts, down the whole call tree. Checked
 * before the run starts, so an absurd scenario is refused instead of running for hours.
 */
export function estimateEvents(s: Scenario): number {
  const endpoints = new Map<string, Scenario["services"][number]["endpoints"][number]>(s.services.flatMap((svc) => svc.endpoints.map((e) => [`${svc.name}.${e.name}`, e] as [string, typeof e])));
  const consumers = new Map(s.queues.map((q) => [q.name, `${q.consumer.service}.${q.consumer.endpoint}`]));
  const memo = new Map<string, number>();
  const perCall = (key: string, depth: number): number => {
    if (memo.has(key)) return memo.get(key)!;
    if (depth > 64) return 4;
    const ep = endpoints.get(key);
    let n = 4;
    if (ep) n += stepsCost(ep.steps, depth);
    memo.set(key, n);
    return n;
  };
  const stepsCost = (steps: Step[], depth: number): number => {
    let n = 0;
    walkSteps(steps, [], (step) => {
      const attempts = step.kind === 'parallel' ? 1 : attemptsPerCall(step);
      if (step.kind === 'call') n += step.times * attempts * perCall(`${step.target.service}.${step.target.endpoint}`, depth + 1);
      if (step.kind === 'publish') n += attempts * (4 + 6 + perCall(consumers.get(step.queue) ?? '', depth + 1));
    });
    return n;
  };
  let total = s.durationMs / 1000 + 100; // level sampling and faults
  for (const t of s.traffic) {
    const attempts = attemptsPerCall(t);
    const perOp = 2 + attempts * perCall(`${t.target.service}.${t.target.endpoint}`, 0);
    const ops =
      t.arrivals === 'closed'
        ? t.users * (s.durationMs / (meanOf(t.think) + 1))
        : Math.max(t.ratePerMs, ...t.schedule.map((e) => e.ratePerMs), ...s.faults.filter((f) => f.kind === 'surge').map((f) => f.ratePerMs ?? t.ratePerMs * f.factor)) * s.durationMs;
    total += ops * perOp;
  }
  return Math.ceil(total);
}

/**
 * The memory one finished run holds until it is aggregated, in bytes, from the timeline's
 * length and what it tracks. Measured on the bundled scenarios (e.g. sync-chain: 600 buckets,
 * 4 services, ~232 KiB); the terms are per bucket: ~260 bytes of latency histogram, 8 per
 * per-bucket series, 16 per service, breaker and queue series (an array element and its share
 * of the array), plus a fixed part for histograms, counters and traces.
 */
export function estimateRunBytes(s: Scenario): number {
  const buckets = Math.ceil(s.durationMs / chooseBucketMs(s.durationMs, s.bucketMs));
  let breakerSteps = 0;
  for (const svc of s.services) for (const ep of svc.endpoints) walkSteps(ep.steps, [], (step) => void (step.kind !== 'parallel' && step.circuitBreaker ? breakerSteps++ : 0));
  const series = 2 * s.services.length + 2 * breakerSteps + 3 * s.queues.length;
  return 64 * 1024 + buckets * (260 + 8 * 5 + 16 * series);
}

/** The most attempts one call can make: every try, each with all its hedges. */
function attemptsPerCall(p: Pick<CallPolicies, 'retry' | 'hedge'>): number {
  return (p.retry?.maxAttempts ?? 1) * (1 + (p.hedge?.max ?? 0));
}
