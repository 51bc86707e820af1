/** Call results over a sliding window: how many calls, how many failed, how many were slow. */
export interface WindowTotals {
  calls: number;
  failures: number;
  slow: number;
}

export interface SlidingWindow {
  record(nowMs: number, failed: boolean, slow: boolean): void;
  totals(nowMs: number): WindowTotals;
  reset(): void;
}

/** The last `size` calls (resilience4j COUNT_BASED): a ring buffer. */
export class CountWindow implements SlidingWindow {
  private readonly failed: Uint8Array;
  private readonly slowBits: Uint8Array;
  private next = 0;
  private filled = 0;
  private failures = 0;
  private slow = 0;

  constructor(readonly size: number) {
    this.failed = new Uint8Array(size);
    this.slowBits = new Uint8Array(size);
  }

  record(_nowMs: number, failed: boolean, slow: boolean): void {
    const i = this.next;
    if (this.filled === this.size) {
      this.failures -= this.failed[i];
      this.slow -= this.slowBits[i];
    } else this.filled++;
    this.failed[i] = failed ? 1 : 0;
    this.slowBits[i] = slow ? 1 : 0;
    this.failures += this.failed[i];
    this.slow += this.slowBits[i];
    this.next = (i + 1) % this.size;
  }

  totals(): WindowTotals {
    return { calls: this.filled, failures: this.failures, slow: this.slow };
  }

  reset(): void {
    this.next = this.filled = this.failures = this.slow = 0;
    this.failed.fill(0);
    this.slowBits.fill(0);
  }
}

/**
 * The calls of the last `sizeMs` (resilience4j TIME_BASED): partial totals per bucket of
 * `bucketMs` (one second when the window is whole seconds, as resilience4j does), so memory
 * is fixed whatever the call rate.
 */
export class TimeWindow implements SlidingWindow {
  private readonly buckets: number;
  private readonly bucketMs: number;
  private readonly epochs: Float64Array;
  private readonly calls: Uint32Array;
  private readonly failures: Uint32Array;
  private readonly slow: Uint32Array;

  constructor(readonly sizeMs: number) {
    this.buckets = sizeMs >= 1000 && sizeMs % 1000 === 0 ? Math.min(sizeMs / 1000, 600) : 10;
    this.bucketMs = sizeMs / this.buckets;
    // -Infinity marks an empty bucket: it is never inside the window, whatever the time.
    this.epochs = new Float64Array(this.buckets).fill(-Infinity);
    this.calls = new Uint32Array(this.buckets);
    this.failures = new Uint32Array(this.buckets);
    this.slow = new Uint32Array(this.buckets);
  }

  record(nowMs: number, failed: boolean, slow: boolean): void {
    const epoch = Math.floor(nowMs / this.bucketMs);
    const i = epoch % this.buckets;
    if (this.epochs[i] !== epoch) {
      this.epochs[i] = epoch;
      this.calls[i] = this.failures[i] = this.slow[i] = 0;
    }
    this.calls[i]++;
    if (failed) this.failures[i]++;
    if (slow) this.slow[i]++;
  }

  totals(nowMs: number): WindowTotals {
    const epoch = Math.floor(nowMs / this.bucketMs);
    const t = { calls: 0, failures: 0, slow: 0 };
    for (let i = 0; i < this.buckets; i++) {
      // Buckets of the current epoch and the (buckets − 1) before it are inside the window.
      if (this.epochs[i] > epoch - this.buckets && this.epochs[i] <= epoch) {
        t.calls += this.calls[i];
        t.failures += this.failures[i];
        t.slow += this.slow[i];
      }
    }
    return t;
  }

  reset(): void {
    // Marking buckets empty is enough only if empty never counts: with -1, buckets of a window
    // reset during its first `sizeMs` still counted (epoch −1 is "recent" at epoch 0…buckets−2).
    this.epochs.fill(-Infinity);
    this.calls.fill(0);
    this.failures.fill(0);
    this.slow.fill(0);
  }
}
