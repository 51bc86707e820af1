import type { Trace } from './trace.js';

/** Rarely needed per-operation state, created on first use. */
interface OperationExtra {
  effectCounts: Int32Array | null;
  effectAppliedMs: Float64Array | null;
  queueFlags: Uint8Array | null;
}

/**
 * One user intention, from its arrival at a traffic source. Retries, redeliveries and
 * duplicate publishes all carry its id; effects are counted against it.
 *
 * Every arrival allocates one, so it is kept small: small numbers and flags share integers
 * (behind accessors), and what few operations need lives in a lazily created `extra`.
 */
export class Operation {
  /** Bit 0 done, bit 1 double-processed, bit 2 measured; outcome + 1 (3 bits) at 3; source index (7 bits) at 6; bucket + 1 at 13. */
  private bits: number;
  /** user + 1 (low 21 bits) and span + 1 (the bits above). */
  private userSpan = 0;
  private extra: OperationExtra | null = null;
  /** Its spans, when it is in the traced sample (or primes the JIT for tracing: World.startTrace). */
  trace: Trace | null = null;

  constructor(
    readonly id: number,
    sourceIndex: number,
    readonly arrivalMs: number,
    /** Arrived after warmup: counted in the summary. */
    measured: boolean,
  ) {
    this.bits = (measured ? 4 : 0) | (sourceIndex << 6) | (1 << 13);
  }

  /** Set when the client has its final answer. */
  get done(): boolean {
    return (this.bits & 1) !== 0;
  }
  set done(v: boolean) {
    this.bits = v ? this.bits | 1 : this.bits & ~1;
  }
  get doubleProcessed(): boolean {
    return (this.bits & 2) !== 0;
  }
  set doubleProcessed(v: boolean) {
    this.bits = v ? this.bits | 2 : this.bits & ~2;
  }
  get measured(): boolean {
    return (this.bits & 4) !== 0;
  }
  /** The client's final outcome, or −1 before it. */
  get outcome(): number {
    return ((this.bits >> 3) & 7) - 1;
  }
  set outcome(v: number) {
    this.bits = (this.bits & ~(7 << 3)) | ((v + 1) << 3);
  }
  get sourceIndex(): number {
    return (this.bits >> 6) & 127;
  }
  /** The timeline bucket of its arrival, or −1 outside [0, duration). */
  get bucket(): number {
    return (this.bits >>> 13) - 1;
  }
  set bucket(v: number) {
    this.bits = (this.bits & 0x1fff) | ((v + 1) << 13);
  }
  /** The closed-loop user that issued it, or −1. */
  get user(): number {
    return (this.userSpan & 0x1fffff) - 1;
  }
  set user(v: number) {
    this.userSpan = (this.userSpan & ~0x1fffff) | (v + 1);
  }
  /** The root span, when traced. */
  get span(): number {
    return (this.userSpan >>> 21) - 1;
  }
  set span(v: number) {
    this.userSpan = (this.userSpan & 0x1fffff) | ((v + 1) << 21);
  }

  private get more(): OperationExtra {
    return (this.extra ??= { effectCounts: null, effectAppliedMs: null, queueFlags: null });
  }
  /** Executions of each effect (by effect index), created when the first effect runs. */
  get effectCounts(): Int32Array | null {
    return this.extra === null ? null : this.extra.effectCounts;
  }
  set effectCounts(v: Int32Array | null) {
    this.more.effectCounts = v;
  }
  /** When an idempotent endpoint first applied each effect (for idempotencyWindow). */
  get effectAppliedMs(): Float64Array | null {
    return this.extra === null ? null : this.extra.effectAppliedMs;
  }
  set effectAppliedMs(v: Float64Array | null) {
    this.more.effectAppliedMs = v;
  }
  /** Per queue: 1 = published, 2 = also completed by the consumer. */
  get queueFlags(): Uint8Array | null {
    return this.extra === null ? null : this.extra.queueFlags;
  }
  set queueFlags(v: Uint8Array | null) {
    this.more.queueFlags = v;
  }
}
