import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { formatDeltaMs, formatMs, formatPercent, formatPp } from '../../sim/cli/format.js';
import { renderTable } from '../../sim/cli/table.js';
import { buildResults } from '../../sim/run/buildResults.js';
import { planRuns } from '../../sim/run/plan.js';
import type { Results } from '../../sim/run/results.js';
import { simulate, type SimRun } from '../helpers/sim.js';
import { escapeRegExp, runCli, useTempDir } from './helpers.js';

/**
 * The terminal table's verdicts (sim/cli/table.ts, DESIGN §5): the best value per column
 * marked ★, the paired deltas under each variant marked * (significant) or n.s., and the
 * recovery column's "did not recover" / "too short to tell" / — . The results come from real
 * runs (simulate) aggregated as the CLI aggregates them (buildResults); every expected cell is
 * computed from those results, never copied from an output.
 */

/**
 * api calls db with no timeout. A 2 s partition strands the calls in flight on the link: with
 * 4 workers and no timeout they are held for ever, so api never serves again — a metastable
 * failure that outlives its fault. A 200 ms timeout frees the workers: clearly better.
 */
const STUCK = `
name: stuck
title: Stuck workers
seed: 7
duration: 60s
replications: 3
traffic:
  shoppers: {target: api.get, rate: 20/s, timeout: 1s}
services:
  api:
    concurrency: 4
    queueLimit: 8
    endpoints:
      get:
        work: 1ms
        steps:
          - call: db.query
  db:
    endpoints:
      query: {work: {exponential: {mean: 2ms}}}
faults:
  - {target: api->db, kind: partition, at: 10s, for: 2s}
variants:
  timeout:
    description: A 200 ms timeout on the call.
    set:
      services.api.endpoints.get.steps[0].timeout: 200ms
  same:
    description: Sets a field to the value it already has.
    set:
      services.api.concurrency: 4
`;

/** A run's results exactly as the CLI builds them from its runs (same plan, same aggregation). */
function resultsOf(run: SimRun, variants: string[] | null = null): Results {
  const plan = planRuns(run.set, variants);
  return buildResults(plan, [...run.raws.values()].flat(), 'faultline run test.yaml', null);
}

interface Table {
  header: string[];
  /** Per variant, its row's cells (without the variant name). */
  rows: Map<string, string[]>;
  /** Per variant, the cells of its "vs baseline" line ('' where a column has no delta). */
  deltas: Map<string, string[]>;
  text: string;
}

/**
 * Reads the plain table back into cells. Every column but the first is right-aligned under its
 * title, so a cell ends where its title ends: that cuts even the empty cells of a delta line.
 */
function parseTable(text: string): Table {
  const lines = text.split('\n');
  const h = lines.findIndex((l) => l.startsWith('variant '));
  expect(h, text).toBeGreaterThan(0);
  const headerChars = [...lines[h]];
  const header = lines[h].trim().split(/\s{2,}/);
  const ends: number[] = [];
  let from = 0;
  for (const title of header) {
    const at = lines[h].indexOf(title, from);
    ends.push(at + title.length);
    from = at + title.length;
  }
  expect(headerChars.length).toBe(ends[ends.length - 1]);
  const cellsOf = (line: string): { name: string; cells: string[] } => {
    const chars = [...line];
    // The first column is left-aligned: the name is what precedes two spaces.
    const [name, firstCell = ''] = chars.slice(0, ends[1]).join('').trim().split(/\s{2,}/);
    const cells = [firstCell];
    for (let i = 2; i < ends.length; i++) cells.push(chars.slice(ends[i - 1], ends[i]).join('').trim());
    return { name, cells };
  };
  const rows = new Map<string, string[]>();
  const deltas = new Map<string, string[]>();
  let last = '';
  for (let i = h + 1; i < lines.length && lines[i] !== ''; i++) {
    const { name, cells } = cellsOf(lines[i]);
    if (name === 'vs baseline') deltas.set(last, cells);
    else {
      rows.set(name, cells);
      last = name;
    }
  }
  return { header: header.slice(1), rows, deltas, text };
}

const col = (t: Table, title: string): number => {
  const i = t.header.indexOf(title);
  expect(i, `column ${title}`).toBeGreaterThanOrEqual(0);
  return i;
};
const cell = (t: Table, variant: string, title: string): string => t.rows.get(variant)![col(t, title)];
const deltaCell = (t: Table, variant: string, title: string): string => t.deltas.get(variant)![col(t, title)];

describe('the comparison table: significance and best values', () => {
  const run = simulate(STUCK);
  const results = resultsOf(run);
  const text = renderTable(results, false);
  const t = parseTable(text);
  const v = (name: string) => results.variants.find((x) => x.name === name)!;

  it('has a row per variant, baseline first, and a "vs baseline" line under each other variant', () => {
    expect([...t.rows.keys()]).toEqual(['baseline', 'timeout', 'same']);
    expect([...t.deltas.keys()]).toEqual(['timeout', 'same']);
    expect(t.header).toEqual(['availability', 'p50', 'p99', 'p99.9', 'double-processed', 'amplification', 'recovery']);
  });

  it('a clearly better variant: its availability delta is marked * (significant), and its availability ★ (best)', () => {
    const d = v('timeout').vsBaseline!.availability;
    // The premise, from the results: a large, significant gain.
    expect(d.significant).toBe(true);
    expect(d.delta!).toBeGreaterThan(0.2);
    expect(deltaCell(t, 'timeout', 'availability')).toBe(`${formatPp(d.delta!)}*`);
    expect(deltaCell(t, 'timeout', 'availability')).toMatch(/^\+[\d.]+pp\*$/);
    expect(cell(t, 'timeout', 'availability').endsWith(' ★')).toBe(true);
    expect(cell(t, 'timeout', 'availability').startsWith(formatPercent(v('timeout').summary.availability))).toBe(true);
    // The worse ones are not marked.
    expect(cell(t, 'baseline', 'availability')).not.toContain('★');
    expect(cell(t, 'same', 'availability')).not.toContain('★');
  });

  it('every delta cell carries its verdict, * exactly when the paired interval excludes 0', () => {
    const pairs: Array<[string, 'availability' | 'p50Ms' | 'p99Ms' | 'doubleProcessing' | 'amplification']> = [
      ['availability', 'availability'],
      ['p50', 'p50Ms'],
      ['p99', 'p99Ms'],
      ['double-processed', 'doubleProcessing'],
      ['amplification', 'amplification'],
    ];
    for (const name of ['timeout', 'same']) {
      for (const [title, key] of pairs) {
        const d = v(name).vsBaseline![key];
        const c = deltaCell(t, name, title);
        if (d.significant === true) expect(c, `${name} ${title}`).toMatch(/\*$/);
        else expect(c, `${name} ${title}`).toMatch(/\S n\.s\.$/);
      }
      // p99.9 and recovery have no delta.
      expect(deltaCell(t, name, 'p99.9')).toBe('');
      expect(deltaCell(t, name, 'recovery')).toBe('');
    }
    expect(deltaCell(t, 'timeout', 'p50')).toBe(`${formatDeltaMs(v('timeout').vsBaseline!.p50Ms.delta!)}${v('timeout').vsBaseline!.p50Ms.significant ? '*' : ' n.s.'}`);
  });

  it('a variant identical to the baseline: zero deltas, all n.s., and the same row as the baseline', () => {
    const d = v('same').vsBaseline!;
    // Common random numbers: the same runs, so every paired difference is exactly 0.
    expect(d.availability.delta).toBe(0);
    expect(d.availability.significant).toBe(false);
    expect(deltaCell(t, 'same', 'availability')).toBe(`${formatPp(0)} n.s.`);
    expect(deltaCell(t, 'same', 'availability')).toBe('±0.000pp n.s.');
    expect(deltaCell(t, 'same', 'p50')).toBe('±0ms n.s.');
    expect(deltaCell(t, 'same', 'double-processed')).toBe('±0/run n.s.');
    expect(t.deltas.get('same')!.some((c) => c.endsWith('*'))).toBe(false);
    // Identical values render identically, ★ included (a tie for best marks both).
    expect(t.rows.get('same')).toEqual(t.rows.get('baseline'));
  });

  it('explains the markers under the table', () => {
    expect(text).toContain('* significant: the paired 95% interval excludes 0; n.s. not significant');
    expect(text).not.toContain('run --replications 5 or more');
  });

  it('a metastable baseline: "did not recover" in its recovery cell, and a note that says what it means', () => {
    // The premise: no replication of the baseline recovered, and the run had time to tell.
    expect(v('baseline').summary.recovery[0]).toMatchObject({ recoveredAfterMs: null, recoveredRuns: 0, undetermined: false });
    expect(cell(t, 'baseline', 'recovery')).toBe('did not recover');
    expect(cell(t, 'same', 'recovery')).toBe('did not recover');
    expect(text).toContain('did not recover: a metastable failure — the system stayed degraded after the fault ended');
    // The timeout variant recovers in every replication: its recovery shows as a time.
    const rec = v('timeout').summary.recovery[0];
    expect(rec.recoveredRuns).toBe(3);
    // The only variant that recovers is the best in the column: ★ ("did not recover" is the worst).
    expect(cell(t, 'timeout', 'recovery')).toBe(`${formatMs(rec.recoveredAfterMs)} ★`);
  });

  it('in colour: ★ cells green, "did not recover" red, and otherwise the same text', () => {
    const coloured = renderTable(results, true);
    // eslint-disable-next-line no-control-regex -- the SGR escapes are what this test strips
    const ansi = /\x1b\[\d+m/g;
    expect(coloured.replace(ansi, '')).toBe(text);
    // The escapes around a styled cell, as picocolors writes them: open + padded cell + close.
    const c = pc.createColors(true);
    const around = (style: (s: string) => string, inner: string) => {
      const [open, close] = style('|').split('|');
      return new RegExp(`${escapeRegExp(open)}${inner}${escapeRegExp(close)}`);
    };
    expect(coloured).toMatch(around((x) => c.red(c.bold(x)), ' *did not recover'));
    expect(coloured).toMatch(around((x) => c.green(c.bold(x)), ' *[^\\s][^\\u001b]* ★'));
    // Without colour, no escape at all.
    expect(text.includes('\u001b')).toBe(false);
  });
});

describe('the recovery column when it cannot say "recovered"', () => {
  it('a fault that never ends within the run: "too short to tell", never "did not recover"', () => {
    // The partition lasts an hour in a one-minute run: no verdict is possible (docs/results.md,
    // `undetermined`), which the table must not confuse with a metastable failure.
    const run = simulate(STUCK.replace('for: 2s', 'for: 1h'), { replications: 1 });
    const results = resultsOf(run);
    for (const v of results.variants) expect(v.summary.recovery[0]).toMatchObject({ recoveredAfterMs: null, undetermined: true });
    const text = renderTable(results, false);
    const t = parseTable(text);
    for (const name of ['baseline', 'timeout', 'same']) expect(cell(t, name, 'recovery')).toBe('too short to tell');
    expect(text).not.toContain('did not recover');
  });

  it('one replication: deltas without verdicts, and a hint to run more', () => {
    const run = simulate(STUCK, { replications: 1 });
    const results = resultsOf(run);
    const text = renderTable(results, false);
    const t = parseTable(text);
    expect(results.variants[1].vsBaseline!.availability.significant).toBeNull();
    for (const name of ['timeout', 'same']) {
      for (const c of t.deltas.get(name)!) expect(c).not.toMatch(/\*$|n\.s\.$/);
    }
    expect(deltaCell(t, 'timeout', 'availability')).toBe(formatPp(results.variants[1].vsBaseline!.availability.delta!));
    // No interval with one replication: a bare percentage.
    expect(cell(t, 'baseline', 'availability').replace(/ ★$/, '')).toBe(formatPercent(results.variants[0].summary.availability));
    expect(text).toContain('run --replications 5 or more for confidence intervals and significance');
    expect(text).not.toContain('* significant');
    // The metastable verdict does not need replications.
    expect(cell(t, 'baseline', 'recovery')).toBe('did not recover');
  });

  it('a scenario without faults shows — in the recovery column', () => {
    const run = simulate(STUCK.replace(/faults:\n.*\n/, ''), { replications: 1 });
    const t = parseTable(renderTable(resultsOf(run), false));
    for (const name of ['baseline', 'timeout', 'same']) expect(cell(t, name, 'recovery')).toBe('—');
    expect(t.text).not.toContain('did not recover');
  });
});

describe('faultline run prints that table', () => {
  const tmp = useTempDir('verdicts');

  it('stdout is the table renderTable draws from the same results, "did not recover" included', async () => {
    const cwd = tmp.workdir({ 'stuck.yaml': STUCK });
    // The CLI runs while this thread computes the same results.
    const pending = runCli(['run', 'stuck.yaml', '--no-report', '--replications', '1', '--variant', 'timeout'], cwd);
    const expected = renderTable(resultsOf(simulate(STUCK, { replications: 1, variants: ['timeout'] }), ['timeout']), false);
    const r = await pending;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${expected}\n`);
    expect(r.stdout).toMatch(/^baseline .* did not recover$/m);
  });
});
