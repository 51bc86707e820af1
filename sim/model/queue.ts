import type { RandomStream } from '../engine/random.js';
import type { QueueStats } from '../metrics/stats.js';
import { backoffDelayMs } from '../policies/backoff.js';
import type { Queue } from '../scenario/types.js';
import { Invocation, type CallSite, type InvocationParent } from './call.js';
import { Deque } from './deque.js';
import type { Operation } from './operation.js';
import { ERROR, isSuccess, OK, type Outcome } from './outcome.js';
import type { Request } from './request.js';
import { respond } from './service.js';
import type { World } from './world.js';

const READY = 0;
const IN_FLIGHT = 1;
const DELAYED = 2;
const GONE = 3;

class Message {
  state = READY;
  deliveries = 0;
  /** Incremented at each delivery: a failure report from an older delivery is stale. */
  epoch = 0;
  /** When the current delivery's visibility timeout runs out. */
  visibleAtMs = 0;
  prevDelayMs = 0;

  constructor(
    readonly queue: QueueRt,
    readonly op: Operation,
    readonly publishedMs: number,
    readonly poison: boolean,
  ) {}
}

/**
 * One delivery of a message to a consumer loop: the parent of its invocation. Deliveries of
 * one message can overlap (a visibility timeout redelivers while the first is still being
 * processed), so each keeps its own epoch and trace span.
 */
class Delivery implements InvocationParent {
  readonly abandoned = false;

  constructor(
    readonly msg: Message,
    readonly epoch: number,
    readonly span: number,
  ) {}

  invocationDone(_inv: Invocation, outcome: Outcome): void {
    this.msg.queue.deliveryDone(this, outcome);
  }
}

/**
 * A broker queue. A publish is acked once the message is stored. `consumers` loops each take
 * a message, call the consumer endpoint (on the consumer service's own instances and workers)
 * and wait for the result; a success acks (deletes) the message, whichever delivery it came
 * from, unless the ack is lost.
 *
 * at-least-once: an unacked delivery is offered again once its visibility timeout runs out,
 * even while the first is still being processed; a failed one after the redelivery backoff;
 * after `maxDeliveries` deliveries it goes to the dead-letter queue.
 * at-most-once: a message is removed as it is delivered; a failed delivery loses it.
 */
export class QueueRt {
  readonly name: string;
  private readonly ready = new Deque<Message>();
  private idleLoops: number;
  downCount = 0;
  consumerSite!: CallSite;
  private dispatching = false;
  private dispatchAgain = false;

  constructor(
    readonly world: World,
    readonly def: Queue,
    readonly index: number,
    readonly stats: QueueStats,
    private readonly poisonStream: RandomStream,
    private readonly ackStream: RandomStream,
    private readonly redeliveryStream: RandomStream,
  ) {
    this.name = def.name;
    this.idleLoops = def.consumers;
  }

  /** A publish request reached the broker. */
  onPublish(req: Request): void {
    const now = this.world.sim.nowMs;
    if (this.downCount > 0) {
      respond(req, ERROR);
      return;
    }
    const op = req.op;
    const poison = this.def.poison > 0 && this.poisonStream.next() < this.def.poison;
    const msg = new Message(this, op, now, poison);
    const s = this.stats;
    if (op.measured) {
      s.published++;
      op.queueFlags ??= new Uint8Array(this.world.queues.length);
      if (op.queueFlags[this.index] === 0) {
        op.queueFlags[this.index] = 1;
        s.opsPublished++;
      }
    }
    s.depthNow++;
    s.depth.observe(now, s.depthNow);
    this.ready.push(msg);
    respond(req, OK);
    this.dispatch();
  }

  /**
   * Hands ready messages to idle consumer loops. A delivery can end at once (a refused one
   * with no network latency) and call back here: that call only marks the loop as running
   * again, so the stack does not grow with the number of ready messages.
   */
  dispatch(): void {
    if (this.downCount > 0) return;
    if (this.dispatching) {
      this.dispatchAgain = true;
      return;
    }
    this.dispatching = true;
    const now = this.world.sim.nowMs;
    do {
      this.dispatchAgain = false;
      while (this.downCount === 0 && this.idleLoops > 0 && this.ready.length > 0) {
        const msg = this.ready.shift()!;
        if (msg.state !== READY) continue;
        this.deliver(msg, now);
      }
    } while (this.dispatchAgain);
    this.dispatching = false;
    const oldest = this.ready.peek();
    this.stats.lagMs.observe(now, oldest ? now - oldest.publishedMs : 0);
  }

  private deliver(msg: Message, now: number): void {
    const s = this.stats;
    this.idleLoops--;
    msg.deliveries++;
    msg.epoch++;
    if (msg.op.measured) {
      s.delivered++;
      if (msg.deliveries > 1) s.redelivered++;
    }
    if (this.def.delivery === 'at-most-once') {
      msg.state = GONE;
      s.depthNow--;
    } else {
      msg.state = IN_FLIGHT;
      msg.visibleAtMs = now + this.def.visibilityTimeoutMs;
      this.world.sim.schedule(this.def.visibilityTimeoutMs, visibilityExpired, msg);
    }
    const trace = msg.op.trace;
    const span = trace !== null ? trace.open('delivery', `${this.name} delivery ${msg.deliveries}`, msg.op.span, now) : -1;
    const inv = new Invocation(this.consumerSite, new Delivery(msg, msg.epoch, span), msg.op, this.consumerSite.states[0], null, span);
    inv.poison = msg.poison;
    inv.start();
  }

  deliveryDone(d: Delivery, outcome: Outcome): void {
    const now = this.world.sim.nowMs;
    this.idleLoops++;
    if (isSuccess(outcome)) this.succeeded(d, now);
    else this.failed(d, outcome, now);
    this.dispatch();
  }

  /** The consumer processed it: ack, unless the ack is lost (then it is delivered again). */
  private succeeded(d: Delivery, now: number): void {
    const msg = d.msg;
    this.completed(msg, now);
    if (this.def.delivery === 'at-most-once') {
      msg.op.trace?.close(d.span, now, OK);
      return;
    }
    // Lost with probability ackLoss, or while the broker is down.
    const lost = this.downCount > 0 || (this.def.ackLoss > 0 && this.ackStream.next() < this.def.ackLoss);
    msg.op.trace?.close(d.span, now, lost ? 'ack lost' : OK);
    if (!lost && msg.state !== GONE) {
      msg.state = GONE;
      this.stats.depthNow--;
      if (msg.op.measured) this.stats.acked++;
    }
  }

  /** The delivery failed: at-most-once loses it; at-least-once offers it again or dead-letters it. */
  private failed(d: Delivery, outcome: Outcome, now: number): void {
    const msg = d.msg;
    msg.op.trace?.close(d.span, now, outcome);
    if (this.def.delivery === 'at-most-once') {
      if (msg.op.measured) this.stats.lost++;
      return;
    }
    // A failure from an earlier delivery of a message that has since been redelivered is stale.
    if (msg.state !== IN_FLIGHT || d.epoch !== msg.epoch) return;
    if (msg.deliveries >= this.def.maxDeliveries) {
      this.deadLetter(msg, now);
      return;
    }
    msg.state = DELAYED;
    const delay = backoffDelayMs(this.def.redelivery, msg.deliveries, msg.prevDelayMs, this.redeliveryStream);
    msg.prevDelayMs = delay;
    const trace = msg.op.trace;
    // Nothing but redeliver() ends a DELAYED wait, so its span is known in full now.
    if (trace !== null && delay > 0) trace.close(trace.open('redelivery-wait', `${this.name} redelivery wait`, msg.op.span, now), now + delay, null);
    this.world.sim.schedule(delay, redeliver, msg);
  }

  /** The consumer's first success for this operation ends its asynchronous path. */
  private completed(msg: Message, now: number): void {
    const op = msg.op;
    if (!op.measured || op.queueFlags === null) return;
    if (op.queueFlags[this.index] === 1) {
      op.queueFlags[this.index] = 2;
      this.stats.opsCompleted++;
      this.stats.endToEnd.record(now - op.arrivalMs);
    }
  }

  deadLetter(msg: Message, now: number): void {
    msg.state = GONE;
    this.stats.depthNow--;
    if (msg.op.measured) this.stats.deadLettered++;
    this.stats.deadLetters.add(now);
    msg.op.trace?.mark('delivery', `${this.name} → dead letters`, msg.op.span, now, 'dead-lettered');
  }

  requeue(msg: Message): void {
    msg.state = READY;
    this.ready.push(msg);
    this.dispatch();
  }
}

function visibilityExpired(msg: Message): void {
  const q = msg.queue;
  const now = q.world.sim.nowMs;
  // A timer from an earlier delivery finds a later visibleAtMs and does nothing.
  if (msg.state !== IN_FLIGHT || now < msg.visibleAtMs) return;
  if (msg.deliveries >= q.def.maxDeliveries) q.deadLetter(msg, now);
  else q.requeue(msg);
}

function redeliver(msg: Message): void {
  if (msg.state === DELAYED) msg.queue.requeue(msg);
}
