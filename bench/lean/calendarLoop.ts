/**
 * A measuring stick, not an engine: the event loop of the lean models on a calendar queue
 * (R. Brown, "Calendar queues", CACM 31(10), 1988) instead of faultline's Simulator and heap.
 * 256 buckets of a fixed width, each an unsorted list; the next event is the earliest
 * (time, sequence) of the current bucket's events, so the order — and every result — is the
 * same as the Simulator's. The handler and argument are stored with the event: no slot table.
 *
 * It is fast only when the width suits the model (a year of 256 buckets covering most pending
 * delays) and no bucket gets crowded; a real engine would have to adapt the width and send
 * crowded or far events elsewhere (docs/performance.md, "The ceiling"). It has the part of the
 * Simulator's interface the lean models use.
 */
const BUCKETS = 256;
const MASK = BUCKETS - 1;

type Handler = (arg: never) => void;

export class CalendarLoop {
  private readonly heads = new Int32Array(BUCKETS).fill(-1);
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private vkeys = new Float64Array(1024);
  private nexts = new Int32Array(1024);
  private handlers: Array<Handler | null> = new Array<Handler | null>(1024).fill(null);
  private args: unknown[] = new Array<unknown>(1024).fill(null);
  private free: number[] = [];
  private count = 0;
  private seq = 0;
  private now = 0;
  /** The current virtual bucket ⌊t / width⌋: no pending event is earlier. */
  private vb = 0;

  constructor(private readonly widthMs: number) {
    for (let i = 1023; i >= 0; i--) this.free.push(i);
  }

  get nowMs(): number {
    return this.now;
  }

  schedule<T>(delayMs: number, handler: (arg: T) => void, arg: T): void {
    this.at(this.now + delayMs, handler, arg);
  }

  at<T>(timeMs: number, handler: (arg: T) => void, arg: T): void {
    if (this.free.length === 0) this.grow();
    const i = this.free.pop()!;
    const v = Math.floor(timeMs / this.widthMs);
    this.times[i] = timeMs;
    this.seqs[i] = this.seq++;
    this.vkeys[i] = v;
    this.handlers[i] = handler as Handler;
    this.args[i] = arg;
    this.nexts[i] = this.heads[v & MASK];
    this.heads[v & MASK] = i;
    this.count++;
  }

  run(): { events: number } {
    let events = 0;
    while (this.count > 0) {
      const i = this.takeEarliest();
      this.count--;
      this.now = this.times[i];
      const handler = this.handlers[i]!;
      const arg = this.args[i];
      this.args[i] = null;
      this.free.push(i);
      events++;
      (handler as (a: unknown) => void)(arg);
    }
    return { events };
  }

  /** Unlinks and returns the earliest event: the first (time, seq) of the current bucket's. */
  private takeEarliest(): number {
    const { times, seqs, vkeys, nexts } = this;
    for (let scanned = 0; ; scanned++) {
      if (scanned === BUCKETS) {
        // A whole year without an event: jump to the earliest one.
        let v = Infinity;
        for (let b = 0; b < BUCKETS; b++) for (let i = this.heads[b]; i >= 0; i = nexts[i]) v = Math.min(v, vkeys[i]);
        this.vb = v;
        scanned = 0;
      }
      const vb = this.vb;
      let best = -1;
      let bestPrev = -1;
      for (let i = this.heads[vb & MASK], prev = -1; i >= 0; prev = i, i = nexts[i]) {
        if (vkeys[i] === vb && (best < 0 || times[i] < times[best] || (times[i] === times[best] && seqs[i] < seqs[best]))) {
          best = i;
          bestPrev = prev;
        }
      }
      if (best >= 0) {
        if (bestPrev < 0) this.heads[vb & MASK] = nexts[best];
        else nexts[bestPrev] = nexts[best];
        return best;
      }
      this.vb = vb + 1;
    }
  }

  private grow(): void {
    const n = this.times.length;
    const widen = (a: Float64Array) => {
      const next = new Float64Array(2 * n);
      next.set(a);
      return next;
    };
    this.times = widen(this.times);
    this.seqs = widen(this.seqs);
    this.vkeys = widen(this.vkeys);
    const nexts = new Int32Array(2 * n);
    nexts.set(this.nexts);
    this.nexts = nexts;
    this.handlers.length = 2 * n;
    this.args.length = 2 * n;
    for (let i = 2 * n - 1; i >= n; i--) this.free.push(i);
  }
}
