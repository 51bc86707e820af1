import type { BackoffPolicy } from '../scenario/types.js';

/** Where a backoff draws its jitter from (a seeded stream in the simulator, anything in tests). */
export interface Uniform {
  next(): number;
}

/**
 * The delay before retry number `retry` (1 = the first retry), with the AWS jitter formulas
 * ("Exponential Backoff And Jitter", AWS Architecture Blog, 2015):
 *   full:          random(0, d)
 *   equal:         d/2 + random(0, d/2)
 *   decorrelated:  min(cap, random(base, previous·3)), previous starting at base
 * where d = base (constant) or min(cap, base·multiplierⁿ⁻¹) (exponential).
 * Draws exactly one uniform when jittered, none otherwise, so streams stay aligned.
 */
export function backoffDelayMs(p: BackoffPolicy, retry: number, previousDelayMs: number, rng: Uniform): number {
  if (p.backoff === 'none') return 0;
  if (p.jitter === 'decorrelated') {
    const prev = previousDelayMs > 0 ? previousDelayMs : p.baseMs;
    const hi = Math.max(p.baseMs, prev * 3);
    return Math.min(p.capMs, p.baseMs + rng.next() * (hi - p.baseMs));
  }
  const d =
    p.backoff === 'constant'
      ? Math.min(p.capMs, p.baseMs)
      : Math.min(p.capMs, p.baseMs * Math.pow(p.multiplier, retry - 1));
  switch (p.jitter) {
    case 'none':
      return d;
    case 'full':
      return rng.next() * d;
    case 'equal':
      return d / 2 + (rng.next() * d) / 2;
  }
}
