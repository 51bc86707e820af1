import type { VariantResult } from './types.js';

/**
 * A layered layout of the system: traffic sources on the left, then each service one column
 * right of its furthest caller (the longest path), queues between publisher and consumer.
 * Rows are ordered by the mean row of their callers (two barycentre sweeps) to untangle lines.
 * Deterministic: the same topology always gives the same picture.
 */
export type NodeKind = 'traffic' | 'queue' | 'service' | 'database' | 'cache' | 'external';

export interface TopoNode {
  id: string;
  name: string;
  kind: NodeKind;
  detail: string;
  layer: number;
  row: number;
  x: number;
  y: number;
}

export interface TopoEdge {
  id: string;
  from: TopoNode;
  to: TopoNode;
  kind: 'call' | 'publish' | 'delivery' | 'client';
  /** The call sites (caller->service.endpoint) this line stands for. */
  keys: string[];
  back: boolean;
}

export const NODE_W = 150;
export const NODE_H = 46;
export const COL_W = 192;
export const ROW_H = 74;

export function layoutTopology(v: VariantResult): { nodes: TopoNode[]; edges: TopoEdge[]; width: number; height: number } {
  const topo = v.topology;
  const nodes = new Map<string, TopoNode>();
  const add = (id: string, name: string, kind: NodeKind, detail: string) => {
    if (!nodes.has(id)) nodes.set(id, { id, name, kind, detail, layer: 0, row: 0, x: 0, y: 0 });
  };
  for (const t of topo.traffic) add(`t:${t.name}`, t.name, 'traffic', `${t.arrivals} arrivals`);
  for (const s of topo.services) {
    const kind = (['database', 'cache', 'external'].includes(s.kind) ? s.kind : 'service') as NodeKind;
    add(`s:${s.name}`, s.name, kind, `${s.kind === 'service' ? '' : `${s.kind} · `}${s.instances} × ${s.concurrency} workers`);
  }
  for (const q of topo.queues) add(`q:${q.name}`, q.name, 'queue', `queue · ${q.delivery}`);
  const idOf = (name: string, kind: 'from' | 'to', edgeKind: TopoEdge['kind']): string => {
    if (edgeKind === 'client' && kind === 'from') return `t:${name}`;
    if (edgeKind === 'delivery' && kind === 'from') return `q:${name}`;
    if (edgeKind === 'publish' && kind === 'to') return `q:${name}`;
    return `s:${name}`;
  };

  const grouped = new Map<string, { from: string; to: string; kind: TopoEdge['kind']; keys: string[] }>();
  for (const e of topo.edges) {
    const from = idOf(e.from, 'from', e.kind);
    const to = idOf(e.to, 'to', e.kind);
    if (!nodes.has(from) || !nodes.has(to)) continue;
    const id = `${from}|${to}|${e.kind}`;
    const g = grouped.get(id);
    if (g) g.keys.push(e.key);
    else grouped.set(id, { from, to, kind: e.kind, keys: [e.key] });
  }

  // Longest-path layers, relaxed at most |nodes| times (a publish/consume loop cannot spin).
  const list = [...nodes.values()];
  for (const n of list) n.layer = n.kind === 'traffic' ? 0 : 1;
  const gEdges = [...grouped.values()];
  for (let round = 0; round < list.length; round++) {
    let changed = false;
    for (const e of gEdges) {
      const a = nodes.get(e.from)!;
      const b = nodes.get(e.to)!;
      if (b.kind === 'traffic') continue;
      if (b.layer < a.layer + 1 && a.layer + 1 <= list.length) {
        b.layer = a.layer + 1;
        changed = true;
      }
    }
    if (!changed) break;
  }
  // A node nothing leads to (a queue no variant of this one publishes to) sits just left of
  // what it feeds, rather than in the first column with a long line across the picture.
  for (const n of list) {
    if (n.kind === 'traffic' || gEdges.some((e) => e.to === n.id)) continue;
    const next = gEdges.filter((e) => e.from === n.id).map((e) => nodes.get(e.to)!.layer);
    if (next.length > 0) n.layer = Math.max(1, Math.min(...next) - 1);
  }
  // Close the gaps a cycle or an unreached node may leave.
  const used = [...new Set(list.map((n) => n.layer))].sort((a, b) => a - b);
  for (const n of list) n.layer = used.indexOf(n.layer);
  const layers: TopoNode[][] = used.map(() => []);
  for (const n of list) layers[n.layer].push(n);

  const order = new Map(list.map((n, i) => [n.id, i]));
  for (const layer of layers) layer.forEach((n, i) => (n.row = i));
  const preds = (n: TopoNode) => gEdges.filter((e) => e.to === n.id).map((e) => nodes.get(e.from)!).filter((p) => p.layer < n.layer);
  for (let sweep = 0; sweep < 2; sweep++) {
    for (const layer of layers.slice(1)) {
      const bary = new Map<string, number>();
      for (const n of layer) {
        const ps = preds(n);
        bary.set(n.id, ps.length ? ps.reduce((a, p) => a + p.row, 0) / ps.length : n.row);
      }
      layer.sort((a, b) => bary.get(a.id)! - bary.get(b.id)! || order.get(a.id)! - order.get(b.id)!);
      layer.forEach((n, i) => (n.row = i));
    }
  }
  const maxRows = Math.max(1, ...layers.map((l) => l.length));
  const height = maxRows * ROW_H + 30;
  for (const layer of layers) {
    const offset = ((maxRows - layer.length) * ROW_H) / 2;
    layer.forEach((n, i) => {
      n.row = i;
      n.x = 16 + n.layer * COL_W;
      n.y = 14 + offset + i * ROW_H;
    });
  }
  const width = 32 + (layers.length - 1) * COL_W + NODE_W;
  const edges: TopoEdge[] = gEdges.map((e) => {
    const from = nodes.get(e.from)!;
    const to = nodes.get(e.to)!;
    return { id: `${e.from}|${e.to}|${e.kind}`, from, to, kind: e.kind, keys: e.keys, back: to.layer <= from.layer };
  });
  return { nodes: list, edges, width, height };
}
