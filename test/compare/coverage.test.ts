import { describe, expect, it } from 'vitest';
import { binomialSE, Z } from '../helpers/stats.js';
import { simulate } from '../helpers/sim.js';

describe('confidence intervals', () => {
  it('about 95% of the 95% intervals over many seeds contain the M/M/1 mean response time', () => {
    // Small M/M/1 runs: μ = 1/ms, λ = 0.5/ms, so E[T] = 1/(μ − λ) = 2 ms. Each seed runs 5
    // replications of 20 s (after a 2 s warmup, ~50 relaxation times) and reports the
    // Student t interval of its per-replication mean latency.
    const seeds = 300;
    let covered = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const run = simulate(
        `
name: mm1
duration: 22s
warmup: 2s
seed: ${seed}
traffic:
  arrivals: {target: server.serve, rate: 500/s}
services:
  server:
    concurrency: 1
    endpoints: {serve: {work: {exponential: {mean: 1ms}}}}
`,
        { replications: 5 },
      );
      const ci = run.results.get('baseline')!.replications.meanMs.ci95!;
      if (ci[0] <= 2 && 2 <= ci[1]) covered++;
    }
    // Coverage is a binomial proportion over the seeds: within Z standard errors of 95%.
    const coverage = covered / seeds;
    expect(Math.abs(coverage - 0.95), `coverage ${coverage}`).toBeLessThan(Z * binomialSE(0.95, seeds));
  });
});
