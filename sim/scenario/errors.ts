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
    const where = position ? `${file}:${position.line}:${position.col}` : file;
    super(`${where} ${pathText}: ${oneLine(detail)}`);
    this.name = 'ScenarioError';
    this.file = file;
    this.position = position;
    this.pathText = pathText;
    this.detail = oneLine(detail);
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

export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
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
