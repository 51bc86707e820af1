import { availableParallelism, cpus, platform, arch, totalmem, release, loadavg } from 'node:os';
import { MB } from './measure.js';
import type { SimpyInfo } from './simpy.js';

/** The machine the figures were taken on: figures mean little without it. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryMB: number;
  os: string;
  node: string;
  v8: string;
  python: string | null;
  simpy: string | null;
  /**
   * 1-minute load average before the bench and after it. The machine may be shared: a load
   * well above 0 before the bench starts means someone else's work is in the figures.
   */
  loadBefore: number;
  loadAfter: number | null;
}

/** The load above which the output warns that the figures are probably low. */
export const BUSY_LOAD = 0.5;

export function describeMachine(simpy: SimpyInfo | null): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryMB: Math.round(totalmem() / MB),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    v8: process.versions.v8,
    python: simpy ? simpy.pythonVersion : null,
    simpy: simpy ? simpy.simpyVersion : null,
    loadBefore: loadavg()[0],
    loadAfter: null,
  };
}
