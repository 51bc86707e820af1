import { createHash } from 'node:crypto';
import type { Results } from '../sim/run/results.js';
import { d3Script, pageScript } from './assets.js';
import { STYLES } from './styles.js';

/**
 * The HTML report: one self-contained file. d3 and the page code are inlined, the results
 * are embedded as JSON, and the page draws everything from them in the browser. It works
 * offline from file:// and cannot reach the network: its Content-Security-Policy allows no
 * connection and runs only the two scripts it ships (by hash). Deterministic: the same results
 * give the same bytes (no timestamps, no random ids).
 */

/** JSON that cannot close its <script> element, or open a comment, whatever the strings hold. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Inline code must not end its own element early; d3 and the page code never should. */
function inlineSafe(name: string, code: string): string {
  if (/<\/(script|style)/i.test(code) || code.includes('<!--')) throw new Error(`${name} cannot be inlined: it contains </script>, </style> or <!--`);
  return code;
}

const hash = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

export function renderReport(results: Results): string {
  const d3 = inlineSafe('d3', d3Script());
  const page = inlineSafe('the page code', pageScript());
  const css = inlineSafe('the stylesheet', STYLES);
  const csp = [
    "default-src 'none'",
    `script-src ${hash(d3)} ${hash(page)}`,
    `style-src ${hash(css)}`,
    'img-src data: blob:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const title = `${results.scenario.title || results.scenario.name} — faultline`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="faultline ${escapeHtml(results.tool.version)}">`,
    `<title>${escapeHtml(title)}</title>`,
    '<link rel="icon" href="data:,">',
    `<style>${css}</style>`,
    '</head>',
    '<body>',
    '<div id="app"><noscript><p>This report draws its charts with JavaScript; enable it to see them. The results are embedded in this file as JSON.</p></noscript></div>',
    `<script type="application/json" id="faultline-results">${embedJson(results)}</script>`,
    `<script>${d3}</script>`,
    `<script>${page}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
