/**
 * A 4-ary min-heap of events ordered by (timeMs, seq), stored as parallel typed arrays.
 *
 * Why typed arrays: a heap of event objects makes V8 chase a pointer per comparison and
 * allocate per event; measured here it falls to ~0.5M events/s with 100k pending events,
 * while this struct-of-arrays layout keeps several million. Four children per node halve the
 * depth of a binary heap, and the children sit side by side in memory. The heap stores only
 * an integer `slot` per event; the simulator keeps what the slot means.
 *
 * Why the sift-down picks the earliest of four children without branches: which child is
 * earliest is a coin toss for the CPU's branch predictor, and a native profile of the 4-hop
 * chain put most of the event loop's own time on those mispredicted branches. The children
 * play a knock-out of 0/1 comparisons, and the winner's index is computed from the results.
 * So that every node has four children to compare, the slots past the last event hold
 * +Infinity (PAD of them at least), which no event's time can equal.
 */
const PAD = 4;

/**
 * 1 when event x comes before event y (earlier, or as early and scheduled sooner), else 0:
 * without branches. Elsewhere the same test is written out, `t < u || (t === u && s < r)`, so
 * that a sequence number is read only on a tie: a helper taking all four values read them
 * every time and made the heap alone 2–5% slower.
 */
function comesFirst(times: Float64Array, seqs: Float64Array, x: number, y: number): number {
  return +(times[x] < times[y]) | (+(times[x] === times[y]) & +(seqs[x] < seqs[y]));
}

export class EventHeap {
  private times: Float64Array;
  private seqs: Float64Array;
  private slots: Int32Array;
  private count = 0;

  constructor(initialCapacity = 1024) {
    this.times = new Float64Array(initialCapacity + PAD).fill(Infinity);
    this.seqs = new Float64Array(initialCapacity + PAD);
    this.slots = new Int32Array(initialCapacity + PAD);
  }

  get size(): number {
    return this.count;
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this.count === 0 ? Infinity : this.times[0];
  }

  /** Adds an event; `timeMs` must be finite (the simulator checks). */
  push(timeMs: number, seq: number, slot: number): void {
    if (this.count + PAD >= this.times.length) this.grow();
    const times = this.times;
    const seqs = this.seqs;
    const slots = this.slots;
    // Sift up: move parents down until the new event's place is found.
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const pt = times[parent];
      if (pt < timeMs || (pt === timeMs && seqs[parent] < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent];
      slots[i] = slots[parent];
      i = parent;
    }
    times[i] = timeMs;
    seqs[i] = seq;
    slots[i] = slot;
  }

  /** Removes the earliest event and returns its slot; the caller reads peekTime() first. */
  pop(): number {
    const times = this.times;
    const seqs = this.seqs;
    const slots = this.slots;
    const top = slots[0];
    const n = --this.count;
    // The last event is sifted down from the root; its old place becomes padding.
    const t = times[n];
    const s = seqs[n];
    const sl = slots[n];
    times[n] = Infinity;
    if (n === 0) return top;
    let i = 0;
    if (n <= 4) {
      // Only the root has children (the M/M/1's usual case): a plain scan is cheaper.
      let child = 1;
      for (let c = 2; c < n; c++) if (times[c] < times[child] || (times[c] === times[child] && seqs[c] < seqs[child])) child = c;
      if (times[child] < t || (times[child] === t && seqs[child] < s)) {
        times[0] = times[child];
        seqs[0] = seqs[child];
        slots[0] = slots[child];
        i = child;
      }
    } else {
      for (;;) {
        const first = 4 * i + 1;
        if (first >= n) break;
        const c2 = first + 2;
        const a = first + comesFirst(times, seqs, first + 1, first);
        const b = c2 + comesFirst(times, seqs, c2 + 1, c2);
        const child = a + (b - a) * comesFirst(times, seqs, b, a);
        const ct = times[child];
        const cs = seqs[child];
        if (t < ct || (t === ct && s < cs)) break;
        times[i] = ct;
        seqs[i] = cs;
        slots[i] = slots[child];
        i = child;
      }
    }
    times[i] = t;
    seqs[i] = s;
    slots[i] = sl;
    return top;
  }

  private grow(): void {
    const capacity = (this.times.length - PAD) * 2 + PAD;
    const times = new Float64Array(capacity).fill(Infinity);
    const seqs = new Float64Array(capacity);
    const slots = new Int32Array(capacity);
    times.set(this.times);
    seqs.set(this.seqs);
    slots.set(this.slots);
    this.times = times;
    this.seqs = seqs;
    this.slots = slots;
  }
}

/**
 * Primes the JIT, once per process (or worker thread) when the module loads: both sift-downs
 * run on a throwaway heap, with ties. A model with few pending events (the M/M/1 has three or
 * four) takes the long sift-down first thousands of events into a run, after V8 has compiled
 * pop() without feedback for it, and the event loop was thrown back to the interpreter there
 * (docs/performance.md, "Priming the rare branches"). Results cannot depend on it: the heap is
 * dropped, and pop() keeps no state outside its heap.
 */
function primeSiftDown(): void {
  const heap = new EventHeap(8);
  let x = 1;
  // Enough calls for V8 to give pop() its feedback vector (it does so lazily) and then fill it.
  for (let round = 0; round < 64; round++) {
    for (let i = 0; i < 12; i++) {
      x = (x * 75) % 65_537;
      heap.push(x % 7, round * 12 + i, i);
    }
    while (heap.size > 0) heap.pop();
  }
}
primeSiftDown();
