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
  /**
   * Share of all cores' time spent outside idle in the second before the bench (0–1). The
   * load average decays over minutes, so it still counts `npm run bench`'s own build; this
   * says whether something else is using the cores now.
   */
  cpuBusyBefore: number;
}

/** The share of the cores busy before the bench above which the output warns that the figures are probably low. */
export const BUSY_CPU = 0.25;

/** Whether other work shared the cores as the bench started. */
export function wasBusy(m: Machine): boolean {
  return m.cpuBusyBefore >= BUSY_CPU;
}

/** The share of all cores' time not idle over the next `ms` (os.cpus() times, in ms per state). */
export async function cpuBusy(ms = 1000): Promise<number> {
  const total = (c: ReturnType<typeof cpus>) => c.reduce((s, k) => s + k.times.user + k.times.nice + k.times.sys + k.times.idle + k.times.irq, 0);
  const idle = (c: ReturnType<typeof cpus>) => c.reduce((s, k) => s + k.times.idle, 0);
  const a = cpus();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = cpus();
  const spent = total(b) - total(a);
  return spent > 0 ? Math.min(1, Math.max(0, 1 - (idle(b) - idle(a)) / spent)) : 0;
}

export function describeMachine(simpy: SimpyInfo | null, cpuBusyBefore: number): Machine {
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
    cpuBusyBefore,
  };
}
