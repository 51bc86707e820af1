import type { Results, VariantResult } from '../../sim/run/results.js';
import type { RawTrace } from '../../sim/run/rawRun.js';
import type { Span } from '../../sim/model/trace.js';

/** The shapes the page reads: the JSON results contract (sim/run/results.ts), type-only. */
export type { Results, VariantResult, RawTrace, Span };

/** A variant as the page sees it: its results, its index (stable, used in data attributes) and its colour. */
export interface Variant {
  index: number;
  name: string;
  result: VariantResult;
  color: string;
  dash: string;
}
