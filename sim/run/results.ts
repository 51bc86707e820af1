import type { MeanCI } from '../metrics/studentT.js';
import type { RawCall, RawTrace } from './rawRun.js';

/**
 * The JSON results: DESIGN §5's contract (those field names never change; new fields are
 * added). Documented field by field in schema/results.schema.json and docs/results.md.
 */
export interface Results {
  tool: { name: 'faultline'; version: string };
  scenario: ScenarioInfo;
  run: { command: string; maxEvents: number | null };
  variants: VariantResult[];
  sweep?: SweepResult;
}

export interface ScenarioInfo {
  name: string;
  title: string;
  description: string;
  lesson: { question: string; lookFor: string; takeaway: string } | null;
  file: string;
  seed: number;
  replications: number;
  durationMs: number;
  warmupMs: number;
  drainMs: number;
}

export interface LatencySummary {
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
}

export interface Delta {
  /** variant − baseline, the mean over paired replications. */
  delta: number | null;
  ci95: [number, number] | null;
  /** The interval excludes 0; null with one replication (no interval). */
  significant: boolean | null;
}

export interface RecoverySummary {
  fault: string;
  endedAtMs: number;
  /** Mean over replications; null if any replication did not recover (or could not tell). */
  recoveredAfterMs: number | null;
  recoveredRuns: number;
  runs: number;
  /** The run ended less than the recovery hold after the fault: too short to tell. */
  undetermined: boolean;
}

export interface VariantSummary {
  requests: number;
  succeeded: number;
  degraded: number;
  failed: number;
  unfinished: number;
  availability: number | null;
  availabilityCI95: [number, number] | null;
  latencyMs: LatencySummary;
  doubleProcessing: number;
  amplification: number | null;
  recovery: RecoverySummary[];
}

export interface VariantResult {
  name: string;
  description: string;
  summary: VariantSummary;
  /** Per-replication means with 95% Student t intervals. */
  replications: Record<'availability' | 'meanMs' | 'p50Ms' | 'p99Ms' | 'doubleProcessing' | 'amplification', MeanCI>;
  /** Paired differences against the baseline; null for the baseline itself. */
  vsBaseline: Record<'availability' | 'p50Ms' | 'p99Ms' | 'doubleProcessing' | 'amplification', Delta> | null;
  /** Per traffic source: its own operations, availability and latency. */
  sources: Record<string, SourceResult>;
  services: Record<string, ServiceResult>;
  calls: Record<string, CallResult>;
  effects: Record<string, { operations: number; executions: number; duplicated: number; suppressed: number }>;
  queues: Record<string, QueueResult>;
  timeline: TimelineResult;
  latencyCdf: Array<[number, number]>;
  topology: Topology;
  traces: RawTrace[];
  stop: { events: number; truncatedRuns: number };
}

export interface SourceResult {
  requests: number;
  succeeded: number;
  degraded: number;
  failed: number;
  availability: number | null;
  latencyMs: LatencySummary;
}

export interface ServiceResult {
  kind: string;
  instances: number;
  concurrency: number;
  received: number;
  /** Requests that waited in a queue for a worker. */
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
  utilization: number | null;
  amplification: number | null;
  meanWorkMs: number | null;
}

/** A call edge's counters, summed over replications (as measured per run), and its amplification. */
export interface CallResult extends Omit<RawCall, 'breakerTransitions'> {
  /** Attempts per user operation. */
  amplification: number | null;
}

export interface QueueResult {
  published: number;
  delivered: number;
  redelivered: number;
  deadLettered: number;
  maxDepth: number;
  lost: number;
  opsPublished: number;
  opsCompleted: number;
  completionRate: number | null;
  endToEndMs: LatencySummary;
}

export interface TimelineResult {
  bucketMs: number;
  buckets: number;
  okPerSec: number[];
  degradedPerSec: number[];
  failedPerSec: number[];
  availability: Array<number | null>;
  p50Ms: Array<number | null>;
  p99Ms: Array<number | null>;
  /** Requests received by all services per operation that arrived in the bucket. */
  amplification: Array<number | null>;
  /** Operations double-processed per second, by the bucket of their arrival. */
  doubleProcessedPerSec: number[];
  services: Record<string, { utilization: number[]; queueDepth: number[] }>;
  breakers: Record<string, { open: number[]; halfOpen: number[] }>;
  queues: Record<string, { depth: number[]; deadLetters: number[]; lagMs: number[] }>;
  faults: Array<{ label: string; kind: string; target: string; atMs: number; endMs: number }>;
}

export interface Topology {
  services: Array<{ name: string; kind: string; instances: number; concurrency: number; endpoints: string[] }>;
  traffic: Array<{ name: string; target: string; arrivals: string; ratePerSec: number | null; users: number | null }>;
  queues: Array<{ name: string; consumer: string; delivery: string }>;
  edges: Array<{ key: string; kind: 'call' | 'publish' | 'delivery' | 'client'; from: string; to: string }>;
  /** The network of each pair of ends that talk: the link's mean one-way latency and its loss. */
  links: Array<{ from: string; to: string; meanLatencyMs: number; loss: number }>;
}

export interface SweepResult {
  param: string;
  /** The swept values, in run order; for hysteresis, up then back down. */
  values: Array<number | string>;
  hysteresis: boolean;
  /** Hysteresis: whether each value is on the way up or down, and how long each was held. */
  directions?: Array<'up' | 'down'>;
  stepMs?: number;
  /** One curve per variant: the metric at each sweep point, in order. */
  curves: Array<{
    variant: string;
    availability: Array<number | null>;
    p99Ms: Array<number | null>;
    doubleProcessing: number[];
    amplification: Array<number | null>;
    /** Hysteresis sweeps: the curve on the way down did not come back to the way up. */
    metastable?: boolean;
    /** …at these loads (availability on the way down more than 5 points below the way up). */
    metastableAt?: Array<number | string>;
  }>;
}
