import { el } from './dom.js';

/**
 * The figure every chart lives in: a title, an optional note, and the svg. `data-chart` names
 * it (tests and people use it), `.mark` marks what it draws from the data.
 */
export interface Figure {
  figure: HTMLElement;
  body: HTMLElement;
}

let counter = 0;

/** A unique, deterministic id for svg defs (clip paths, patterns): the page builds charts in a fixed order. */
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix.replace(/[^A-Za-z0-9_-]/g, '_')}-${counter}`;
}

/** Colour keys in a chart's caption (what the fills mean). */
export function captionKeys(fig: HTMLElement, keys: Array<{ label: string; color: string }>): void {
  const cap = fig.querySelector('figcaption');
  if (!cap) return;
  const box = el('span', { class: 'caption-keys' });
  for (const k of keys) {
    const key = el('span', { class: 'legend-key' });
    const sw = el('span', { class: 'swatch' });
    sw.style.background = k.color;
    key.append(sw, k.label);
    box.appendChild(key);
  }
  cap.appendChild(box);
}

export function figure(parent: Element, chartId: string, title: string, note?: string, extraClass = ''): Figure {
  const f = el('figure', { class: `chart ${extraClass}`.trim(), 'data-chart': chartId });
  const cap = el('figcaption');
  cap.appendChild(el('span', { class: 'chart-title' }, title));
  if (note) cap.appendChild(el('span', { class: 'chart-note' }, note));
  f.appendChild(cap);
  const body = el('div', { class: 'chart-body' });
  f.appendChild(body);
  parent.appendChild(f);
  return { figure: f, body };
}
