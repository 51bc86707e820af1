import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../sim/run/results.js';
import { d3Script } from '../../viz/assets.js';
import { renderReport } from '../../viz/report.js';
import { REPO, runCli, SMALL, useTempDir } from '../cli/helpers.js';

/**
 * Issue #8, deliverable 5, what test/viz/report.test.ts and test/viz/browser.test.ts do not
 * already hold: not only the title, description, lesson and variant descriptions (the
 * hostile-strings fixture), but every string the results carry — the file path, the command,
 * fault labels, service and call names — cannot end the embedded JSON's script element or open
 * a comment; and no page code turns a string into markup.
 */

const HOSTILE = '</script><!--<script>alert(1)</script>--></SCRIPT >\u2028<img src=x onerror=alert(2)>';

const tmp = useTempDir('report');
let results: Results;

beforeAll(async () => {
  const text = `${SMALL}faults:\n  - {target: db, kind: errors, rate: 20%, at: 2s, for: 2s}\nvariants:\n  retry:\n    description: retries\n    set:\n      traffic.shoppers.retry: {maxAttempts: 2}\n`;
  const w = tmp.workdir({ 'small.yaml': text });
  const r = await runCli(['run', 'small.yaml', '--json', 'r.json', '--no-report', '--quiet'], w);
  expect(r.code, r.stderr).toBe(0);
  results = JSON.parse(readFileSync(join(w, 'r.json'), 'utf8')) as Results;
});

/** Every string in the value with HOSTILE appended (and, with `keys`, every mapping key). */
function poison(v: unknown, keys = false): unknown {
  if (typeof v === 'string') return v + HOSTILE;
  if (Array.isArray(v)) return v.map((x) => poison(x, keys));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [keys ? k + HOSTILE : k, poison(x, keys)]));
  return v;
}

describe('the report escapes every scenario string', () => {
  it('every string and key of the results, hostile: three script elements still, the JSON intact, no comment opened', () => {
    const withKeys = poison(results) as Results;
    // The names the results are keyed by (services, calls, effects, queues) too.
    for (const v of withKeys.variants as any[]) for (const k of ['services', 'calls', 'effects', 'queues']) if (v[k]) v[k] = poison(v[k], true);
    const html = renderReport(withKeys);
    expect(html.match(/<script/gi)).toHaveLength(3);
    expect(html.match(/<\/script/gi)).toHaveLength(3);
    const ours = html.replace(d3Script(), '');
    expect(ours.includes('<!--')).toBe(false);
    expect(ours.includes('<img')).toBe(false);
    const m = /<script type="application\/json" id="faultline-results">([\s\S]*?)<\/script>/.exec(html)!;
    // Inside the JSON: no <, > or &, and no raw line separator (which would end a JS string).
    expect(m[1]).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(m[1])).toEqual(withKeys);
  });

  it('the strings a user controls beyond the scenario text (the file path, hence the command) are escaped too', () => {
    const r = structuredClone(results);
    r.scenario.file = `dir${HOSTILE}/small.yaml`;
    r.run.command = `faultline run 'dir${HOSTILE}/small.yaml'`;
    r.scenario.title = HOSTILE;
    const html = renderReport(r);
    expect(html.match(/<script/gi)).toHaveLength(3);
    expect(html.match(/<\/script/gi)).toHaveLength(3);
    expect(html).toContain('<title>&lt;/script&gt;&lt;!--&lt;script&gt;alert(1)&lt;/script&gt;--&gt;&lt;/SCRIPT &gt;\u2028&lt;img src=x onerror=alert(2)&gt; — faultline</title>');
  });

  it('the page code never turns a string into markup (no innerHTML, outerHTML, insertAdjacentHTML, document.write, eval)', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(join(REPO, 'viz'));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) {
      const code = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code, f).not.toMatch(/\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(/);
    }
  });
});
