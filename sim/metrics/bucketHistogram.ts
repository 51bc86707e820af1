/**
 * A small log-linear histogram for the timeline's per-bucket p50/p99 (not the summary, which
 * uses hdr-histogram-js). Why not HdrHistogram here: a timeline holds up to 600 of these, and
 * measured on the 4-hop chain HdrHistogram's footprint (~35 KB each) and per-record overhead
 * cost ~20 MB and ~10% of run time, for a resolution the chart cannot show.
 *
 * Values are whole microseconds: below 128 µs exact, above that 64 bins per power of two
 * (relative error ≤ 1/64 ≈ 1.6%), up to 2³¹ µs (~36 min; larger values go in the last bin).
 */
const SUB = 64;
const SUB_BITS = 6;
const LINEAR = 128;
const BINS = LINEAR + (31 - 7) * SUB;

export function binOf(us: number): number {
  if (us < LINEAR) return us < 0 ? 0 : us;
  if (us >= 2 ** 31) return BINS - 1;
  const e = 31 - Math.clz32(us);
  return LINEAR + (e - 7) * SUB + ((us >>> (e - SUB_BITS)) & (SUB - 1));
}

/** The midpoint of a bin, in µs. */
export function valueOf(bin: number): number {
  if (bin < LINEAR) return bin;
  const e = 7 + Math.floor((bin - LINEAR) / SUB);
  const m = (bin - LINEAR) % SUB;
  const lo = (SUB + m) * 2 ** (e - SUB_BITS);
  return lo + 2 ** (e - SUB_BITS) / 2;
}

/** Room for every bin's gap (2 bytes) and count (5 bytes). */
const ENCODE_BUFFER = Buffer.alloc(BINS * 7);

/**
 * Counts arrays are cut from shared slabs, 32 histograms to a slab. A run makes one histogram
 * per timeline bucket, up to 600, in the middle of the simulation: allocated one by one, each
 * 6.6 KB array cost ~20 µs (the allocator zero-fills it, page by page, on this VM), 5 ms of a
 * 1M-customer M/M/1. A 213 KB slab is one allocation for 32 of them (zero-filled too: measured,
 * 34 of its 52 pages are touched when it is made).
 */
const SLAB_HISTOGRAMS = 32;
let slab: ArrayBuffer | null = null;
let slabUsed = SLAB_HISTOGRAMS;

function newCounts(): Uint32Array {
  if (slabUsed === SLAB_HISTOGRAMS) {
    slab = new ArrayBuffer(SLAB_HISTOGRAMS * BINS * Uint32Array.BYTES_PER_ELEMENT);
    slabUsed = 0;
  }
  return new Uint32Array(slab!, slabUsed++ * BINS * Uint32Array.BYTES_PER_ELEMENT, BINS);
}

export class BucketHistogram {
  readonly counts = newCounts();
  /** Values recorded: always the sum of `counts`. */
  count = 0;

  recordMs(ms: number): void {
    this.counts[binOf(Math.round(ms * 1000))]++;
    this.count++;
  }

  /** The value at percentile p (0–100) in ms; NaN when empty. */
  percentileMs(p: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let b = 0; b < BINS; b++) {
      seen += this.counts[b];
      if (seen >= rank) return valueOf(b) / 1000;
    }
    return valueOf(BINS - 1) / 1000;
  }

  merge(other: BucketHistogram): void {
    for (let b = 0; b < BINS; b++) this.counts[b] += other.counts[b];
    this.count += other.count;
  }

  /**
   * Exact and compact: the non-empty bins as varints of (gap since the previous bin, count),
   * in base64. A run holds one per timeline bucket until it is aggregated, so size matters:
   * as arrays of numbers they were ~85% of a run's memory (~0.7 MB at 600 buckets); this is
   * about a fifth of that. Written into one shared byte buffer: a run encodes up to 600 of
   * these at its end, in code the JIT has not optimized yet.
   */
  encode(): string {
    const counts = this.counts;
    const out = ENCODE_BUFFER;
    let n = 0;
    let prev = -1;
    // Stops at the last non-empty bin: at the end of a run this loop is not optimized yet.
    let left = this.count;
    for (let b = 0; left > 0 && b < BINS; b++) {
      let v = counts[b];
      if (v === 0) continue;
      left -= v;
      // Two varints: the gap (< 2¹⁴, two bytes at most), then the count (< 2³², five at most).
      let gap = b - prev;
      prev = b;
      while (gap >= 0x80) {
        out[n++] = (gap & 0x7f) | 0x80;
        gap >>>= 7;
      }
      out[n++] = gap;
      while (v >= 0x80) {
        out[n++] = (v & 0x7f) | 0x80;
        v = Math.floor(v / 128);
      }
      out[n++] = v;
    }
    return out.toString('base64', 0, n);
  }

  static decode(text: string): BucketHistogram {
    const h = new BucketHistogram();
    const bytes = Buffer.from(text, 'base64');
    let i = 0;
    const get = () => {
      let v = 0;
      let scale = 1;
      for (;;) {
        const byte = bytes[i++];
        v += (byte & 0x7f) * scale;
        if (byte < 0x80) return v;
        scale *= 128;
      }
    };
    let bin = -1;
    while (i < bytes.length) {
      bin += get();
      const c = get();
      h.counts[bin] += c;
      h.count += c;
    }
    return h;
  }
}
