import { oneLine } from '../scenario/errors.js';

/** Exit codes (DESIGN §5): 0 ok · 1 the run failed · 2 bad input or usage · 3 an SLO gate missed. */
export const EXIT = { ok: 0, runFailed: 1, badInput: 2, gateMissed: 3 } as const;

/** A bad flag or argument: one line, then the command's usage line; exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string | null = null,
  ) {
    super(oneLine(message)); // it may quote a flag value or a path: one printable line
    this.name = 'UsageError';
  }
}

/** Bad input that is not a scenario file (an unwritable path, a results file that is not one): exit 2. */
export class InputError extends Error {
  constructor(message: string) {
    super(oneLine(message));
    this.name = 'InputError';
  }
}

/** The run could not finish (event budget reached, interrupted): exit 1. */
export class RunFailed extends Error {
  constructor(message: string) {
    super(oneLine(message));
    this.name = 'RunFailed';
  }
}
