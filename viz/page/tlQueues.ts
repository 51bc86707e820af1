import { unionKeys } from './data.js';
import { el } from './dom.js';
import { fmtMs, fmtNumber, fmtTick } from './format.js';
import { visibleVariants } from './state.js';
import { timelineChart } from './timeline.js';
import type { Variant } from './types.js';

/** Per message queue: its depth, the dead letters so far, and how old its oldest message is. */
export function queueCharts(parent: Element, variants: Variant[]): number {
  const queues = unionKeys(variants, (v) => v.result.timeline.queues);
  for (const name of queues) {
    const group = el('div', { class: 'small-multiples three' });
    parent.appendChild(el('h3', { class: 'subhead' }, `Queue ${name}`));
    parent.appendChild(group);
    const withQueue = () => visibleVariants().filter((v) => v.result.timeline.queues[name]);
    timelineChart(group, {
      id: `mq-depth-${name}`,
      title: 'depth',
      note: 'messages waiting (largest per bucket)',
      height: 130,
      y: 'linear',
      format: fmtNumber,
      axisFormat: fmtTick,
      series: () => withQueue().map((v) => ({ vi: v.index, label: v.name, values: v.result.timeline.queues[name].depth, agg: 'max', color: v.color, dash: v.dash })),
      area: true,
    });
    timelineChart(group, {
      id: `mq-dead-${name}`,
      title: 'dead letters',
      note: 'cumulative, per run',
      height: 130,
      y: 'linear',
      format: fmtNumber,
      series: () => withQueue().map((v) => ({ vi: v.index, label: v.name, values: cumulative(v.result.timeline.queues[name].deadLetters), agg: 'last', color: v.color, dash: v.dash })),
    });
    timelineChart(group, {
      id: `mq-lag-${name}`,
      title: 'consumer lag',
      note: 'age of the oldest waiting message',
      height: 130,
      y: 'linear',
      format: fmtMs,
      series: () => withQueue().map((v) => ({ vi: v.index, label: v.name, values: v.result.timeline.queues[name].lagMs, agg: 'max', color: v.color, dash: v.dash })),
    });
  }
  return queues.length;
}

const cache = new WeakMap<number[], number[]>();

function cumulative(xs: number[]): number[] {
  let out = cache.get(xs);
  if (!out) {
    let sum = 0;
    out = xs.map((x) => (sum += x ?? 0));
    cache.set(xs, out);
  }
  return out;
}
