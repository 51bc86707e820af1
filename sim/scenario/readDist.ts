import type { Dist } from '../engine/distributions.js';
import { Z99 } from '../engine/distributions.js';
import { show, type Path } from './errors.js';
import { LIMITS } from './limits.js';
import { given, isRecord, type Reader } from './reader.js';

const KINDS = ['constant', 'uniform', 'exponential', 'normal', 'lognormal', 'percentiles', 'mix'];
const EXPECTED = `a duration (e.g. 5ms) or one of {${KINDS.join('|')}: ...}`;

/** Reads a distribution of durations (DESIGN §4), in ms. */
export function readDist(r: Reader, value: unknown, path: Path, inMix = false): Dist {
  const zero: Dist = { kind: 'constant', value: 0 };
  if (typeof value === 'string' || typeof value === 'number') {
    return { kind: 'constant', value: r.duration(value, path, 0) };
  }
  if (!isRecord(value)) {
    r.error(path, `not a distribution (found ${show(value)}, expected ${EXPECTED})`);
    return zero;
  }
  // `weight` belongs to a mix part (and only there).
  const keys = Object.keys(value).filter((k) => k !== 'weight' || !inMix);
  if (keys.length !== 1 || !KINDS.includes(keys[0])) {
    r.error(path, `not a distribution (found keys ${keys.join(', ') || 'none'}, expected exactly one of ${KINDS.join(', ')})`);
    return zero;
  }
  const kind = keys[0];
  const body = value[kind];
  const at = [...path, kind];
  const fields = (allowed: string[], required: string[]): Record<string, unknown> | null => {
    if (!isRecord(body)) {
      r.error(at, `wrong type (found ${show(body)}, expected a mapping with ${required.join(', ')})`);
      return null;
    }
    for (const k of Object.keys(body)) {
      if (!allowed.includes(k)) r.error([...at, k], `unknown field ${JSON.stringify(k)} (expected one of: ${allowed.join(', ')})`);
    }
    for (const k of required) if (!given(body[k])) r.error([...at, k], 'missing required field (expected a duration such as 5ms)');
    return body;
  };
  switch (kind) {
    case 'constant':
      return { kind: 'constant', value: r.requiredDuration(body, at) };
    case 'uniform': {
      const b = fields(['min', 'max'], ['min', 'max']);
      if (!b) return zero;
      const min = r.duration(b.min, [...at, 'min'], 0);
      const max = r.duration(b.max, [...at, 'max'], 0);
      if (max < min) r.error([...at, 'max'], `max below min (found ${show(b.max)}, expected at least ${show(b.min)})`);
      return { kind: 'uniform', min, max: Math.max(min, max) };
    }
    case 'exponential': {
      const b = fields(['mean'], ['mean']);
      if (!b) return zero;
      return { kind: 'exponential', mean: r.duration(b.mean, [...at, 'mean'], 0) };
    }
    case 'normal': {
      const b = fields(['mean', 'sd'], ['mean', 'sd']);
      if (!b) return zero;
      const mean = r.duration(b.mean, [...at, 'mean'], 0);
      const sd = r.duration(b.sd, [...at, 'sd'], 0);
      if (mean <= 0 && sd > 0) r.error([...at, 'mean'], `mean must be positive for a normal truncated at 0 (found ${show(b.mean)})`);
      return { kind: 'normal', mean, sd };
    }
    case 'lognormal': {
      const b = fields(['median', 'p99', 'sigma'], ['median']);
      if (!b) return zero;
      const median = r.duration(b.median, [...at, 'median'], 0);
      if (median <= 0 && b.median !== undefined) r.error([...at, 'median'], `median must be positive (found ${show(b.median)})`);
      if (given(b.p99) === given(b.sigma)) {
        r.error(at, 'give exactly one of p99 or sigma (found ' + (given(b.p99) ? 'both' : 'neither') + ')');
        return { kind: 'lognormal', median, sigma: 0 };
      }
      if (given(b.sigma)) {
        const sigma = b.sigma;
        if (typeof sigma !== 'number' || !Number.isFinite(sigma) || sigma < 0 || sigma > 10) {
          r.error([...at, 'sigma'], `bad sigma (found ${show(sigma)}, expected a unitless number from 0 to 10)`);
          return { kind: 'lognormal', median, sigma: 0 };
        }
        return { kind: 'lognormal', median, sigma };
      }
      const p99 = r.duration(b.p99, [...at, 'p99'], median);
      if (p99 < median) {
        r.error([...at, 'p99'], `p99 below the median (found ${show(b.p99)}, expected at least ${show(b.median)})`);
        return { kind: 'lognormal', median, sigma: 0 };
      }
      return { kind: 'lognormal', median, sigma: median > 0 ? Math.log(p99 / median) / Z99 : 0 };
    }
    case 'percentiles':
      return readPercentiles(r, body, at);
    case 'mix':
      return readMix(r, body, at);
  }
  return zero;
}

/**
 * The probability a percentile key names: `p5` = 5%, `p50` = 50%, `p999` = 99.9%, `p9999` =
 * 99.99%, `p99.9` = 99.9% — the first two digits are whole percents, the rest decimals, the
 * way dashboards write them. `p0` and `p100` are `min` and `max`; anything else is null.
 */
export function percentileOfKey(key: string): number | null {
  const m = /^p(\d+(?:\.\d+)?)$/.exec(key);
  if (!m) return null;
  const digits = m[1];
  if (/^100+$/.test(digits)) return null; // p100 is max, not 10.0%
  const percent = digits.includes('.') || digits.length <= 2 ? Number(digits) : Number(`${digits.slice(0, 2)}.${digits.slice(2)}`);
  if (!(percent > 0 && percent < 100)) return null;
  return percent / 100;
}

/** `{min?, p50, p90, p99, max}`: a piecewise-linear quantile function; min defaults to 0. */
function readPercentiles(r: Reader, body: unknown, at: Path): Dist {
  const zero: Dist = { kind: 'constant', value: 0 };
  if (!isRecord(body)) {
    r.error(at, `wrong type (found ${show(body)}, expected a mapping such as {p50: 10ms, p99: 80ms, max: 200ms})`);
    return zero;
  }
  const keys = Object.keys(body);
  if (keys.length > LIMITS.maxPercentilePoints) {
    r.error(at, `too many percentiles (found ${keys.length}, expected at most ${LIMITS.maxPercentilePoints})`);
    return zero;
  }
  const points: Array<[number, number, string]> = [];
  for (const k of keys) {
    let p: number;
    if (k === 'min') p = 0;
    else if (k === 'max') p = 1;
    else {
      const p0 = percentileOfKey(k);
      if (p0 === null) {
        r.error([...at, k], `unknown percentile ${JSON.stringify(k)} (expected min, max, or p1 to p99 with more digits for decimals: p5, p50, p99, p999 = 99.9%, p99.9)`);
        continue;
      }
      p = p0;
    }
    points.push([p, r.duration(body[k], [...at, k], 0), k]);
  }
  if (!keys.includes('max')) r.error([...at], 'missing max (expected the largest value, which ends the distribution)');
  if (!keys.includes('min')) points.push([0, 0, 'min']);
  points.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < points.length; i++) {
    if (points[i][1] < points[i - 1][1]) {
      r.error([...at, points[i][2]], `percentiles must not decrease (${points[i][2]} is below ${points[i - 1][2]})`);
    }
  }
  return { kind: 'percentiles', points: points.map(([p, v]) => [p, v] as const) };
}

function readMix(r: Reader, body: unknown, at: Path): Dist {
  const zero: Dist = { kind: 'constant', value: 0 };
  if (!Array.isArray(body) || body.length === 0) {
    r.error(at, `wrong type (found ${show(body)}, expected a list such as [{weight: 0.9, constant: 1ms}, {weight: 0.1, constant: 40ms}])`);
    return zero;
  }
  if (body.length > LIMITS.maxMixParts) {
    r.error(at, `too many parts (found ${body.length}, expected at most ${LIMITS.maxMixParts})`);
    return zero;
  }
  const parts = body.map((item, i) => {
    const p = [...at, i];
    const w = isRecord(item) ? item.weight : undefined;
    if (typeof w !== 'number' || !Number.isFinite(w) || w <= 0) {
      r.error([...p, 'weight'], `bad weight (found ${show(w)}, expected a positive number)`);
    }
    return { weight: typeof w === 'number' && w > 0 && Number.isFinite(w) ? w : 1, dist: readDist(r, item, p, true) };
  });
  return { kind: 'mix', parts };
}
