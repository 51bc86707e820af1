import { trafficOf } from './data.js';
import { el, emptyNote, section } from './dom.js';
import { fmtClock, fmtMs } from './format.js';
import { autoResolution, resolutionChoices } from './rebucket.js';
import { on, setResolution, setWindow, state } from './state.js';
import { setTimeAxis } from './timeline.js';
import { availabilityChart } from './tlAvailability.js';
import { breakerCharts } from './tlBreakers.js';
import { serviceHeatCharts } from './tlHeat.js';
import { latencyChart } from './tlLatency.js';
import { operationsCharts } from './tlOperations.js';
import { queueCharts } from './tlQueues.js';
import type { Results } from './types.js';

/** The timelines: every chart over simulated time, sharing one axis, window, resolution and crosshair. */
export function renderTimelines(parent: Element, results: Results): void {
  const variants = state.variants;
  const t0 = variants[0].result.timeline;
  setTimeAxis({ bucketMs: t0.bucketMs, buckets: t0.buckets, warmupMs: results.scenario.warmupMs, faults: t0.faults });
  const s = section(
    parent,
    'timelines',
    'Timelines',
    'Simulated time on every axis, averaged over the replications. Shaded: the fault windows (and the unmeasured warm-up). Hover for values — the crosshair follows in every chart; drag across a chart to zoom all of them, double-click to zoom out.',
  );

  // The resolution: by default, enough operations per point to see through the noise.
  const all = trafficOf(t0).all;
  const opsPerBucket = all.length ? (all.reduce((a, b) => a + b, 0) / all.length) * (t0.bucketMs / 1000) : 0;
  state.resolution = autoResolution(t0.buckets, opsPerBucket);

  const bar = el('div', { class: 'zoom-bar' });
  const label = el('span', { class: 'zoom-label' });
  const reset = el('button', { type: 'button', class: 'zoom-reset' }, 'Show the whole run');
  reset.addEventListener('click', () => setWindow(null));
  const resLabel = el('label', { class: 'resolution' }, 'One point per ');
  const select = el('select', { class: 'resolution-select', 'aria-label': 'Timeline resolution' });
  for (const k of resolutionChoices(t0.buckets)) {
    const opt = el('option', { value: k }, `${fmtMs(k * t0.bucketMs)}${k === 1 ? ' (as recorded)' : ''}`);
    if (k === state.resolution) opt.selected = true;
    select.appendChild(opt);
  }
  select.addEventListener('change', () => setResolution(Number(select.value)));
  resLabel.appendChild(select);
  bar.append(label, reset, resLabel);
  s.appendChild(bar);
  const syncZoom = () => {
    const [a, b] = state.window;
    const full = a === state.fullWindow[0] && b === state.fullWindow[1];
    label.textContent = full ? `Whole run: ${fmtClock(a)} – ${fmtClock(b)}` : `Zoomed: ${fmtClock(a)} – ${fmtClock(b)}`;
    reset.hidden = full;
  };
  syncZoom();
  on('window', syncZoom);

  const ops = el('div', { class: 'stack' });
  s.appendChild(ops);
  operationsCharts(ops, variants);
  availabilityChart(s);
  latencyChart(s);
  serviceHeatCharts(s, variants);

  s.appendChild(el('h3', { class: 'subhead' }, 'Circuit breakers'));
  const breakers = el('div', { class: 'stack' });
  s.appendChild(breakers);
  if (breakerCharts(breakers, variants) === 0) emptyNote(breakers, 'No call in this scenario has a circuit breaker.');

  const queues = el('div', { class: 'stack' });
  s.appendChild(queues);
  if (queueCharts(queues, variants) === 0) {
    queues.appendChild(el('h3', { class: 'subhead' }, 'Message queues'));
    emptyNote(queues, 'No message queues in this scenario: every step is a synchronous call.');
  }
}
