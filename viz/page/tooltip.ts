import { el } from './dom.js';

/**
 * One tooltip for the whole page. Its content is rows of text (label, value, optional colour
 * swatch), always set as text.
 */
export interface TipRow {
  label: string;
  value?: string;
  color?: string;
  dash?: string;
  /** A row that heads a group (bold, spans both columns). */
  head?: boolean;
  muted?: boolean;
}

let tip: HTMLDivElement | null = null;

function ensure(): HTMLDivElement {
  if (tip === null) {
    tip = el('div', { class: 'tooltip', role: 'tooltip', 'aria-hidden': 'true' });
    document.body.appendChild(tip);
  }
  return tip;
}

export function showTip(clientX: number, clientY: number, title: string, rows: TipRow[]): void {
  const t = ensure();
  t.replaceChildren();
  if (title) t.appendChild(el('div', { class: 'tip-title' }, title));
  if (rows.length > 0) {
    const table = el('table');
    for (const r of rows) {
      const tr = el('tr', { class: r.head ? 'tip-head' : r.muted ? 'tip-muted' : null });
      const th = el('th');
      if (r.color) {
        const sw = el('span', { class: 'swatch' });
        sw.style.background = r.color;
        th.appendChild(sw);
      }
      th.appendChild(document.createTextNode(r.label));
      tr.appendChild(th);
      if (r.head) th.colSpan = 2;
      else tr.appendChild(el('td', {}, r.value ?? ''));
      table.appendChild(tr);
    }
    t.appendChild(table);
  }
  t.classList.add('visible');
  // Keep it on screen: flip to the left / above the pointer near the edges.
  const pad = 14;
  const w = t.offsetWidth;
  const h = t.offsetHeight;
  let x = clientX + pad;
  let y = clientY + pad;
  if (x + w > window.innerWidth - 4) x = Math.max(4, clientX - pad - w);
  if (y + h > window.innerHeight - 4) y = Math.max(4, clientY - pad - h);
  t.style.left = `${x + window.scrollX}px`;
  t.style.top = `${y + window.scrollY}px`;
}

export function hideTip(): void {
  if (tip !== null) tip.classList.remove('visible');
}
