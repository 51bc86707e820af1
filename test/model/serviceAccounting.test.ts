import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledScenarios, REPO } from '../helpers/cli.js';
import { simulate } from '../helpers/sim.js';

describe('a service’s counts account for every request it received', () => {
  it('counts the requests the drain cut off as unfinished (hand-worked: one worker, 1 s of work, a 500 ms drain)', () => {
    // Arrivals every 100 ms from 100 ms, before 1 s: 9 operations. The worker runs op 1 over
    // [100, 1100) ms and op 2 from 1100 ms; the drain ends at 1500 ms with op 2 in service and
    // ops 3–9 queued.
    const run = simulate(`
name: drain-cut
duration: 1s
drain: 500ms
seed: 3
traffic:
  users: {target: api.get, rate: 10/s, arrivals: constant}
services:
  api:
    concurrency: 1
    endpoints: {get: {work: 1s}}
`);
    const v = run.results.get('baseline')!;
    const s = v.services.api;
    expect({ received: s.received, succeeded: s.succeeded, failed: s.failed, lostInQueue: s.lostInQueue, unfinished: s.unfinished }).toEqual({
      received: 9,
      succeeded: 1,
      failed: 0,
      lostInQueue: 0,
      unfinished: 8,
    });
    // The operations see the same thing: one succeeded, eight did not finish.
    expect({ succeeded: v.summary.succeeded, unfinished: v.summary.unfinished }).toEqual({ succeeded: 1, unfinished: 8 });
  });

  // Every bundled scenario (faults, queues, shedding, full queues, retries, hedges between them),
  // and the fixture with every feature on: received = succeeded + failed + rejected + shed +
  // lostInQueue + unfinished, for every service of every variant.
  for (const file of [...bundledScenarios(), `${REPO}/test/fixtures/kitchen-sink.yaml`]) {
    it(`${basename(file)}: received = succeeded + failed + rejected + shed + lostInQueue + unfinished`, () => {
      const run = simulate(readFileSync(file, 'utf8'), { replications: 1 });
      let received = 0;
      for (const [variant, v] of run.results) {
        for (const [name, s] of Object.entries(v.services)) {
          const ended = s.succeeded + s.failed + s.rejected + s.shed + s.lostInQueue + s.unfinished;
          expect(ended, `${variant}: ${name}`).toBe(s.received);
          received += s.received;
        }
      }
      expect(received).toBeGreaterThan(0);
    });
  }
});
