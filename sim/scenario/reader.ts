import type { Issue, Path } from './errors.js';
import { show } from './errors.js';
import { parseDuration, parseProbability, parseRate, type Parsed } from './units.js';

/**
 * Collects issues while reading raw values with units. Each read returns a usable fallback
 * after an error, so one pass reports every problem in a file.
 */
export class Reader {
  readonly issues: Issue[] = [];

  error(path: Path, message: string): void {
    this.issues.push({ path, message });
  }

  private take(parsed: Parsed, path: Path, fallback: number): number {
    if (typeof parsed === 'number') return parsed;
    this.error(path, parsed.error);
    return fallback;
  }

  duration(value: unknown, path: Path, fallback: number): number {
    if (value === undefined || value === null) return fallback;
    return this.take(parseDuration(value), path, fallback);
  }

  requiredDuration(value: unknown, path: Path): number {
    if (value === undefined || value === null) {
      this.error(path, 'missing required field (expected a duration such as 10s)');
      return 0;
    }
    return this.take(parseDuration(value), path, 0);
  }

  optionalDuration(value: unknown, path: Path): number | null {
    if (value === undefined || value === null) return null;
    return this.take(parseDuration(value), path, 0);
  }

  /** A duration that must be > 0. */
  positiveDuration(value: unknown, path: Path, fallback: number): number {
    const ms = this.duration(value, path, fallback);
    return this.notPositive(value, ms, path) ? fallback : ms;
  }

  /** A required duration that must be > 0. */
  requiredPositiveDuration(value: unknown, path: Path): number {
    const ms = this.requiredDuration(value, path);
    this.notPositive(value, ms, path);
    return ms;
  }

  /**
   * Says so when a duration that parsed is ≤ 0. One that did not parse already has its error
   * (a missing unit, say): a second line about the same value would only mislead.
   */
  private notPositive(value: unknown, ms: number, path: Path): boolean {
    if (ms > 0 || value === undefined || value === null || typeof parseDuration(value) !== 'number') return false;
    this.error(path, `must be positive (found ${show(value)}, expected a duration > 0)`);
    return true;
  }

  rate(value: unknown, path: Path): number {
    return this.take(parseRate(value), path, 0);
  }

  probability(value: unknown, path: Path, fallback: number): number {
    if (value === undefined || value === null) return fallback;
    return this.take(parseProbability(value), path, fallback);
  }

  /** A probability that must be < 1 (a loop on it would never end). */
  probabilityBelowOne(value: unknown, path: Path, fallback: number): number {
    const p = this.probability(value, path, fallback);
    if (p >= 1) {
      this.error(path, `probability must be below 100% here (found ${show(value)}, expected less than 100%)`);
      return fallback;
    }
    return p;
  }

  /** Checks a count against a limit. */
  atMost(n: number, limit: number, path: Path, what: string): void {
    if (n > limit) this.error(path, `too many ${what} (found ${n}, expected at most ${limit})`);
  }
}

/** Written with a value: `key: null` (or a bare `key:`) counts as left out, like a missing key. */
export function given(v: unknown): boolean {
  return v !== undefined && v !== null;
}

export function isRecord(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
