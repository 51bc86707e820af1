import type { Outcome } from './outcome.js';
import { OUTCOME_NAMES } from './outcome.js';

/** One bar of a request waterfall. */
export interface Span {
  id: number;
  parent: number;
  kind: 'operation' | 'attempt' | 'retry-wait' | 'short-circuit' | 'bulkhead' | 'queued' | 'work' | 'delivery' | 'effect' | 'redelivery-wait';
  name: string;
  startMs: number;
  endMs: number;
  outcome: string | null;
}

/**
 * The spans of one traced operation: every attempt, wait, rejection, delivery and effect.
 * Only a bounded sample of operations carries a Trace (DESIGN §6: no per-request arrays).
 */
export class Trace {
  readonly spans: Span[] = [];

  open(kind: Span['kind'], name: string, parent: number, startMs: number): number {
    const id = this.spans.length;
    if (id >= MAX_SPANS) return -1;
    this.spans.push({ id, parent, kind, name, startMs, endMs: startMs, outcome: null });
    return id;
  }

  close(id: number, endMs: number, outcome: Outcome | string | null): void {
    if (id < 0) return;
    const s = this.spans[id];
    s.endMs = endMs;
    s.outcome = typeof outcome === 'number' ? OUTCOME_NAMES[outcome] : outcome;
  }

  /** A zero-length marker (a breaker rejection, an effect). */
  mark(kind: Span['kind'], name: string, parent: number, atMs: number, outcome: string | null): void {
    const id = this.open(kind, name, parent, atMs);
    if (id >= 0) this.spans[id].outcome = outcome;
  }
}

/** A runaway operation (retried for ever) stops adding spans here. */
const MAX_SPANS = 500;
