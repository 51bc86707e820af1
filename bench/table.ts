import { ceilingRows, engineNote } from './ceilingRows.js';
import { trialCount } from './trials.js';
import { columns, mb, mbOrUnknown, ms, pct, ratio, si, span, trialList, verdict } from './format.js';
import type { RunMeasurement } from './measure.js';
import type { BenchResults } from './results.js';
import { wasBusy } from './machine.js';

/** The terminal output: one section per question the bench answers. */
export function renderTable(r: BenchResults): string {
  const m = r.machine;
  const out: string[] = [];
  out.push(`faultline benchmarks${r.mode === 'quick' ? ' (--quick: smoke spans, figures not comparable)' : ''}`);
  out.push(`machine: ${m.cpu}, ${m.cores} cores, ${si(m.memoryMB * 1e6)}B RAM, ${m.os}; node ${m.node}${m.simpy ? `; SimPy ${m.simpy} on Python ${m.python}` : ''}`);
  if (wasBusy(m)) {
    out.push(`WARNING: the machine was busy as the bench started (${pct(m.cpuBusyBefore, 0)} of its cores in use): other processes share these cores, so the figures are probably low`);
  }
  out.push(`load average before ${m.loadBefore.toFixed(2)}, after ${m.loadAfter?.toFixed(2) ?? '?'} (1 min; the bench itself adds about 1)`);
  out.push('');

  out.push('faultline, one replication per fresh process (wall time of the run; loading excluded)');
  const runRow = (label: string, x: RunMeasurement) => [
    label,
    span(x.simulatedMs),
    si(x.requests),
    si(x.events),
    span(x.wallMs),
    si(x.eventsPerSec),
    si(x.requestsPerSec),
    mb(x.peakRssMB),
    mb(x.rssBeforeMB),
    mbOrUnknown(x.liveHeapMB),
    mbOrUnknown(x.youngGenMB),
  ];
  const f = r.faultline;
  out.push(
    ...indent(
      columns([
        ['benchmark', 'simulated', 'requests', 'events', 'wall', 'events/s', 'requests/s', 'peak RSS', 'RSS before run', 'live heap at 98%', 'young gen at end'],
        runRow('M/M/1, ρ = 0.8', f.mm1),
        ...(f.mm1.warm ? [runRow('M/M/1 again, JIT warm', { ...f.mm1, ...f.mm1.warm })] : []),
        runRow('4-hop chain, 1000 req/s', f.chain),
        runRow('4-hop chain, 1000 req/s', f.chainShort),
      ]),
    ),
  );
  if (trialCount(f.mm1) > 1) out.push(`  median of ${trialCount(f.mm1)} trials; every trial: M/M/1 ${trialList(f.mm1)}/s, chain ${trialList(f.chain)}/s`);
  out.push('');

  if ('skipped' in r.simpy) {
    out.push(`faultline vs SimPy: skipped (${r.simpy.skipped})`);
  } else {
    const s = r.simpy;
    out.push('faultline vs SimPy: simulated requests per wall-second, same model, same machine');
    out.push(`  SimPy is slow, so it simulates shorter spans; the rates are compared, not the totals.`);
    out.push(
      ...indent(
        columns([
          ['model', 'faultline', '(span)', 'SimPy', '(span)', 'ratio', 'SimPy events/s', 'SimPy peak RSS'],
          ...r.comparisons.map((c) => {
            const sp = c.model === 'M/M/1' ? s.mm1 : s.chain;
            return [c.model, `${si(c.faultlinePerSec)}/s`, span(c.faultlineSimulatedMs), `${si(c.simpyPerSec)}/s`, span(c.simpySimulatedMs), ratio(c.ratio), si(sp.eventsPerSec), mb((sp.peakRssKb * 1024) / 1e6)];
          }),
        ]),
      ),
    );
    if (trialCount(f.mm1) > 1) out.push(`  median of ${trialCount(f.mm1)} trials; every trial: M/M/1 ${trialList(s.mm1)}/s, chain ${trialList(s.chain)}/s`);
  }
  out.push('');
  out.push('the ceiling: the same models stripped to what they need, and the engine alone (bench/lean)');
  out.push(...indent(columns(ceilingRows(r))));
  out.push(`  ${engineNote(r)}`);
  out.push('');

  const sp = r.speedup;
  out.push(
    `parallel speed-up: ${sp.replications} replications of the chain (${span(sp.simulatedMs)} simulated, ~${span(sp.runMs)} each) through executeTasks`,
  );
  out.push(`  --jobs 1: ${span(sp.jobs1Ms)}   --jobs 2: ${span(sp.jobs2Ms)}   speed-up ${sp.speedup.toFixed(2)}×   results ${sp.identical ? 'identical' : 'DIFFERENT'}`);
  if (sp.trials.length > 2) out.push(`  best of ${sp.trials.length / 2} interleaved trials each: ${sp.trials.map((t) => `jobs ${t.jobs} ${span(t.ms)}`).join(', ')}`);
  out.push('');

  const rl = r.reportLoad;
  if (rl.status === 'ok') {
    out.push('report load (bench/reportLoad.ts)');
    out.push(...indent(columns([['scenario', 'report size', 'load → drawn'], ...rl.rows.map((x) => [x.scenario, `${si(x.bytes)}B`, ms(x.loadToDrawnMs, 0)])])));
  } else if (rl.status === 'skipped') {
    out.push(`report load: skipped (${rl.reason})`);
  } else {
    out.push(`report load: FAILED (${rl.error})`);
  }
  out.push('');

  out.push('model checks (is the simulated answer right?)');
  out.push(...indent(columns(r.checks.map((c) => [c.ok ? 'ok   ' : 'CHECK', c.label, c.measured, `expected ${c.expected}`]))));
  out.push('');

  out.push('targets');
  out.push(...indent(columns(r.targets.map((t) => [verdict(t.pass), t.label, t.shown]))));
  out.push('');
  out.push(`bench wall time ${span(r.totalWallMs)} (build excluded)`);
  return out.join('\n');
}

function indent(lines: string[]): string[] {
  return lines.map((l) => `  ${l}`);
}
