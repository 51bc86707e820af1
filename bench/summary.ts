import { ceilingRows, engineNote } from './ceilingRows.js';
import { trialCount } from './trials.js';
import { mb, mbOrUnknown, ms, pct, ratio, si, span, trialList, verdict } from './format.js';
import type { RunMeasurement } from './measure.js';
import { BENCHMARKS, TARGETS } from './plan.js';
import type { BenchResults } from './results.js';
import { wasBusy } from './machine.js';

/**
 * docs/benchmarks.md: the figures of the last full run for a human reader, with how they
 * were taken and how to reproduce them. Written from the results, never edited by hand, and
 * free of dates so that an unchanged machine and engine give an unchanged file.
 */
export function renderSummary(r: BenchResults): string {
  const m = r.machine;
  const f = r.faultline;
  const L: string[] = [];
  L.push('# Benchmarks');
  L.push('');
  L.push('<!-- Written by `npm run bench` (bench/summary.ts): edit that, not this file. -->');
  L.push('');
  L.push('How fast faultline simulates, how much memory it needs, and how it compares with SimPy');
  L.push('running the same models. Benchmarks are not tests: they print figures and say which');
  L.push('targets are met (PASS) or not (MISS).');
  L.push('');
  L.push('## Machine');
  L.push('');
  L.push(`- CPU: ${m.cpu}, ${m.cores} cores; ${si(m.memoryMB * 1e6)}B RAM; ${m.os}`);
  L.push(`- Node ${m.node} (V8 ${m.v8})`);
  L.push(m.simpy ? `- SimPy ${m.simpy} on Python ${m.python} (Debian's python3-simpy3)` : '- SimPy: not installed (comparison skipped)');
  L.push(
    `- cores in use in the second before the bench: ${pct(m.cpuBusyBefore, 0)}${wasBusy(m) ? ' (**busy**: other processes shared the cores, so these figures are probably low)' : ''}; 1-minute load average ${m.loadBefore.toFixed(2)} (it still counts the bench's own build)`,
  );
  L.push('');
  L.push('## Targets');
  L.push('');
  L.push('| target | measured | result |');
  L.push('|---|---|---|');
  for (const t of r.targets) L.push(`| ${t.label} | ${t.shown} | ${verdict(t.pass).trim()} |`);
  L.push('');
  L.push('## faultline');
  L.push('');
  L.push('One replication per fresh Node process (`node dist/bench/one.js <name>`), so that peak RSS');
  L.push('(`process.resourceUsage().maxRSS`) belongs to that benchmark alone. The wall time is the');
  L.push('run itself (`runOne`): starting Node and loading the scenario are not in it. "RSS before');
  L.push('run" is Node with faultline loaded; "live heap at 98%" is the JS heap after a full GC');
  L.push('at 98% of the simulated span: if it is flat between 10 min and 1 h, memory does not grow');
  L.push('with simulated duration, whatever V8\'s heap sizing does to peak RSS. "Young gen at end" is');
  L.push('V8\'s new space when the run ends: V8 doubles it once enough bytes have survived scavenges, and');
  L.push('that doubling, not the simulation, is what peak RSS gains between a short run and a long one.');
  L.push('');
  L.push('| benchmark | simulated | requests | events | wall | events/s | requests/s | peak RSS | RSS before run | live heap at 98% | young gen at end |');
  L.push('|---|---|---|---|---|---|---|---|---|---|---|');
  const row = (label: string, x: RunMeasurement) =>
    `| ${label} | ${span(x.simulatedMs)} | ${si(x.requests)} | ${si(x.events)} | ${span(x.wallMs)} | ${si(x.eventsPerSec)} | ${si(x.requestsPerSec)} | ${mb(x.peakRssMB)} | ${mb(x.rssBeforeMB)} | ${mbOrUnknown(x.liveHeapMB)} | ${mbOrUnknown(x.youngGenMB)} |`;
  L.push(row('M/M/1, ρ = 0.8', f.mm1));
  if (f.mm1.warm) L.push(row('M/M/1 again, same process (JIT warm; not the target figure)', { ...f.mm1, ...f.mm1.warm }));
  L.push(row('4-hop chain', f.chain));
  L.push(row('4-hop chain (memory check)', f.chainShort));
  L.push('');
  if (trialCount(f.mm1) > 1) {
    L.push(`The M/M/1 and the ${span(f.chain.simulatedMs)} chain ran ${trialCount(f.mm1)} times each, in fresh processes, interleaved with the`);
    L.push('lean models and SimPy (one figure on this shared machine moves by 20–50% between runs);');
    L.push(`the rows are the median trial. Every trial: M/M/1 ${trialList(f.mm1)} customers/s; chain ${trialList(f.chain)} requests/s.`);
    L.push('');
  }
  L.push('The models (`bench/scenarios/`):');
  L.push('');
  L.push(`- **M/M/1** (\`mm1.yaml\`): poisson arrivals at λ = 800/s, one instance with concurrency 1,`);
  L.push(`  exponential work with mean 1 ms (μ = 1000/s), so ρ = 0.8; ${si(r.faultline.mm1.requests)} customers`);
  L.push(`  (duration = customers / λ). Theory: mean response time 1/(μ − λ) = 5 ms.`);
  L.push('- **4-hop chain** (`chain.yaml`): client → hop1 → hop2 → hop3 → hop4 at 1000 requests/s');
  L.push('  (poisson); every hop 16 workers, lognormal work (median 2 ms, σ 0.5), 0.1% errors; every');
  L.push('  call crosses a link with normal latency (1 ms, sd 0.2 ms) each way; client timeout 1 s.');
  L.push('');
  L.push('## faultline vs SimPy');
  L.push('');
  if ('skipped' in r.simpy) {
    L.push(`Skipped: ${r.simpy.skipped}.`);
  } else {
    L.push('The same two models in SimPy (`bench/simpy/mm1.py`, `bench/simpy/chain.py`): a');
    L.push('`simpy.Resource` with capacity = workers per hop, the client timeout as `call | timeout`, the');
    L.push('error rate, link latency each way. SimPy is much slower, so it simulates a shorter span;');
    L.push('the comparison is between simulated requests per wall-second, not totals.');
    L.push('');
    L.push('| model | faultline | simulated | SimPy | simulated | ratio |');
    L.push('|---|---|---|---|---|---|');
    for (const c of r.comparisons) {
      L.push(`| ${c.model} | ${si(c.faultlinePerSec)}/s | ${span(c.faultlineSimulatedMs)} | ${si(c.simpyPerSec)}/s | ${span(c.simpySimulatedMs)} | ${ratio(c.ratio)} |`);
    }
    if (trialCount(f.mm1) > 1) {
      L.push('');
      L.push(`Median SimPy trial of ${trialCount(f.mm1)}; every trial: M/M/1 ${trialList(r.simpy.mm1)}/s, chain ${trialList(r.simpy.chain)}/s.`);
    }
  }
  L.push('');
  L.push('## The ceiling');
  L.push('');
  L.push('How fast could these two models run on this engine at best? `bench/lean/` holds them');
  L.push('stripped to what they need (no policies, faults, traces, per-edge counters or step');
  L.push('interpreter) on the same engine, streams, samplers, latency histogram and busy-worker');
  L.push('integral; test/bench/lean.test.ts checks that they simulate the same models with the same');
  L.push('events. The lean chain also runs on a calendar-queue event loop (`bench/lean/calendarLoop.ts`,');
  L.push('same event order, same results). The engine alone is a hold model: each event only schedules');
  L.push('the next. Median trials, as above; [performance.md](performance.md) reads these figures.');
  L.push('');
  const ceiling = ceilingRows(r);
  L.push(`| ${ceiling[0].join(' | ')} |`);
  L.push(`|${ceiling[0].map(() => '---').join('|')}|`);
  for (const row of ceiling.slice(1)) L.push(`| ${row.join(' | ')} |`);
  L.push('');
  L.push(`The ${engineNote(r)}.`);
  L.push('');
  const sp = r.speedup;
  L.push('## Parallel speed-up');
  L.push('');
  L.push(`${sp.replications} replications of the chain (${span(sp.simulatedMs)} simulated each, sized at run time so that`);
  L.push(`one run takes about a second: ~${span(sp.runMs)} here) through \`executeTasks\` (sim/run/pool.ts):`);
  L.push(`--jobs 1 took ${span(sp.jobs1Ms)}, --jobs 2 took ${span(sp.jobs2Ms)} (best of ${sp.trials.length / 2} interleaved trials each): **${sp.speedup.toFixed(2)}×** (target ≥ ${TARGETS.speedup}×).`);
  L.push(`The results of the two executions were ${sp.identical ? 'identical' : '**different** (a determinism bug)'}.`);
  L.push('');
  L.push('## Report load time');
  L.push('');
  const rl = r.reportLoad;
  if (rl.status === 'ok') {
    L.push('| scenario | report size | load → drawn |');
    L.push('|---|---|---|');
    for (const x of rl.rows) L.push(`| ${x.scenario} | ${si(x.bytes)}B | ${ms(x.loadToDrawnMs, 0)} |`);
  } else if (rl.status === 'skipped') {
    L.push(`Skipped: ${rl.reason}.`);
  } else {
    L.push(`Failed: ${rl.error}`);
  }
  L.push('');
  L.push('## Model checks');
  L.push('');
  L.push('A fast simulator that computes the wrong answer is worth nothing, so each run is checked');
  L.push('against theory (M/M/1) or against the independent SimPy model (the chain).');
  L.push('');
  L.push('| check | measured | expected | |');
  L.push('|---|---|---|---|');
  for (const c of r.checks) L.push(`| ${c.label} | ${c.measured} | ${c.expected} | ${c.ok ? 'ok' : '**CHECK**'} |`);
  L.push('');
  L.push('## Reproduce');
  L.push('');
  L.push('```sh');
  L.push('npm run bench              # full: about 3 minutes on 2 cores; writes bench/results/latest.json and this file');
  L.push('npm run bench -- --quick   # smoke run in seconds; writes bench/results/quick.json only');
  L.push(`node --expose-gc dist/bench/one.js chain   # one measurement, as JSON (${BENCHMARKS.join(', ')})`);
  L.push('/usr/bin/python3 bench/simpy/chain.py --duration-s 300   # the SimPy side alone');
  L.push('```');
  L.push('');
  L.push('The figures move with the engine and the machine; compare runs on the same machine.');
  L.push('');
  return L.join('\n');
}
