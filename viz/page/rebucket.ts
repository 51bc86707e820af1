/**
 * Coarser timelines for reading: k recorded buckets become one drawn point. Rates, fractions
 * and utilizations average (weighted by traffic where given, so availability stays the pooled
 * ratio); depths and lags keep their maximum; cumulative counts keep their last value.
 */
export type Agg = 'mean' | 'max' | 'last';

type Values = ArrayLike<number | null>;

const cache = new WeakMap<object, Map<string, Array<number | null>>>();
const ids = new WeakMap<object, number>();
let nextId = 1;

function idOf(o: object | undefined): number {
  if (!o) return 0;
  let id = ids.get(o);
  if (id === undefined) {
    id = nextId++;
    ids.set(o, id);
  }
  return id;
}

export function rebucket(values: Values, k: number, agg: Agg = 'mean', weights?: ArrayLike<number>): Array<number | null> {
  if (k <= 1) return Array.from(values, (v) => (v === undefined ? null : v));
  const key = `${k}|${agg}|${idOf(weights as unknown as object)}`;
  let byKey = cache.get(values as unknown as object);
  const hit = byKey?.get(key);
  if (hit) return hit;
  const n = values.length;
  const out: Array<number | null> = [];
  for (let start = 0; start < n; start += k) {
    const end = Math.min(n, start + k);
    let result: number | null = null;
    if (agg === 'max') {
      for (let i = start; i < end; i++) {
        const v = values[i];
        if (v !== null && v !== undefined && Number.isFinite(v) && (result === null || v > result)) result = v;
      }
    } else if (agg === 'last') {
      for (let i = start; i < end; i++) {
        const v = values[i];
        if (v !== null && v !== undefined && Number.isFinite(v)) result = v;
      }
    } else {
      let sum = 0;
      let wsum = 0;
      let plain = 0;
      let count = 0;
      for (let i = start; i < end; i++) {
        const v = values[i];
        if (v === null || v === undefined || !Number.isFinite(v)) continue;
        const w = weights ? (weights[i] ?? 0) : 1;
        sum += v * w;
        wsum += w;
        plain += v;
        count++;
      }
      result = wsum > 0 ? sum / wsum : count > 0 ? plain / count : null;
    }
    out.push(result);
  }
  if (!byKey) {
    byKey = new Map();
    cache.set(values as unknown as object, byKey);
  }
  byKey.set(key, out);
  return out;
}

/** The resolutions worth offering: 1, 2, 5, 10, 20, 50… buckets, keeping at least 20 points. */
export function resolutionChoices(buckets: number): number[] {
  const out: number[] = [];
  for (const k of [1, 2, 5, 10, 20, 50, 100, 200]) if (k === 1 || buckets / k >= 20) out.push(k);
  return out;
}

/**
 * The default: enough operations per drawn point to see a trend through the noise (≈300),
 * but never fewer than ~80 points over the run, so fault edges stay sharp.
 */
export function autoResolution(buckets: number, opsPerBucket: number): number {
  const choices = resolutionChoices(buckets);
  const cap = Math.max(1, buckets / 80);
  const want = opsPerBucket > 0 ? 300 / opsPerBucket : 1;
  let best = 1;
  for (const k of choices) {
    if (k > cap) break;
    best = k;
    if (k >= want) break;
  }
  return best;
}
