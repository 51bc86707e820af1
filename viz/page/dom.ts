/**
 * DOM helpers. Every string that comes from the results (scenario titles, names, descriptions)
 * reaches the page through textContent or setAttribute — never innerHTML — so a scenario
 * cannot inject markup or script.
 */

type Attrs = Record<string, string | number | boolean | null | undefined>;

/** Creates an HTML element with attributes and text (as text). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, text?: string | null): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    e.setAttribute(k, v === true ? '' : String(v));
  }
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

/** Appends children (elements or text, as text) and returns the parent. */
export function append(parent: Element, ...children: Array<Node | string | null | undefined | false>): Element {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return parent;
}

/** A report section: a heading, an optional explanation, and a body to fill. */
export function section(parent: Element, id: string, title: string, intro?: string): HTMLElement {
  const s = el('section', { id, class: 'section' });
  s.appendChild(el('h2', {}, title));
  if (intro) s.appendChild(el('p', { class: 'intro' }, intro));
  parent.appendChild(s);
  return s;
}

/** A note shown where a chart would be when the results have nothing to draw. */
export function emptyNote(parent: Element, text: string): HTMLElement {
  const n = el('p', { class: 'empty-note' }, text);
  parent.appendChild(n);
  return n;
}

/** The width available to a chart inside its container, with a sensible floor. */
export function widthOf(e: Element, fallback = 900): number {
  const w = (e as HTMLElement).clientWidth;
  return Math.max(280, Math.floor(w > 0 ? w : fallback));
}
