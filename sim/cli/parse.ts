import { LIMITS } from '../scenario/limits.js';
import { parseDuration } from '../scenario/units.js';
import { UsageError } from './errors.js';

/** Flag values, checked: a bad one is a usage error naming the flag. */
export function parseIntFlag(flag: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^[+-]?\d+$/.test(value.trim())) throw new UsageError(`${flag}: not a whole number (found ${JSON.stringify(value)})`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${flag}: out of range (found ${n}, expected ${min} to ${max})`);
  return n;
}

/** A simulated duration (`--duration`): positive, and at most the 7 days a scenario file may ask for. */
export function parseDurationFlag(flag: string, value: string): number {
  const ms = parseDuration(value);
  if (typeof ms !== 'number') throw new UsageError(`${flag}: ${ms.error}`);
  if (ms <= 0) throw new UsageError(`${flag}: must be positive (found ${JSON.stringify(value)})`);
  if (ms > LIMITS.maxDurationMs) throw new UsageError(`${flag}: too long (found ${JSON.stringify(value)}, expected at most 7 days of simulated time)`);
  return ms;
}

/** `k/n` with 1 ≤ k ≤ n. */
export function parseShard(value: string): { k: number; n: number } {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  if (!m) throw new UsageError(`--shard: expected k/n such as 2/5 (found ${JSON.stringify(value)})`);
  const k = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || k < 1 || k > n) throw new UsageError(`--shard: expected 1 ≤ k ≤ n (found ${k}/${n})`);
  return { k, n };
}

export function parseList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
