import type { SourcePosition } from './errors.js';

/**
 * Where a file's flow collections (`[` and `{`) first nest deeper than `limit`: the place to
 * report when the YAML parser runs out of stack on a hostile nest. The parser's own position
 * is wherever its stack happened to end, which moves with the stack's size and with how deep
 * the caller already was (`run` and `validate` reported different columns); this does not.
 * Quoted scalars and comments are skipped. Null when no flow nest goes that deep (a block nest
 * of indentation alone).
 */
export function deepFlowNestAt(text: string, limit: number): SourcePosition | null {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      lineStart = i + 1;
      continue;
    }
    if (quote === '"') {
      if (c === '\\') i++;
      else if (c === '"') quote = '';
      continue;
    }
    if (quote === "'") {
      if (c === "'" && text[i + 1] === "'") i++;
      else if (c === "'") quote = '';
      continue;
    }
    if (c === '"' || c === "'") {
      // A quote opens a scalar only where a value can start (it's in a plain scalar does not).
      const prev = lastNonSpace(text, i, lineStart);
      if (prev === '' || '[{,:-?'.includes(prev)) quote = c;
    } else if (c === '#' && (i === lineStart || text[i - 1] === ' ' || text[i - 1] === '\t')) i = skipToLineEnd(text, i);
    else if (c === '[' || c === '{') {
      depth++;
      if (depth > limit) return { line, col: i - lineStart + 1 };
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return null;
}

/** The last character before `i` on its line that is not a space or tab ('' at the line's start). */
function lastNonSpace(text: string, i: number, lineStart: number): string {
  for (let j = i - 1; j >= lineStart; j--) if (text[j] !== ' ' && text[j] !== '\t') return text[j];
  return '';
}

/** The index just before the end of the line (the loop's ++ then lands on the newline). */
function skipToLineEnd(text: string, i: number): number {
  const end = text.indexOf('\n', i);
  return (end < 0 ? text.length : end) - 1;
}
