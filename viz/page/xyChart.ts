import { figure, uid } from './chartFrame.js';
import { d3 } from './d3.js';
import { widthOf } from './dom.js';
import { on } from './state.js';
import { logTicks } from './ticks.js';
import { hideTip, showTip, type TipRow } from './tooltip.js';

/**
 * A chart of lines over a continuous or categorical x (the latency CDF, the sweep curves):
 * axes, grid, lines with optional point markers, and a hover readout of the nearest x.
 */
export interface XYSeries {
  vi: number;
  label: string;
  points: Array<[number, number | null]>;
  color: string;
  dash?: string;
  width?: number;
  markers?: boolean;
  /** Segments from this index on are drawn dashed-light (a hysteresis sweep's way back). */
  returnFrom?: number;
  /** Points to ring in vermillion (where a sweep found the system metastable). */
  rings?: number[];
}

export interface XYSpec {
  id: string;
  title: string;
  note?: string;
  height?: number;
  x: { type: 'linear' | 'log' | 'point'; format(v: number): string; labels?: string[]; title?: string };
  y: { type: 'linear' | 'log'; format(v: number): string; tickFormat?(v: number): string; domain?(): [number, number]; title?: string };
  series(): XYSeries[];
  /** Extra marks under the lines (guides). */
  guides?(g: d3.Selection<SVGGElement, unknown, null, undefined>, x: (v: number) => number, y: (v: number) => number, w: number, h: number): void;
  /** Readout at the hovered x (default: each series' value at the nearest point). */
  readout?(xv: number): { title: string; rows: TipRow[] };
  small?: boolean;
}

const MARGIN = { top: 12, right: 18, bottom: 36, left: 60 };

export function xyChart(parent: Element, spec: XYSpec): { figure: HTMLElement; redraw(): void } {
  const { figure: fig, body } = figure(parent, spec.id, spec.title, spec.note, `xy${spec.small ? ' small' : ''}`);
  const clipId = uid(`clip-${spec.id}`);
  const draw = () => render(body, spec, clipId);
  draw();
  on('visibility', draw);
  on('resize', draw);
  return { figure: fig, redraw: draw };
}

function render(body: HTMLElement, spec: XYSpec, clipId: string): void {
  const width = widthOf(body, 440);
  const height = spec.height ?? 260;
  const iw = width - MARGIN.left - MARGIN.right;
  const ih = height - MARGIN.top - MARGIN.bottom;
  const series = spec.series();
  const xsAll = series.flatMap((s) => s.points.map((p) => p[0])).filter((v) => Number.isFinite(v) && (spec.x.type !== 'log' || v > 0));
  const ysAll = series.flatMap((s) => s.points.map((p) => p[1])).filter((v): v is number => v !== null && Number.isFinite(v) && (spec.y.type !== 'log' || v > 0));

  let x: (v: number) => number;
  let xTicks: number[];
  let xInvert: (px: number) => number;
  if (spec.x.type === 'point') {
    const n = spec.x.labels?.length ?? 0;
    const xp = d3.scaleLinear().domain([0, Math.max(1, n - 1)]).range(n <= 1 ? [iw / 2, iw / 2] : [0, iw]);
    x = xp;
    xTicks = d3.range(n);
    xInvert = (px) => Math.round(xp.invert(px));
  } else if (spec.x.type === 'log') {
    const lo = xsAll.length ? Math.min(...xsAll) : 1;
    const hi = xsAll.length ? Math.max(...xsAll) : 10;
    const xl = d3.scaleLog().domain([lo * 0.9, Math.max(hi * 1.1, lo * 2)]).range([0, iw]);
    x = xl;
    xTicks = logTicks(xl.domain() as [number, number], Math.max(3, Math.floor(iw / 60)));
    xInvert = (px) => xl.invert(px);
  } else {
    const lo = xsAll.length ? Math.min(...xsAll) : 0;
    const hi = xsAll.length ? Math.max(...xsAll) : 1;
    const xl = d3
      .scaleLinear()
      .domain(lo === hi ? [lo - 1, hi + 1] : [lo, hi])
      .range([0, iw]);
    x = xl;
    xTicks = xl.ticks(Math.max(2, Math.floor(iw / 70)));
    xInvert = (px) => xl.invert(px);
  }
  let y: d3.ScaleContinuousNumeric<number, number>;
  let yTicks: number[];
  if (spec.y.type === 'log') {
    const [lo, hi] = spec.y.domain ? spec.y.domain() : [ysAll.length ? Math.min(...ysAll) : 1e-3, ysAll.length ? Math.max(...ysAll) : 1];
    const yl = d3.scaleLog().domain([lo, hi]).range([ih, 0]).clamp(true);
    y = yl;
    yTicks = logTicks([lo, hi], 6);
  } else {
    let dom = spec.y.domain ? spec.y.domain() : ([0, ysAll.length ? Math.max(...ysAll) : 1] as [number, number]);
    if (!(dom[1] > dom[0])) dom = [dom[0], dom[0] + 1];
    const yl = d3.scaleLinear().domain(dom).range([ih, 0]);
    if (!spec.y.domain) yl.nice(5);
    y = yl;
    yTicks = yl.ticks(5);
  }

  d3.select(body).selectAll('*').remove();
  const svg = d3.select(body).append('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height).attr('role', 'img').attr('aria-label', spec.title);
  svg.append('defs').append('clipPath').attr('id', clipId).append('rect').attr('x', -4).attr('y', -4).attr('width', iw + 8).attr('height', ih + 8);
  const root = svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
  const grid = root.append('g').attr('class', 'grid');
  grid
    .selectAll('line.h')
    .data(yTicks)
    .join('line')
    .attr('class', 'h')
    .attr('x1', 0)
    .attr('x2', iw)
    .attr('y1', (d) => y(d))
    .attr('y2', (d) => y(d));
  grid
    .selectAll('line.v')
    .data(xTicks)
    .join('line')
    .attr('class', 'v')
    .attr('y1', 0)
    .attr('y2', ih)
    .attr('x1', (d) => x(d))
    .attr('x2', (d) => x(d));
  const yAxis = root.append('g').attr('class', 'axis y-axis');
  yAxis
    .selectAll('text')
    .data(yTicks)
    .join('text')
    .attr('x', -6)
    .attr('y', (d) => y(d))
    .attr('dy', '0.32em')
    .attr('text-anchor', 'end')
    .text((d) => (spec.y.tickFormat ?? spec.y.format)(d));
  const xAxis = root.append('g').attr('class', 'axis x-axis').attr('transform', `translate(0,${ih})`);
  xAxis.append('line').attr('class', 'domain-line').attr('x1', 0).attr('x2', iw);
  xAxis
    .selectAll('text')
    .data(xTicks)
    .join('text')
    .attr('x', (d) => x(d))
    .attr('y', 14)
    .attr('text-anchor', 'middle')
    .text((d) => (spec.x.type === 'point' ? (spec.x.labels?.[d] ?? '') : spec.x.format(d)));
  if (spec.x.title) root.append('text').attr('class', 'axis-title').attr('x', iw).attr('y', ih + 30).attr('text-anchor', 'end').text(spec.x.title);
  if (spec.y.title) root.append('text').attr('class', 'axis-title').attr('x', -MARGIN.left + 4).attr('y', -2).text(spec.y.title);

  const guides = root.append('g').attr('class', 'guides');
  spec.guides?.(guides, x, (v) => y(v), iw, ih);

  const marks = root.append('g').attr('class', 'marks').attr('clip-path', `url(#${clipId})`);
  for (const s of series) {
    const ok = (p: [number, number | null]) => p[1] !== null && Number.isFinite(p[1]) && Number.isFinite(p[0]) && (spec.y.type !== 'log' || (p[1] as number) > 0) && (spec.x.type !== 'log' || p[0] > 0);
    const line = d3
      .line<[number, number | null]>()
      .defined(ok)
      .x((p) => x(p[0]))
      .y((p) => y(p[1] as number));
    const cut = s.returnFrom ?? s.points.length;
    const there = s.points.slice(0, cut);
    const back = s.returnFrom !== undefined ? s.points.slice(Math.max(0, cut - 1)) : [];
    marks
      .append('path')
      .attr('class', 'mark line')
      .attr('data-variant', s.vi)
      .attr('d', line(there))
      .attr('fill', 'none')
      .attr('stroke', s.color)
      .attr('stroke-width', s.width ?? 2)
      .attr('stroke-dasharray', s.dash ?? '')
      .attr('stroke-linejoin', 'round');
    if (back.length > 1) {
      marks.append('path').attr('class', 'mark line return').attr('data-variant', s.vi).attr('d', line(back)).attr('fill', 'none').attr('stroke', s.color).attr('stroke-width', 1.6).attr('stroke-dasharray', '3 3').attr('stroke-opacity', 0.8);
    }
    for (const i of s.rings ?? []) {
      const p = s.points[i];
      if (!p || !ok(p)) continue;
      marks.append('circle').attr('class', 'mark ring').attr('data-variant', s.vi).attr('cx', x(p[0])).attr('cy', y(p[1] as number)).attr('r', 7).attr('fill', 'none').attr('stroke', '#D55E00').attr('stroke-width', 2);
    }
    if (s.markers) {
      marks
        .selectAll(null)
        .data(s.points.filter(ok))
        .join('circle')
        .attr('class', 'mark point')
        .attr('data-variant', s.vi)
        .attr('cx', (p) => x(p[0]))
        .attr('cy', (p) => y(p[1] as number))
        .attr('r', 3.2)
        .attr('fill', s.color);
    }
  }

  // Hover: a vertical rule at the pointer, the readout in the tooltip.
  const rule = root.append('line').attr('class', 'hover-rule').attr('y1', 0).attr('y2', ih).style('display', 'none');
  root
    .append('rect')
    .attr('class', 'overlay')
    .attr('width', iw)
    .attr('height', ih)
    .attr('fill', 'transparent')
    .on('pointermove', (event: PointerEvent) => {
      const [px] = d3.pointer(event);
      const xv = xInvert(Math.max(0, Math.min(iw, px)));
      const rx = spec.x.type === 'point' ? x(xv) : px;
      rule.style('display', null).attr('x1', rx).attr('x2', rx);
      const r = spec.readout ? spec.readout(xv) : defaultReadout(series, xv, spec);
      showTip(event.clientX, event.clientY, r.title, r.rows);
    })
    .on('pointerleave', () => {
      rule.style('display', 'none');
      hideTip();
    });
}

function defaultReadout(series: XYSeries[], xv: number, spec: XYSpec): { title: string; rows: TipRow[] } {
  const rows: TipRow[] = [];
  for (const s of series) {
    let best: [number, number | null] | null = null;
    for (const p of s.points) if (best === null || Math.abs(p[0] - xv) < Math.abs(best[0] - xv)) best = p;
    if (best) rows.push({ label: s.label, value: best[1] === null ? '—' : spec.y.format(best[1]), color: s.color });
  }
  const title = spec.x.type === 'point' ? (spec.x.labels?.[xv] ?? '') : spec.x.format(xv);
  return { title, rows };
}
