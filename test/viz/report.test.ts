import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Results } from '../../sim/run/results.js';
import { d3Script } from '../../viz/assets.js';
import { embedJson, escapeHtml, renderReport } from '../../viz/report.js';
import { ARTIFACTS, cli, FIXTURES, ROOT } from './helpers.js';

/** The report file itself, without a browser: self-contained, deterministic, escaped, small. */

let results: Results;
let html: string;

beforeAll(() => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const json = join(ARTIFACTS, 'unit-hostile.json');
  const r = cli(['run', join(FIXTURES, 'hostile-strings.yaml'), '--json', json, '--no-report', '--quiet', '--jobs', '1']);
  expect(r.stderr).toBe('');
  results = JSON.parse(readFileSync(json, 'utf8')) as Results;
  html = renderReport(results);
});

describe('embedJson', () => {
  test('round-trips any value through JSON.parse', () => {
    const value = { a: '</script><script>alert(1)</script>', b: '<!-- x -->', c: 'a & b', d: '\u2028\u2029', e: [1, null, 2.5] };
    expect(JSON.parse(embedJson(value))).toEqual(value);
  });

  test('never contains <, >, & or a raw line separator', () => {
    const s = embedJson({ s: '</script><!--&\u2028\u2029>' });
    expect(s).not.toMatch(/[<>&\u2028\u2029]/);
  });
});

describe('escapeHtml', () => {
  test('escapes the five characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('renderReport', () => {
  test('is deterministic: the same results give the same bytes', () => {
    expect(renderReport(structuredClone(results))).toBe(html);
  });

  test('two runs of the same scenario write byte-identical reports', () => {
    const a = join(ARTIFACTS, 'unit-det-a.html');
    const b = join(ARTIFACTS, 'unit-det-b.html');
    for (const [file, jobs] of [
      [a, '1'],
      [b, '2'],
    ]) {
      const r = cli(['run', join(FIXTURES, 'hostile-strings.yaml'), '--report', file, '--quiet', '--jobs', jobs]);
      expect(r.status).toBe(0);
    }
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
  });

  test('holds exactly three scripts: the results (JSON, inert), d3, and the page code', () => {
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    expect(scripts).toEqual([' type="application/json" id="faultline-results"', '', '']);
    expect(html.includes('https://d3js.org v7')).toBe(true);
  });

  test('the embedded results are the results, and hostile strings cannot close their element', () => {
    const m = /<script type="application\/json" id="faultline-results">([\s\S]*?)<\/script>/.exec(html)!;
    expect(JSON.parse(m[1])).toEqual(results);
    expect(results.scenario.title).toContain('</script><script>alert(1)</script>');
    expect(html.includes('<script>alert(')).toBe(false);
    expect(html.includes('<img src=x')).toBe(false);
    expect(html.includes('<iframe')).toBe(false);
    // The title element holds the title escaped.
    expect(html.includes(`<title>${escapeHtml(results.scenario.title)} — faultline</title>`)).toBe(true);
  });

  test('refers to nothing outside the file: no src, no external href, a CSP that allows no connection', () => {
    expect(/<script[^>]+src=/i.exec(html)).toBeNull();
    expect(/<link[^>]+href="(?!data:)/i.exec(html)).toBeNull();
    expect(/@import|url\(\s*['"]?https?:/i.exec(html)).toBeNull();
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1].replace(/&#39;/g, "'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    // The scripts and the stylesheet it allows are exactly the ones inlined (by hash).
    const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
    const sha = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
    for (const s of inline) expect(csp).toContain(sha(s));
    expect(csp).toContain(sha(style));
  });

  test('contains no timestamp (outside d3 itself, whose time-format code holds constant dates)', () => {
    const d3 = d3Script();
    expect(html.includes(d3)).toBe(true);
    const ours = html.replace(d3, '');
    expect(/\b20\d\d-\d\d-\d\d[T ]\d\d:\d\d/.exec(ours)).toBeNull();
  });
});

describe('the page code', () => {
  test('reads no clock and no randomness (performance.now only times the drawing for the bench)', () => {
    const dir = join(ROOT, 'viz/page');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      // Code only: the comments may name what the code must not do.
      const src = readFileSync(join(dir, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      expect(src, f).not.toMatch(/\bDate\b|Math\.random|crypto\.|fetch\(|XMLHttpRequest|innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
      if (f !== 'main.ts') expect(src, f).not.toMatch(/performance\.now/);
    }
  });
});

describe('size', () => {
  test('the default scenario’s report is under 1.5 MB', () => {
    const file = join(ARTIFACTS, 'default.html');
    const r = cli(['run', '--report', file, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const bytes = statSync(file).size;
    expect(bytes).toBeLessThan(1.5 * 1024 * 1024);
  });
});
