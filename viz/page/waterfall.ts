import { figure, uid } from './chartFrame.js';
import { d3 } from './d3.js';
import { append, el, emptyNote, section, widthOf } from './dom.js';
import { fmtMs, truncate } from './format.js';
import { swatchSvg } from './legend.js';
import { OKABE_ITO } from './palette.js';
import { isVisible, on, state } from './state.js';
import { hideTip, showTip } from './tooltip.js';
import type { RawTrace, Span, Variant } from './types.js';
import { isBadOutcome, waterfallRows, type Row } from './waterfallRows.js';
import { waterfallScale } from './waterfallScale.js';

/**
 * Request waterfalls: the engine keeps a few operations per variant (a failed one, the
 * slowest, a double-processed one...). Each is drawn span by span — every attempt, retry wait,
 * timeout, breaker rejection, delivery and effect — on the operation's own clock.
 */

const KIND_STYLE: Record<Span['kind'], { fill: string; label: string; marker?: string }> = {
  operation: { fill: '#4d4d4d', label: 'operation' },
  attempt: { fill: OKABE_ITO.blue, label: 'attempt (a call)' },
  work: { fill: OKABE_ITO.skyBlue, label: 'work on an instance' },
  queued: { fill: '#bdbdbd', label: 'waiting for a worker' },
  'retry-wait': { fill: 'none', label: 'retry backoff' },
  'short-circuit': { fill: OKABE_ITO.vermillion, label: 'breaker rejection', marker: '✕' },
  bulkhead: { fill: OKABE_ITO.orange, label: 'bulkhead rejection', marker: '✕' },
  delivery: { fill: OKABE_ITO.purple, label: 'queue delivery' },
  'redelivery-wait': { fill: 'none', label: 'redelivery wait' },
  effect: { fill: OKABE_ITO.green, label: 'side effect', marker: '●' },
};

const CATEGORY_ORDER = ['failed', 'double-processed', 'slow', 'degraded', 'typical'];
const ROW_H = 19;
const MAX_ROWS = 120;

export function renderWaterfalls(parent: Element): void {
  const s = section(
    parent,
    'waterfalls',
    'Request waterfalls',
    'A few operations the engine traced in each variant’s first replication, drawn on the operation’s own clock (0 = arrival). Pick one with the chips; hover a bar for details; drag across the chart to zoom, double-click to zoom out.',
  );
  s.appendChild(kindLegend());
  for (const v of state.variants) variantBlock(s, v);
}

function kindLegend(): HTMLElement {
  const legend = el('div', { class: 'waterfall-legend' });
  for (const [kind, st] of Object.entries(KIND_STYLE)) {
    const key = el('span', { class: `legend-key wf-key wf-${kind}` });
    const sw = el('span', { class: 'wf-swatch' }, st.marker ?? '');
    if (st.marker) sw.style.color = st.fill;
    else if (st.fill === 'none') sw.classList.add('dashed');
    else sw.style.background = st.fill;
    append(key, sw, st.label);
    legend.appendChild(key);
  }
  const bad = el('span', { class: 'legend-key' });
  append(bad, el('span', { class: 'wf-swatch bad' }), 'ended badly (error, timeout, duplicate…)');
  legend.appendChild(bad);
  return legend;
}

function variantBlock(parent: Element, v: Variant): void {
  const block = el('div', { class: 'waterfall-block', 'data-variant': v.index });
  const head = el('h3', { class: 'subhead' });
  append(head, swatchSvg(v), ' ', v.name);
  block.appendChild(head);
  parent.appendChild(block);
  const traces = [...(v.result.traces ?? [])].sort((a, b) => rank(a) - rank(b));
  on('visibility', () => (block.hidden = !isVisible(v.index)));
  if (traces.length === 0) {
    emptyNote(block, 'No operation was traced in this variant.');
    return;
  }
  const chips = el('div', { class: 'trace-chips', role: 'tablist' });
  block.appendChild(chips);
  const { figure: fig, body } = figure(block, `waterfall-${v.index}`, 'Operation', undefined, 'waterfall');
  fig.setAttribute('data-variant', String(v.index));
  const caption = fig.querySelector('.chart-title')!;
  const clipId = uid(`wf-${v.index}`);
  let current = traces[0];
  let domain: [number, number] | null = null;
  let showAll = false;
  const draw = () => {
    caption.textContent = traceTitle(current);
    for (const c of Array.from(chips.children)) c.setAttribute('aria-selected', String((c as HTMLElement).dataset.operation === String(current.operation)));
    renderTrace(body, v, current, clipId, domain, (d) => {
      domain = d;
      draw();
    }, showAll, () => {
      showAll = true;
      draw();
    });
  };
  for (const t of traces) {
    const chip = el('button', { type: 'button', class: `chip trace-chip cat-${t.category}`, role: 'tab', 'data-operation': t.operation }, `${t.category} · ${t.latencyMs === null ? t.outcome : fmtMs(t.latencyMs)}`);
    chip.addEventListener('click', () => {
      current = t;
      domain = null;
      showAll = false;
      draw();
    });
    chips.appendChild(chip);
  }
  draw();
  on('resize', () => {
    if (!block.hidden) draw();
  });
}

function rank(t: RawTrace): number {
  const i = CATEGORY_ORDER.indexOf(t.category);
  return i < 0 ? CATEGORY_ORDER.length : i;
}

function traceTitle(t: RawTrace): string {
  const how = t.latencyMs === null ? `ended: ${t.outcome}` : `${t.outcome} in ${fmtMs(t.latencyMs)}`;
  return `Operation ${t.operation} — ${t.category} (${how}, ${t.spans.length} spans)`;
}

function renderTrace(
  body: HTMLElement,
  v: Variant,
  t: RawTrace,
  clipId: string,
  domain: [number, number] | null,
  setDomain: (d: [number, number] | null) => void,
  showAll: boolean,
  onShowAll: () => void,
): void {
  const all = waterfallRows(t.spans);
  const rows: Row[] = showAll ? all : all.slice(0, MAX_ROWS);
  const width = widthOf(body);
  const LABEL_W = Math.round(Math.min(340, Math.max(200, width * 0.28)));
  const RIGHT = 110;
  const iw = Math.max(120, width - LABEL_W - RIGHT);
  const chars = Math.floor((LABEL_W - 10) / 6.9);
  const top = 24;
  const height = top + rows.length * ROW_H + 8;
  const scale = waterfallScale(t.spans, iw, domain);
  const x = scale.x;

  d3.select(body).selectAll('*').remove();
  const svg = d3.select(body).append('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height).attr('role', 'img').attr('aria-label', traceTitle(t));
  svg.append('defs').append('clipPath').attr('id', clipId).append('rect').attr('x', -1).attr('y', -2).attr('width', iw + RIGHT).attr('height', height);
  const plot = svg.append('g').attr('transform', `translate(${LABEL_W},${top})`);
  const ticks = scale.ticks;
  plot
    .append('g')
    .attr('class', 'grid')
    .selectAll('line')
    .data(ticks)
    .join('line')
    .attr('x1', (d) => x(d))
    .attr('x2', (d) => x(d))
    .attr('y1', -4)
    .attr('y2', rows.length * ROW_H);
  plot
    .append('g')
    .attr('class', 'axis x-axis')
    .selectAll('text')
    .data(ticks)
    .join('text')
    .attr('x', (d) => x(d))
    .attr('y', -8)
    .attr('text-anchor', 'middle')
    .text((d) => fmtMs(d));

  const labels = svg.append('g').attr('transform', `translate(0,${top})`);
  const marks = plot.append('g').attr('class', 'marks').attr('clip-path', `url(#${clipId})`);
  rows.forEach((r, i) => {
    const s = r.span;
    const y = i * ROW_H;
    const st = KIND_STYLE[s.kind] ?? KIND_STYLE.work;
    const bad = isBadOutcome(s.outcome);
    if (i % 2 === 1) plot.insert('rect', '.marks').attr('class', 'stripe').attr('x', -LABEL_W).attr('y', y).attr('width', iw + LABEL_W + RIGHT).attr('height', ROW_H);
    labels
      .append('text')
      .attr('class', `wf-label wf-label-${s.kind}${bad ? ' bad' : ''}`)
      .attr('x', 6 + Math.min(r.depth, 12) * 11)
      .attr('y', y + ROW_H / 2)
      .attr('dy', '0.35em')
      .text(truncate(s.name, Math.max(12, chars - Math.ceil((Math.min(r.depth, 12) * 11) / 6.9))));
    const x0 = x(s.startMs);
    const x1 = x(s.endMs);
    const zero = s.endMs - s.startMs < 1e-6;
    if (st.marker || zero) {
      marks
        .append('text')
        .attr('class', `mark wf-marker wf-${s.kind}${bad ? ' bad' : ''}`)
        .attr('data-variant', v.index)
        .attr('x', x0)
        .attr('y', y + ROW_H / 2)
        .attr('dy', '0.35em')
        .attr('text-anchor', 'middle')
        .attr('fill', s.kind === 'effect' ? effectColor(s.outcome) : st.fill === 'none' ? '#555' : st.fill)
        .text(s.kind === 'effect' ? effectMarker(s.outcome) : (st.marker ?? '|'));
    } else {
      marks
        .append('rect')
        .attr('class', `mark wf-bar wf-${s.kind}${bad ? ' bad' : ''}`)
        .attr('data-variant', v.index)
        .attr('x', x0)
        .attr('y', y + (s.kind === 'operation' ? 6 : 3))
        .attr('width', Math.max(1.5, x1 - x0))
        .attr('height', s.kind === 'operation' ? ROW_H - 12 : ROW_H - 6)
        .attr('rx', 2)
        .attr('fill', st.fill === 'none' ? 'transparent' : st.fill);
    }
    const outcome = outcomeText(s);
    if (outcome) {
      marks
        .append('text')
        .attr('class', `wf-outcome${bad ? ' bad' : ''}`)
        .attr('x', Math.max(x0, x1) + (zero || st.marker ? 8 : 4))
        .attr('y', y + ROW_H / 2)
        .attr('dy', '0.35em')
        .text(outcome);
    }
  });

  // The idle stretches cut out of the axis: a band with what it hides.
  const cuts = plot.insert('g', '.marks').attr('class', 'wf-cuts');
  for (const gap of scale.gaps) {
    cuts.append('rect').attr('class', 'wf-cut').attr('x', gap.x0 + 3).attr('y', -14).attr('width', gap.x1 - gap.x0 - 6).attr('height', rows.length * ROW_H + 14);
    cuts.append('text').attr('class', 'wf-cut-label').attr('x', (gap.x0 + gap.x1) / 2).attr('y', -8).attr('text-anchor', 'middle').text(`+${fmtMs(gap.ms)}`);
  }
  // Drag across the bars to zoom in on a stretch; double-click to see it all again.
  const brush = d3
    .brushX()
    .extent([
      [0, -20],
      [iw, rows.length * ROW_H],
    ])
    .on('end', (event: d3.D3BrushEvent<unknown>) => {
      const sel = event.selection as [number, number] | null;
      if (!sel || sel[1] - sel[0] < 4) return;
      setDomain([scale.invert(sel[0]), scale.invert(sel[1])]);
    });
  plot.append('g').attr('class', 'brush wf-brush').call(brush);
  svg.on('dblclick', () => setDomain(null));
  // One tooltip for the row under the pointer, bars or labels alike.
  svg
    .on('pointermove', (event: PointerEvent) => {
      const [, py] = d3.pointer(event, plot.node());
      const i = Math.floor(py / ROW_H);
      if (i < 0 || i >= rows.length) return hideTip();
      const s = rows[i].span;
      const st = KIND_STYLE[s.kind] ?? KIND_STYLE.work;
      const zero = s.endMs - s.startMs < 1e-6;
      showTip(event.clientX, event.clientY, s.name, [
        { label: 'kind', value: st.label },
        { label: 'starts at', value: `+${fmtMs(s.startMs)}` },
        ...(zero ? [] : [{ label: 'lasts', value: fmtMs(s.endMs - s.startMs) }]),
        { label: 'outcome', value: s.outcome ?? '—' },
      ]);
    })
    .on('pointerleave', hideTip);

  if (!showAll && all.length > rows.length) {
    const more = el('button', { type: 'button', class: 'show-more' }, `Show all ${all.length} spans`);
    more.addEventListener('click', onShowAll);
    body.appendChild(more);
  }
}

function effectMarker(outcome: string | null): string {
  return outcome === 'duplicate' ? '◆' : outcome === 'suppressed' ? '○' : '●';
}

function effectColor(outcome: string | null): string {
  return outcome === 'duplicate' ? OKABE_ITO.vermillion : outcome === 'suppressed' ? '#777' : OKABE_ITO.green;
}

function outcomeText(s: Span): string {
  if (s.kind === 'effect') return s.outcome === 'duplicate' ? 'executed again!' : s.outcome === 'suppressed' ? 'duplicate suppressed' : 'applied';
  if (s.kind === 'short-circuit') return 'breaker open';
  if (s.kind === 'bulkhead') return 'bulkhead full';
  if (s.kind === 'retry-wait' || s.kind === 'redelivery-wait') return fmtMs(s.endMs - s.startMs);
  if (s.outcome && s.outcome !== 'ok') return s.outcome;
  return '';
}
