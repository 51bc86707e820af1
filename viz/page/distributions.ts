import { cdfChart } from './distCdf.js';
import { amplificationChart, effectsChart } from './distBars.js';
import { el, emptyNote, section } from './dom.js';
import { state } from './state.js';

/** Distributions: the latency CDF, amplification per service, effects and their duplicates. */
export function renderDistributions(parent: Element): void {
  const s = section(parent, 'distributions', 'Distributions', 'Whole-run distributions, over every replication.');
  cdfChart(s);
  const grid = el('div', { class: 'two-up' });
  s.appendChild(grid);
  const left = el('div');
  const right = el('div');
  grid.append(left, right);
  amplificationChart(left, state.variants);
  if (!effectsChart(right, state.variants)) {
    right.appendChild(el('h3', { class: 'subhead' }, 'Side effects'));
    emptyNote(right, 'No endpoint in this scenario declares an effect, so nothing can be processed twice.');
  }
}
