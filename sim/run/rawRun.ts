import type { EncodedHistogram } from '../metrics/latencyHistogram.js';
import type { RecoveryResult } from '../metrics/recovery.js';
import type { Span } from '../model/trace.js';
import type { StopReason } from '../engine/simulator.js';

/**
 * Everything one run (a variant, a replication, a sweep point) measured, in a form that is
 * exact and JSON-safe: runs travel between worker threads and shards in this form, and every
 * result is aggregated from it, so a merged result is byte-identical to a single-machine one.
 */
export interface RawRun {
  variant: string;
  replication: number;
  /** Index of the sweep point, or −1 outside a sweep. */
  point: number;
  stop: { reason: StopReason; events: number; endMs: number };
  ops: { requests: number; succeeded: number; degraded: number; failed: number; unfinished: number; latency: EncodedHistogram };
  /** Per traffic source; its latency only when there are several sources (else it is ops.latency). */
  sources: Record<string, { requests: number; succeeded: number; degraded: number; failed: number; latency: EncodedHistogram | null }>;
  services: Record<string, RawService>;
  calls: Record<string, RawCall>;
  effects: Record<string, { operations: number; executions: number; duplicated: number; suppressed: number }>;
  doubleProcessing: number;
  queues: Record<string, RawQueue>;
  timeline: RawTimeline;
  recovery: RecoveryResult[];
  traces: RawTrace[];
}

export interface RawService {
  received: number;
  waited: number;
  succeeded: number;
  failed: number;
  rejected: number;
  shed: number;
  refused: number;
  /** Requests waiting in a queue when their instance went down. */
  lostInQueue: number;
  /** Requests still queued or in service when the drain ended. */
  unfinished: number;
  /** Worker-ms busy within [warmup, duration], and the worker-ms available. */
  busyMs: number;
  capacityMs: number;
  workDraws: number;
  workSumMs: number;
}

export interface RawCall {
  kind: 'call' | 'publish' | 'delivery' | 'client';
  from: string;
  to: string;
  attempts: number;
  retries: number;
  hedges: number;
  timeouts: number;
  shortCircuited: number;
  rejected: number;
  errors: number;
  succeeded: number;
  fallbacks: number;
  budgetDenied: number;
  breakers: number;
  breakerOpened: number;
  breakerTransitions: number;
}

export interface RawQueue {
  published: number;
  delivered: number;
  redelivered: number;
  deadLettered: number;
  lost: number;
  acked: number;
  opsPublished: number;
  opsCompleted: number;
  maxDepth: number;
  endToEnd: EncodedHistogram;
}

export interface RawTimeline {
  bucketMs: number;
  buckets: number;
  ok: number[];
  degraded: number[];
  failed: number[];
  /** Requests received by all services, and operations double-processed, by arrival bucket. */
  received: number[];
  doubleProcessed: number[];
  /** Per bucket: an encoded BucketHistogram (see BucketHistogram.encode), or null when nothing finished. */
  latency: Array<string | null>;
  services: Record<string, { busyMs: number[]; queueDepth: number[]; workers: number }>;
  breakers: Record<string, { openMs: number[]; halfOpenMs: number[]; breakers: number }>;
  queues: Record<string, { depth: number[]; deadLetters: number[]; lagMs: number[] }>;
}

export interface RawTrace {
  /** Why it was kept: failed, slow, double-processed, degraded, typical. */
  category: string;
  operation: number;
  latencyMs: number | null;
  outcome: string;
  spans: Span[];
}
