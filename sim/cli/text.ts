/** Plain-text layout for the terminal: display widths, padding, columns. */

/** Display width: code points (the arrows, dashes and ★ used here are one column each). */
export function width(s: string): number {
  return [...s].length;
}

/** `s` padded with spaces to `w` columns, on the right (or on the left, to right-align). */
export function pad(s: string, w: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return right ? fill + s : s + fill;
}

/** `line` cut to `columns`, with … where it was cut. */
export function truncate(line: string, columns: number): string {
  const chars = [...line];
  return chars.length <= columns ? line : `${chars.slice(0, columns - 1).join('')}…`;
}

/** Columns padded to their widest cell; `right[i]` right-aligns column i (never the first). Trailing spaces trimmed. */
export function columns(rows: string[][], right: boolean[]): string[] {
  const n = Math.max(...rows.map((r) => r.length));
  const w = Array.from({ length: n }, (_, i) => Math.max(...rows.map((r) => width(r[i] ?? ''))));
  return rows.map((r) =>
    r
      .map((c, i) => pad(c, w[i], right[i] === true && i > 0))
      .join('  ')
      .replace(/\s+$/, ''),
  );
}
