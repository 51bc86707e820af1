import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';

/**
 * The JIT primers (docs/performance.md, "Priming the rare branches") are a speed feature that
 * no timed test could check on a shared machine; V8 can say what they are for. A cold process
 * runs the M/M/1 benchmark through the bench's own measureRun (runOne, progress slices, a
 * traced sample) with --trace-deopt, and no function of faultline's may be thrown back to the
 * interpreter for want of type feedback: each such deoptimization is a branch first taken after
 * V8 compiled the code around it. Node's own functions may deoptimize; they are not ours to prime.
 */
const dist = (path: string) => JSON.stringify(pathToFileURL(join(REPO, 'dist', path)).href);
const SCRIPT = `
import { loadMm1 } from ${dist('bench/scenarioText.js')};
import { measureRun } from ${dist('bench/measure.js')};
const m = measureRun('mm1', 'mm1', loadMm1(1_000_000).base);
console.log('customers', m.requests);
// A deoptimization on purpose, so that an empty list below means something.
function probe(x) { return x + 1; }
%PrepareFunctionForOptimization(probe);
probe(1);
%OptimizeFunctionOnNextCall(probe);
probe(2);
probe('a');
`;

describe('a cold run of the M/M/1 benchmark', () => {
  it('deoptimizes none of faultline’s functions for want of type feedback', () => {
    const r = spawnSync(process.execPath, ['--trace-deopt', '--trace-file-names', '--allow-natives-syntax', '--input-type=module', '-e', SCRIPT], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    // The run happened, and V8 traced deoptimizations: the probe's at least.
    expect(Number(/^customers (\d+)$/m.exec(r.stdout)?.[1])).toBeGreaterThan(900_000);
    const bailouts = r.stdout.split('\n').filter((line) => line.startsWith('[bailout'));
    expect(bailouts.some((line) => line.includes('<JSFunction probe'))).toBe(true);
    const ours = bailouts.filter((line) => line.includes('Insufficient type feedback') && line.includes(pathToFileURL(join(REPO, 'dist')).href));
    const names = ours.map((line) => /<JSFunction (\S+) <([^>]+)>/.exec(line)?.slice(1).join(' in ') ?? line);
    expect(names).toEqual([]);
  });
});
