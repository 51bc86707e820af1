import { d3 } from './d3.js';
import type { Span } from './types.js';

/**
 * The waterfall's time axis. A trace can hold long idle stretches — a message redelivered two
 * seconds after the first delivery, 80 ms of work on either side — and a linear axis would
 * squeeze the work into slivers. Stretches where no span but the operation itself is active,
 * longer than 15% of the whole, are cut to a fixed width and labelled with what they hide.
 * Zoomed (an explicit domain), the axis is plain linear.
 */
export interface WaterfallScale {
  x(t: number): number;
  invert(px: number): number;
  ticks: number[];
  /** The cut stretches, in pixels, and how long they are. */
  gaps: Array<{ x0: number; x1: number; ms: number }>;
}

const GAP_PX = 46;
const MIN_GAP_SHARE = 0.15;

export function waterfallScale(spans: Span[], width: number, domain: [number, number] | null): WaterfallScale {
  const end = Math.max(1e-3, ...spans.map((s) => s.endMs));
  if (domain) return linear(domain, width);
  // The union of the spans' intervals, the operation's own span aside.
  const intervals = spans
    .filter((s) => s.kind !== 'operation')
    .map((s) => [s.startMs, s.endMs] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const gaps: Array<[number, number]> = [];
  let reach = 0;
  for (const [a, b] of intervals) {
    if (a - reach > end * MIN_GAP_SHARE) gaps.push([reach, a]);
    reach = Math.max(reach, b);
  }
  const full = end * 1.02;
  if (gaps.length === 0 || width < GAP_PX * gaps.length * 3) return linear([0, full], width);

  // Segments of time, alternately shown and cut.
  const segments: Array<{ t0: number; t1: number; cut: boolean }> = [];
  let t = 0;
  for (const [a, b] of gaps) {
    segments.push({ t0: t, t1: a, cut: false }, { t0: a, t1: b, cut: true });
    t = b;
  }
  segments.push({ t0: t, t1: full, cut: false });
  const shownMs = segments.filter((s) => !s.cut).reduce((acc, s) => acc + (s.t1 - s.t0), 0);
  const pxPerMs = (width - GAP_PX * gaps.length) / Math.max(1e-9, shownMs);
  const placed: Array<{ t0: number; t1: number; p0: number; p1: number; cut: boolean }> = [];
  let p = 0;
  for (const s of segments) {
    const w = s.cut ? GAP_PX : (s.t1 - s.t0) * pxPerMs;
    placed.push({ ...s, p0: p, p1: p + w });
    p += w;
  }
  const x = (tt: number) => {
    const s = placed.find((q) => tt <= q.t1) ?? placed[placed.length - 1];
    const f = s.t1 > s.t0 ? (tt - s.t0) / (s.t1 - s.t0) : 0;
    return s.p0 + Math.max(0, Math.min(1, f)) * (s.p1 - s.p0);
  };
  const invert = (px: number) => {
    const s = placed.find((q) => px <= q.p1) ?? placed[placed.length - 1];
    const f = s.p1 > s.p0 ? (px - s.p0) / (s.p1 - s.p0) : 0;
    return s.t0 + Math.max(0, Math.min(1, f)) * (s.t1 - s.t0);
  };
  const ticks: number[] = [];
  for (const s of placed) {
    if (s.cut) continue;
    const n = Math.max(1, Math.floor((s.p1 - s.p0) / 90));
    for (const tick of d3.scaleLinear().domain([s.t0, s.t1]).ticks(n)) {
      // Keep ticks off the cut edges, where their labels would collide.
      if ((s.t0 === 0 || x(tick) - s.p0 > 24) && s.p1 - x(tick) > 24) ticks.push(tick);
    }
  }
  return { x, invert, ticks, gaps: placed.filter((s) => s.cut).map((s) => ({ x0: s.p0, x1: s.p1, ms: s.t1 - s.t0 })) };
}

function linear(domain: [number, number], width: number): WaterfallScale {
  const s = d3.scaleLinear().domain(domain).range([0, width]);
  return { x: (t) => s(t), invert: (px) => s.invert(px), ticks: s.ticks(Math.max(2, Math.floor(width / 90))), gaps: [] };
}
