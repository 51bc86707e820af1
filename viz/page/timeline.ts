import { figure, uid } from './chartFrame.js';
import { d3 } from './d3.js';
import { widthOf } from './dom.js';
import { fmtClock, fmtMs, truncate } from './format.js';
import { FAULT_FILL, FAULT_STROKE } from './palette.js';
import { rebucket, type Agg } from './rebucket.js';
import { on, setHover, setWindow, state } from './state.js';
import { logTicks } from './ticks.js';
import { hideTip, showTip, type TipRow } from './tooltip.js';

/**
 * A timeline chart: one frame shared by every chart over simulated time. They all show the
 * same window (brush to zoom, double-click to reset) at the same resolution, share one left
 * edge, shade the warm-up and the fault windows, and follow one crosshair: hovering any of
 * them moves the line in all of them.
 */

export interface Series {
  /** The variant it belongs to (data-variant), or −1. */
  vi: number;
  label: string;
  /** One value per recorded bucket. */
  values: ArrayLike<number | null>;
  /** How recorded buckets combine at a coarser resolution (default: mean). */
  agg?: Agg;
  /** Weights of a mean (traffic per bucket), so a coarser availability is the pooled ratio. */
  weights?: ArrayLike<number>;
  color: string;
  dash?: string;
  width?: number;
  opacity?: number;
}

export interface TimeContext {
  g: d3.Selection<SVGGElement, unknown, null, undefined>;
  x: d3.ScaleLinear<number, number>;
  width: number;
  height: number;
  /** The drawn points' width: recorded buckets × resolution. */
  bucketMs: number;
  /** The drawn points inside the current window. */
  from: number;
  to: number;
  /** Values at the drawn resolution. */
  at(values: ArrayLike<number | null>, agg?: Agg, weights?: ArrayLike<number>): Array<number | null>;
}

export interface BandRow {
  /** Shown in the left margin (may be empty: the row continues a group). */
  label: string;
  vi: number;
  /** A gap between groups, drawn as nothing. */
  spacer?: boolean;
  /** The group it belongs to (a service's strips). */
  group?: string;
}

export interface TimelineSpec {
  id: string;
  title: string;
  note?: string;
  height?: number;
  /** 'linear' (from 0 or yMin), 'log', or 'bands' (rows named by bands(), custom marks). */
  y: 'linear' | 'log' | 'bands';
  yMin?: number;
  yMax?: number;
  /** Lower the linear axis' floor to the data's minimum (availability lives near 100%). */
  zoomY?: boolean;
  format(v: number): string;
  axisFormat?(v: number): string;
  /** The series to draw now (visible variants only). */
  series(): Series[];
  /** Stack the series as areas, in order (ok, degraded, failed). */
  stack?: boolean;
  /** Fill the area under each line. */
  area?: boolean;
  bands?(): BandRow[];
  drawBands?(ctx: TimeContext, y: d3.ScaleBand<string>, rows: BandRow[]): void;
  /** Tooltip rows for one drawn point (default: each series' value); row: the band under the pointer. */
  readout?(point: number, ctx: TimeContext, row: BandRow | null): TipRow[];
  /** Hidden with its variant (the per-variant small multiples). */
  variant?: number;
  showFaultLabels?: boolean;
  parentClass?: string;
}

export interface TimeAxisInfo {
  bucketMs: number;
  buckets: number;
  warmupMs: number;
  faults: Array<{ label: string; kind: string; target: string; atMs: number; endMs: number }>;
}

let timeInfo: TimeAxisInfo = { bucketMs: 1000, buckets: 1, warmupMs: 0, faults: [] };

export function setTimeAxis(info: TimeAxisInfo): void {
  timeInfo = info;
}

/** The same left edge for every timeline, so their crosshairs line up. */
export const TIMELINE_MARGIN = { top: 10, right: 14, bottom: 22, left: 112 };
const MARGIN = TIMELINE_MARGIN;

export function timelineChart(parent: Element, spec: TimelineSpec): HTMLElement {
  const { figure: fig, body } = figure(parent, spec.id, spec.title, spec.note, `timeline ${spec.parentClass ?? ''}`);
  if (spec.variant !== undefined) fig.setAttribute('data-variant', String(spec.variant));
  const clipId = uid(`clip-${spec.id}`);
  let crosshair: ((ms: number | null) => void) | null = null;

  const draw = () => {
    if (spec.variant !== undefined && !state.visible[spec.variant]) {
      fig.hidden = true;
      return;
    }
    fig.hidden = false;
    crosshair = render(body, spec, clipId);
    crosshair(state.hoverMs);
  };
  draw();
  on('visibility', draw);
  on('window', draw);
  on('resolution', draw);
  on('resize', draw);
  on('hover', () => crosshair?.(state.hoverMs));
  return fig;
}

const finite = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

/** Draws the chart; returns the crosshair updater. */
function render(body: HTMLElement, spec: TimelineSpec, clipId: string): (ms: number | null) => void {
  const { warmupMs, faults } = timeInfo;
  const k = Math.max(1, state.resolution);
  const bucketMs = timeInfo.bucketMs * k;
  const points = Math.max(1, Math.ceil(timeInfo.buckets / k));
  const width = widthOf(body);
  const height = spec.height ?? 150;
  const iw = width - MARGIN.left - MARGIN.right;
  const ih = height - MARGIN.top - MARGIN.bottom;
  const x = d3.scaleLinear().domain(state.window).range([0, iw]);
  const from = Math.max(0, Math.floor(state.window[0] / bucketMs));
  const to = Math.max(from, Math.min(points - 1, Math.ceil(state.window[1] / bucketMs) - 1));
  const at = (values: ArrayLike<number | null>, agg: Agg = 'mean', weights?: ArrayLike<number>) => rebucket(values, k, agg, weights);
  const series = spec.series().map((s) => ({ ...s, shown: at(s.values, s.agg, s.weights) }));
  const cx = (b: number) => x(Math.min((b + 0.5) * bucketMs, timeInfo.buckets * timeInfo.bucketMs));

  d3.select(body).selectAll('*').remove();
  const svg = d3
    .select(body)
    .append('svg')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', width)
    .attr('height', height)
    .attr('role', 'img')
    .attr('aria-label', spec.title);
  svg.append('defs').append('clipPath').attr('id', clipId).append('rect').attr('width', iw).attr('height', ih);
  const root = svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);

  // Warm-up and faults, behind everything.
  const back = root.append('g').attr('class', 'backdrop').attr('clip-path', `url(#${clipId})`);
  if (warmupMs > 0) {
    back.append('rect').attr('class', 'warmup').attr('x', x(0)).attr('width', Math.max(0, x(warmupMs) - x(0))).attr('height', ih);
  }
  for (const f of faults) {
    const x0 = x(f.atMs);
    const x1 = x(Math.max(f.endMs, f.atMs + timeInfo.bucketMs / 4));
    back.append('rect').attr('class', 'fault-window').attr('x', x0).attr('width', Math.max(1.5, x1 - x0)).attr('height', ih).attr('fill', FAULT_FILL).attr('stroke', FAULT_STROKE);
  }

  const ctx: TimeContext = { g: root, x, width: iw, height: ih, bucketMs, from, to, at };

  // Scales and axes.
  let yLinear: d3.ScaleContinuousNumeric<number, number> | null = null;
  let yBand: d3.ScaleBand<string> | null = null;
  let bandRows: BandRow[] = [];
  const grid = root.append('g').attr('class', 'grid');
  if (spec.y === 'bands') {
    bandRows = spec.bands ? spec.bands() : [];
    yBand = d3
      .scaleBand<string>()
      .domain(bandRows.map((_r, i) => `${i}`))
      .range([0, ih])
      .paddingInner(0.18)
      .paddingOuter(0.05);
  } else {
    const vals: number[] = [];
    if (spec.stack) {
      for (let b = from; b <= to; b++) {
        let sum = 0;
        for (const s of series) sum += s.shown[b] ?? 0;
        vals.push(sum);
      }
    } else {
      for (const s of series) {
        for (let b = from; b <= to; b++) {
          const v = s.shown[b];
          if (finite(v) && (spec.y !== 'log' || v > 0)) vals.push(v);
        }
      }
    }
    if (spec.y === 'log') {
      const lo = vals.length ? Math.min(...vals) : 1;
      const hi = vals.length ? Math.max(...vals) : 10;
      yLinear = d3
        .scaleLog()
        .domain([Math.max(1e-3, lo * 0.8), Math.max(hi * 1.15, lo * 2)])
        .range([ih, 0])
        .clamp(true);
    } else {
      let hi = spec.yMax ?? (vals.length ? Math.max(...vals) * 1.06 : 1);
      if (!(hi > 0)) hi = 1;
      let lo = spec.yMin ?? 0;
      if (spec.zoomY && vals.length) {
        const min = Math.min(...vals);
        // Zoom to the data when it stays high (99.x%), but never hide a fall to zero.
        lo = Math.max(0, min - (hi - min) * 0.08);
        if (hi - lo < 1e-4) lo = hi - 1e-4;
      }
      const y = d3.scaleLinear().domain([lo, hi]).range([ih, 0]);
      if (spec.yMax === undefined) y.nice(4);
      yLinear = y;
    }
    const y = yLinear;
    const ticks = spec.y === 'log' ? logTicks(y.domain() as [number, number], 6) : (y as d3.ScaleLinear<number, number>).ticks(4);
    grid
      .selectAll('line')
      .data(ticks)
      .join('line')
      .attr('x1', 0)
      .attr('x2', iw)
      .attr('y1', (d) => y(d))
      .attr('y2', (d) => y(d));
    root
      .append('g')
      .attr('class', 'axis y-axis')
      .call(
        d3
          .axisLeft(y)
          .tickValues(ticks)
          .tickSize(0)
          .tickPadding(6)
          .tickFormat((d) => (spec.axisFormat ?? spec.format)(Number(d))),
      )
      .call((g) => g.select('.domain').remove());
  }
  root
    .append('g')
    .attr('class', 'axis x-axis')
    .attr('transform', `translate(0,${ih})`)
    .call(
      d3
        .axisBottom(x)
        .ticks(Math.max(2, Math.floor(iw / 90)))
        .tickSize(3)
        .tickFormat((d) => fmtClock(Number(d))),
    );

  // The marks.
  const marks = root.append('g').attr('class', 'marks').attr('clip-path', `url(#${clipId})`);
  ctx.g = marks;
  if (spec.y === 'bands' && yBand && spec.drawBands) {
    spec.drawBands(ctx, yBand, bandRows);
    const yb = yBand;
    // The bands hide the shading behind them: mark the fault windows' edges on top.
    const edges = root.append('g').attr('class', 'fault-edges').attr('clip-path', `url(#${clipId})`);
    for (const f of faults) {
      for (const t of [f.atMs, f.endMs]) edges.append('line').attr('x1', x(t)).attr('x2', x(t)).attr('y1', 0).attr('y2', ih);
    }
    const labels = root.append('g').attr('class', 'band-labels');
    bandRows.forEach((r, i) => {
      if (r.spacer) return;
      const yy = (yb(`${i}`) ?? 0) + yb.bandwidth() / 2;
      const v = state.variants[r.vi];
      if (v) labels.append('rect').attr('class', 'band-swatch').attr('data-variant', r.vi).attr('x', -7).attr('y', yy - Math.min(5, yb.bandwidth() / 2)).attr('width', 4).attr('height', Math.min(10, yb.bandwidth())).attr('fill', v.color);
      if (r.label) labels.append('text').attr('x', -12).attr('y', yy).attr('dy', '0.35em').attr('text-anchor', 'end').text(truncate(r.label, 15)).append('title').text(r.label);
    });
  } else if (yLinear) {
    const y = yLinear;
    // Draw one point past each edge so lines reach the frame.
    const lo = Math.max(0, from - 1);
    const hi = Math.min(points - 1, to + 1);
    const idx = d3.range(lo, hi + 1);
    if (spec.stack) {
      const base = new Float64Array(points);
      for (const s of series) {
        const top = new Float64Array(points);
        for (const b of idx) top[b] = base[b] + (s.shown[b] ?? 0);
        const area = d3
          .area<number>()
          .x((b) => cx(b))
          .y0((b) => y(base[b]))
          .y1((b) => y(top[b]))
          .curve(d3.curveStep);
        marks.append('path').attr('class', 'mark area').attr('data-variant', s.vi).attr('d', area(idx)).attr('fill', s.color).attr('fill-opacity', s.opacity ?? 0.88);
        for (const b of idx) base[b] = top[b];
      }
    } else {
      for (const s of series) {
        const defined = (b: number) => {
          const v = s.shown[b];
          return finite(v) && (spec.y !== 'log' || v > 0);
        };
        if (spec.area) {
          const area = d3
            .area<number>()
            .defined(defined)
            .x((b) => cx(b))
            .y0(ih)
            .y1((b) => y(s.shown[b] as number));
          marks.append('path').attr('class', 'mark area-under').attr('data-variant', s.vi).attr('d', area(idx)).attr('fill', s.color).attr('fill-opacity', 0.1);
        }
        const line = d3
          .line<number>()
          .defined(defined)
          .x((b) => cx(b))
          .y((b) => y(s.shown[b] as number));
        marks
          .append('path')
          .attr('class', 'mark line')
          .attr('data-variant', s.vi)
          .attr('d', line(idx))
          .attr('fill', 'none')
          .attr('stroke', s.color)
          .attr('stroke-width', s.width ?? 1.8)
          .attr('stroke-opacity', s.opacity ?? 1)
          .attr('stroke-dasharray', s.dash ?? '')
          .attr('stroke-linejoin', 'round');
      }
    }
  }

  if (spec.showFaultLabels) {
    // Labels that would overlap the previous one drop to the next line (three at most).
    const labels = root.append('g').attr('class', 'fault-labels');
    const lineEnds = [-Infinity, -Infinity, -Infinity];
    for (const f of [...faults].sort((a, b) => a.atMs - b.atMs)) {
      const xa = x(f.atMs);
      if (xa < 0 || xa > iw) continue;
      const text = truncate(f.label, 30);
      const line = lineEnds.findIndex((end) => end < xa);
      if (line < 0) continue;
      lineEnds[line] = xa + 3 + text.length * 6.2 + 6;
      labels.append('text').attr('x', xa + 3).attr('y', 10 + line * 12).text(text);
    }
  }

  // The crosshair, and the pointer overlay that drives it (and the brush that zooms).
  const cross = root.append('g').attr('class', 'crosshair').style('display', 'none');
  cross.append('line').attr('y1', 0).attr('y2', ih);
  const dots = cross.append('g');
  const brush = d3
    .brushX()
    .extent([
      [0, 0],
      [iw, ih],
    ])
    .on('end', (event: d3.D3BrushEvent<unknown>) => {
      const sel = event.selection as [number, number] | null;
      if (!sel) return;
      const t0 = x.invert(sel[0]);
      const t1 = x.invert(sel[1]);
      root.select<SVGGElement>('.brush').call(brush.move, null);
      if (t1 - t0 >= timeInfo.bucketMs * 2) setWindow([Math.max(state.fullWindow[0], t0), Math.min(state.fullWindow[1], t1)]);
    });
  const brushG = root.append('g').attr('class', 'brush').call(brush);
  brushG
    .on('pointermove', (event: PointerEvent) => {
      const [px, py] = d3.pointer(event, root.node());
      const t = x.invert(Math.max(0, Math.min(iw, px)));
      setHover(t);
      const b = Math.max(0, Math.min(points - 1, Math.floor(t / bucketMs)));
      let row: BandRow | null = null;
      if (yBand) {
        const step = yBand.step();
        const i = Math.floor((py - (yBand(`0`) ?? 0) + (step - yBand.bandwidth()) / 2) / step);
        row = bandRows[Math.max(0, Math.min(bandRows.length - 1, i))] ?? null;
      }
      const rows = spec.readout ? spec.readout(b, ctx, row) : defaultReadout(series, b, spec.format);
      const during = faults.filter((f) => t >= f.atMs && t < Math.max(f.endMs, f.atMs + timeInfo.bucketMs));
      for (const f of during) rows.push({ label: `fault: ${f.label}`, head: true, muted: true });
      if (t < warmupMs) rows.push({ label: 'warm-up: not measured', head: true, muted: true });
      const decimals = bucketMs < 1000 ? (bucketMs % 100 === 0 ? 1 : 2) : 0;
      const span = `${fmtClock(b * bucketMs, decimals)}–${fmtClock(Math.min((b + 1) * bucketMs, timeInfo.buckets * timeInfo.bucketMs), decimals)}`;
      showTip(event.clientX, event.clientY, `${spec.title} · ${span}${k > 1 ? ` (${fmtMs(bucketMs)} points)` : ''}`, rows);
    })
    .on('pointerleave', () => {
      setHover(null);
      hideTip();
    })
    .on('dblclick', () => setWindow(null));

  return (ms: number | null) => {
    if (ms === null || ms < state.window[0] || ms > state.window[1]) {
      cross.style('display', 'none');
      return;
    }
    const b = Math.max(0, Math.min(points - 1, Math.floor(ms / bucketMs)));
    const px = cx(b);
    cross.style('display', null);
    cross.select('line').attr('x1', px).attr('x2', px);
    if (spec.y === 'bands' || !yLinear || spec.stack) {
      dots.selectAll('*').remove();
      return;
    }
    const y = yLinear;
    const pts = series.filter((s) => {
      const v = s.shown[b];
      return finite(v) && (spec.y !== 'log' || v > 0);
    });
    dots
      .selectAll('circle')
      .data(pts)
      .join('circle')
      .attr('r', 3.2)
      .attr('cx', px)
      .attr('cy', (s) => y(s.shown[b] as number))
      .attr('fill', (s) => s.color);
  };
}

function defaultReadout(series: Array<Series & { shown: Array<number | null> }>, b: number, format: (v: number) => string): TipRow[] {
  return series.map((s) => {
    const v = s.shown[b];
    return { label: s.label, value: v === null || v === undefined ? '—' : format(v), color: s.color };
  });
}
