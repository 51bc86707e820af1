import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../sim/scenario/load.js';
import { ScenarioErrors, type ScenarioError } from '../../sim/scenario/errors.js';
import { parsePatchPath } from '../../sim/scenario/variants.js';
import { parseDuration, parseProbability, parseRate } from '../../sim/scenario/units.js';
import { positionOf } from '../cli/helpers.js';

/** The errors a text produces (none → []). */
function errorsOf(text: string): ScenarioError[] {
  try {
    loadScenarioText(text, 's.yaml');
    return [];
  } catch (e) {
    if (e instanceof ScenarioErrors) return e.errors;
    throw e;
  }
}

const BASE = `name: s
duration: 1m
traffic:
  users: {target: api.get, rate: 5/s}
services:
  api:
    endpoints:
      get:
        work: 1ms
        steps:
          - call: db.read
            timeout: 100ms
  db:
    endpoints:
      read: {work: 2ms}
`;

describe('units', () => {
  it('durations need a unit, and each unit scales to ms', () => {
    expect(parseDuration('250us')).toBe(0.25);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration(800)).toEqual({ error: expect.stringMatching(/^missing unit \(found 800, expected a duration with a unit/) });
    expect(parseDuration('5 parsecs')).toEqual({ error: expect.stringMatching(/^not a duration/) });
    expect(parseDuration('-1s')).toEqual({ error: expect.stringMatching(/^negative duration/) });
  });

  it('rates are per s, min or h, and need the unit', () => {
    expect(parseRate('200/s')).toBeCloseTo(0.2, 12);
    expect(parseRate('90/min')).toBeCloseTo(90 / 60_000, 15);
    expect(parseRate('36/h')).toBeCloseTo(36 / 3_600_000, 15);
    expect(parseRate(200)).toEqual({ error: expect.stringMatching(/^missing unit/) });
    expect(parseRate('-1/s')).toEqual({ error: expect.stringMatching(/^negative rate/) });
  });

  it('probabilities are a percentage or a number in [0, 1]', () => {
    expect(parseProbability('0.1%')).toBeCloseTo(0.001, 15);
    expect(parseProbability(0.25)).toBe(0.25);
    expect(parseProbability('100%')).toBe(1);
    expect(parseProbability('120%')).toEqual({ error: expect.stringMatching(/^probability out of range \(found "120%"/) });
    expect(parseProbability(1.2)).toEqual({ error: expect.stringMatching(/^probability out of range/) });
    expect(parseProbability(-0.1)).toEqual({ error: expect.stringMatching(/^probability out of range/) });
  });

  it('a percentage is the double nearest its decimal value, so 99.9% equals 0.999 exactly', () => {
    expect(parseProbability('99.9%')).toBe(0.999);
    expect(parseProbability('0.1%')).toBe(0.001);
    expect(parseProbability('1e-3%')).toBe(0.00001);
    expect(parseProbability('1e2%')).toBe(1);
    expect(parseProbability('1e999%')).toEqual({ error: expect.stringMatching(/^probability out of range/) });
  });
});

describe('variant set paths', () => {
  it('parse dotted keys, list indices and quoted keys', () => {
    expect(parsePatchPath('services.api.endpoints.get.steps[0].timeout')).toEqual(['services', 'api', 'endpoints', 'get', 'steps', 0, 'timeout']);
    expect(parsePatchPath('links["a->b"].loss')).toEqual(['links', 'a->b', 'loss']);
    expect(parsePatchPath("links['a.b'].loss")).toEqual(['links', 'a.b', 'loss']);
  });

  it('refuse empty segments and trailing dots', () => {
    expect(parsePatchPath('')).toBeNull();
    expect(parsePatchPath('services..api')).toBeNull();
    expect(parsePatchPath('services.')).toBeNull();
  });
});

describe('located errors', () => {
  it('each error is one line: file:line:col path: message', () => {
    const text = BASE.replace('timeout: 100ms', 'timeout: 100');
    const [e, ...rest] = errorsOf(text);
    expect(rest).toEqual([]);
    const p = positionOf(text, 'timeout: 100', '100');
    expect(e.message).toBe(`s.yaml:${p.line}:${p.col} services.api.endpoints.get.steps[0].timeout: ${e.detail}`);
    expect(e.position).toEqual(p);
  });

  it('an error in a patched value names the variant and points at the set entry that wrote it', () => {
    const text = `${BASE}variants:\n  slow-db:\n    set:\n      services.db.endpoints.read.work: {uniform: {min: 5ms, max: 1ms}}\n`;
    const [e, ...rest] = errorsOf(text);
    expect(rest).toEqual([]);
    expect(e.pathText).toBe('variants.slow-db: services.db.endpoints.read.work.uniform.max');
    expect(e.position).toEqual(positionOf(text, 'max: 1ms', '1ms'));
    expect(e.detail).toMatch(/^max below min \(found "1ms", expected at least "5ms"\)$/);
  });

  it('an error written by a parent variant points at the parent’s set entry, and names the variant that extends it', () => {
    const text = `${BASE}variants:\n  base-change:\n    set:\n      services.api.endpoints.get.steps[0].timeout: 5\n  child:\n    extends: base-change\n    set:\n      services.db.endpoints.read.work: 3ms\n`;
    const errors = errorsOf(text);
    // Both the parent and the child carry the bad value, and each says so.
    expect(errors.map((e) => e.pathText).sort()).toEqual(['variants.base-change: services.api.endpoints.get.steps[0].timeout', 'variants.child: services.api.endpoints.get.steps[0].timeout']);
    const p = positionOf(text, 'timeout: 5\n', '5');
    for (const e of errors) expect(e.position).toEqual(p);
  });

  it('a problem in the base scenario is reported once, not once per variant', () => {
    const text = `${BASE.replace('rate: 5/s', 'rate: 5')}variants:\n  a: {set: {services.db.endpoints.read.work: 3ms}}\n  b: {set: {services.db.endpoints.read.work: 4ms}}\n`;
    const errors = errorsOf(text);
    expect(errors.map((e) => e.pathText)).toEqual(['traffic.users.rate']);
  });

  it('the name baseline is reserved for the scenario as written', () => {
    const text = `${BASE}variants:\n  baseline: {set: {services.db.endpoints.read.work: 3ms}}\n`;
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1);
    expect(errors[0].pathText).toBe('variants.baseline');
    expect(errors[0].detail).toMatch(/reserved/);
  });
});

describe('null is "left out": a required value written as null is an error, not a silent zero', () => {
  const cases: Array<[string, string, string, RegExp]> = [
    ['a uniform with min: null', 'read: {work: 2ms}', 'read: {work: {uniform: {min: null, max: 5ms}}}', /^services\.db\.endpoints\.read\.work\.uniform\.min: missing required field \(expected a duration such as 5ms\)$/],
    ['an exponential with mean: null', 'read: {work: 2ms}', 'read: {work: {exponential: {mean: null}}}', /^services\.db\.endpoints\.read\.work\.exponential\.mean: missing required field \(expected a duration such as 5ms\)$/],
    ['a lognormal with p99: null and no sigma', 'read: {work: 2ms}', 'read: {work: {lognormal: {median: 2ms, p99: null}}}', /^services\.db\.endpoints\.read\.work\.lognormal: give exactly one of p99 or sigma \(found neither\)$/],
    ['a closed loop with users: null', 'users: {target: api.get, rate: 5/s}', 'users: {target: api.get, arrivals: closed, users: null}', /^traffic\.users\.users: missing required field/],
    ['a constant backoff with base: null', 'timeout: 100ms', 'timeout: 100ms\n            retry: {backoff: constant, base: null}', /^services\.api\.endpoints\.get\.steps\[0\]\.retry\.base: missing base/],
  ];
  for (const [name, from, to, re] of cases) {
    it(name, () => {
      const errors = errorsOf(BASE.replace(from, to));
      expect(errors.map((e) => `${e.pathText}: ${e.detail}`)).toEqual([expect.stringMatching(re)]);
    });
  }

  const faultCases: Array<[string, string, RegExp]> = [
    ['a loss fault with rate: null', '{target: api->db, kind: loss, at: 1s, for: 1s, rate: null}', /^faults\[0\]\.rate: missing required field/],
    ['a surge with factor: null and no rate', '{target: users, kind: surge, at: 1s, for: 1s, factor: null}', /^faults\[0\]: a surge needs rate/],
    ['a latency fault with add: null and no factor', '{target: db, kind: latency, at: 1s, for: 1s, add: null}', /^faults\[0\]: a latency fault needs add/],
  ];
  for (const [name, fault, re] of faultCases) {
    it(name, () => {
      const errors = errorsOf(`${BASE}faults:\n  - ${fault}\n`);
      expect(errors.map((e) => `${e.pathText}: ${e.detail}`)).toEqual([expect.stringMatching(re)]);
    });
  }

  it('consecutiveFailures: null leaves the breaker in failure-rate mode', () => {
    const set = loadScenarioText(BASE.replace('timeout: 100ms', 'timeout: 100ms\n            circuitBreaker: {consecutiveFailures: null, failureRateThreshold: 50%}'), 's.yaml');
    const step = set.base.services[0].endpoints[0].steps[0];
    expect(step.kind === 'call' && step.circuitBreaker?.mode).toBe('rate');
  });

  it('an optional field written as null is simply absent', () => {
    const set = loadScenarioText(BASE.replace('timeout: 100ms', 'timeout: null'), 's.yaml');
    const step = set.base.services[0].endpoints[0].steps[0];
    expect(step.kind === 'call' && step.timeoutMs).toBeNull();
  });
});
