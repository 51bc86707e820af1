import { describe, expect, it } from 'vitest';
import type { RawRun } from '../../sim/run/rawRun.js';
import { simulate } from '../helpers/sim.js';

/** Outcomes of the operations that arrived in [fromMs, toMs) (bucket edges), from the timeline. */
function byArrival(raw: RawRun, fromMs: number, toMs: number): { ok: number; failed: number } {
  const t = raw.timeline;
  expect(fromMs % t.bucketMs).toBe(0);
  expect(toMs % t.bucketMs).toBe(0);
  let ok = 0;
  let failed = 0;
  for (let b = fromMs / t.bucketMs; b < toMs / t.bucketMs; b++) {
    ok += t.ok[b] + t.degraded[b];
    failed += t.failed[b];
  }
  return { ok, failed };
}

/**
 * One instance with one worker, 250 ms of work, an arrival every 100 ms (the first at 100 ms)
 * for 3 s: 29 operations, more than the worker can take, so a queue builds. No network, no
 * timeout, no retry: each operation is one request, and each answer is final.
 */
const tiny = (fault: string) => `
name: outage
duration: 3s
seed: 61
traffic:
  users: {target: api.get, rate: 10/s, arrivals: constant}
services:
  api:
    concurrency: 1
    endpoints: {get: {work: 250ms}}
faults:
  - ${fault}
`;

// By hand. Operation k arrives at 100k ms. The worker runs them back to back from 100 ms:
// op 1 over [100, 350), op 2 [350, 600), op 3 [600, 850), op 4 [850, 1100), … The outage
// covers [1050, 2050):
//  - at 1050 ms ops 1–3 are done (latencies 250, 400, 550 ms); op 4 is running, ops 5–10
//    (arrived 500 … 1000 ms) are queued: all 7 are lost;
//  - ops 11–20 (1100 … 2000 ms) find it down and are refused: 10;
//  - ops 21–29 (2100 … 2900 ms) find it up and empty, and all succeed: op 21 + j waits
//    150·j ms behind the ones before it, so its latency is 250 + 150·j ms, j = 0 … 8.
const DONE_BEFORE = 3;
const RUNNING = 1;
const QUEUED = 6;
const REFUSED = 10;
const AFTER = 9;
const OPS = DONE_BEFORE + RUNNING + QUEUED + REFUSED + AFTER;
const LATENCIES = [250, 400, 550, ...Array.from({ length: AFTER }, (_, j) => 250 + 150 * j)];

describe('an outage loses the instance’s work (hand-worked: one worker, a queue, an outage over [1050, 2050) ms)', () => {
  const run = simulate(tiny('{target: api, kind: outage, at: 1050ms, for: 1s}'));
  const v = run.results.get('baseline')!;
  const raw = run.raws.get('baseline')![0];

  it('fails exactly the running and queued operations and the ones that arrive while it is down; every other one succeeds', () => {
    expect(v.summary.requests).toBe(OPS);
    expect(v.summary.failed).toBe(RUNNING + QUEUED + REFUSED);
    expect(v.summary.succeeded).toBe(DONE_BEFORE + AFTER);
    expect(v.summary.unfinished).toBe(0);
    // Refused and lost both reach the client as errors (a refused connection, a reset one).
    expect(v.calls['users->api.get'].errors).toBe(RUNNING + QUEUED + REFUSED);
    expect(v.calls['users->api.get'].timeouts).toBe(0);
  });

  it('counts at the service: the lost running request as failed, the queued ones as lost in the queue, the refused ones as refused', () => {
    const s = v.services.api;
    expect(s.received).toBe(DONE_BEFORE + RUNNING + QUEUED + AFTER);
    expect(s.refused).toBe(REFUSED);
    expect(s.succeeded).toBe(DONE_BEFORE + AFTER);
    expect(s.failed).toBe(RUNNING);
    expect(s.rejected).toBe(0);
    expect(s.shed).toBe(0);
    expect(s.lostInQueue).toBe(QUEUED);
    expect(s.unfinished).toBe(0);
    // docs/results.md: every request received ends in exactly one of the other counts.
    expect(s.succeeded + s.failed + s.rejected + s.shed + s.lostInQueue + s.unfinished).toBe(s.received);
  });

  it('refuses every request while it is down, and serves every one after, from an empty queue', () => {
    expect(byArrival(raw, 0, 1050)).toEqual({ ok: DONE_BEFORE, failed: RUNNING + QUEUED });
    expect(byArrival(raw, 1050, 2050)).toEqual({ ok: 0, failed: REFUSED });
    expect(byArrival(raw, 2050, 3000)).toEqual({ ok: AFTER, failed: 0 });
    // The lost work does not come back after the restart: the latencies are those of a queue
    // that starts empty at 2050 ms (had the lost backlog survived, op 21 would wait about 1.5 s behind it).
    expect(v.summary.latencyMs.max).toBe(Math.max(...LATENCIES));
    expect(v.summary.latencyMs.mean).toBeCloseTo(LATENCIES.reduce((a, b) => a + b, 0) / LATENCIES.length, 6);
  });

  it('marks the running request’s work as lost at the moment of the outage in its trace', () => {
    // The first failed operation is op 4 (id 3), arrived at 400 ms, working since 850 ms.
    const trace = raw.traces.find((t) => t.category === 'failed')!;
    expect(trace.operation).toBe(3);
    expect(trace.outcome).toBe('error');
    const work = trace.spans.filter((s) => s.kind === 'work');
    expect(work).toHaveLength(1);
    // Trace times are relative to the operation's arrival.
    expect(work[0].startMs).toBe(850 - 400);
    expect(work[0].endMs).toBe(1050 - 400);
    expect(work[0].outcome).toBe('lost');
    expect(trace.spans.find((s) => s.kind === 'attempt')!.outcome).toBe('error');
  });

  it('comes first at its instant: work ending exactly as it starts is lost; an arrival exactly as it ends is served', () => {
    // Outage [1100, 2100): op 4's work would end at 1100 ms, op 11 arrives at 1100 ms and op 21
    // at 2100 ms. Fault starts and ends are scheduled before the run, so they run first at their
    // instant (docs/scenarios.md, "How a request is served"): op 4 is lost with ops 5–10 queued,
    // ops 11–20 are refused, ops 21–29 are served — the same counts as the outage above.
    const edge = simulate(tiny('{target: api, kind: outage, at: 1100ms, for: 1s}'));
    const e = edge.results.get('baseline')!;
    expect({ failed: e.summary.failed, succeeded: e.summary.succeeded }).toEqual({ failed: RUNNING + QUEUED + REFUSED, succeeded: DONE_BEFORE + AFTER });
    expect({ failed: e.services.api.failed, refused: e.services.api.refused }).toEqual({ failed: RUNNING, refused: REFUSED });
    const lost = edge.raws.get('baseline')![0].traces.find((t) => t.category === 'failed')!;
    expect(lost.operation).toBe(3);
    const work = lost.spans.find((sp) => sp.kind === 'work')!;
    expect([work.endMs, work.outcome]).toEqual([1100 - 400, 'lost']);
  });

  it('a crash of its only instance (svc#0, restartAfter) is the same outage', () => {
    const crash = simulate(tiny('{target: api#0, kind: crash, at: 1050ms, restartAfter: 1s}')).results.get('baseline')!;
    // Everything but the fault's label (in the recovery list) is the same.
    expect({ ...crash.summary, recovery: null }).toEqual({ ...v.summary, recovery: null });
    expect(crash.services).toEqual(v.services);
    expect(crash.calls).toEqual(v.calls);
  });
});
