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
  private handlers: Array<EventHandler<any> | undefined> = [];
  private args: unknown[] = [];
  private freeSlots: number[] = [];
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
    if (!(delayMs >= 0) || delayMs === Infinity) {
      throw new RangeError(`cannot schedule an event after ${delayMs} ms: a delay must be finite and ≥ 0`);
    }
    this.enqueue(this.now + delayMs, handler, arg);
  }

  /** Schedules `handler(arg)` at absolute time `timeMs` (≥ now, finite). */
  at<T>(timeMs: number, handler: EventHandler<T>, arg: T): void {
    if (!(timeMs >= this.now) || timeMs === Infinity) {
      throw new RangeError(`cannot schedule an event at ${timeMs} ms: now is ${this.now} ms`);
    }
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
    const handlers = this.handlers;
    const args = this.args;
    this.stopRequested = false;
    let events = 0;
    let reason: StopReason = 'drained';
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
      const handler = handlers[slot]!;
      const arg = args[slot];
      handlers[slot] = undefined;
      args[slot] = undefined;
      this.freeSlots.push(slot);
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
    if (this.freeSlots.length > 0) {
      slot = this.freeSlots.pop()!;
      this.handlers[slot] = handler;
      this.args[slot] = arg;
    } else {
      slot = this.handlers.length;
      this.handlers.push(handler);
      this.args.push(arg);
    }
    this.heap.push(timeMs, this.seq++, slot);
  }
}
