import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';

/**
 * The JIT primers (docs/performance.md, "Priming the rare branches") are a speed feature that
 * no timed test could check on a shared machine; V8 can say what they are for. A cold process
 * runs the M/M/1 benchmark's replication the way runOne does (worldFor's World, with its traced
 * sample, run with a progress callback, then its results collected) with --trace-deopt, and no function
 * of faultline's may be thrown back to the interpreter for want of type feedback while the
 * simulation runs: each such deoptimization is a branch first taken after V8 compiled the code
 * around it. Node's own functions may deoptimize; they are not ours to prime.
 *
 * Tracing stops before the results are collected. That code runs once, after the last event:
 * a long loop in it (the staged latency counts, a bucket histogram's encoding) can have V8
 * allocate the function's feedback part-way through its first call and compile it before the
 * next, which then deoptimizes at its first line or not, depending on whether the concurrent
 * compile won the race (1 run in ~16 here, with two at once). Nothing there is worth priming.
 */
const dist = (path: string) => JSON.stringify(pathToFileURL(join(REPO, 'dist', path)).href);
const SCRIPT = `
import { setFlagsFromString } from 'node:v8';
import { loadMm1 } from ${dist('bench/scenarioText.js')};
import { collectRawRun } from ${dist('sim/run/collect.js')};
import { worldFor } from ${dist('sim/run/runOne.js')};
import { LIMITS } from ${dist('sim/scenario/limits.js')};
const task = { index: 0, variant: 'baseline', replication: 0, point: -1 };
const world = worldFor(loadMm1(1_000_000).base, task);
let reports = 0;
const outcome = world.run(LIMITS.defaultMaxEvents, () => void reports++);
// A deoptimization on purpose, so that an empty list below means something.
function probe(x) { return x + 1; }
%PrepareFunctionForOptimization(probe);
probe(1);
%OptimizeFunctionOnNextCall(probe);
probe(2);
probe('a');
setFlagsFromString('--no-trace-deopt');
const raw = collectRawRun(world, task.variant, task.replication, task.point, outcome);
console.log('customers', raw.ops.requests, 'progress reports', reports);
`;

describe('a cold run of the M/M/1 benchmark', () => {
  it('deoptimizes none of faultline’s functions for want of type feedback', () => {
    const r = spawnSync(process.execPath, ['--trace-deopt', '--trace-file-names', '--allow-natives-syntax', '--input-type=module', '-e', SCRIPT], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    // The run happened, and V8 traced deoptimizations: the probe's at least.
    const done = /^customers (\d+) progress reports (\d+)$/m.exec(r.stdout);
    expect(Number(done?.[1])).toBeGreaterThan(900_000);
    // The run went through the progress slices a worker's run goes through.
    expect(Number(done?.[2])).toBeGreaterThan(10);
    const bailouts = r.stdout.split('\n').filter((line) => line.startsWith('[bailout'));
    expect(bailouts.some((line) => line.includes('<JSFunction probe'))).toBe(true);
    const ours = bailouts.filter((line) => line.includes('Insufficient type feedback') && line.includes(pathToFileURL(join(REPO, 'dist')).href));
    const names = ours.map((line) => /<JSFunction (\S+) <([^>]+)>/.exec(line)?.slice(1).join(' in ') ?? line);
    expect(names).toEqual([]);
  });
});
