import { d3 } from './d3.js';
import { append, el } from './dom.js';
import { FAULT_FILL, FAULT_STROKE } from './palette.js';
import { isVisible, on, setVisible, solo, state } from './state.js';
import { hideTip, showTip } from './tooltip.js';
import type { Variant } from './types.js';

/** A small line sample: the variant's colour and dash, as drawn in the charts. */
export function swatchSvg(v: Variant, width = 26): SVGSVGElement {
  const svg = d3.create('svg').attr('class', 'line-swatch').attr('width', width).attr('height', 10).attr('aria-hidden', 'true');
  svg.append('line').attr('x1', 1).attr('x2', width - 1).attr('y1', 5).attr('y2', 5).attr('stroke', v.color).attr('stroke-width', 3).attr('stroke-dasharray', v.dash);
  return svg.node()!;
}

/**
 * The variant legend, sticky at the top: each entry toggles its variant in every chart
 * (click), or shows it alone (double-click, or Alt+click).
 */
export function renderLegend(parent: Element): void {
  const bar = el('nav', { class: 'legend', id: 'legend', 'aria-label': 'Variants' });
  const list = el('div', { class: 'legend-items' });
  append(bar, el('span', { class: 'legend-title' }, 'Variants'), list);
  for (const v of state.variants) {
    const b = el('button', { type: 'button', class: 'legend-item', 'data-variant-toggle': v.index, 'aria-pressed': 'true' });
    append(b, swatchSvg(v), el('span', { class: 'legend-name' }, v.name));
    b.addEventListener('click', (e) => {
      if (e.altKey) solo(v.index);
      else setVisible(v.index, !isVisible(v.index));
    });
    b.addEventListener('dblclick', (e) => {
      e.preventDefault();
      solo(v.index);
    });
    b.addEventListener('mousemove', (e) => {
      const d = v.result.description ? v.result.description.trim() : v.index === 0 ? 'The scenario as written.' : '';
      showTip(e.clientX, e.clientY, v.name, [
        ...(d ? [{ label: d, head: true }] : []),
        { label: 'click: show / hide · double-click: only this one', muted: true, head: true },
      ]);
    });
    b.addEventListener('mouseleave', hideTip);
    list.appendChild(b);
  }
  const keys = el('div', { class: 'legend-keys' });
  const fault = el('span', { class: 'legend-key' });
  const box = el('span', { class: 'fault-swatch' });
  box.style.background = FAULT_FILL;
  box.style.borderColor = FAULT_STROKE;
  append(fault, box, 'fault window');
  const warm = el('span', { class: 'legend-key' });
  append(warm, el('span', { class: 'warmup-swatch' }), 'warm-up (not measured)');
  append(keys, fault, warm);
  bar.appendChild(keys);
  parent.appendChild(bar);

  const sync = () => {
    for (const b of Array.from(list.querySelectorAll<HTMLButtonElement>('.legend-item'))) {
      const i = Number(b.dataset.variantToggle);
      b.setAttribute('aria-pressed', String(isVisible(i)));
      b.classList.toggle('off', !isVisible(i));
    }
  };
  on('visibility', sync);
}
