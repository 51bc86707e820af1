import { figure, uid } from './chartFrame.js';
import { d3 } from './d3.js';
import { truncate } from './format.js';
import { widthOf } from './dom.js';
import { on } from './state.js';
import { hideTip, showTip, type TipRow } from './tooltip.js';

/**
 * Grouped horizontal bars: a group per thing (a service, an effect), a bar per variant, and
 * each bar made of segments (executions, then duplicates...). Hatched segments are drawn as an
 * outline with stripes: counted, but not part of the total (suppressed duplicates).
 */
export interface Segment {
  value: number;
  color: string;
  label: string;
  hatch?: boolean;
}

export interface Bar {
  vi: number;
  label: string;
  color: string;
  segments: Segment[];
  /** The text at the end of the bar. */
  text: string;
  tip: TipRow[];
}

export interface BarGroup {
  label: string;
  bars: Bar[];
}

export interface BarSpec {
  id: string;
  title: string;
  note?: string;
  groups(): BarGroup[];
  format(v: number): string;
  /** A reference line (1× amplification). */
  reference?: { value: number; label: string };
}

const BAR_H = 13;
const BAR_GAP = 3;
const GROUP_GAP = 12;
const MARGIN = { top: 16, right: 110, bottom: 24, left: 120 };

export function barChart(parent: Element, spec: BarSpec): HTMLElement {
  const { figure: fig, body } = figure(parent, spec.id, spec.title, spec.note, 'bars');
  const hatchId = uid(`hatch-${spec.id}`);
  const draw = () => render(body, spec, hatchId);
  draw();
  on('visibility', draw);
  on('resize', draw);
  return fig;
}

function render(body: HTMLElement, spec: BarSpec, hatchId: string): void {
  const groups = spec.groups().filter((g) => g.bars.length > 0);
  const width = widthOf(body, 440);
  const iw = width - MARGIN.left - MARGIN.right;
  let yPos = 0;
  const layout = groups.map((g) => {
    const top = yPos;
    yPos += g.bars.length * (BAR_H + BAR_GAP) - BAR_GAP + GROUP_GAP;
    return { g, top };
  });
  const ih = Math.max(BAR_H, yPos - GROUP_GAP);
  const height = ih + MARGIN.top + MARGIN.bottom;
  const max = Math.max(spec.reference?.value ?? 0, ...groups.flatMap((g) => g.bars.map((b) => b.segments.reduce((a, s) => a + s.value, 0))), 1e-9);
  const x = d3.scaleLinear().domain([0, max]).range([0, iw]).nice(5);

  d3.select(body).selectAll('*').remove();
  const svg = d3.select(body).append('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height).attr('role', 'img').attr('aria-label', spec.title);
  const pattern = svg.append('defs').append('pattern').attr('id', hatchId).attr('patternUnits', 'userSpaceOnUse').attr('width', 5).attr('height', 5).attr('patternTransform', 'rotate(45)');
  pattern.append('rect').attr('width', 5).attr('height', 5).attr('fill', '#fff');
  pattern.append('line').attr('x1', 0).attr('y1', 0).attr('x2', 0).attr('y2', 5).attr('stroke', '#777').attr('stroke-width', 2);
  const root = svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
  const ticks = x.ticks(Math.max(2, Math.floor(iw / 80)));
  root
    .append('g')
    .attr('class', 'grid')
    .selectAll('line')
    .data(ticks)
    .join('line')
    .attr('x1', (d) => x(d))
    .attr('x2', (d) => x(d))
    .attr('y1', 0)
    .attr('y2', ih);
  root
    .append('g')
    .attr('class', 'axis x-axis')
    .attr('transform', `translate(0,${ih})`)
    .selectAll('text')
    .data(ticks)
    .join('text')
    .attr('x', (d) => x(d))
    .attr('y', 15)
    .attr('text-anchor', 'middle')
    .text((d) => spec.format(d));
  if (spec.reference) {
    const rx = x(spec.reference.value);
    const ref = root.append('g').attr('class', 'reference');
    ref.append('line').attr('x1', rx).attr('x2', rx).attr('y1', -4).attr('y2', ih);
    ref.append('text').attr('x', rx).attr('y', -6).attr('text-anchor', 'middle').text(spec.reference.label);
  }

  const marks = root.append('g').attr('class', 'marks');
  for (const { g, top } of layout) {
    root
      .append('text')
      .attr('class', 'group-label')
      .attr('x', -8)
      .attr('y', top + (g.bars.length * (BAR_H + BAR_GAP) - BAR_GAP) / 2)
      .attr('dy', '0.35em')
      .attr('text-anchor', 'end')
      .text(truncate(g.label, 18))
      .append('title')
      .text(g.label);
    g.bars.forEach((b, i) => {
      const by = top + i * (BAR_H + BAR_GAP);
      const barG = marks.append('g').attr('data-variant', b.vi);
      let acc = 0;
      for (const s of b.segments) {
        if (!(s.value > 0)) continue;
        const x0 = x(acc);
        const w = Math.max(1, x(acc + s.value) - x0);
        barG
          .append('rect')
          .attr('class', `mark bar${s.hatch ? ' hatch' : ''}`)
          .attr('data-variant', b.vi)
          .attr('x', x0)
          .attr('y', by)
          .attr('width', w)
          .attr('height', BAR_H)
          .attr('fill', s.hatch ? `url(#${hatchId})` : s.color)
          .attr('stroke', s.hatch ? s.color : 'none');
        acc += s.value;
      }
      if (acc === 0) {
        // A zero still gets a visible tick, so "none" reads as measured, not missing.
        barG.append('rect').attr('class', 'mark bar zero').attr('data-variant', b.vi).attr('x', 0).attr('y', by).attr('width', 2).attr('height', BAR_H).attr('fill', b.color);
      }
      barG
        .append('text')
        .attr('class', 'bar-text')
        .attr('x', x(acc) + 5)
        .attr('y', by + BAR_H / 2)
        .attr('dy', '0.35em')
        .text(b.text);
      barG
        .append('rect')
        .attr('class', 'hit')
        .attr('x', -MARGIN.left + 4)
        .attr('y', by - 1)
        .attr('width', iw + MARGIN.left + MARGIN.right - 8)
        .attr('height', BAR_H + 2)
        .attr('fill', 'transparent')
        .on('pointermove', (event: PointerEvent) => showTip(event.clientX, event.clientY, `${g.label} · ${b.label}`, b.tip))
        .on('pointerleave', hideTip);
    });
  }
}
