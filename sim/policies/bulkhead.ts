/**
 * A bulkhead: at most `maxConcurrent` calls in flight; with `maxWaitMs` > 0, further calls
 * wait in FIFO order for a slot. The caller schedules the wait's expiry; this class only
 * keeps the count and the queue.
 */
export class Bulkhead<W extends { expired: boolean }> {
  private active = 0;
  private readonly waiters: W[] = [];
  private head = 0;

  constructor(
    readonly maxConcurrent: number,
    readonly maxWaitMs: number,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  get waiting(): number {
    return this.waiters.length - this.head;
  }

  tryAcquire(): boolean {
    if (this.active >= this.maxConcurrent) return false;
    this.active++;
    return true;
  }

  /** Queue a caller for a slot; only when maxWaitMs > 0. */
  enqueue(waiter: W): void {
    this.waiters.push(waiter);
  }

  /** Frees a slot; returns the next live waiter, which now holds the slot, if any. */
  release(): W | null {
    this.active--;
    while (this.head < this.waiters.length) {
      const w = this.waiters[this.head];
      this.waiters[this.head++] = undefined as unknown as W;
      if (this.head > 1024 && this.head * 2 > this.waiters.length) {
        this.waiters.splice(0, this.head);
        this.head = 0;
      }
      if (!w.expired) {
        this.active++;
        return w;
      }
    }
    return null;
  }
}
