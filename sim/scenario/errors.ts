/** A path into the scenario document: keys and array indices. */
export type Path = ReadonlyArray<string | number>;

/** `services.gateway.endpoints.checkout.steps[0].timeout`: the way users write paths in variants. */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*(->[\w$-]+)?$|^[\w$-]+#\d+$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out === '' ? '(root)' : out;
}

/** One problem in a scenario, before it is located in the file. */
export interface Issue {
  path: Path;
  message: string;
}

export interface SourcePosition {
  line: number;
  col: number;
}

/**
 * Bad input: a located, one-line error. `file:line:col path: what is wrong (found X, expected Y)`.
 * Thrown only for bad input; simulated failures are values.
 */
export class ScenarioError extends Error {
  readonly file: string;
  readonly position: SourcePosition | null;
  readonly pathText: string;
  readonly detail: string;

  constructor(file: string, position: SourcePosition | null, pathText: string, detail: string) {
    const where = position ? `${oneLine(file)}:${position.line}:${position.col}` : oneLine(file);
    super(`${where} ${brief(pathText)}: ${brief(detail)}`);
    this.name = 'ScenarioError';
    this.file = file;
    this.position = position;
    this.pathText = brief(pathText);
    this.detail = brief(detail);
  }
}

/** Several located errors found in one pass; each prints as its own line. */
export class ScenarioErrors extends Error {
  readonly errors: ScenarioError[];

  constructor(errors: ScenarioError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'ScenarioErrors';
    this.errors = errors;
  }
}

/**
 * Control characters (a carriage return, an escape sequence that would recolour the terminal,
 * NUL...) and bidirectional overrides, which a message quoting the user's text must not pass on.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** One printable line: line breaks become spaces, other control characters `\uXXXX` escapes. */
export function oneLine(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A message that quotes the user's text stays short: a quoted string over 160 characters, or
 * any run of 300 characters without a space (a huge key, name or path), is cut with `...`.
 */
function brief(text: string): string {
  return oneLine(text)
    .replace(/"(?:[^"\\]|\\.)*"/g, (q) => {
      if (q.length <= 162) return q;
      try {
        return JSON.stringify(`${[...(JSON.parse(q) as string)].slice(0, 100).join('')}...`);
      } catch {
        return q;
      }
    })
    .replace(/\S{300,}/g, (w) => `${[...w].slice(0, 120).join('')}...`);
}

/** A short, one-line rendering of a found value for messages. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const s = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return JSON.stringify(s);
  }
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}
