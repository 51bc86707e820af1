import { EventHeap } from './eventHeap.js';

/** An event handler: a plain function of one argument, so that scheduling allocates no closure. */
export type EventHandler<T> = (arg: T) => void;

export type StopReason = 'drained' | 'until' | 'maxEvents' | 'stopped';

export interface RunOutcome {
  reason: StopReason;
  /** Events executed by this call of run(). */
  events: number;
  nowMs: number;
}

/**
 * The clock and the event loop: the only owner of simulated time.
 * Events at the same time run in the order they were scheduled (ties broken by sequence).
 */
export class Simulator {
  private readonly heap = new EventHeap();
  /** Slot s holds its handler at 2s and its argument at 2s + 1: one array, side by side. */
  private table: unknown[] = [];
  /** A stack of free slots. */
  private freeSlots = new Int32Array(1024);
  private freeCount = 0;
  private seq = 0;
  private stopRequested = false;
  private now = 0;
  /** Events executed since the simulator was created. */
  executed = 0;

  get nowMs(): number {
    return this.now;
  }

  get pending(): number {
    return this.heap.size;
  }

  /** Schedules `handler(arg)` after `delayMs` (≥ 0, finite). */
  schedule<T>(delayMs: number, handler: EventHandler<T>, arg: T): void {
    if (!(delayMs >= 0) || delayMs === Infinity) badDelay(delayMs);
    this.enqueue(this.now + delayMs, handler, arg);
  }

  /** Schedules `handler(arg)` at absolute time `timeMs` (≥ now, finite). */
  at<T>(timeMs: number, handler: EventHandler<T>, arg: T): void {
    if (!(timeMs >= this.now) || timeMs === Infinity) badTime(timeMs, this.now);
    this.enqueue(timeMs, handler, arg);
  }

  /** Asks run() to return after the current event. */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Runs events in (time, sequence) order until none is left, the next one is after `untilMs`
   * (the clock then advances to untilMs), `maxEvents` have run, or stop() is called.
   */
  run(untilMs = Infinity, maxEvents = Infinity): RunOutcome {
    const heap = this.heap;
    this.stopRequested = false;
    let events = 0;
    let reason: StopReason;
    for (;;) {
      if (heap.size === 0) {
        reason = 'drained';
        break;
      }
      const t = heap.peekTime();
      if (t > untilMs) {
        this.now = untilMs;
        reason = 'until';
        break;
      }
      if (events >= maxEvents) {
        reason = 'maxEvents';
        break;
      }
      const slot = heap.pop();
      const table = this.table;
      const handler = table[2 * slot] as EventHandler<unknown>;
      const arg = table[2 * slot + 1];
      // Drop the argument so the garbage collector can take it; the handler is a shared function.
      table[2 * slot + 1] = undefined;
      if (this.freeCount === this.freeSlots.length) this.growFree();
      this.freeSlots[this.freeCount++] = slot;
      this.now = t;
      events++;
      handler(arg);
      if (this.stopRequested) {
        reason = 'stopped';
        break;
      }
    }
    this.executed += events;
    return { reason, events, nowMs: this.now };
  }

  private enqueue(timeMs: number, handler: EventHandler<any>, arg: unknown): void {
    let slot: number;
    const table = this.table;
    if (this.freeCount > 0) {
      slot = this.freeSlots[--this.freeCount];
      table[2 * slot] = handler;
      table[2 * slot + 1] = arg;
    } else {
      slot = table.length >> 1;
      table.push(handler, arg);
    }
    this.heap.push(timeMs, this.seq++, slot);
  }

  private growFree(): void {
    const next = new Int32Array(this.freeSlots.length * 2);
    next.set(this.freeSlots);
    this.freeSlots = next;
  }
}

// The errors are thrown out of line: every model function that schedules inlines schedule()
// and at(), and V8 inlines only so much bytecode into one function.
function badDelay(delayMs: number): never {
  throw new RangeError(`cannot schedule an event after ${delayMs} ms: a delay must be finite and ≥ 0`);
}

function badTime(timeMs: number, nowMs: number): never {
  throw new RangeError(`cannot schedule an event at ${timeMs} ms: now is ${nowMs} ms`);
}

/**
 * Primes the JIT, once per process (or worker thread) when the module loads: run() returns at
 * `until` on a throwaway simulator. A World runs in slices, and its first slice ends after V8
 * has compiled run() without feedback for that exit, which threw the event loop back to the
 * interpreter (docs/performance.md, "Priming the rare branches"). No event runs. The times are
 * fractional like a run's: an outcome whose nowMs V8 first saw as an integer would deoptimize too.
 */
function primeRunExits(): void {
  const sim = new Simulator();
  sim.at(2.5, neverRuns, undefined);
  // Enough calls for V8 to give run() its feedback vector (it does so lazily) and then fill it.
  for (let i = 0; i < 64; i++) sim.run(1.5);
}
function neverRuns(): void {}
primeRunExits();
