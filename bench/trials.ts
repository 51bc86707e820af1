/** A measurement that was taken several times: the rate of each trial, in the order run. */
export interface Trials {
  trialRates?: number[];
}

/**
 * The median trial by `rate` (the lower middle one for an even count), whole — its other
 * figures belong to the same run — with every trial's rate attached.
 */
export function medianTrial<T extends Trials>(trials: T[], rate: (t: T) => number): T {
  if (trials.length === 0) throw new Error('no trial to take the median of');
  const sorted = [...trials].sort((a, b) => rate(a) - rate(b));
  return { ...sorted[Math.floor((sorted.length - 1) / 2)], trialRates: trials.map(rate) };
}

/** How many trials a measurement took (1 when it was taken once). */
export function trialCount(x: Trials): number {
  return x.trialRates?.length ?? 1;
}
