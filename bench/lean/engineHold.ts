/**
 * The engine alone: the classic "hold" model (Vaucher & Duval, 1975). `pending` events are
 * kept in the queue; each one, when run, does nothing but schedule one more an exponential
 * delay later. What it measures is the event loop's own cost per event (heap, slot table,
 * the indirect handler call) plus one exponential draw (faultline's ziggurat).
 */
import { standardExponential } from '../../sim/engine/distributions.js';
import { rootStream } from '../../sim/engine/random.js';
import { Simulator } from '../../sim/engine/simulator.js';
import { runTimed } from './leanRun.js';

/** About as many events as the chain benchmark keeps pending (sampled through a run: ~20). */
export const HOLD_PENDING = 20;

export interface HoldRun {
  name: string;
  pending: number;
  events: number;
  wallMs: number;
  eventsPerSec: number;
}

export function engineHold(pending: number, events: number): HoldRun {
  const sim = new Simulator();
  const rng = rootStream(1);
  let left = events - pending;
  const hold = (): void => {
    if (left-- > 0) sim.schedule(standardExponential(rng) * pending, hold, null);
  };
  for (let i = 0; i < pending; i++) sim.schedule(rng.next() * pending, hold, null);
  const { events: ran, wallMs } = runTimed(sim);
  return { name: `engine-hold-${pending}`, pending, events: ran, wallMs, eventsPerSec: (ran / wallMs) * 1000 };
}
