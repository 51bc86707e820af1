import { makeSampler, type Dist } from '../../sim/engine/distributions.js';
import { RandomStream } from '../../sim/engine/random.js';

/** `n` draws of `dist` from the stream named `key`: the same key always gives the same draws. */
export function draw(dist: Dist, key: string, n: number): Float64Array {
  const sample = makeSampler(dist);
  const rng = new RandomStream(key);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = sample(rng);
  return xs;
}
