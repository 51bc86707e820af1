import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { ScenarioError, type Path, type SourcePosition } from './errors.js';
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
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    // The parser recurses on nesting; hostile input can exhaust the stack.
    throw new ScenarioError(file, { line: 1, col: 1 }, '(root)', `cannot parse YAML (${(e as Error).message})`);
  }
  const err = doc.errors[0];
  if (err) {
    const pos = lineCounter.linePos(err.pos[0]);
    throw new ScenarioError(file, pos, '(root)', `YAML syntax error: ${firstLine(err.message)}`);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: LIMITS.maxAliasCount });
  } catch (e) {
    const msg = (e as Error).message;
    if (/alias/i.test(msg)) {
      throw new ScenarioError(
        file,
        { line: 1, col: 1 },
        '(root)',
        `too many YAML alias expansions (found more than ${LIMITS.maxAliasCount}, expected a document without alias bombs)`,
      );
    }
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
      if (node) best = node as Node;
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
  return offset === undefined ? null : src.lineCounter.linePos(offset);
}
