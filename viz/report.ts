import type { Results } from '../sim/run/results.js';

/** JSON that cannot close its <script> element, or open a comment, whatever the strings hold. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The HTML report (placeholder page until the D3 report lands). */
export function renderReport(results: Results): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>faultline report</title></head><body><script type="application/json" id="results">${embedJson(results)}</script></body></html>`;
}
