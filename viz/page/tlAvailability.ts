import { trafficOf } from './data.js';
import { fmtPct, fmtPctTick } from './format.js';
import { visibleVariants } from './state.js';
import { timelineChart } from './timeline.js';

/** Availability per bucket, a line per variant; the axis zooms in when everything stays near 100%. */
export function availabilityChart(parent: Element): void {
  timelineChart(parent, {
    id: 'availability',
    title: 'Availability per interval',
    note: 'succeeded (degraded included) / arrived, per bucket',
    height: 170,
    y: 'linear',
    yMax: 1,
    zoomY: true,
    showFaultLabels: true,
    format: fmtPct,
    axisFormat: fmtPctTick,
    series: () =>
      visibleVariants().map((v) => ({ vi: v.index, label: v.name, values: v.result.timeline.availability, weights: trafficOf(v.result.timeline).all, color: v.color, dash: v.dash, width: 2 })),
  });
}
