import { show } from './errors.js';
import { LIMITS } from './limits.js';

/**
 * Unit parsing. A parse returns a number, or a string that says what is wrong in the
 * `what is wrong (found X, expected Y)` form; the caller attaches the location.
 */
export type Parsed = number | { error: string };

const DURATION_UNITS_MS: Record<string, number> = {
  us: 0.001,
  µs: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
};

const NUMBER = '[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?';
const DURATION_RE = new RegExp(`^\\s*(${NUMBER})\\s*(us|µs|ms|s|m|min|h)\\s*$`);
const RATE_RE = new RegExp(`^\\s*(${NUMBER})\\s*/\\s*(s|sec|m|min|h)\\s*$`);
const PERCENT_RE = new RegExp(`^\\s*(${NUMBER})\\s*%\\s*$`);

const DURATION_EXPECTED = 'a duration with a unit: us, ms, s, m or h, e.g. 250ms';

/** A duration in ms; it must carry a unit. */
export function parseDuration(value: unknown): Parsed {
  if (typeof value === 'number') {
    return { error: `missing unit (found ${show(value)}, expected ${DURATION_EXPECTED})` };
  }
  if (typeof value !== 'string') return { error: `not a duration (found ${show(value)}, expected ${DURATION_EXPECTED})` };
  const m = DURATION_RE.exec(value);
  if (!m) return { error: `not a duration (found ${show(value)}, expected ${DURATION_EXPECTED})` };
  const ms = Number(m[1]) * DURATION_UNITS_MS[m[2]];
  if (!Number.isFinite(ms)) return { error: `duration out of range (found ${show(value)}, expected a finite duration)` };
  if (ms < 0) return { error: `negative duration (found ${show(value)}, expected a duration ≥ 0)` };
  if (ms > LIMITS.maxAnyDurationMs) return { error: `duration out of range (found ${show(value)}, expected at most 365 days)` };
  return ms;
}

const RATE_UNITS_MS: Record<string, number> = { s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 };
const RATE_EXPECTED = 'a rate such as 200/s, 90/min or 5/h';

/** A rate, per ms. */
export function parseRate(value: unknown): Parsed {
  if (typeof value === 'number') return { error: `missing unit (found ${show(value)}, expected ${RATE_EXPECTED})` };
  if (typeof value !== 'string') return { error: `not a rate (found ${show(value)}, expected ${RATE_EXPECTED})` };
  const m = RATE_RE.exec(value);
  if (!m) return { error: `not a rate (found ${show(value)}, expected ${RATE_EXPECTED})` };
  const n = Number(m[1]);
  if (!Number.isFinite(n)) return { error: `rate out of range (found ${show(value)}, expected a finite rate)` };
  if (n < 0) return { error: `negative rate (found ${show(value)}, expected a rate ≥ 0)` };
  return n / RATE_UNITS_MS[m[2]];
}

/** A probability: `0.1%` or a number in [0, 1]. */
export function parseProbability(value: unknown): Parsed {
  const expected = 'a probability: a percentage such as 0.1% or a number from 0 to 1';
  let p: number;
  if (typeof value === 'number') p = value;
  else if (typeof value === 'string') {
    const m = PERCENT_RE.exec(value);
    if (!m) return { error: `not a probability (found ${show(value)}, expected ${expected})` };
    // The decimal shift is parsed, not divided, so that 99.9% is the double nearest 0.999 (99.9 / 100 is one ulp above it).
    const [mantissa, exponent = '0'] = m[1].split(/e/i);
    p = Number(`${mantissa}e${Number(exponent) - 2}`);
  } else return { error: `not a probability (found ${show(value)}, expected ${expected})` };
  if (!Number.isFinite(p) || p < 0 || p > 1) {
    return { error: `probability out of range (found ${show(value)}, expected ${expected})` };
  }
  return p;
}

/** Formats ms for people: 1500 → "1.5s", 0.25 → "250us". */
export function formatDurationMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const abs = Math.abs(ms);
  const trim = (x: number) => String(Number(x.toPrecision(4)));
  if (abs === 0) return '0ms';
  if (abs < 1) return `${trim(ms * 1000)}us`;
  if (abs < 1000) return `${trim(ms)}ms`;
  if (abs < 60_000) return `${trim(ms / 1000)}s`;
  if (abs < 3_600_000) return `${trim(ms / 60_000)}m`;
  return `${trim(ms / 3_600_000)}h`;
}
