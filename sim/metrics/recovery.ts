import type { Fault, RecoverySettings } from '../scenario/types.js';

export interface RecoveryResult {
  fault: string;
  endedAtMs: number;
  /** null: not back within tolerance (and holding) before the run ended — a metastable failure. */
  recoveredAfterMs: number | null;
  /** The run ended less than `hold` after the fault did: recovery cannot be told (recoveredAfterMs is null). */
  undetermined: boolean;
  /** The pre-fault success rate it had to return to. */
  baseline: number;
}

/**
 * Recovery time per fault, from the timeline bucketed by arrival: the time from the fault's
 * end until the success rate is back within `tolerance` (1 percentage point by default) of
 * its pre-fault level, and stays there for `holdMs` (30 s by default). The pre-fault level is
 * the success rate over the `baselineMs` before the fault began. Buckets without arrivals
 * neither break nor make a hold.
 */
export function recoveryTimes(
  faults: Fault[],
  settings: RecoverySettings,
  bucketMs: number,
  good: ArrayLike<number>,
  total: ArrayLike<number>,
): RecoveryResult[] {
  const n = total.length;
  const rate = (from: number, to: number): number | null => {
    let g = 0;
    let t = 0;
    for (let b = Math.max(0, from); b < Math.min(n, to); b++) {
      g += good[b];
      t += total[b];
    }
    return t === 0 ? null : g / t;
  };
  return faults.map((f) => {
    const endMs = f.atMs + f.forMs;
    const firstFaultBucket = Math.floor(f.atMs / bucketMs);
    const baselineBuckets = Math.max(1, Math.round(settings.baselineMs / bucketMs));
    const baseline = rate(firstFaultBucket - baselineBuckets, firstFaultBucket) ?? 1;
    const threshold = baseline - settings.tolerance - 1e-12;
    const holdBuckets = Math.max(1, Math.ceil(settings.holdMs / bucketMs));
    let recoveredAfterMs: number | null = null;
    // With less than a hold left after the fault, no verdict: not the same as "did not recover".
    const undetermined = Math.floor(endMs / bucketMs) + holdBuckets > n;
    for (let b = Math.floor(endMs / bucketMs); b + holdBuckets <= n; b++) {
      // A hold starts where traffic is seen to succeed again, never on a bucket without
      // arrivals: otherwise a longer hold could start earlier and give a shorter recovery.
      if (total[b] === 0) continue;
      let ok = true;
      let seen = 0;
      for (let k = b; k < b + holdBuckets; k++) {
        if (total[k] === 0) continue;
        seen++;
        if (good[k] / total[k] < threshold) {
          ok = false;
          b = k; // no start before the failing bucket can hold
          break;
        }
      }
      if (ok && seen > 0) {
        recoveredAfterMs = Math.max(0, b * bucketMs - endMs);
        break;
      }
    }
    return { fault: f.label, endedAtMs: endMs, recoveredAfterMs, undetermined, baseline };
  });
}
