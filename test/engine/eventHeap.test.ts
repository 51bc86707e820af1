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

  it('reports Infinity as the next time when empty', () => {
    expect(new EventHeap().peekTime()).toBe(Infinity);
  });
});
