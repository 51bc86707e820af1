/**
 * A 4-ary min-heap of events ordered by (timeMs, seq), stored as parallel typed arrays.
 *
 * Why typed arrays: a heap of event objects makes V8 chase a pointer per comparison and
 * allocate per event; measured here it falls to ~0.5M events/s with 100k pending events,
 * while this struct-of-arrays layout keeps several million. Four children per node halve the
 * depth of a binary heap, and the children sit side by side in memory. The heap stores only
 * an integer `slot` per event; the simulator keeps what the slot means.
 */
export class EventHeap {
  private times: Float64Array;
  private seqs: Float64Array;
  private slots: Int32Array;
  private count = 0;

  constructor(initialCapacity = 1024) {
    this.times = new Float64Array(initialCapacity);
    this.seqs = new Float64Array(initialCapacity);
    this.slots = new Int32Array(initialCapacity);
  }

  get size(): number {
    return this.count;
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this.count === 0 ? Infinity : this.times[0];
  }

  push(timeMs: number, seq: number, slot: number): void {
    if (this.count === this.times.length) this.grow();
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
    if (n === 0) return top;
    const t = times[n];
    const s = seqs[n];
    const sl = slots[n];
    // Sift down the last element from the root, choosing the earliest of up to four children.
    let i = 0;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      let child = first;
      let ct = times[first];
      let cs = seqs[first];
      const last = first + 4 < n ? first + 4 : n;
      for (let c = first + 1; c < last; c++) {
        const tc = times[c];
        if (tc < ct || (tc === ct && seqs[c] < cs)) {
          child = c;
          ct = tc;
          cs = seqs[c];
        }
      }
      if (t < ct || (t === ct && s < cs)) break;
      times[i] = ct;
      seqs[i] = cs;
      slots[i] = slots[child];
      i = child;
    }
    times[i] = t;
    seqs[i] = s;
    slots[i] = sl;
    return top;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
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
