import { describe, expect, it } from 'vitest';
import { EventHeap } from '../../sim/engine/eventHeap.js';
import { RandomStream } from '../../sim/engine/random.js';

describe('EventHeap', () => {
  it('pops events in (time, sequence) order, growing past its initial capacity', () => {
    const heap = new EventHeap(4);
    const rng = new RandomStream('heap-order');
    const events: Array<[number, number]> = [];
    for (let seq = 0; seq < 5000; seq++) {
      // Coarse times so that many events share a time and the sequence must break ties.
      const t = Math.floor(rng.next() * 100);
      events.push([t, seq]);
      heap.push(t, seq, seq);
    }
    const expected = [...events].sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((e) => e[1]);
    const got: number[] = [];
    while (heap.size > 0) got.push(heap.pop());
    expect(got).toEqual(expected);
  });

  it('stays ordered when pushes and pops interleave', () => {
    const heap = new EventHeap();
    const rng = new RandomStream('heap-interleave');
    let now = 0;
    let seq = 0;
    const times = new Map<number, number>();
    for (let i = 0; i < 20000; i++) {
      if (heap.size === 0 || rng.next() < 0.55) {
        const t = now + rng.next() * 10;
        times.set(seq, t);
        heap.push(t, seq, seq++);
      } else {
        const t = heap.peekTime();
        const slot = heap.pop();
        expect(times.get(slot)).toBe(t);
        expect(t).toBeGreaterThanOrEqual(now);
        now = t;
      }
    }
  });

  it('keeps (time, sequence) order through growing, shrinking and many ties, at every size', () => {
    // Against a reference that scans for the earliest (time, seq). The phases take the heap
    // past several capacities and back to empty, and dwell at the sizes around 4, where pop
    // switches from a plain scan of the root's children to the four-way knock-out. Times
    // are whole milliseconds, so ties are common and only the sequence can break them.
    const heap = new EventHeap(4);
    const rng = new RandomStream('heap-phases');
    const pending: Array<{ t: number; seq: number }> = [];
    let now = 0;
    let seq = 0;
    const phases: Array<[steps: number, pushShare: number]> = [
      [400, 0.5],
      [6000, 0.8],
      [6000, 0.2],
      [3000, 0.5],
      [2000, 0.6],
      [4000, 0.35],
    ];
    let pops = 0;
    for (const [steps, pushShare] of phases) {
      for (let k = 0; k < steps; k++) {
        if (pending.length === 0 || rng.next() < pushShare) {
          const t = now + Math.floor(rng.next() * 5);
          pending.push({ t, seq });
          heap.push(t, seq, seq++);
        } else {
          let best = 0;
          for (let j = 1; j < pending.length; j++) {
            const e = pending[j];
            if (e.t < pending[best].t || (e.t === pending[best].t && e.seq < pending[best].seq)) best = j;
          }
          const want = pending[best];
          pending.splice(best, 1);
          expect(heap.peekTime()).toBe(want.t);
          expect(heap.pop()).toBe(want.seq);
          now = want.t;
          pops++;
        }
        expect(heap.size).toBe(pending.length);
      }
    }
    expect(pops).toBeGreaterThan(8000);
  });

  it('reports Infinity as the next time when empty', () => {
    expect(new EventHeap().peekTime()).toBe(Infinity);
  });
});
