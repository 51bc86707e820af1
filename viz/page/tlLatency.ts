import { trafficOf } from './data.js';
import { fmtMs } from './format.js';
import { el, emptyNote } from './dom.js';
import { state, visibleVariants } from './state.js';
import { timelineChart } from './timeline.js';

/** p99 (bold) and p50 (thin) latency per bucket, log axis, a pair of lines per variant. */
export function latencyChart(parent: Element): void {
  const any = state.variants.some((v) => v.result.timeline.p99Ms.some((x) => x !== null));
  if (!any) {
    parent.appendChild(el('h3', { class: 'subhead' }, 'Latency per interval'));
    emptyNote(parent, 'No operation succeeded in any variant: there is no latency to show.');
    return;
  }
  timelineChart(parent, {
    id: 'latency',
    title: 'Latency per interval',
    note: 'p99 bold · p50 thin · successful operations · log scale · coarser points average the recorded percentiles',
    height: 190,
    y: 'log',
    format: fmtMs,
    series: () =>
      visibleVariants().flatMap((v) => [
        { vi: v.index, label: `${v.name} p99`, values: v.result.timeline.p99Ms, weights: trafficOf(v.result.timeline).served, color: v.color, dash: v.dash, width: 2.2 },
        { vi: v.index, label: `${v.name} p50`, values: v.result.timeline.p50Ms, weights: trafficOf(v.result.timeline).served, color: v.color, dash: v.dash, width: 1.1, opacity: 0.6 },
      ]),
  });
}
