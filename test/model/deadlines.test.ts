import { describe, expect, it } from 'vitest';
import { simulate } from '../helpers/sim.js';

/**
 * Hand-worked: one operation a second, no network latency. The client gives each attempt
 * 300 ms; api and db pass work on at once; every call has a 1 s timeout; disk works 400 ms.
 * Without propagation, db's call to disk is answered at 400 ms, well inside its 1 s. With api
 * and db propagating, db's call inherits the deadline through two hops (client 300 ms → api's
 * request → db's request): it times out at 300 ms, however long its own timeout.
 */
const chain = (propagate: boolean) => `
name: deadlines
duration: 10s
warmup: 0s
seed: 1
traffic:
  client: {target: api.get, rate: 1/s, arrivals: constant, timeout: 300ms}
services:
  api:
    deadlinePropagation: ${propagate}
    endpoints:
      get: {work: 0ms, steps: [{call: db.get, timeout: 1s}]}
  db:
    deadlinePropagation: ${propagate}
    endpoints:
      get: {work: 0ms, steps: [{call: disk.read, timeout: 1s}]}
  disk:
    endpoints: {read: {work: 400ms}}
`;

describe('a propagated deadline', () => {
  it('reaches a call two hops down: the call times out at the client’s 300 ms, not at its own 1 s', () => {
    const v = simulate(chain(true)).results.get('baseline')!;
    const ops = v.summary.requests;
    expect(ops).toBe(9); // constant arrivals at 1, 2, … 9 s
    expect(v.calls['db->disk.read'].attempts).toBe(ops);
    expect(v.calls['db->disk.read'].timeouts).toBe(ops);
    expect(v.summary.succeeded).toBe(0);
  });

  it('is not inherited where services do not propagate: the same call is answered inside its own timeout', () => {
    const v = simulate(chain(false)).results.get('baseline')!;
    expect(v.calls['db->disk.read'].attempts).toBe(9);
    expect(v.calls['db->disk.read'].timeouts).toBe(0);
    expect(v.calls['db->disk.read'].succeeded).toBe(9);
  });
});
