import { UsageError } from '../errors.js';
import { parseIntFlag } from '../parse.js';
import { readScenarioArg } from '../scenarios.js';
import { jobFlags, runJobs, type RunOptions } from './run.js';

export interface SweepOptions extends RunOptions {
  param?: string;
  steps?: string;
  hysteresis?: boolean;
}

/**
 * `faultline sweep <scenario> --param <path>=<values>`: the scenario and its variants at each
 * value (independent runs on common random numbers), or with --hysteresis one run per variant
 * whose load ramps up through the values and back down.
 */
export async function sweepCommand(scenario: string, o: SweepOptions): Promise<number> {
  if (o.param === undefined) throw new UsageError('missing --param <path>=<values>, e.g. --param traffic.users.rate=100/s..1000/s');
  const steps = o.steps === undefined ? 5 : parseIntFlag('--steps', o.steps, 2, 200);
  const { text, shown } = readScenarioArg(scenario);
  return runJobs([{ verb: 'sweep', file: shown, text, flags: jobFlags(o), sweep: { param: o.param, steps, hysteresis: o.hysteresis === true } }], o);
}
