import { ratio, si } from './format.js';
import type { BenchResults } from './results.js';

/**
 * The ceiling as rows of (what, M/M/1 customers/s, chain requests/s), for the terminal and
 * docs/benchmarks.md alike. The engine alone is the hold model's events/s over the lean
 * chain's events per request; the chain's rates also as multiples of SimPy's.
 */
export function ceilingRows(r: BenchResults): string[][] {
  const c = r.ceiling;
  const simpy = 'skipped' in r.simpy ? null : r.simpy;
  const chain = (perSec: number) => `${si(perSec)}/s${vsSimpy(r, perSec)}`;
  const rows = [
    ['', 'M/M/1 customers/s', '4-hop chain requests/s'],
    ['faultline', `${si(r.faultline.mm1.requestsPerSec)}/s`, chain(r.faultline.chain.requestsPerSec)],
    ['lean model', `${si(c.mm1.requestsPerSec)}/s`, chain(c.chain.requestsPerSec)],
    ['lean model on a calendar-queue loop', '', chain(c.chainCalendar.requestsPerSec)],
    ['engine alone', '', chain(engineAlonePerSec(r))],
  ];
  if (simpy !== null) rows.push(['SimPy', `${si(simpy.mm1.requestsPerSec)}/s`, `${si(simpy.chain.requestsPerSec)}/s`]);
  return rows;
}

/** The lean chain's events per request: what the engine alone has to run per request. */
export function eventsPerRequest(r: BenchResults): number {
  return r.ceiling.chain.events / r.ceiling.chain.requests;
}

/** The chain's requests/s if the model cost nothing: the hold model's events/s over those. */
export function engineAlonePerSec(r: BenchResults): number {
  return r.ceiling.hold.eventsPerSec / eventsPerRequest(r);
}

/** " (N× SimPy)" for a chain rate, or nothing without SimPy. */
export function vsSimpy(r: BenchResults, chainPerSec: number): string {
  return 'skipped' in r.simpy ? '' : ` (${ratio(chainPerSec / r.simpy.chain.requestsPerSec)} SimPy)`;
}

/** How the engine-alone rate was found. */
export function engineNote(r: BenchResults): string {
  const c = r.ceiling;
  return `engine alone: the hold model's ${si(c.hold.eventsPerSec)} events/s at ${c.hold.pending} pending, over the lean chain's ${eventsPerRequest(r).toFixed(2)} events per request`;
}
