import { bestValues, COLUMNS, deltaDirection, type Column } from './columns.js';
import { append, el, section } from './dom.js';
import { fmtMs, plural } from './format.js';
import { swatchSvg } from './legend.js';
import { isVisible, on, state } from './state.js';
import { hideTip, showTip, type TipRow } from './tooltip.js';
import type { Variant } from './types.js';

/**
 * The comparison: a card per variant (the headline numbers), then the full table — the same
 * columns as the terminal table, the best value per column marked ★, and each variant's
 * paired difference against the baseline with its significance.
 */
export function renderComparison(parent: Element): void {
  const s = section(
    parent,
    'comparison',
    'Comparison',
    'Each variant ran on the same random numbers as the baseline. Deltas are paired differences over the replications; * marks a difference whose 95% interval excludes zero, n.s. one that could be noise.',
  );
  const cards = el('div', { class: 'cards' });
  s.appendChild(cards);
  const best = bestValues(state.variants);
  for (const v of state.variants) cards.appendChild(card(v, best));

  const wrap = el('div', { class: 'table-wrap' });
  const table = el('table', { class: 'comparison-table', id: 'comparison-table' });
  const thead = el('thead');
  const hr = el('tr');
  hr.appendChild(el('th', { scope: 'col' }, 'variant'));
  for (const col of COLUMNS) {
    const th = el('th', { scope: 'col', class: 'num', title: col.help }, col.title);
    hr.appendChild(th);
  }
  thead.appendChild(hr);
  table.appendChild(thead);
  const tbody = el('tbody');
  for (const v of state.variants) tbody.appendChild(row(v, best));
  table.appendChild(tbody);
  wrap.appendChild(table);
  s.appendChild(wrap);
  const notes = el('p', { class: 'table-notes' });
  append(
    notes,
    '★ best value in its column (not marked when every variant ties). ',
    'Recovery: time from a fault’s end until the success rate is back within tolerance of its pre-fault level and holds; “not recovered” means it had not by the end of the run — a metastable failure; “too short to tell” means the run ended less than the hold after the fault.',
  );
  s.appendChild(notes);

  const sync = () => {
    for (const e of Array.from(s.querySelectorAll<HTMLElement>('[data-variant-row]'))) e.classList.toggle('off', !isVisible(Number(e.dataset.variantRow)));
  };
  on('visibility', sync);
}

function card(v: Variant, best: Array<number | null>): HTMLElement {
  const c = el('article', { class: 'card', 'data-variant-row': v.index });
  c.style.borderTopColor = v.color;
  const head = el('div', { class: 'card-head' });
  append(head, swatchSvg(v), el('h3', {}, v.name));
  c.appendChild(head);
  const desc = v.result.description?.trim() || (v.index === 0 ? 'The scenario as written.' : '');
  if (desc) c.appendChild(el('p', { class: 'card-desc' }, desc));
  const [availability, ...rest] = COLUMNS;
  const big = el('div', { class: 'card-big' });
  big.appendChild(metric(v, availability, best[0], true));
  c.appendChild(big);
  const grid = el('div', { class: 'card-grid' });
  rest.forEach((col, i) => grid.appendChild(metric(v, col, best[i + 1], false)));
  c.appendChild(grid);
  return c;
}

function metric(v: Variant, col: Column, best: number | null, big: boolean): HTMLElement {
  const m = el('div', { class: `metric metric-${col.id}${big ? ' metric-big' : ''}` });
  m.appendChild(el('div', { class: 'metric-label', title: col.help }, col.title));
  const value = el('div', { class: 'metric-value' }, col.show(v.result));
  if (isBest(v, col, best)) value.appendChild(el('span', { class: 'best', title: 'best in this column' }, ' ★'));
  if (col.id === 'recovery' && col.value(v.result) === Infinity) value.classList.add('bad');
  m.appendChild(value);
  const sub = col.sub?.(v.result);
  if (sub) m.appendChild(el('div', { class: 'metric-sub' }, sub));
  const d = deltaChip(v, col);
  if (d) m.appendChild(d);
  if (col.id === 'recovery') attachRecoveryTip(m, v);
  return m;
}

function isBest(v: Variant, col: Column, best: number | null): boolean {
  return best !== null && col.value(v.result) === best;
}

function row(v: Variant, best: Array<number | null>): HTMLTableRowElement {
  const tr = el('tr', { 'data-variant-row': v.index });
  const name = el('th', { scope: 'row', class: 'variant-name' });
  append(name, swatchSvg(v, 20), ' ', v.name);
  tr.appendChild(name);
  COLUMNS.forEach((col, i) => {
    const td = el('td', { class: `num col-${col.id}` });
    const value = el('div', { class: 'cell-value' }, col.show(v.result));
    if (isBest(v, col, best[i])) {
      td.classList.add('is-best');
      value.appendChild(el('span', { class: 'best', title: 'best in this column' }, ' ★'));
    }
    if (col.id === 'recovery' && col.value(v.result) === Infinity) value.classList.add('bad');
    td.appendChild(value);
    const sub = col.sub?.(v.result);
    if (sub) td.appendChild(el('div', { class: 'cell-sub' }, sub));
    const d = deltaChip(v, col);
    if (d) td.appendChild(d);
    if (col.id === 'recovery') attachRecoveryTip(td, v);
    tr.appendChild(td);
  });
  return tr;
}

/** "−19.8pp *": the paired delta vs the baseline, coloured by direction when significant. */
function deltaChip(v: Variant, col: Column): HTMLElement | null {
  if (v.result.vsBaseline === null || !col.delta) return null;
  const x = col.delta(v.result);
  if (!x) return null;
  const dir = deltaDirection(col, x.d);
  const sig = x.d.significant;
  const cls = sig === true ? `delta sig ${dir}` : 'delta ns';
  const chip = el('div', { class: cls });
  const arrow = sig === true && dir !== 'same' ? (dir === 'better' ? '▲ ' : '▼ ') : '';
  append(chip, arrow, x.text, el('span', { class: 'sig-mark' }, sig === true ? ' *' : sig === false ? ' n.s.' : ''));
  chip.addEventListener('mousemove', (e) => {
    const rows: TipRow[] = [{ label: 'paired difference', value: x.text }];
    if (x.d.ci95 && col.deltaUnit) rows.push({ label: '95% interval', value: `${col.deltaUnit(x.d.ci95[0])} … ${col.deltaUnit(x.d.ci95[1])}` });
    rows.push({
      label: sig === null ? 'one replication: no significance test' : sig ? 'significant: the interval excludes 0' : 'not significant: the interval includes 0',
      head: true,
      muted: true,
    });
    if (sig === true && dir !== 'same') rows.push({ label: dir === 'better' ? 'better than the baseline' : 'worse than the baseline', head: true });
    showTip(e.clientX, e.clientY, `${v.name} vs baseline · ${col.title}`, rows);
  });
  chip.addEventListener('mouseleave', hideTip);
  return chip;
}

function attachRecoveryTip(e: HTMLElement, v: Variant): void {
  const rec = v.result.summary.recovery;
  if (rec.length === 0) return;
  e.addEventListener('mousemove', (ev) => {
    showTip(
      ev.clientX,
      ev.clientY,
      `${v.name}: recovery per fault`,
      rec.map((r) => ({
        label: r.fault,
        value: r.undetermined
          ? 'too short to tell (the run ended less than the recovery hold after it)'
          : r.recoveredAfterMs === null
            ? `not recovered (${r.recoveredRuns} of ${plural(r.runs, 'run')} did)`
            : `${fmtMs(r.recoveredAfterMs)} after it ended`,
      })),
    );
  });
  e.addEventListener('mouseleave', hideTip);
}
