import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ScenarioError, ScenarioErrors } from '../../sim/scenario/errors.js';
import { escapeRegExp, lines, REPO } from '../cli/helpers.js';

/**
 * Shared checks of the reliability tests (issue #8): what "a clear error" means, checked the
 * same way everywhere — one `file:line:col path: message` line per error, and nothing that
 * looks like a stack trace or an internal error.
 */

/** Lines that betray a crash rather than a handled error. */
export const STACK_OR_INTERNAL = /^\s+at |\bError:|internal error|Maximum call stack|is not a function|Cannot read propert|\[object |\bundefined\b/;

/** The null-position errors a scenario may legitimately get: about the whole file, or the whole run. */
export const FILE_LEVEL: Array<{ path: string; detail: RegExp }> = [
  { path: '(file)', detail: /^(file too large|cannot read scenario|is a directory)/ },
  { path: 'duration', detail: /^this run needs about \S+ events \(rates × duration × hops\), above the budget of / },
];

/**
 * Checks a thrown value is a well-formed ScenarioErrors for `file`: each error located
 * (a position inside the text, or one of the documented file-level errors), with a path
 * and a one-line message. Returns a description of what is wrong, or null.
 */
export function badError(e: unknown, file: string, text: string | null): string | null {
  if (!(e instanceof ScenarioErrors)) {
    const err = e as Error;
    return `threw ${err?.name ?? typeof e} instead of ScenarioErrors: ${err?.stack?.split('\n').slice(0, 4).join(' | ') ?? String(e)}`;
  }
  if (e.errors.length === 0) return 'ScenarioErrors with no errors';
  const nLines = text === null ? Infinity : text.split('\n').length;
  for (const err of e.errors) {
    if (!(err instanceof ScenarioError)) return `an error of another kind in ScenarioErrors: ${String(err)}`;
    if (err.file !== file) return `error names file ${JSON.stringify(err.file)}, expected ${JSON.stringify(file)}: ${err.message}`;
    if (err.pathText.length === 0) return `error without a path: ${err.message}`;
    if (err.detail.length === 0) return `error without a message: ${err.message}`;
    if (/\n|\r/.test(err.message)) return `message on more than one line: ${JSON.stringify(err.message)}`;
    if (STACK_OR_INTERNAL.test(err.message)) return `message looks like an internal error: ${err.message}`;
    if (err.message.length > 2000) return `message of ${err.message.length} characters: ${err.message.slice(0, 200)}...`;
    if (err.position === null) {
      const ok = FILE_LEVEL.some((f) => f.path === err.pathText && f.detail.test(err.detail));
      if (!ok) return `error without a position that is not a documented file-level error: ${err.message}`;
      if (!err.message.startsWith(`${file} ${err.pathText}: `)) return `badly formed: ${err.message}`;
    } else {
      const { line, col } = err.position;
      if (!(Number.isInteger(line) && line >= 1 && line <= nLines)) return `line ${line} outside the file's ${nLines} lines: ${err.message}`;
      if (!(Number.isInteger(col) && col >= 1)) return `column ${col}: ${err.message}`;
      if (!err.message.startsWith(`${file}:${line}:${col} ${err.pathText}: `)) return `badly formed: ${err.message}`;
    }
  }
  return null;
}

/** A stderr line that is a located scenario error for `file` (any position, or a file-level one). */
export function locatedLine(file: string): RegExp {
  return new RegExp(`^${escapeRegExp(file)}(:\\d+:\\d+)? \\S.*: \\S`);
}

/** stderr is exactly one line matching `re`, and nothing that looks like a stack trace. */
export function expectOneLine(stderr: string, re: RegExp): void {
  const ls = lines(stderr);
  expect(ls, `stderr:\n${stderr}`).toHaveLength(1);
  expect(ls[0]).toMatch(re);
  expect(ls[0]).not.toMatch(STACK_OR_INTERNAL);
}

/** The seed scenarios the fuzz mutates: the bundled ones and test/fixtures/*.yaml. */
export function seedScenarios(): Array<{ name: string; text: string }> {
  const from = (dir: string) =>
    readdirSync(join(REPO, dir))
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => ({ name: `${dir}/${f}`, text: readFileSync(join(REPO, dir, f), 'utf8') }));
  return [...from('scenarios'), ...from('test/fixtures')];
}

/** Every file in `dir`, recursively, relative to it (to prove nothing was written, not even a temp file). */
export function listAll(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      out.push(prefix + e.name + (e.isDirectory() ? '/' : ''));
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
    }
  };
  walk(dir, '');
  return out;
}
