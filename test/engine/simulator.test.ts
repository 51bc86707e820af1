import { describe, expect, it } from 'vitest';
import { Simulator } from '../../sim/engine/simulator.js';

describe('Simulator', () => {
  it('runs same-time events in insertion order', () => {
    const sim = new Simulator();
    const order: string[] = [];
    const log = (name: string) => order.push(name);
    sim.schedule(5, log, 'a');
    sim.schedule(1, log, 'b');
    sim.schedule(5, log, 'c');
    sim.schedule(5, (x: string) => {
      log(x);
      // Scheduled at the same time from inside an event: after everything already there.
      sim.schedule(0, log, 'e');
    }, 'd');
    sim.schedule(5, log, 'f');
    sim.run();
    expect(order).toEqual(['b', 'a', 'c', 'd', 'f', 'e']);
  });

  it('advances the clock to each event, never backwards', () => {
    const sim = new Simulator();
    const seen: number[] = [];
    for (const t of [3, 1, 2, 2.5, 10]) sim.at(t, () => seen.push(sim.nowMs), null);
    sim.run();
    expect(seen).toEqual([1, 2, 2.5, 3, 10]);
  });

  it('rejects a negative, NaN or infinite delay', () => {
    const sim = new Simulator();
    expect(() => sim.schedule(-1, () => {}, null)).toThrow(RangeError);
    expect(() => sim.schedule(NaN, () => {}, null)).toThrow(RangeError);
    expect(() => sim.schedule(Infinity, () => {}, null)).toThrow(RangeError);
    sim.schedule(5, () => expect(() => sim.at(4, () => {}, null)).toThrow(RangeError), null);
    sim.run();
  });

  it('stops at maxEvents and says so', () => {
    const sim = new Simulator();
    const tick = () => sim.schedule(1, tick, null);
    tick();
    const out = sim.run(Infinity, 1000);
    // The first tick is at 1 ms, so the 1000th runs at 1000 ms.
    expect(out).toEqual({ reason: 'maxEvents', events: 1000, nowMs: 1000 });
    expect(sim.pending).toBe(1);
  });

  it('stops before the first event after `until`, with the clock at `until`', () => {
    const sim = new Simulator();
    let ran = 0;
    for (const t of [1, 2, 3, 7]) sim.at(t, () => ran++, null);
    const out = sim.run(5);
    expect(out.reason).toBe('until');
    expect(ran).toBe(3);
    expect(sim.nowMs).toBe(5);
    expect(sim.run().reason).toBe('drained');
    expect(ran).toBe(4);
  });

  it('stops after the event that calls stop()', () => {
    const sim = new Simulator();
    let ran = 0;
    for (let t = 0; t < 10; t++) sim.at(t, () => (++ran === 4 ? sim.stop() : undefined), null);
    expect(sim.run().reason).toBe('stopped');
    expect(ran).toBe(4);
  });
});
