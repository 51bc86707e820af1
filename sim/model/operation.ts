import type { Trace } from './trace.js';

/**
 * One user intention, from its arrival at a traffic source. Retries, redeliveries and
 * duplicate publishes all carry its id; effects are counted against it.
 */
export class Operation {
  /** Set when the client has its final answer. */
  done = false;
  /** Executions of each effect (by effect index), created when the first effect runs. */
  effectCounts: Int32Array | null = null;
  /** When an idempotent endpoint first applied each effect (for idempotencyWindow). */
  effectAppliedMs: Float64Array | null = null;
  doubleProcessed = false;
  /** Per queue: 1 = published, 2 = also completed by the consumer. */
  queueFlags: Uint8Array | null = null;
  /** The closed-loop user that issued it, or −1. */
  user = -1;
  /** The root span, when traced. */
  span = -1;
  completedMs = -1;
  outcome = -1;
  /** The timeline bucket of its arrival, or −1 outside [0, duration). */
  bucket = -1;

  constructor(
    readonly id: number,
    readonly sourceIndex: number,
    readonly arrivalMs: number,
    /** Arrived after warmup: counted in the summary. */
    readonly measured: boolean,
    public trace: Trace | null,
  ) {}
}
