import type { Simulator } from '../engine/simulator.js';
import { TIMEOUT } from './outcome.js';
import type { Request } from './request.js';

/**
 * The attempts of one call site that time out after the same constant delay. Their deadlines
 * arrive in the order they were sent, so a FIFO with a single pending event replaces one heap
 * event per attempt: most attempts are answered long before their deadline, and the heap
 * stays small (the 4-hop chain at 1000 req/s keeps ~1000 fewer pending events).
 *
 * An answered attempt leaves its slot at once (`remove`), so the FIFO does not keep finished
 * requests alive until their deadline: they die young, which the garbage collector likes.
 */
export class TimeoutQueue {
  private ring: Array<Request | null> = new Array(64).fill(null);
  /** Absolute positions: the ring index is position mod capacity. */
  private head = 0;
  private tail = 0;
  private armed = false;

  constructor(private readonly sim: Simulator) {}

  add(req: Request): void {
    if (this.tail - this.head === this.ring.length) this.grow();
    req.timeoutPos = this.tail;
    this.ring[this.tail % this.ring.length] = req;
    this.tail++;
    if (!this.armed) {
      this.armed = true;
      this.sim.at(req.deadlineMs, fire, this);
    }
  }

  /** The attempt was answered: forget it. */
  remove(req: Request): void {
    const pos = req.timeoutPos;
    if (pos >= this.head && pos < this.tail) this.ring[pos % this.ring.length] = null;
  }

  fire(): void {
    const now = this.sim.nowMs;
    const ring = this.ring;
    while (this.head < this.tail) {
      const i = this.head % ring.length;
      const req = ring[i];
      if (req === null || req.callerDone) {
        ring[i] = null;
        this.head++;
        continue;
      }
      if (req.deadlineMs > now) {
        this.sim.at(req.deadlineMs, fire, this);
        return;
      }
      ring[i] = null;
      this.head++;
      req.callerDone = true;
      req.inv.attemptEnded(req, TIMEOUT);
    }
    this.armed = false;
  }

  private grow(): void {
    const old = this.ring;
    const next = new Array<Request | null>(old.length * 2).fill(null);
    for (let p = this.head; p < this.tail; p++) next[p % next.length] = old[p % old.length];
    this.ring = next;
  }
}

function fire(q: TimeoutQueue): void {
  q.fire();
}
