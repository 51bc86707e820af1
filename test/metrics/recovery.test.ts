import { describe, expect, it } from 'vitest';
import { recoveryTimes } from '../../sim/metrics/recovery.js';
import { loadScenarioText } from '../../sim/scenario/load.js';
import type { Fault, RecoverySettings } from '../../sim/scenario/types.js';
import { simulate } from '../helpers/sim.js';

/**
 * Recovery time (docs/scenarios.md#recovery, docs/results.md): per fault, the time from its end
 * until the success rate per arrival bucket is back within `tolerance` of its pre-fault level
 * and stays there for `hold`. The unit tests feed hand-made timelines, so every expected value
 * is exact: there is no tolerance to choose beyond the one under test.
 */

const BUCKET_MS = 1000;
/** Arrivals per bucket: a thousand, so one failure is a tenth of a percentage point. */
const PER_BUCKET = 1000;
const DEFAULTS: RecoverySettings = { tolerance: 0.01, holdMs: 30_000, baselineMs: 60_000 };

function fault(atMs: number, forMs: number, label = 'db outage'): Fault {
  return { label, kind: 'outage', target: { type: 'service', service: 'db', instance: null }, targetText: 'db', atMs, forMs, rate: 0, add: null, factor: 1, concurrency: null, ratePerMs: null };
}

/** `buckets` buckets of PER_BUCKET arrivals with `good(b)` successes each; null: a bucket without arrivals. */
function timeline(buckets: number, good: (b: number) => number | null): { good: number[]; total: number[] } {
  const g: number[] = [];
  const t: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const x = good(b);
    g.push(x ?? 0);
    t.push(x === null ? 0 : PER_BUCKET);
  }
  return { good: g, total: t };
}

/** The one fault's recovery on a timeline (1 s buckets). */
function recoveryOf(f: Fault, tl: { good: number[]; total: number[] }, settings: Partial<RecoverySettings> = {}) {
  const rs = recoveryTimes([f], { ...DEFAULTS, ...settings }, BUCKET_MS, tl.good, tl.total);
  expect(rs).toHaveLength(1);
  return rs[0];
}

/** The usual shape: 99.9% before, nothing during a 10 s fault at 60 s, then `after(b)`. */
const FAULT = fault(60_000, 10_000);
const END_BUCKET = 70;
const shaped = (after: (b: number) => number | null, buckets = 200) => timeline(buckets, (b) => (b < 60 ? 999 : b < END_BUCKET ? 0 : after(b)));

describe('recoveryTimes: the tolerance (how close to the pre-fault level counts as recovered)', () => {
  it('the documented example: with 1 pp, 99.9% before → 98.9% after is enough', () => {
    const r = recoveryOf(FAULT, shaped(() => 989));
    expect(r.baseline).toBe(0.999);
    expect(r.recoveredAfterMs).toBe(0);
    expect(r.undetermined).toBe(false);
    expect(r.endedAtMs).toBe(70_000);
    expect(r.fault).toBe('db outage');
  });

  it('one failure per thousand more (98.8%) is outside the tolerance: did not recover', () => {
    const r = recoveryOf(FAULT, shaped(() => 988));
    expect(r.recoveredAfterMs).toBeNull();
    // The run had time to tell: this is "did not recover", not "too short to tell".
    expect(r.undetermined).toBe(false);
  });

  it('the tolerance is a setting: 0.5 pp refuses 98.9%, 2 pp accepts 97.9%', () => {
    expect(recoveryOf(FAULT, shaped(() => 989), { tolerance: 0.005 }).recoveredAfterMs).toBeNull();
    expect(recoveryOf(FAULT, shaped(() => 979), { tolerance: 0.02 }).recoveredAfterMs).toBe(0);
    expect(recoveryOf(FAULT, shaped(() => 978), { tolerance: 0.02 }).recoveredAfterMs).toBeNull();
  });

  it('zero tolerance asks for the pre-fault rate itself, and a rate above it counts too', () => {
    expect(recoveryOf(FAULT, shaped(() => 999), { tolerance: 0 }).recoveredAfterMs).toBe(0);
    expect(recoveryOf(FAULT, shaped(() => 1000), { tolerance: 0 }).recoveredAfterMs).toBe(0);
    expect(recoveryOf(FAULT, shaped(() => 998), { tolerance: 0 }).recoveredAfterMs).toBeNull();
  });

  it('the recovery time runs from the fault’s end to the start of the first bucket that holds', () => {
    // 7 more bad buckets after the fault ended, then back to 99.9% for good.
    const r = recoveryOf(FAULT, shaped((b) => (b < END_BUCKET + 7 ? 500 : 999)));
    expect(r.recoveredAfterMs).toBe(7000);
  });
});

describe('recoveryTimes: the hold (how long it must stay recovered)', () => {
  /** Recovered for 5 s after the fault, a relapse to 50% in the 6th second, recovered for good after it. */
  const relapse = shaped((b) => (b === END_BUCKET + 5 ? 500 : 999));

  it('a dip that recovers then relapses within the hold is not recovered until after the relapse', () => {
    // A 6 s hold from the fault's end covers the relapse: the first stretch that holds starts after it.
    expect(recoveryOf(FAULT, relapse, { holdMs: 6000 }).recoveredAfterMs).toBe(6000);
    expect(recoveryOf(FAULT, relapse, { holdMs: 30_000 }).recoveredAfterMs).toBe(6000);
  });

  it('a relapse after a full hold does not undo the recovery', () => {
    // 5 s held before the relapse: with a 5 s hold the system had already recovered.
    expect(recoveryOf(FAULT, relapse, { holdMs: 5000 }).recoveredAfterMs).toBe(0);
  });

  it('the hold is rounded up to whole buckets', () => {
    // 5.001 s needs 6 buckets of 1 s, so it reaches the relapse in the 6th.
    expect(recoveryOf(FAULT, relapse, { holdMs: 5001 }).recoveredAfterMs).toBe(6000);
  });

  it('a zero hold means one bucket: the first good bucket recovers, whatever follows', () => {
    const r = recoveryOf(FAULT, shaped((b) => (b === END_BUCKET ? 500 : b === END_BUCKET + 1 ? 999 : 0)), { holdMs: 0 });
    expect(r.recoveredAfterMs).toBe(1000);
  });

  it('a run that ends less than a hold after the fault cannot tell: null, and undetermined', () => {
    // 29 buckets after the fault's end, the 30 s hold does not fit, even though every one is good.
    const short = recoveryOf(FAULT, shaped(() => 999, END_BUCKET + 29));
    expect(short.recoveredAfterMs).toBeNull();
    expect(short.undetermined).toBe(true);
    // One more bucket and the hold fits exactly.
    const enough = recoveryOf(FAULT, shaped(() => 999, END_BUCKET + 30));
    expect(enough.recoveredAfterMs).toBe(0);
    expect(enough.undetermined).toBe(false);
  });

  it('a fault that outlasts the run is undetermined, not "did not recover"', () => {
    const r = recoveryOf(fault(60_000, 3_600_000), timeline(200, (b) => (b < 60 ? 999 : 0)));
    expect(r.endedAtMs).toBe(3_660_000);
    expect(r.recoveredAfterMs).toBeNull();
    expect(r.undetermined).toBe(true);
  });

  it('never recovering gives null with a verdict: did not recover (not undetermined)', () => {
    const r = recoveryOf(FAULT, shaped(() => 0));
    expect(r.recoveredAfterMs).toBeNull();
    expect(r.undetermined).toBe(false);
  });

  it('recovering only in the last hold of the run still counts', () => {
    // Good only over the last 30 buckets: the one window that fits, at the very end.
    const r = recoveryOf(FAULT, shaped((b) => (b >= 170 ? 999 : 0)));
    expect(r.recoveredAfterMs).toBe((170 - END_BUCKET) * 1000);
  });
});

describe('recoveryTimes: buckets without arrivals neither break nor make a hold', () => {
  it('empty buckets inside the hold do not break it', () => {
    const r = recoveryOf(FAULT, shaped((b) => (b % 3 === 0 ? null : 999)));
    expect(r.recoveredAfterMs).toBe(0);
  });

  it('empty buckets alone do not make it: a fault after which nothing arrives did not recover', () => {
    const r = recoveryOf(FAULT, shaped(() => null));
    expect(r.recoveredAfterMs).toBeNull();
    expect(r.undetermined).toBe(false);
  });

  it('an empty bucket does not hide a relapse next to it', () => {
    // A relapse, then an empty bucket, then good for good: recovered at the first good bucket
    // after the relapse (the empty one cannot start a hold), not before.
    const r = recoveryOf(FAULT, shaped((b) => (b === END_BUCKET + 3 ? 500 : b === END_BUCKET + 4 ? null : 999)), { holdMs: 10_000 });
    expect(r.recoveredAfterMs).toBe(5000);
  });

  it('a hold starts at a bucket with arrivals: with nothing arriving for 5 s after the fault, every hold gives 5 s', () => {
    const tl = shaped((b) => (b < END_BUCKET + 5 ? null : 999));
    for (const holdMs of [1000, 3000, 6000, 30_000]) expect(recoveryOf(FAULT, tl, { holdMs }).recoveredAfterMs, `hold ${holdMs}`).toBe(5000);
  });
});

describe('recoveryTimes: the pre-fault level', () => {
  it('is the success rate over the baseline period just before the fault, not the whole past', () => {
    // A bad first half (50%), then 99% for the 30 s before the fault; 96% after it.
    const tl = timeline(200, (b) => (b < 30 ? 500 : b < 60 ? 990 : b < END_BUCKET ? 0 : 960));
    const last30s = recoveryOf(FAULT, tl, { baselineMs: 30_000 });
    expect(last30s.baseline).toBe(0.99);
    expect(last30s.recoveredAfterMs).toBeNull();
    // Over the whole minute the pre-fault level is 74.5%, and 96% is back above it.
    const lastMinute = recoveryOf(FAULT, tl, { baselineMs: 60_000 });
    expect(lastMinute.baseline).toBe((30 * 500 + 30 * 990) / (60 * PER_BUCKET));
    expect(lastMinute.recoveredAfterMs).toBe(0);
  });

  it('is measured over whole buckets, at least one', () => {
    // Only the bucket just before the fault is at 90%: a 100 ms baseline still reads one bucket.
    const tl = timeline(200, (b) => (b === 59 ? 900 : b < 60 ? 999 : b < END_BUCKET ? 0 : 900));
    const r = recoveryOf(FAULT, tl, { baselineMs: 100 });
    expect(r.baseline).toBe(0.9);
    expect(r.recoveredAfterMs).toBe(0);
    // 1.5 s rounds to 2 buckets: (900 + 999) / 2000.
    expect(recoveryOf(FAULT, tl, { baselineMs: 1500 }).baseline).toBe((900 + 999) / 2000);
  });

  it('with nothing before the fault (a fault at time 0), the pre-fault level is 100%', () => {
    const atStart = fault(0, 10_000);
    const r = recoveryOf(atStart, timeline(100, (b) => (b < 10 ? 0 : 990)));
    expect(r.baseline).toBe(1);
    // 99% is exactly 100% − 1 pp: recovered; 98.9% is not.
    expect(r.recoveredAfterMs).toBe(0);
    expect(recoveryOf(atStart, timeline(100, (b) => (b < 10 ? 0 : 989))).recoveredAfterMs).toBeNull();
  });
});

describe('recoveryTimes: faults, and no fault', () => {
  it('no fault gives no entries (the table then shows —, the JSON an empty list)', () => {
    const tl = shaped(() => 999);
    expect(recoveryTimes([], DEFAULTS, BUCKET_MS, tl.good, tl.total)).toEqual([]);
  });

  it('a fault that never dented the success rate recovers in 0 ms', () => {
    const r = recoveryOf(FAULT, timeline(200, () => 999));
    expect(r.recoveredAfterMs).toBe(0);
  });

  it('is never negative: a fault that ends mid-bucket counts from its end', () => {
    // Ends at 69.5 s. Bucket 69 (69–70 s) good: recovered at once (its start is before the end → 0).
    const midBucket = fault(60_000, 9_500);
    const tl = (firstGood: number) => timeline(200, (b) => (b < 60 ? 999 : b < firstGood ? 0 : 999));
    expect(recoveryOf(midBucket, tl(69)).recoveredAfterMs).toBe(0);
    // Bucket 69 still bad, 70 good: 70 s − 69.5 s.
    expect(recoveryOf(midBucket, tl(70)).recoveredAfterMs).toBe(500);
  });

  it('each fault is measured on its own, against the level just before it, in the scenario’s order', () => {
    // First fault 20–30 s, recovered 4 s later; second fault 100–110 s, never recovered.
    const tl = timeline(200, (b) => (b < 20 ? 999 : b < 34 ? 0 : b < 100 ? 995 : 0));
    const rs = recoveryTimes([fault(20_000, 10_000, 'first'), fault(100_000, 10_000, 'second')], { ...DEFAULTS, baselineMs: 20_000 }, BUCKET_MS, tl.good, tl.total);
    expect(rs.map((r) => r.fault)).toEqual(['first', 'second']);
    expect(rs[0].baseline).toBe(0.999);
    expect(rs[0].recoveredAfterMs).toBe(4000);
    // The second's baseline is the 99.5% between the faults, not the 99.9% before the first.
    expect(rs[1].baseline).toBe(0.995);
    expect(rs[1].recoveredAfterMs).toBeNull();
    expect(rs[1].undetermined).toBe(false);
  });
});

describe('recovery in a run', () => {
  const SCENARIO = `
name: recovery
seed: 3
duration: 40s
traffic:
  users: {target: api.get, rate: 100/s, timeout: 1s}
services:
  api:
    concurrency: 1000
    endpoints:
      get:
        work: 1ms
        steps:
          - call: db.query
            timeout: 100ms
  db:
    concurrency: 1000
    endpoints:
      query: {work: {exponential: {mean: 2ms}}}
faults:
  - {target: db, kind: errors, rate: 100%, at: 10s, for: 5s}
`;

  it('the defaults are the documented ones: 1 pp, a 30 s hold, a 60 s baseline', () => {
    expect(loadScenarioText(SCENARIO, 'test.yaml').base.recovery).toEqual(DEFAULTS);
  });

  it('a run reports recoveryTimes over its own timeline (by arrival, degraded counted good)', () => {
    const run = simulate(`${SCENARIO}recovery: {hold: 10s}\n`, { replications: 2 });
    for (const raw of run.raws.get('baseline')!) {
      const t = raw.timeline;
      const good = t.ok.map((x, b) => x + t.degraded[b]);
      const total = good.map((x, b) => x + t.failed[b]);
      expect(raw.recovery).toEqual(recoveryTimes(run.set.base.faults, run.set.base.recovery, t.bucketMs, good, total));
      // Errors stop with the fault: the operations arriving after it succeed at once (no
      // retries, no backlog), so it recovers within the bucket that holds the fault's end.
      expect(raw.recovery[0].recoveredAfterMs).not.toBeNull();
      expect(raw.recovery[0].recoveredAfterMs!).toBeLessThan(t.bucketMs);
    }
  });

  it('the scenario’s hold reaches the verdict: 25 s left after the fault is enough for 10 s, too short for the default 30 s', () => {
    const held = simulate(`${SCENARIO}recovery: {hold: 10s}\n`, { replications: 1 });
    expect(held.results.get('baseline')!.summary.recovery[0]).toMatchObject({ recoveredRuns: 1, undetermined: false });
    const byDefault = simulate(SCENARIO, { replications: 1 });
    expect(byDefault.results.get('baseline')!.summary.recovery[0]).toMatchObject({ recoveredAfterMs: null, recoveredRuns: 0, undetermined: true });
  });

  it('a scenario without faults reports an empty recovery list', () => {
    const run = simulate(SCENARIO.replace(/faults:\n.*\n/, ''), { replications: 1 });
    expect(run.set.base.faults).toEqual([]);
    expect(run.results.get('baseline')!.summary.recovery).toEqual([]);
  });
});
