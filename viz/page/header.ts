import { append, el } from './dom.js';
import { fmtCount, fmtMs, plural } from './format.js';
import type { Results } from './types.js';

/**
 * The header: what the scenario is, the lesson it teaches (the takeaway folded, so a workshop
 * can guess first), and everything needed to reproduce the numbers.
 */
export function renderHeader(parent: Element, results: Results): void {
  const s = results.scenario;
  const header = el('header', { class: 'report-header', id: 'header' });
  const kicker = el('div', { class: 'kicker' });
  append(kicker, el('span', { class: 'brand' }, 'faultline'), ' report · ', el('span', { class: 'scenario-name' }, s.name));
  header.appendChild(kicker);
  header.appendChild(el('h1', { id: 'title' }, s.title || s.name));
  if (s.description) header.appendChild(el('p', { class: 'description', id: 'description' }, s.description.trim()));

  if (s.lesson) {
    const lesson = el('div', { class: 'lesson', id: 'lesson' });
    const q = el('div', { class: 'lesson-part lesson-question' });
    append(q, el('div', { class: 'lesson-label' }, 'Question'), el('p', {}, s.lesson.question.trim()));
    const look = el('div', { class: 'lesson-part lesson-look' });
    append(look, el('div', { class: 'lesson-label' }, 'What to look for'), el('p', {}, s.lesson.lookFor.trim()));
    const take = el('details', { class: 'lesson-part lesson-takeaway' });
    const summary = el('summary', { class: 'lesson-label' }, 'Takeaway ');
    summary.appendChild(el('span', { class: 'reveal-hint' }, '(click to reveal)'));
    append(take, summary, el('p', {}, s.lesson.takeaway.trim()));
    append(lesson, q, look, take);
    header.appendChild(lesson);
  }

  const meta = el('dl', { class: 'meta' });
  const ops = results.variants[0]?.summary.requests ?? 0;
  const perRep = s.replications > 0 ? Math.round(ops / s.replications) : ops;
  const items: Array<[string, string]> = [
    ['seed', String(s.seed)],
    ['replications', String(s.replications)],
    ['simulated', `${fmtMs(s.durationMs)}${s.warmupMs > 0 ? ` (warm-up ${fmtMs(s.warmupMs)})` : ''}`],
    ['operations', `${fmtCount(perRep)} per run`],
    ['variants', String(results.variants.length)],
    ['scenario file', s.file],
    ['faultline', results.tool.version],
  ];
  for (const [k, v] of items) append(meta, el('dt', {}, k), el('dd', {}, v));
  header.appendChild(meta);

  const repro = el('div', { class: 'reproduce' });
  const code = el('code', { id: 'command' }, results.run?.command ?? `faultline run ${s.file}`);
  const copy = el('button', { type: 'button', class: 'copy', title: 'Copy the command' }, 'Copy');
  copy.addEventListener('click', () => copyText(code, copy));
  append(repro, el('span', { class: 'reproduce-label' }, 'Reproduce:'), code, copy);
  header.appendChild(repro);

  const warnings: string[] = [];
  for (const v of results.variants) {
    if (v.stop.truncatedRuns > 0) warnings.push(`${v.name}: ${plural(v.stop.truncatedRuns, 'run')} stopped at the event budget before draining; its numbers are incomplete.`);
  }
  if (s.replications === 1 && results.variants.length > 1) {
    warnings.push('One replication: no confidence intervals and no significance tests. Run with --replications 5 or more to tell real differences from noise.');
  }
  for (const w of warnings) header.appendChild(el('p', { class: 'warning' }, w));
  parent.appendChild(header);
}

/** Copies the command; file:// pages may not have the clipboard API, so fall back to selecting it. */
function copyText(code: HTMLElement, button: HTMLButtonElement): void {
  const done = (ok: boolean) => {
    button.textContent = ok ? 'Copied' : 'Select + copy';
  };
  const select = () => {
    const range = document.createRange();
    range.selectNodeContents(code);
    const sel = window.getSelection();
    sel?.removeAllRanges();
    sel?.addRange(range);
    done(false);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(code.textContent ?? '').then(() => done(true), select);
  } else select();
}
