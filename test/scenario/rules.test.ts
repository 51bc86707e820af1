import { describe, expect, it } from 'vitest';
import { quantileOf } from '../../sim/engine/distributions.js';
import { ScenarioErrors } from '../../sim/scenario/errors.js';
import { loadScenarioText } from '../../sim/scenario/load.js';
import { percentileOfKey } from '../../sim/scenario/readDist.js';

const base = (traffic: string, rest = '') => `
name: x
duration: 10s
traffic:
  t: {target: s.e, ${traffic}}
services:
  s: {endpoints: {e: {work: 1ms}}}
${rest}`;

function errorsOf(yaml: string): string[] {
  try {
    loadScenarioText(yaml, 'x.yaml');
    return [];
  } catch (e) {
    if (e instanceof ScenarioErrors) return e.errors.map((x) => x.message);
    throw e;
  }
}

describe('percentile keys', () => {
  it('read the first two digits as whole percents and the rest as decimals', () => {
    expect(percentileOfKey('p1')).toBe(0.01);
    expect(percentileOfKey('p5')).toBe(0.05);
    expect(percentileOfKey('p50')).toBe(0.5);
    expect(percentileOfKey('p99')).toBe(0.99);
    expect(percentileOfKey('p999')).toBeCloseTo(0.999, 12);
    expect(percentileOfKey('p9999')).toBeCloseTo(0.9999, 12);
    expect(percentileOfKey('p99.9')).toBeCloseTo(0.999, 12);
    expect(percentileOfKey('p0.5')).toBeCloseTo(0.005, 12);
  });

  it('refuse p0, p100 and anything that is not a percentile', () => {
    for (const k of ['p0', 'p00', 'p100', 'p1000', 'p100.5', 'q50', 'p', 'p-5']) expect(percentileOfKey(k), k).toBeNull();
  });

  it('p5 in a scenario is the 5th percentile, not the median', () => {
    const set = loadScenarioText(base('rate: 1/s').replace('work: 1ms', 'work: {percentiles: {p5: 1ms, p50: 2ms, max: 4ms}}'), 'x.yaml');
    const dist = set.base.services[0].endpoints[0].work;
    expect(quantileOf(dist, 0.05)).toBeCloseTo(1, 9);
    expect(quantileOf(dist, 0.5)).toBeCloseTo(2, 9);
  });
});

describe('fields that would silently do nothing are errors', () => {
  it('a weight outside a mix part', () => {
    expect(errorsOf(base('rate: 1/s').replace('work: 1ms', 'work: {weight: 2, constant: 5ms}'))[0]).toMatch(/work: not a distribution \(found keys weight, constant/);
  });

  it('think on an open-loop source', () => {
    expect(errorsOf(base('rate: 1/s, think: 1s'))[0]).toMatch(/traffic\.t\.think: think applies to arrivals: closed/);
  });

  it('a surge on a closed-loop source', () => {
    const yaml = base('arrivals: closed, users: 2', 'faults: [{target: t, kind: surge, factor: 2, at: 1s, for: 1s}]');
    expect(errorsOf(yaml)[0]).toMatch(/faults\[0\]\.target: a surge changes an arrival rate, and a closed loop has none/);
  });

  it('a hedge after the timeout (never sent) is an error', () => {
    expect(errorsOf(base('rate: 1/s, timeout: 10ms, hedge: {after: 10ms}'))[0]).toMatch(/traffic\.t\.hedge\.after: a hedge after the timeout is never sent/);
    expect(errorsOf(base('rate: 1/s, timeout: 10ms, hedge: {after: 9ms}'))).toEqual([]);
  });

  it('jitter, cap or multiplier without a backoff, and a multiplier on a constant backoff', () => {
    expect(errorsOf(base('rate: 1/s, retry: {maxAttempts: 3, jitter: full}'))[0]).toMatch(/retry\.jitter: jitter has no effect without a backoff/);
    expect(errorsOf(base('rate: 1/s, retry: {maxAttempts: 3, cap: 1s}'))[0]).toMatch(/retry\.cap: cap has no effect without a backoff/);
    expect(errorsOf(base('rate: 1/s, retry: {base: 10ms, multiplier: 3}'))[0]).toMatch(/retry\.multiplier: multiplier applies to backoff: exponential/);
    expect(errorsOf(base('rate: 1/s, retry: {backoff: exponential, base: 10ms, multiplier: 3, jitter: full, cap: 1s}'))).toEqual([]);
  });

  it('{constant: null} is missing a value, not 0 ms', () => {
    expect(errorsOf(base('rate: 1/s').replace('work: 1ms', 'work: {constant: null}'))[0]).toMatch(/work\.constant: missing required field/);
  });
});

describe('null means absent', () => {
  it('consumerTimeout: null is no consumer timeout', () => {
    const set = loadScenarioText(base('rate: 1/s', 'queues: {q: {consumer: s.e, consumerTimeout: null}}'), 'x.yaml');
    expect(set.base.queues[0].consumerTimeoutMs).toBeNull();
  });
});
