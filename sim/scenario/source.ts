import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { formatPath, ScenarioError, type Path, type SourcePosition } from './errors.js';
import { deepFlowNestAt } from './deepNest.js';
import { LIMITS } from './limits.js';

/** A parsed YAML file that can still say where each value came from. */
export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  data: unknown;
}

/** Parses YAML text. YAML errors, alias bombs and over-deep nesting become located ScenarioErrors. */
export function parseYaml(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    // logLevel 'error': the parser must not print warnings of its own (a complex key such as
    // `? [a, b]` would put a Node warning on stderr); the schema reports such a key instead.
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  } catch (e) {
    // The parser recurses on nesting; hostile input can exhaust the stack.
    if (isStackOverflow(e)) throw tooDeepForParser(file, text);
    throw new ScenarioError(file, { line: 1, col: 1 }, '(root)', `cannot parse YAML (${(e as Error).message})`);
  }
  const err = doc.errors[0];
  if (err) {
    const pos = lineCounter.linePos(err.pos[0]);
    if (err.code === 'DUPLICATE_KEY') {
      // Say which key, and where it sits in the document.
      const found = findNode(doc.contents, [], (n, isKey) => isKey && n.range?.[0] === err.pos[0]);
      if (found && isScalar(found.node)) {
        const key = String(found.node.value);
        throw new ScenarioError(file, pos, formatPath(found.path), `duplicate key (found ${JSON.stringify(key)} twice in the same mapping, expected each key once)`);
      }
    }
    if (err.code === 'MISSING_CHAR' && /quote/.test(err.message)) {
      // The parser notices at the end of the file; the user needs the quote that opened it.
      const q = findNode(doc.contents, [], (n) => isScalar(n) && (n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE') && n.range?.[1] === err.pos[0]);
      if (q?.node.range) {
        const mark = (q.node as { type?: string }).type === 'QUOTE_DOUBLE' ? '"' : "'";
        throw new ScenarioError(
          file,
          lineCounter.linePos(q.node.range[0]),
          formatPath(q.path),
          `YAML syntax error: unclosed quote (found an opening ${mark} with no closing ${mark} before the end of the file)`,
        );
      }
    }
    const flow = /^Flow (sequence|map) .*end with an? ([\]}])/.exec(err.message);
    if (flow) {
      // Likewise for a [ or { that never closes: point at the bracket that opened it.
      const open = findNode(doc.contents, [], (n) => (isSeq(n) || isMap(n)) && n.flow === true && n.range?.[1] === err.pos[0]);
      if (open?.node.range) {
        const [opener, closer] = flow[2] === ']' ? ['[', ']'] : ['{', '}'];
        throw new ScenarioError(
          file,
          lineCounter.linePos(open.node.range[0]),
          formatPath(open.path),
          `YAML syntax error: unclosed ${opener} (found an opening ${opener} with no matching ${closer})`,
        );
      }
    }
    if (err.code === 'RESOURCE_EXHAUSTION') {
      // The parser ran out of stack on a deep nest (it reports the stack overflow as this code).
      throw tooDeepForParser(file, text);
    }
    if (err.code === 'MULTIPLE_DOCS') {
      throw new ScenarioError(file, pos, '(root)', 'YAML syntax error: a second document (found ---, expected one scenario per file)');
    }
    throw new ScenarioError(file, pos, '(root)', `YAML syntax error: ${firstLine(err.message)}`);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: LIMITS.maxAliasCount });
  } catch (e) {
    const msg = (e as Error).message;
    const unresolved = /^Unresolved alias.*: (.*)$/.exec(msg);
    if (unresolved) {
      // An alias whose anchor is not defined before it: point at the alias.
      const name = unresolved[1];
      const at = findNode(doc.contents, [], (n) => isAlias(n) && n.source === name);
      throw new ScenarioError(
        file,
        at?.node.range ? lineCounter.linePos(at.node.range[0]) : { line: 1, col: 1 },
        at ? formatPath(at.path) : '(root)',
        `unknown YAML alias (found *${name}, expected an anchor &${name} defined before it)`,
      );
    }
    if (/excessive alias count/i.test(msg)) {
      throw new ScenarioError(
        file,
        { line: 1, col: 1 },
        '(root)',
        `too many YAML alias expansions (found more than ${LIMITS.maxAliasCount}, expected a document without alias bombs)`,
      );
    }
    if (isStackOverflow(e)) throw tooDeepForParser(file, text);
    throw new ScenarioError(file, { line: 1, col: 1 }, '(root)', `cannot read YAML (${firstLine(msg)})`);
  }
  const depth = maxDepth(data, 0);
  if (depth > LIMITS.maxNestingDepth) {
    throw new ScenarioError(
      file,
      { line: 1, col: 1 },
      '(root)',
      `nesting too deep (found depth ${depth}, expected at most ${LIMITS.maxNestingDepth})`,
    );
  }
  return { file, doc, lineCounter, data };
}

/**
 * The first node (depth first, in document order) that `test` accepts, with its path. Map keys
 * are tested with `isKey`. It looks no deeper than a valid scenario can go, so a hostile nest
 * cannot exhaust the stack while an error is being explained.
 */
function findNode(node: unknown, path: Path, test: (n: Node, isKey: boolean) => boolean): { node: Node; path: Path } | null {
  if (node === null || node === undefined || path.length > LIMITS.maxNestingDepth + 1) return null;
  if ((isMap(node) || isSeq(node)) && test(node, false)) return { node, path };
  if (isMap(node)) {
    for (const p of node.items) {
      if (!isPair(p)) continue;
      const keyText = isScalar(p.key) ? String(p.key.value) : '';
      if (p.key && test(p.key as Node, true)) return { node: p.key as Node, path: [...path, keyText] };
      const r = findNode(p.value, [...path, keyText], test);
      if (r) return r;
    }
    return null;
  }
  if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const r = findNode(node.items[i], [...path, i], test);
      if (r) return r;
    }
    return null;
  }
  return test(node as Node, false) ? { node: node as Node, path } : null;
}

/**
 * A nest so deep the parser ran out of stack (its own error, or its RESOURCE_EXHAUSTION, or
 * a RangeError while converting): located where the flow nest passes the limit (deepFlowNestAt).
 */
function tooDeepForParser(file: string, text: string): ScenarioError {
  const at = deepFlowNestAt(text, LIMITS.maxNestingDepth) ?? { line: 1, col: 1 };
  return new ScenarioError(file, at, '(root)', `nesting too deep (found more than ${LIMITS.maxNestingDepth} levels, expected at most ${LIMITS.maxNestingDepth})`);
}

/** The parser recursed past the end of the stack (V8's "Maximum call stack size exceeded"). */
function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/\s+at line \d+, column \d+:?$/, '');
}

function maxDepth(value: unknown, depth: number): number {
  if (depth > LIMITS.maxNestingDepth) return depth;
  if (value === null || typeof value !== 'object') return depth;
  let max = depth + 1;
  for (const v of Array.isArray(value) ? value : Object.values(value)) {
    max = Math.max(max, maxDepth(v, depth + 1));
    if (max > LIMITS.maxNestingDepth) break;
  }
  return max;
}

/**
 * Where `path` is in the file: the value's node, or (for a key that is missing) the nearest
 * ancestor that exists. `atKey` points at the key instead of the value (for unknown fields).
 */
export function locate(src: YamlSource, path: Path, atKey = false): SourcePosition | null {
  let node: unknown = src.doc.contents;
  let best: Node | null = (node as Node) ?? null;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      if (last && atKey) {
        best = pair.key as Node;
        break;
      }
      node = pair.value;
      // `key:` with nothing after it: the empty value sits at the end of the line; the key is what to point at.
      const empty = isScalar(node) && node.range !== undefined && node.range !== null && node.range[0] === node.range[1];
      if (node && !empty) best = node as Node;
      else {
        best = pair.key as Node;
        break;
      }
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (!node) break;
      best = node as Node;
    } else break;
  }
  const offset = best?.range?.[0];
  // An empty document has no node at all: its errors are at the start of the file.
  return offset === undefined ? { line: 1, col: 1 } : src.lineCounter.linePos(offset);
}
