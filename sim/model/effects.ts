import type { EffectStats } from '../metrics/stats.js';
import type { Request } from './request.js';

/**
 * Side effects, counted per operation id across sync retries, redeliveries and duplicate
 * publishes. The counts live on the Operation itself, so nothing grows with the run: an
 * operation's counts go when the last request that carries it does.
 */
export class EffectLedger {
  doubleProcessing = 0;

  constructor(
    readonly stats: EffectStats[],
    /** Operations double-processed, by the bucket of their arrival. */
    readonly doubleByBucket: Float64Array,
  ) {}

  apply(req: Request, nowMs: number): void {
    const ep = req.endpoint!;
    const e = ep.effectIndex;
    const op = req.op;
    const n = this.stats.length;
    op.effectCounts ??= new Int32Array(n);
    const s = this.stats[e];
    const count = op.effectCounts[e];
    if (ep.def.idempotent && count > 0) {
      // A dedup store keyed by operation id, with an optional TTL.
      const window = ep.def.idempotencyWindowMs;
      const appliedAt = op.effectAppliedMs![e];
      if (window === null || nowMs - appliedAt <= window) {
        if (op.measured) s.suppressed++;
        op.trace?.mark('effect', `${s.name} (duplicate suppressed)`, req.serverSpan, nowMs, 'suppressed');
        return;
      }
    }
    op.effectCounts[e] = count + 1;
    if (ep.def.idempotent) {
      op.effectAppliedMs ??= new Float64Array(n);
      op.effectAppliedMs[e] = nowMs;
    }
    op.trace?.mark('effect', count > 0 ? `${s.name} (executed again)` : s.name, req.serverSpan, nowMs, count > 0 ? 'duplicate' : 'applied');
    if (!op.measured) return;
    s.executions++;
    if (count === 0) s.operations++;
    else {
      s.duplicated++;
      if (!op.doubleProcessed) {
        op.doubleProcessed = true;
        this.doubleProcessing++;
        if (op.bucket >= 0) this.doubleByBucket[op.bucket]++;
      }
    }
  }
}
