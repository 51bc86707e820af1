import { parse as parseYamlValue } from 'yaml';
import type { Path } from '../scenario/errors.js';
import { parsePatchPath } from '../scenario/variants.js';

/** A swept parameter: where it goes, and the values it takes. */
export interface SweepSpec {
  /** As the user wrote it, e.g. `traffic.users.rate`. */
  param: string;
  path: Path;
  /** The values to write into the scenario (YAML values: numbers or strings with units). */
  values: unknown[];
  /** How to show each value on an axis. */
  labels: Array<number | string>;
}

const NUMBER = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(us|µs|ms|s|m|min|h|\/s|\/min|\/h|\/m|%)?\s*$/;

/**
 * `path=v1,v2,v3` or `path=from..to` (with `steps` values, ends included). A range's ends are
 * numbers with the same unit, if any (`100/s..1000/s`, `0%..5%`, `50ms..2s` is refused: say
 * `50ms..2000ms`). Returns an error message for bad input.
 */
export function parseSweepParam(text: string, steps: number): SweepSpec | { error: string } {
  const eq = text.indexOf('=');
  if (eq <= 0) return { error: `expected <path>=<values>, e.g. traffic.users.rate=100/s..1000/s (found ${JSON.stringify(text)})` };
  const param = text.slice(0, eq).trim();
  const rhs = text.slice(eq + 1).trim();
  const path = parsePatchPath(param);
  if (!path) return { error: `bad path ${JSON.stringify(param)} (expected e.g. services.api.endpoints.get.errorRate)` };
  const range = /^(.+?)\.\.(.+)$/.exec(rhs);
  if (range) {
    const a = NUMBER.exec(range[1]);
    const b = NUMBER.exec(range[2]);
    if (!a || !b) return { error: `a range needs two numbers with the same unit, e.g. 100/s..1000/s (found ${JSON.stringify(rhs)})` };
    const unit = a[2] ?? '';
    if ((b[2] ?? '') !== unit) return { error: `the ends of a range need the same unit (found ${JSON.stringify(a[2] ?? '')} and ${JSON.stringify(b[2] ?? '')})` };
    if (steps < 2) return { error: `a range needs at least 2 steps (found ${steps})` };
    const from = Number(a[1]);
    const to = Number(b[1]);
    const xs = Array.from({ length: steps }, (_, i) => Number((from + ((to - from) * i) / (steps - 1)).toPrecision(6)));
    return { param, path, values: xs.map((x) => (unit === '' ? x : `${x}${unit}`)), labels: xs };
  }
  const tokens = rhs.split(',').map((t) => t.trim());
  if (tokens.length === 0 || tokens.some((t) => t === '')) return { error: `expected a comma-separated list of values (found ${JSON.stringify(rhs)})` };
  const values = tokens.map((t) => {
    try {
      return parseYamlValue(t) as unknown;
    } catch {
      return t;
    }
  });
  // A list of numbers with one unit plots on a numeric axis; anything else is categorical.
  const parsed = tokens.map((t) => NUMBER.exec(t));
  const units = new Set(parsed.map((m) => (m ? (m[2] ?? '') : null)));
  const numeric = parsed.every((m) => m !== null) && units.size === 1;
  return { param, path, values, labels: numeric ? parsed.map((m) => Number(m![1])) : tokens };
}

/**
 * A hysteresis ramp: the values up, then back down (the top once), each held for `stepMs`.
 * Only a traffic source's rate can follow a ramp: it becomes the source's rate schedule.
 */
export interface Ramp {
  source: string;
  values: Array<number | string>;
  labels: Array<number | string>;
  directions: Array<'up' | 'down'>;
  stepMs: number;
}

export function rampOf(spec: SweepSpec, durationMs: number): Ramp | { error: string } {
  const [top, source, field] = spec.path;
  if (spec.path.length !== 3 || top !== 'traffic' || field !== 'rate' || typeof source !== 'string') {
    return { error: `--hysteresis ramps a load: the parameter must be a traffic source's rate, traffic.<source>.rate (found ${spec.param})` };
  }
  const n = spec.values.length;
  if (n < 2) return { error: '--hysteresis needs at least two values' };
  const nums = spec.labels.map(Number);
  if (nums.some((x, i) => i > 0 && !(x > nums[i - 1]))) return { error: '--hysteresis needs increasing values: the ramp goes up through them, then back down' };
  const order = [...Array(n).keys(), ...Array.from({ length: n - 1 }, (_, i) => n - 2 - i)];
  return {
    source,
    values: order.map((i) => spec.values[i] as number | string),
    labels: order.map((i) => spec.labels[i]),
    directions: order.map((_, k) => (k < n ? 'up' : 'down')),
    stepMs: durationMs / order.length,
  };
}
