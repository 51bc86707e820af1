import FastestValidator from 'fastest-validator';
import { show, type Issue, type Path } from './errors.js';
import { LIMITS } from './limits.js';
import { FAULT_KINDS } from './types.js';

/**
 * The structural schema of a scenario file (fastest-validator): types, enums, required and
 * unknown fields. Fields that carry units (durations, rates, percentages, distributions) are
 * `any` here and parsed with their units by normalize.ts, which locates its own errors.
 * Steps are a union; each kind has its own checker, applied by the normalizer.
 */
/** A name (service, endpoint, queue...): an identifier, at most LIMITS.maxNameLength characters. */
const NAME = new RegExp(`^[A-Za-z_][A-Za-z0-9_-]{0,${LIMITS.maxNameLength - 1}}$`);
const any = { type: 'any', optional: true } as const;
const optString = { type: 'string', optional: true } as const;
const int = (min: number) => ({ type: 'number', integer: true, min, finite: true, optional: true }) as const;
const strict = <T extends Record<string, unknown>>(props: T, optional = true) =>
  ({ type: 'object', strict: true, optional, props }) as const;

const BACKOFF_PROPS = {
  backoff: { type: 'enum', values: ['none', 'constant', 'exponential'], optional: true },
  base: any,
  cap: any,
  multiplier: { type: 'number', finite: true, min: 1, max: LIMITS.maxFactor, optional: true },
  jitter: { type: 'enum', values: ['none', 'full', 'equal', 'decorrelated'], optional: true },
};

const retry = strict({
  maxAttempts: int(1),
  ...BACKOFF_PROPS,
  retryOn: { type: 'array', optional: true, items: { type: 'enum', values: ['error', 'timeout', 'rejected'] } },
  budget: any,
  budgetCapacity: { type: 'number', finite: true, min: 1, optional: true },
});

const hedge = strict({ after: { type: 'any' }, max: int(1) });

const circuitBreaker = strict({
  failureRateThreshold: any,
  slidingWindow: any,
  minimumCalls: int(1),
  consecutiveFailures: int(1),
  waitInOpen: any,
  halfOpenCalls: int(1),
  slowCallDuration: any,
  slowCallRateThreshold: any,
  scope: { type: 'enum', values: ['instance', 'service'], optional: true },
});

const bulkhead = strict({ maxConcurrent: { ...int(1), optional: false }, maxWait: any });

const CALL_POLICY_PROPS = {
  timeout: any,
  retry,
  hedge,
  circuitBreaker,
  bulkhead,
  fallback: { type: 'enum', values: ['degrade'], optional: true },
};

const endpoint = strict(
  {
    work: any,
    errorRate: any,
    steps: { type: 'array', optional: true, items: { type: 'object' } },
    effect: { type: 'string', optional: true, pattern: NAME },
    idempotent: { type: 'boolean', optional: true },
    idempotencyWindow: any,
  },
  false,
);

const service = strict(
  {
    kind: { type: 'enum', values: ['service', 'database', 'cache', 'external'], optional: true },
    instances: int(1),
    concurrency: int(1),
    queueLimit: int(0),
    balancer: { type: 'enum', values: ['round-robin', 'random', 'least-outstanding'], optional: true },
    maxQueueTime: any,
    deadlinePropagation: { type: 'boolean', optional: true },
    healthCheck: any,
    endpoints: { type: 'record', key: { type: 'string', pattern: NAME }, value: endpoint },
  },
  false,
);

const traffic = strict(
  {
    target: { type: 'string' },
    rate: any,
    schedule: { type: 'array', optional: true, items: strict({ at: { type: 'any' }, rate: { type: 'any' } }, false) },
    arrivals: { type: 'enum', values: ['poisson', 'constant', 'closed'], optional: true },
    users: int(1),
    think: any,
    timeout: any,
    retry,
    hedge,
  },
  false,
);

const link = strict({ latency: any, loss: any }, false);

const queue = strict(
  {
    consumer: { type: 'string' },
    consumers: int(1),
    delivery: { type: 'enum', values: ['at-least-once', 'at-most-once'], optional: true },
    visibilityTimeout: any,
    ackLoss: any,
    maxDeliveries: int(1),
    consumerTimeout: any,
    redelivery: strict(BACKOFF_PROPS),
    poison: any,
  },
  false,
);

const fault = strict(
  {
    target: { type: 'string' },
    kind: { type: 'enum', values: [...FAULT_KINDS] },
    at: { type: 'any' },
    for: any,
    restartAfter: any,
    rate: any,
    add: any,
    factor: { type: 'number', finite: true, min: 0, max: LIMITS.maxFactor, optional: true },
    concurrency: int(0),
  },
  false,
);

const variant = strict(
  {
    description: optString,
    extends: optString,
    set: { type: 'object', optional: true },
  },
  false,
);

const scenarioSchema = {
  $$root: true,
  ...strict(
    {
      $schema: optString,
      name: { type: 'string', pattern: NAME },
      title: optString,
      description: optString,
      lesson: strict({ question: optString, lookFor: optString, takeaway: optString }),
      seed: { type: 'number', integer: true, finite: true, optional: true },
      duration: { type: 'any' },
      warmup: any,
      drain: any,
      bucket: any,
      replications: int(1),
      recovery: strict({ tolerance: any, hold: any, baseline: any }),
      traffic: { type: 'record', key: { type: 'string', pattern: NAME }, value: traffic },
      services: { type: 'record', key: { type: 'string', pattern: NAME }, value: service },
      links: { type: 'record', optional: true, key: { type: 'string' }, value: link },
      queues: { type: 'record', optional: true, key: { type: 'string', pattern: NAME }, value: queue },
      faults: { type: 'array', optional: true, items: fault },
      variants: { type: 'record', optional: true, key: { type: 'string', pattern: NAME }, value: variant },
    },
    false,
  ),
};

const callStepSchema = {
  $$root: true,
  ...strict({ call: { type: 'string' }, times: int(1), ...CALL_POLICY_PROPS }, false),
};
const publishStepSchema = {
  $$root: true,
  ...strict({ publish: { type: 'string', pattern: NAME }, ...CALL_POLICY_PROPS }, false),
};
const parallelStepSchema = {
  $$root: true,
  ...strict({ parallel: { type: 'array', min: 1, items: { type: 'object' } } }, false),
};

// fastest-validator is CommonJS with ESM-style typings; take the class from either shape.
const Validator = ((FastestValidator as any).default ?? FastestValidator) as new (opts?: object) => {
  compile(schema: object): (value: unknown) => true | object[];
};
const validator = new Validator({ haltOnFirstError: false });
const checkers = {
  scenario: validator.compile(scenarioSchema as any),
  call: validator.compile(callStepSchema as any),
  publish: validator.compile(publishStepSchema as any),
  parallel: validator.compile(parallelStepSchema as any),
};

export type SchemaName = keyof typeof checkers;

/** Checks `value` (found at `basePath`) against a schema; returns issues with real paths. */
export function checkSchema(name: SchemaName, value: unknown, basePath: Path = []): Issue[] {
  const result = checkers[name](value);
  if (result === true) return [];
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const err of result as any[]) {
    const rel = resolveField(value, String(err.field ?? ''));
    const found = valueAt(value, rel);
    if (err.type === 'required' && found !== null && typeof found === 'object') {
      // fastest-validator reports a null item of a list or record (`db: null`, `- null`) as
      // "required" on the container; point at each null item instead.
      const nulls = Object.entries(found).filter(([, v]) => v === null);
      for (const [k] of nulls) {
        const at = [...basePath, ...rel, Array.isArray(found) ? Number(k) : k];
        const key = JSON.stringify(at);
        if (seen.has(key)) continue;
        seen.add(key);
        const expected = rel[rel.length - 1] === 'retryOn' ? 'one of: error, timeout, rejected' : 'a mapping';
        issues.push({ path: at, message: `empty value (found null, expected ${expected})` });
      }
      if (nulls.length > 0) continue;
    }
    issues.push(translate(err, [...basePath, ...rel], value, rel));
  }
  return issues;
}

/**
 * Turns fastest-validator's dotted field string back into a path by walking the data, so
 * that keys with dots or brackets in them still resolve.
 */
function resolveField(root: unknown, field: string): Path {
  const path: Array<string | number> = [];
  let node: any = root;
  let rest = field;
  while (rest.length > 0) {
    const idx = /^\[(\d+)\]/.exec(rest);
    if (idx) {
      const i = Number(idx[1]);
      path.push(i);
      node = Array.isArray(node) ? node[i] : undefined;
      rest = rest.slice(idx[0].length).replace(/^\./, '');
      continue;
    }
    // The longest key of this object that the field starts with, followed by '.', '[' or the end.
    let matched: string | null = null;
    if (node && typeof node === 'object' && !Array.isArray(node)) {
      for (const k of Object.keys(node)) {
        if (rest.startsWith(k) && (rest.length === k.length || rest[k.length] === '.' || rest[k.length] === '[')) {
          if (matched === null || k.length > matched.length) matched = k;
        }
      }
    }
    if (matched === null) {
      const m = /^[^.[]+/.exec(rest);
      matched = m ? m[0] : rest;
    }
    path.push(matched);
    node = node && typeof node === 'object' ? node[matched] : undefined;
    rest = rest.slice(matched.length).replace(/^\./, '');
  }
  return path;
}

function valueAt(root: unknown, path: Path): unknown {
  let node: any = root;
  for (const seg of path) node = node == null ? undefined : node[seg];
  return node;
}

/** What a required field holds, for the "missing required field" line. */
function requiredHint(path: Path, err: any): string {
  const key = path[path.length - 1];
  const section = path[0];
  if (Array.isArray(err.expected)) return `one of: ${err.expected.join(', ')}`;
  switch (key) {
    case 'target':
      return section === 'faults' ? 'a service, svc#i, a->b, a traffic source or a queue' : 'service.endpoint, e.g. api.checkout';
    case 'consumer':
      return 'the consuming service.endpoint, e.g. worker.handle';
    case 'kind':
      return `one of: ${FAULT_KINDS.join(', ')}`;
    case 'at':
      return section === 'faults' ? 'when the fault starts, e.g. 2m' : 'a time such as 5m';
    case 'rate':
      return 'a rate such as 200/s';
    case 'name':
      return 'a name such as checkout';
    case 'duration':
      return 'a duration such as 10m';
    case 'maxConcurrent':
      return 'an integer ≥ 1';
    case 'after':
      return 'how long an attempt may go unanswered before a hedge, e.g. 20ms';
    case 'traffic':
      return 'at least one traffic source: name: {target: service.endpoint, rate: 100/s}';
    case 'services':
      return 'at least one service: name: {endpoints: {...}}';
    case 'endpoints':
      return 'at least one endpoint: name: {work: 5ms}';
    default:
      return 'a value';
  }
}

function translate(err: any, path: Path, root: unknown, rel: Path): Issue {
  const found = valueAt(root, rel);
  switch (err.type) {
    case 'required':
      // Written but empty (`traffic:` with nothing under it) is not the same as left out.
      if (found === null) return { path, message: 'empty value (found null, expected a value for this required field)' };
      return { path, message: `missing required field (expected ${requiredHint(path, err)})` };
    case 'objectStrict': {
      const allowed = String(err.expected ?? '').split(/,\s*/).filter(Boolean);
      // The unknown keys from the object itself: err.actual joins them with ', ', which a key may contain.
      const own = found !== null && typeof found === 'object' ? Object.keys(found).filter((k) => !allowed.includes(k)) : [];
      const keys = own.length > 0 ? own : String(err.actual).split(/,\s*/);
      const hint = closest(keys[0], allowed);
      return {
        path: [...path, keys[0]],
        message: `unknown field ${JSON.stringify(keys[0])}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''} (expected one of: ${allowed.join(', ')})`,
      };
    }
    case 'string':
      return { path, message: `wrong type (found ${show(found)}, expected a string)` };
    case 'number':
      return { path, message: `wrong type (found ${show(found)}, expected a number)` };
    case 'numberInteger':
      return { path, message: `not a whole number (found ${show(found)}, expected an integer)` };
    case 'numberMin':
      return { path, message: `too small (found ${show(found)}, expected at least ${err.expected})` };
    case 'numberMax':
      return { path, message: `too large (found ${show(found)}, expected at most ${err.expected})` };
    case 'numberNotFinite':
    case 'numberFinite':
      return { path, message: `not a finite number (found ${show(found)}, expected a finite number)` };
    case 'boolean':
      return { path, message: `wrong type (found ${show(found)}, expected true or false)` };
    case 'object':
      return { path, message: `wrong type (found ${show(found)}, expected a mapping)` };
    case 'array':
      return { path, message: `wrong type (found ${show(found)}, expected a list)` };
    case 'arrayMin':
      return { path, message: `empty list (expected at least ${err.expected} item)` };
    case 'enumValue':
      return { path, message: `unknown value (found ${show(found)}, expected one of: ${String(err.expected).split(/,\s*/).join(', ')})` };
    case 'stringPattern':
      return {
        path,
        message:
          typeof (err.actual ?? found) === 'string' && String(err.actual ?? found).length > LIMITS.maxNameLength
            ? `name too long (found ${String(err.actual ?? found).length} characters, expected at most ${LIMITS.maxNameLength})`
            : `bad name (found ${show(err.actual ?? found)}, expected letters, digits, '_' or '-', starting with a letter)`,
      };
    case 'record':
      return { path, message: `wrong type (found ${show(found)}, expected a mapping of names)` };
    default:
      return { path, message: `${String(err.message).replace(/^The '[^']*' field /, '').replace(/\.$/, '')} (found ${show(found)})` };
  }
}

/** The allowed key nearest to a misspelt one (edit distance ≤ 2), for "did you mean". */
function closest(word: string, options: string[]): string | null {
  let best: string | null = null;
  let bestD = 3;
  for (const o of options) {
    const d = editDistance(word.toLowerCase(), o.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = o;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      dp[i][j] = Math.min(dp[i - 1][j] + 1, dp[i][j - 1] + 1, dp[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return dp[a.length][b.length];
}
