import type { Dist } from '../engine/distributions.js';

/**
 * The normalized scenario: every duration in ms, every rate per ms, every percentage a
 * probability in [0, 1], every reference resolved and checked. The model reads only this.
 */
export interface Scenario {
  name: string;
  title: string;
  description: string;
  lesson: Lesson | null;
  seed: number;
  durationMs: number;
  warmupMs: number;
  /** Upper bound on the drain after `duration`: in-flight work gets this long to finish. */
  drainMs: number;
  replications: number;
  /** Timeline bucket width; null lets the run choose one from the duration. */
  bucketMs: number | null;
  recovery: RecoverySettings;
  traffic: TrafficSource[];
  services: Service[];
  links: Links;
  queues: Queue[];
  faults: Fault[];
}

export interface Lesson {
  question: string;
  lookFor: string;
  takeaway: string;
}

/** `recovery`: back within `tolerance` of the pre-fault success rate, and holding it for `holdMs`. */
export interface RecoverySettings {
  tolerance: number;
  holdMs: number;
  /** How far before a fault the pre-fault success rate is measured. */
  baselineMs: number;
}

export interface EndpointRef {
  service: string;
  endpoint: string;
}

export type Arrivals = 'poisson' | 'constant' | 'closed';

export interface TrafficSource {
  name: string;
  target: EndpointRef;
  arrivals: Arrivals;
  /** Open loop: the base rate, per ms. */
  ratePerMs: number;
  /** Open loop: rate changes at given times (piecewise constant). */
  schedule: Array<{ atMs: number; ratePerMs: number }>;
  /** Closed loop: the number of users, each waiting for its operation then thinking. */
  users: number;
  think: Dist;
  timeoutMs: number | null;
  retry: RetryPolicy | null;
  hedge: HedgePolicy | null;
}

export type Balancer = 'round-robin' | 'random' | 'least-outstanding';
export type ServiceKind = 'service' | 'database' | 'cache' | 'external';

export interface Service {
  name: string;
  kind: ServiceKind;
  instances: number;
  concurrency: number;
  /** Infinity when absent; 0 = no queue (reject when every worker is busy). */
  queueLimit: number;
  balancer: Balancer;
  /** Shed a request that waited longer than this in the queue (null = never). */
  maxQueueTimeMs: number | null;
  /** Honour callers' deadlines: drop expired queued work, and pass the remaining deadline on. */
  deadlinePropagation: boolean;
  /** The balancer notices a down instance this long after it goes down (0 = at once). */
  healthCheckMs: number;
  endpoints: Endpoint[];
}

export interface Endpoint {
  name: string;
  work: Dist;
  errorRate: number;
  steps: Step[];
  effect: string | null;
  idempotent: boolean;
  /** How long an idempotent endpoint remembers an applied id (null = for ever). */
  idempotencyWindowMs: number | null;
}

export type Step = CallStep | ParallelStep | PublishStep;

export interface CallPolicies {
  timeoutMs: number | null;
  retry: RetryPolicy | null;
  hedge: HedgePolicy | null;
  circuitBreaker: BreakerPolicy | null;
  bulkhead: BulkheadPolicy | null;
  fallback: 'degrade' | null;
}

export interface CallStep extends CallPolicies {
  kind: 'call';
  target: EndpointRef;
  /** Sequential repetitions of the call (chatty services). */
  times: number;
}

export interface ParallelStep {
  kind: 'parallel';
  steps: Step[];
}

export interface PublishStep extends CallPolicies {
  kind: 'publish';
  queue: string;
}

export type Backoff = 'none' | 'constant' | 'exponential';
export type Jitter = 'none' | 'full' | 'equal' | 'decorrelated';
export type RetryOn = 'error' | 'timeout' | 'rejected';

export interface BackoffPolicy {
  backoff: Backoff;
  baseMs: number;
  capMs: number;
  multiplier: number;
  jitter: Jitter;
}

export interface RetryPolicy extends BackoffPolicy {
  /** Counts the first attempt. */
  maxAttempts: number;
  retryOn: RetryOn[];
  /** Fraction of a token each request deposits in the retry budget; null = no budget. */
  budget: number | null;
  /** The budget bucket's capacity in tokens (it starts full). */
  budgetCapacity: number;
}

/**
 * Hedged requests: while a try's attempts are all unanswered `afterMs` after its first was sent,
 * send another attempt (up to `max` extra per try, each `afterMs` after the previous one).
 */
export interface HedgePolicy {
  afterMs: number;
  /** Extra attempts per try. */
  max: number;
}

export type SlidingWindow = { type: 'count'; size: number } | { type: 'time'; sizeMs: number };

export interface BreakerPolicy {
  /** 'rate': failure rate over a sliding window (resilience4j); 'consecutive': N failures in a row. */
  mode: 'rate' | 'consecutive';
  failureRateThreshold: number;
  slidingWindow: SlidingWindow;
  minimumCalls: number;
  consecutiveFailures: number;
  waitInOpenMs: number;
  halfOpenCalls: number;
  slowCallDurationMs: number | null;
  slowCallRateThreshold: number;
  scope: 'instance' | 'service';
}

export interface BulkheadPolicy {
  maxConcurrent: number;
  /** How long a call may wait for a slot; 0 = rejected at once when full. */
  maxWaitMs: number;
}

export interface Link {
  latency: Dist;
  loss: number;
}

export interface Links {
  default: Link;
  /** Keyed `from->to`, where each end is a service, a traffic source or a queue. */
  pairs: Map<string, Link>;
}

export type Delivery = 'at-least-once' | 'at-most-once';

export interface Queue {
  name: string;
  consumer: EndpointRef;
  consumers: number;
  delivery: Delivery;
  visibilityTimeoutMs: number;
  ackLoss: number;
  /** Infinity = retried for ever. */
  maxDeliveries: number;
  /** How long a consumer waits for its processing before it gives up (null = until it ends). */
  consumerTimeoutMs: number | null;
  /** Delay before a failed delivery is offered again. */
  redelivery: BackoffPolicy;
  poison: number;
}

export type FaultTarget =
  | { type: 'service'; service: string; instance: number | null }
  | { type: 'link'; from: string; to: string }
  | { type: 'traffic'; source: string }
  | { type: 'queue'; queue: string };

export const FAULT_KINDS = ['outage', 'crash', 'errors', 'latency', 'capacity', 'partition', 'loss', 'surge'] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  /** Display label, e.g. `payments outage @2m`. */
  label: string;
  kind: FaultKind;
  target: FaultTarget;
  /** The raw target text, as written. */
  targetText: string;
  atMs: number;
  /** For a crash, restartAfter. */
  forMs: number;
  /** errors, loss: a probability. */
  rate: number;
  /** latency: added time. */
  add: Dist | null;
  /** latency and capacity and surge: a multiplier. */
  factor: number;
  /** capacity: the workers left per instance (null = use factor). */
  concurrency: number | null;
  /** surge: the rate during the fault, per ms (null = use factor). */
  ratePerMs: number | null;
}

/** A scenario file: the base scenario and each variant, each fully normalized. */
export interface ScenarioSet {
  file: string;
  base: Scenario;
  variants: Variant[];
}

export interface Variant {
  name: string;
  description: string;
  scenario: Scenario;
}
