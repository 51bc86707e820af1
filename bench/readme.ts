import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bothOrEach, mb, pct, ratio, si, spanLabel } from './format.js';
import { ROOT } from './paths.js';
import { TARGETS } from './plan.js';
import type { BenchResults } from './results.js';
import { wasBusy } from './machine.js';
import { trialCount } from './trials.js';
import { engineAlonePerSec, eventsPerRequest, vsSimpy } from './ceilingRows.js';

export const README_FILE = join(ROOT, 'README.md');
const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

/** The speed the issue assumed for SimPy's chain when it set the 50× target. */
const ASSUMED_SIMPY_CHAIN_PER_SEC = 13_000;

/**
 * The README's performance block, from the same results as docs/benchmarks.md, so the two
 * can never disagree: a full `npm run bench` rewrites it between the bench markers.
 */
export function renderReadmeBlock(r: BenchResults): string {
  const f = r.faultline;
  const m = r.machine;
  const met = (pass: boolean | null) => (pass === null ? 'not measured' : pass ? '**met**' : '**missed**');
  const target = (id: string) => r.targets.find((t) => t.id === id)!;
  const simpy = 'skipped' in r.simpy ? null : r.simpy;
  const cmp = (model: string) => r.comparisons.find((c) => c.model === model) ?? null;
  const L: string[] = [];
  const busy = wasBusy(m) ? `; the machine was busy (${pct(m.cpuBusyBefore, 0)} of its cores in use as the bench started), so the figures are probably low` : '';
  L.push(`On this project's ${m.cores}-core machine (Node ${m.node.split('.')[0].replace(/^v/, '')}${m.simpy ? `; SimPy ${m.simpy} on Python ${m.python} for the comparison` : ''}${busy}):`);
  L.push('');
  L.push('| benchmark | faultline | SimPy, same model | target |');
  L.push('|---|---|---|---|');

  const mm1 = f.mm1;
  const mm1Cmp = cmp('M/M/1');
  const warm = mm1.warm ? `; ${si(mm1.warm.requestsPerSec)}/s run again in the same process, JIT warm` : '';
  L.push(
    `| M/M/1, ρ = 0.8, ${si(mm1.requests)} customers | **${si(mm1.requestsPerSec)} customers/s** in a fresh process (${si(mm1.eventsPerSec)} events/s)${warm}; peak RSS ${mb(mm1.peakRssMB)} | ${mm1Cmp ? `${si(mm1Cmp.simpyPerSec)}/s (${ratio(mm1Cmp.ratio)})` : 'not installed'} | ≥ ${TARGETS.mm1CustomersPerSec / 1e6} M/s (fresh process): ${met(target('mm1-rate').pass)} |`,
  );

  const ch = f.chain;
  const chCmp = cmp('4-hop chain');
  let chNote = '';
  if (chCmp && chCmp.ratio < TARGETS.chainVsSimpy && simpy) {
    const vsAssumed = ch.requestsPerSec / ASSUMED_SIMPY_CHAIN_PER_SEC;
    chNote = ` (SimPy runs at ${si(chCmp.simpyPerSec)}/s here, not the ~${ASSUMED_SIMPY_CHAIN_PER_SEC / 1000} k/s the target assumed; against that, ${ratio(vsAssumed)})`;
  }
  L.push(
    `| 4-hop chain, 1000 req/s, ${spanLabel(ch.simulatedMs)} simulated (16 workers per hop, lognormal work, 1 ms links, 0.1% errors, 1 s client timeout) | **${si(ch.requestsPerSec)} simulated requests/s** (${si(ch.eventsPerSec)} events/s) | ${chCmp ? `${si(chCmp.simpyPerSec)}/s (${ratio(chCmp.ratio)})` : 'not installed'} | ≥ ${TARGETS.chainVsSimpy}× SimPy: ${met(target('chain-vs-simpy').pass)}${chNote} |`,
  );

  const short = f.chainShort;
  const growth = ch.peakRssMB / short.peakRssMB;
  let heapNotes = '';
  if (ch.liveHeapMB !== null && short.liveHeapMB !== null) heapNotes = `; ${bothOrEach('live heap', ch.liveHeapMB, short.liveHeapMB)}`;
  if (ch.youngGenMB !== undefined && short.youngGenMB !== undefined) heapNotes += `; ${bothOrEach("V8's young generation", ch.youngGenMB, short.youngGenMB)}`;
  const memPass = target('chain-rss').pass === true && target('chain-rss-growth').pass === true;
  L.push(
    `| memory, the same chain | peak RSS ${mb(ch.peakRssMB)} for ${spanLabel(ch.simulatedMs)}, ${mb(short.peakRssMB)} for ${spanLabel(short.simulatedMs)} (${growth.toFixed(2)}×)${heapNotes} | | < ${TARGETS.chainPeakRssMB} MB and ≤ ${TARGETS.chainRssGrowth}×: ${met(memPass)} |`,
  );

  const sp = r.speedup;
  L.push(
    `| ${sp.replications} replications on ${m.cores} cores, \`--jobs 2\` vs \`--jobs 1\` | **${sp.speedup.toFixed(2)}×**, ${sp.identical ? 'byte-identical results' : '**different results**'} | | ≥ ${TARGETS.speedup}×: ${met(target('speedup').pass)} |`,
  );

  if (r.reportLoad.status === 'ok') {
    for (const row of r.reportLoad.rows) {
      L.push(
        `| report of the default scenario | ${si(row.bytes)}B, all charts drawn ${Math.round(row.loadToDrawnMs)} ms after load | | < ${TARGETS.reportBytes / 1e6} MB: ${met(row.bytes < TARGETS.reportBytes)} |`,
      );
    }
  }
  L.push('');
  const trials = trialCount(f.mm1);
  L.push(
    trials > 1
      ? `One run of \`npm run bench\`; each rate is the median of ${trials} fresh-process trials, faultline's and SimPy's interleaved (on this shared virtual machine one figure moves by 20–50% between runs).`
      : 'One run of `npm run bench`. On this shared virtual machine the figures, SimPy\'s included, move by 20% or more from one run to the next: compare figures taken in the same run.',
  );
  const c = r.ceiling;
  const vs = (perSec: number) => vsSimpy(r, perSec);
  L.push('');
  L.push(
    `The ceiling, measured in the same run: the chain stripped to what it needs runs at ${si(c.chain.requestsPerSec)} requests/s${vs(c.chain.requestsPerSec)} on this engine ` +
      `and at ${si(c.chainCalendar.requestsPerSec)}/s${vs(c.chainCalendar.requestsPerSec)} on a calendar-queue event loop, ` +
      `and the engine alone, doing nothing but its ${eventsPerRequest(r).toFixed(0)} events per request, at ${si(engineAlonePerSec(r))}/s${vs(engineAlonePerSec(r))}; ` +
      `the M/M/1 stripped likewise runs at ${si(c.mm1.requestsPerSec)} customers/s ([where the time goes](docs/performance.md)).`,
  );
  L.push('');
  L.push('The engine checks itself while it runs: the benchmark\'s M/M/1 gives the theoretical mean, median,');
  L.push('p99 and utilization, and its chain agrees with SimPy\'s on availability and mean latency.');
  L.push('Memory does not grow with simulated duration: metrics stream into histograms and bucketed');
  L.push('timelines of fixed size.');
  return L.join('\n');
}

/** `text` with the block between the bench markers replaced; an error if the markers are missing. */
export function replaceBlock(text: string, block: string): string {
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${START} … ${END} block to update`);
  return `${text.slice(0, a + START.length)}\n${block}\n${text.slice(b)}`;
}

export function updateReadme(r: BenchResults): void {
  writeFileSync(README_FILE, replaceBlock(readFileSync(README_FILE, 'utf8'), renderReadmeBlock(r)));
}
