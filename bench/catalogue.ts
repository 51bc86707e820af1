/**
 * Regenerates the README's workshop catalogue from real runs: every bundled scenario, its
 * anti-pattern (the title), what each variant changes, and the headline numbers of a run.
 * Deterministic, like every run: `npm run catalogue` rewrites the same table until a scenario
 * or the engine changes.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { formatMs, formatPercent, formatTimes } from '../sim/cli/format.js';
import { buildResults } from '../sim/run/buildResults.js';
import { planRuns } from '../sim/run/plan.js';
import { executeTasks } from '../sim/run/pool.js';
import type { VariantResult } from '../sim/run/results.js';
import { loadScenarioFile } from '../sim/scenario/load.js';
import { packageRoot } from '../sim/version.js';

const root = packageRoot();

/** The metrics a row can quote, and how. */
const METRICS: Array<{ label: string; read(v: VariantResult): number | null; show(x: number | null): string; key?: 'availability' | 'p99Ms' | 'doubleProcessing' | 'amplification' }> = [
  { label: 'availability', read: (v) => v.summary.availability, show: formatPercent, key: 'availability' },
  { label: 'p99', read: (v) => v.summary.latencyMs.p99, show: formatMs, key: 'p99Ms' },
  { label: 'double-processed', read: (v) => v.summary.doubleProcessing, show: (x) => String(x ?? '—'), key: 'doubleProcessing' },
  { label: 'amplification', read: (v) => v.summary.amplification, show: formatTimes, key: 'amplification' },
  { label: 'recovery', read: recovery, show: (x) => (x === null ? 'did not recover' : x < 0 ? '—' : formatMs(x)) },
  // Behind a queue the lesson is in the work's end-to-end latency (no interval: quoted when it moves by 10%).
  { label: 'queued work p99', read: queuedP99, show: formatMs },
];

function queuedP99(v: VariantResult): number | null {
  const p99s = Object.values(v.queues).map((q) => q.endToEndMs.p99).filter((x): x is number => x !== null);
  return p99s.length === 0 ? null : Math.max(...p99s);
}

function recovery(v: VariantResult): number | null {
  const told = v.summary.recovery.filter((r) => !r.undetermined);
  if (told.length === 0) return -1;
  if (told.some((r) => r.recoveredAfterMs === null)) return null;
  return Math.max(...told.map((r) => r.recoveredAfterMs!));
}

/** What moved between the baseline and a variant: the significant deltas, and recovery. */
function headline(base: VariantResult, v: VariantResult): string {
  const parts: string[] = [];
  for (const m of METRICS) {
    const a = m.read(base);
    const b = m.read(v);
    const moved = m.key
      ? v.vsBaseline?.[m.key].significant === true
      : m.label === 'queued work p99'
        ? a !== null && b !== null && Math.abs(b - a) > 0.1 * a
        : a !== b;
    // A significant change too small to show at this precision is not a headline.
    if (moved && m.show(a) !== m.show(b)) parts.push(`${m.label} ${m.show(a)} → ${m.show(b)}`);
  }
  return parts.length > 0 ? parts.join(', ') : 'no significant change';
}

async function main(): Promise<void> {
  const files = readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort();
  const rows: string[] = [];
  for (const f of files) {
    const set = loadScenarioFile(join(root, 'scenarios', f));
    const plan = planRuns({ ...set, file: `scenarios/${f}` }, null);
    process.stderr.write(`catalogue: ${f} (${plan.tasks.length} runs)\n`);
    const { raws } = await executeTasks(plan, plan.tasks, { jobs: availableParallelism(), maxEvents: 2e9 });
    const res = buildResults(plan, raws, '', null);
    const base = res.variants[0];
    const fixes = res.variants.slice(1).map((v) => `**${v.name}**: ${v.description}`).join('<br>');
    const numbers = [
      `baseline: ${METRICS.filter((m) => m.read(base) !== null || m.label !== 'queued work p99').map((m) => `${m.label} ${m.show(m.read(base))}`).join(', ')}`,
      ...res.variants.slice(1).map((v) => `**${v.name}**: ${headline(base, v)}`),
    ].join('<br>');
    rows.push(`| [\`${set.base.name}\`](scenarios/${f}) | ${set.base.title} | ${fixes} | ${numbers} |`);
  }
  const table = [
    `${files.length} scenarios, each a bad design (the baseline) and its fixes (the variants), with a test that its lesson shows up in the numbers (\`test/lessons/\`). Headline numbers from \`npm run catalogue\`: each scenario's own seed and replications; only differences whose paired 95% interval excludes zero are quoted.`,
    '',
    '| scenario | the anti-pattern | what the fix changes | headline numbers |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
  const readmePath = join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf('<!-- catalogue:start -->');
  const end = readme.indexOf('<!-- catalogue:end -->');
  if (start < 0 || end < 0) throw new Error('README.md has no catalogue markers');
  writeFileSync(readmePath, `${readme.slice(0, start)}<!-- catalogue:start -->\n${table}\n${readme.slice(end)}`);
  process.stderr.write(`catalogue: ${files.length} scenarios written to README.md\n`);
}

await main();
