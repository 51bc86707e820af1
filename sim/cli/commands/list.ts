import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ScenarioErrors } from '../../scenario/errors.js';
import { loadScenarioText, readScenarioText } from '../../scenario/load.js';
import { toolVersion } from '../../version.js';
import { EXIT } from '../errors.js';
import { bundledDir } from '../scenarios.js';
import { truncate, width } from '../text.js';

/**
 * `faultline list`: the bundled scenarios (whatever scenarios/*.yaml holds at run time), with
 * their title and a one-line summary. A broken file shows its error on its own line instead
 * of stopping the list.
 */
export interface ListEntry {
  /** What to type: `faultline explain <name>`, `faultline run <name>`. */
  name: string;
  /** The file, relative to the package. */
  file: string;
  /** The scenario's own `name:` (null if the file does not load). */
  scenario: string | null;
  title: string | null;
  /** The first sentence of the description, or else the lesson's question. */
  summary: string | null;
  question: string | null;
  variants: string[];
  /** The first error of a file that does not load. */
  error: string | null;
}

export function listCommand(o: { json?: boolean }): number {
  const entries = listBundled();
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ tool: { name: 'faultline', version: toolVersion() }, scenarios: entries }, null, 2)}\n`);
  } else {
    const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
    process.stdout.write(renderList(entries, columns));
  }
  return EXIT.ok;
}

/** Every scenarios/*.yaml of `dir` (the bundled ones by default), in name order. */
export function listBundled(dir: string = bundledDir()): ListEntry[] {
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
  return names.map((name) => {
    const file = `scenarios/${name}.yaml`;
    try {
      const set = loadScenarioText(readScenarioText(join(dir, `${name}.yaml`)), file);
      const s = set.base;
      const question = s.lesson?.question ? oneLine(s.lesson.question) : null;
      return {
        name,
        file,
        scenario: s.name,
        title: oneLine(s.title),
        summary: firstSentence(s.description) ?? question,
        question,
        variants: set.variants.map((v) => v.name),
        error: null,
      };
    } catch (e) {
      let error: string;
      if (e instanceof ScenarioErrors) {
        const more = e.errors.length - 1;
        error = `${e.errors[0]?.message ?? 'does not load'}${more > 0 ? ` (and ${more} more error${more === 1 ? '' : 's'}: faultline validate ${file})` : ''}`;
      } else error = `${file}: does not load (${(e as Error).message})`;
      return { name, file, scenario: null, title: null, summary: null, question: null, variants: [], error };
    }
  });
}

/** The list as aligned text; lines are cut to `columns` when printing to a terminal. */
export function renderList(entries: ListEntry[], columns?: number): string {
  if (entries.length === 0) return 'No bundled scenarios found.\n';
  const w = Math.max(...entries.map((e) => width(e.name)));
  const indent = ' '.repeat(w + 2);
  const lines: string[] = [];
  for (const e of entries) {
    const head = e.name + ' '.repeat(w - width(e.name) + 2);
    if (e.error !== null) {
      lines.push(`${head}✗ ${e.error}`);
      continue;
    }
    lines.push(`${head}${e.title}${e.variants.length > 0 ? `  (${e.variants.length} variant${e.variants.length === 1 ? '' : 's'})` : ''}`);
    if (e.summary) lines.push(`${indent}${e.summary}`);
  }
  const cut = columns && columns > 20 ? lines.map((l) => truncate(l, columns)) : lines;
  const n = entries.length;
  cut.push('');
  cut.push(`${n} scenario${n === 1 ? '' : 's'}. faultline explain <name> shows one (for "predict, then run"); faultline run <name> runs it.`);
  return `${cut.join('\n')}\n`;
}

/** A text's first sentence (collapsed to one line), or null if it is empty. */
export function firstSentence(text: string): string | null {
  const t = oneLine(text);
  if (t === '') return null;
  const end = /[.!?](?=\s+["'“(A-Z0-9]|\s*$)/g;
  let m: RegExpExecArray | null;
  while ((m = end.exec(t)) !== null) {
    const before = t.slice(0, m.index + 1);
    if (/(?:\be\.g|\bi\.e|\bvs|\betc|\bcf|\bapprox)\.$/i.test(before)) continue;
    return before;
  }
  return t;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}


