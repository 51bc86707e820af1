import { figure } from './chartFrame.js';
import { d3 } from './d3.js';
import { append, el, section } from './dom.js';
import { fmtCount, fmtMs, fmtPct, fmtTimes, truncate } from './format.js';
import { OKABE_ITO } from './palette.js';
import { isVisible, on, state, visibleVariants } from './state.js';
import { layoutTopology, NODE_H, NODE_W, type TopoEdge, type TopoNode } from './topologyLayout.js';
import { hideTip, showTip, type TipRow } from './tooltip.js';
import type { Variant } from './types.js';

/**
 * The system: traffic, services (instances × workers, kind), queues, and the lines between
 * them — synchronous calls solid, publishes dashed, deliveries dotted. Faulted components are
 * outlined in vermillion with their faults named. Hover a line for its traffic in every shown
 * variant; line width follows the number of attempts.
 */
export function renderTopology(parent: Element): void {
  const s = section(
    parent,
    'topology',
    'Topology',
    'Line width: attempts on that link. Labels: attempts per user operation (amplification). Hover a line or a box for its traffic in every shown variant.',
  );
  const picker = el('div', { class: 'topology-picker', role: 'radiogroup', 'aria-label': 'Topology of variant' });
  s.appendChild(picker);
  const { figure: fig, body } = figure(s, 'topology', 'System', undefined, 'topology');
  const legend = el('div', { class: 'topology-legend' });
  fig.appendChild(legend);
  buildLegend(legend);
  let selected = 0;

  const buttons = state.variants.map((v) => {
    const b = el('button', { type: 'button', class: 'chip', role: 'radio', 'aria-checked': 'false', 'data-topology-variant': v.index }, v.name);
    b.style.setProperty('--chip-color', v.color);
    b.addEventListener('click', () => {
      selected = v.index;
      draw();
    });
    picker.appendChild(b);
    return b;
  });
  const distinct = new Set(state.variants.map((v) => JSON.stringify(v.result.topology))).size;
  if (distinct <= 1) picker.prepend(el('span', { class: 'picker-label' }, 'Traffic of:'));
  else picker.prepend(el('span', { class: 'picker-label' }, 'Topology of:'));

  const draw = () => {
    if (!isVisible(selected)) selected = visibleVariants()[0]?.index ?? 0;
    buttons.forEach((b, i) => {
      b.setAttribute('aria-checked', String(i === selected));
      b.hidden = !isVisible(i);
    });
    render(body, state.variants[selected]);
  };
  draw();
  on('visibility', draw);
  on('resize', draw);
}

function buildLegend(legend: HTMLElement): void {
  const items: Array<[string, string, string]> = [
    ['call', 'synchronous call', ''],
    ['publish', 'publish to a queue', '6 4'],
    ['delivery', 'queue delivery', '1.5 3.5'],
    ['client', 'user traffic', ''],
  ];
  for (const [kind, label, dash] of items) {
    const svg = d3.create('svg').attr('width', 34).attr('height', 10).attr('aria-hidden', 'true');
    svg.append('line').attr('class', `edge-${kind}`).attr('x1', 1).attr('x2', 33).attr('y1', 5).attr('y2', 5).attr('stroke-dasharray', dash);
    append(legend, append(el('span', { class: 'legend-key' }), svg.node()!, label));
  }
  const f = el('span', { class: 'legend-key' });
  append(f, el('span', { class: 'faulted-swatch' }), 'faulted (⚡ names the faults)');
  legend.appendChild(f);
}

interface FaultMarks {
  nodes: Map<string, string[]>;
  links: Map<string, string[]>;
}

/** Which boxes and lines the faults hit: `svc`, `svc#1`, `a->b`, a traffic source, a queue. */
function faultMarks(v: Variant): FaultMarks {
  const nodes = new Map<string, string[]>();
  const links = new Map<string, string[]>();
  const push = (m: Map<string, string[]>, k: string, text: string) => m.set(k, [...(m.get(k) ?? []), text]);
  const topo = v.result.topology;
  for (const f of v.result.timeline.faults) {
    const text = `${f.kind} ${fmtMs(f.atMs)}–${fmtMs(f.endMs)}`;
    const link = /^(.+?)->(.+)$/.exec(f.target);
    if (link) {
      push(links, `${link[1]}->${link[2]}`, `${f.target}: ${text}`);
      continue;
    }
    const inst = /^(.+)#(\d+)$/.exec(f.target);
    const name = inst ? inst[1] : f.target;
    const label = inst ? `#${inst[2]} ${text}` : text;
    if (topo.services.some((s) => s.name === name)) push(nodes, `s:${name}`, label);
    else if (topo.queues.some((q) => q.name === name)) push(nodes, `q:${name}`, label);
    else if (topo.traffic.some((t) => t.name === name)) push(nodes, `t:${name}`, label);
  }
  return { nodes, links };
}

function render(body: HTMLElement, v: Variant): void {
  const { nodes, edges, width, height } = layoutTopology(v.result);
  const faults = faultMarks(v);
  const extra = 18; // room for fault badges under the lowest boxes
  d3.select(body).selectAll('*').remove();
  const svg = d3
    .select(body)
    .append('svg')
    .attr('viewBox', `0 0 ${width} ${height + extra}`)
    .attr('width', width)
    .attr('height', height + extra)
    .attr('role', 'img')
    .attr('aria-label', `Topology of ${v.name}`);
  const defs = svg.append('defs');
  for (const kind of ['call', 'publish', 'delivery', 'client', 'faulted']) {
    defs
      .append('marker')
      .attr('id', `arrow-${kind}`)
      .attr('viewBox', '0 0 10 10')
      .attr('refX', 9)
      .attr('refY', 5)
      .attr('markerUnits', 'userSpaceOnUse')
      .attr('markerWidth', 9)
      .attr('markerHeight', 9)
      .attr('orient', 'auto-start-reverse')
      .append('path')
      .attr('d', kind === 'publish' ? 'M1,1 L9,5 L1,9' : 'M0,0 L10,5 L0,10 z')
      .attr('class', `arrowhead arrow-${kind}`);
  }

  const calls = v.result.calls;
  const attemptsOf = (e: TopoEdge) => e.keys.reduce((a, k) => a + (calls[k]?.attempts ?? 0), 0);
  const maxAttempts = Math.max(1, ...edges.map(attemptsOf));
  const ops = v.result.summary.requests;

  const gEdges = svg.append('g').attr('class', 'edges');
  for (const e of edges) {
    const attempts = attemptsOf(e);
    const w = 1.3 + 3.2 * (Math.log10(1 + attempts) / Math.log10(1 + maxAttempts));
    const linkFaults = faults.links.get(`${e.from.name}->${e.to.name}`) ?? [];
    const g = gEdges.append('g').attr('class', `edge edge-${e.kind}${linkFaults.length ? ' faulted' : ''}${attempts === 0 ? ' idle' : ''}`);
    const d = edgePath(e);
    g.append('path')
      .attr('class', `mark edge-line edge-${e.kind}`)
      .attr('data-variant', v.index)
      .attr('d', d)
      .attr('stroke-width', w)
      .attr('marker-end', `url(#arrow-${linkFaults.length ? 'faulted' : e.kind})`);
    const [lx, ly] = labelPoint(e);
    const amp = ops > 0 ? attempts / ops : null;
    const label = g.append('text').attr('class', 'edge-label').attr('x', lx).attr('y', ly).attr('text-anchor', 'middle');
    label.text(attempts === 0 ? 'unused' : `${fmtTimes(amp)}${linkFaults.length ? ' ⚡' : ''}`);
    g.append('path')
      .attr('class', 'edge-hit')
      .attr('d', d)
      .on('pointermove', (event: PointerEvent) => showTip(event.clientX, event.clientY, edgeTitle(e), edgeTip(e, linkFaults)))
      .on('pointerleave', hideTip);
  }

  const gNodes = svg.append('g').attr('class', 'nodes');
  for (const n of nodes) {
    const nf = faults.nodes.get(n.id) ?? [];
    const g = gNodes
      .append('g')
      .attr('class', `node node-${n.kind}${nf.length ? ' faulted' : ''}`)
      .attr('transform', `translate(${n.x},${n.y})`);
    drawShape(g, n, v.index);
    g.append('text').attr('class', 'node-name').attr('x', NODE_W / 2).attr('y', 19).attr('text-anchor', 'middle').text(truncate(n.name, 19));
    g.append('text').attr('class', 'node-detail').attr('x', NODE_W / 2).attr('y', 34).attr('text-anchor', 'middle').text(truncate(n.detail, 27));
    if (nf.length) {
      g.append('text')
        .attr('class', 'fault-badge')
        .attr('x', NODE_W / 2)
        .attr('y', NODE_H + 13)
        .attr('text-anchor', 'middle')
        .text(truncate(`⚡ ${nf.join(' · ')}`, 30));
    }
    g.append('rect')
      .attr('class', 'node-hit')
      .attr('width', NODE_W)
      .attr('height', NODE_H)
      .on('pointermove', (event: PointerEvent) => showTip(event.clientX, event.clientY, n.name, nodeTip(n, nf)))
      .on('pointerleave', hideTip);
  }
}

function drawShape(g: d3.Selection<SVGGElement, unknown, null, undefined>, n: TopoNode, vi: number): void {
  if (n.kind === 'database') {
    const r = 6;
    const d = `M0,${r} A${NODE_W / 2},${r} 0 0 1 ${NODE_W},${r} L${NODE_W},${NODE_H - r} A${NODE_W / 2},${r} 0 0 1 0,${NODE_H - r} Z`;
    g.append('path').attr('class', 'mark node-shape').attr('data-variant', vi).attr('d', d);
    g.append('path').attr('class', 'node-rim').attr('d', `M0,${r} A${NODE_W / 2},${r} 0 0 0 ${NODE_W},${r}`);
    return;
  }
  if (n.kind === 'queue') {
    // A pipe lying on its side: messages go in on the left, come out on the right.
    const r = 7;
    const h = NODE_H / 2;
    const d = `M${r},0 H${NODE_W - r} A${r},${h} 0 0 1 ${NODE_W - r},${NODE_H} H${r} A${r},${h} 0 0 1 ${r},0 Z`;
    g.append('path').attr('class', 'mark node-shape').attr('data-variant', vi).attr('d', d);
    g.append('path').attr('class', 'node-rim').attr('d', `M${NODE_W - r},0 A${r},${h} 0 0 0 ${NODE_W - r},${NODE_H}`);
    return;
  }
  const rx = n.kind === 'traffic' ? NODE_H / 2 : 7;
  g.append('rect').attr('class', 'mark node-shape').attr('data-variant', vi).attr('width', NODE_W).attr('height', NODE_H).attr('rx', rx);
  if (n.kind === 'external') g.append('rect').attr('class', 'node-rim').attr('x', 3).attr('y', 3).attr('width', NODE_W - 6).attr('height', NODE_H - 6).attr('rx', 5);
}

function edgePath(e: TopoEdge): string {
  const a = e.from;
  const b = e.to;
  if (!e.back) {
    const x0 = a.x + NODE_W;
    const y0 = a.y + NODE_H / 2;
    const x1 = b.x - 2;
    const y1 = b.y + NODE_H / 2;
    const mx = (x0 + x1) / 2;
    return `M${x0},${y0} C${mx},${y0} ${mx},${y1} ${x1},${y1}`;
  }
  // Back to an earlier column (a queue feeding a service upstream): loop under the boxes.
  const x0 = a.x + NODE_W / 2;
  const y0 = a.y + NODE_H;
  const x1 = b.x + NODE_W / 2;
  const y1 = b.y + NODE_H + 2;
  const dip = Math.max(y0, y1) + 28;
  return `M${x0},${y0} C${x0},${dip} ${x1},${dip} ${x1},${y1}`;
}

function labelPoint(e: TopoEdge): [number, number] {
  if (!e.back) {
    const x0 = e.from.x + NODE_W;
    const x1 = e.to.x;
    const y0 = e.from.y + NODE_H / 2;
    const y1 = e.to.y + NODE_H / 2;
    return [(x0 + x1) / 2, (y0 + y1) / 2 - 5];
  }
  return [(e.from.x + e.to.x) / 2 + NODE_W / 2, Math.max(e.from.y, e.to.y) + NODE_H + 20];
}

function edgeTitle(e: TopoEdge): string {
  const kind = { call: 'synchronous call', publish: 'publish', delivery: 'delivery', client: 'user traffic' }[e.kind];
  return `${e.from.name} → ${e.to.name} (${kind})`;
}

function edgeTip(e: TopoEdge, linkFaults: string[]): TipRow[] {
  const rows: TipRow[] = [];
  for (const key of e.keys) {
    if (e.keys.length > 1) rows.push({ label: key, head: true });
    for (const v of visibleVariants()) {
      const c = v.result.calls[key];
      if (!c) continue;
      rows.push({ label: v.name, head: true, color: v.color });
      rows.push({ label: 'attempts', value: `${fmtCount(c.attempts)} (${fmtTimes(c.amplification)} per op)` });
      const extra: Array<[string, number]> = [
        ['retries', c.retries],
        ['hedges', c.hedges ?? 0],
        ['timeouts', c.timeouts],
        ['errors', c.errors],
        ['short-circuited (breaker)', c.shortCircuited],
        ['rejected', c.rejected],
        ['fallbacks', c.fallbacks],
        ['retry budget denied', c.budgetDenied],
        ['breaker opened', c.breakerOpened],
      ];
      rows.push({ label: 'succeeded', value: fmtCount(c.succeeded) });
      for (const [label, n] of extra) if (n > 0) rows.push({ label, value: fmtCount(n) });
    }
  }
  for (const f of linkFaults) rows.push({ label: `⚡ ${f}`, head: true });
  return rows;
}

function nodeTip(n: TopoNode, faults: string[]): TipRow[] {
  const rows: TipRow[] = [{ label: n.detail, head: true, muted: true }];
  for (const v of visibleVariants()) {
    if (n.kind === 'traffic') {
      const sum = v.result.summary;
      const target = v.result.topology.traffic.find((t) => t.name === n.name)?.target;
      rows.push({ label: v.name, head: true, color: v.color });
      if (target) rows.push({ label: 'calls', value: target });
      const many = v.result.topology.traffic.length > 1;
      rows.push({ label: many ? 'operations (all sources)' : 'operations', value: fmtCount(sum.requests) });
      rows.push({ label: 'availability', value: fmtPct(sum.availability) });
    } else if (n.kind === 'queue') {
      const q = v.result.queues[n.name];
      if (!q) continue;
      rows.push({ label: v.name, head: true, color: v.color });
      rows.push({ label: 'published', value: fmtCount(q.published) });
      rows.push({ label: 'delivered', value: fmtCount(q.delivered) });
      if (q.redelivered) rows.push({ label: 'redelivered', value: fmtCount(q.redelivered) });
      if (q.deadLettered) rows.push({ label: 'dead-lettered', value: fmtCount(q.deadLettered) });
      if (q.lost) rows.push({ label: 'lost', value: fmtCount(q.lost) });
      rows.push({ label: 'largest depth', value: fmtCount(q.maxDepth) });
      rows.push({ label: 'end-to-end p99', value: fmtMs(q.endToEndMs?.p99 ?? null) });
    } else {
      const s = v.result.services[n.name];
      if (!s) continue;
      rows.push({ label: v.name, head: true, color: v.color });
      rows.push({ label: 'received', value: `${fmtCount(s.received)} (${fmtTimes(s.amplification)} per op)` });
      rows.push({ label: 'failed', value: fmtCount(s.failed) });
      if (s.rejected) rows.push({ label: 'rejected (queue full)', value: fmtCount(s.rejected) });
      if (s.shed) rows.push({ label: 'shed (waited too long)', value: fmtCount(s.shed) });
      if (s.refused) rows.push({ label: 'refused (down)', value: fmtCount(s.refused) });
      if (s.lostInQueue) rows.push({ label: 'lost in queue (went down)', value: fmtCount(s.lostInQueue) });
      if (s.unfinished) rows.push({ label: 'unfinished at the end', value: fmtCount(s.unfinished) });
      rows.push({ label: 'utilization', value: fmtPct(s.utilization) });
      rows.push({ label: 'mean work', value: fmtMs(s.meanWorkMs) });
    }
  }
  for (const f of faults) rows.push({ label: `⚡ ${f}`, head: true, color: OKABE_ITO.vermillion });
  return rows;
}
