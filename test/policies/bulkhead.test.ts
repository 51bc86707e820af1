import { describe, expect, it } from 'vitest';
import { Bulkhead } from '../../sim/policies/bulkhead.js';

interface Waiter {
  id: number;
  expired: boolean;
}
const waiter = (id: number): Waiter => ({ id, expired: false });

describe('Bulkhead', () => {
  it('admits at most maxConcurrent calls at once', () => {
    const b = new Bulkhead<Waiter>(3, 0);
    expect([b.tryAcquire(), b.tryAcquire(), b.tryAcquire()]).toEqual([true, true, true]);
    expect(b.inFlight).toBe(3);
    expect(b.tryAcquire()).toBe(false);
    expect(b.inFlight).toBe(3);
  });

  it('a release with nobody waiting frees a slot for the next caller', () => {
    const b = new Bulkhead<Waiter>(1, 0);
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    expect(b.release()).toBeNull();
    expect(b.inFlight).toBe(0);
    expect(b.tryAcquire()).toBe(true);
  });

  it('release hands the slot to waiters in FIFO order', () => {
    const b = new Bulkhead<Waiter>(1, 100);
    b.tryAcquire();
    const ws = [waiter(1), waiter(2), waiter(3)];
    ws.forEach((w) => b.enqueue(w));
    expect(b.waiting).toBe(3);
    expect(b.release()?.id).toBe(1);
    expect(b.inFlight).toBe(1); // the slot passed on, not freed
    expect(b.waiting).toBe(2);
    expect(b.release()?.id).toBe(2);
    expect(b.release()?.id).toBe(3);
    expect(b.inFlight).toBe(1);
    expect(b.release()).toBeNull();
    expect(b.inFlight).toBe(0);
  });

  it('the slot handed on is held: a new caller is still refused', () => {
    const b = new Bulkhead<Waiter>(1, 100);
    b.tryAcquire();
    b.enqueue(waiter(1));
    b.release();
    expect(b.tryAcquire()).toBe(false);
  });

  it('expired waiters are skipped; the slot goes to the next live one', () => {
    const b = new Bulkhead<Waiter>(2, 100);
    b.tryAcquire();
    b.tryAcquire();
    const ws = [waiter(1), waiter(2), waiter(3), waiter(4)];
    ws.forEach((w) => b.enqueue(w));
    ws[0].expired = true;
    ws[1].expired = true;
    expect(b.release()?.id).toBe(3);
    expect(b.inFlight).toBe(2);
    expect(b.waiting).toBe(1);
    ws[3].expired = true;
    expect(b.release()).toBeNull();
    expect(b.inFlight).toBe(1);
    expect(b.waiting).toBe(0);
  });

  it('keeps FIFO order across a long queue (past its internal compaction)', () => {
    const b = new Bulkhead<Waiter>(1, 100);
    b.tryAcquire();
    const n = 5000;
    const ws = Array.from({ length: n }, (_, i) => waiter(i));
    ws.forEach((w) => b.enqueue(w));
    // Every third waiter gives up before its turn.
    ws.forEach((w) => (w.expired = w.id % 3 === 0));
    const order: number[] = [];
    for (;;) {
      const w = b.release();
      if (w === null) break;
      order.push(w.id);
      // Newcomers keep joining the back of the queue while it is being served.
      if (w.id < 100) b.enqueue(waiter(n + w.id));
    }
    const live = ws.filter((w) => !w.expired).map((w) => w.id);
    const late = live.filter((id) => id < 100).map((id) => n + id);
    expect(order).toEqual([...live, ...late]);
    expect(b.inFlight).toBe(0);
    expect(b.waiting).toBe(0);
  });
});
