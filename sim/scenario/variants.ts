import { show, type Issue, type Path } from './errors.js';
import { isRecord } from './reader.js';

/** One `set` entry: where it is written, its parsed path, and the value to put there. */
export interface Patch {
  key: string;
  path: Path;
  value: unknown;
}

/** `services.gateway.endpoints.checkout.steps[0].timeout` or `links["a->b"].loss` → path segments. */
export function parsePatchPath(text: string): Path | null {
  const out: Array<string | number> = [];
  const re = /\s*(?:\[(\d+)\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]|\[\s*'([^']*)'\s*\]|([^.[\]]+))\s*(\.|(?=\[)|$)/y;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m || m[0].length === 0) return null;
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(JSON.parse(`"${m[2]}"`));
    else if (m[3] !== undefined) out.push(m[3]);
    else out.push(m[4].trim());
    pos = re.lastIndex;
    if (m[5] === '.' && pos >= text.length) return null; // trailing dot
  }
  return out.length > 0 ? out : null;
}

/**
 * Applies patches to a deep copy of the raw scenario. `null` removes a field; a path whose
 * parent does not exist (or, for a removal, whose leaf does not exist) is an error.
 */
export function applyPatches(raw: Record<string, unknown>, patches: Patch[]): { data: Record<string, unknown>; issues: Issue[] } {
  const data = structuredClone(raw);
  const issues: Issue[] = [];
  for (const patch of patches) {
    const { path } = patch;
    let node: any = data;
    let ok = true;
    for (let i = 0; i < path.length - 1; i++) {
      const seg = path[i];
      // Own fields only: `__proto__` or `constructor` in a path must not reach Object.prototype.
      const next = node !== null && typeof node === 'object' && Object.hasOwn(node, seg) ? node[seg] : undefined;
      if (next === undefined || next === null || typeof next !== 'object') {
        const at = describe(path.slice(0, i + 1));
        const message =
          Array.isArray(node) && typeof seg === 'number' && seg >= node.length
            ? `path does not exist: ${at} (${node.length === 0 ? 'found an empty list' : `found a list of ${items(node.length)}, expected an index from 0 to ${node.length - 1}`})`
            : next === undefined || next === null
            ? `path does not exist: ${at} is not in the scenario (found nothing there, expected an existing field; to add it, set ${at} itself)`
            : `path does not exist: ${at} is a value, not a mapping or a list (found ${show(next)} there)`;
        issues.push({ path: [patch.key], message });
        ok = false;
        break;
      }
      node = next;
    }
    if (!ok) continue;
    const leaf = path[path.length - 1];
    if (Array.isArray(node)) {
      if (typeof leaf !== 'number' || leaf > node.length) {
        issues.push({ path: [patch.key], message: `path does not exist: ${describe(path)} (found a list of ${items(node.length)}, expected an index from 0 to ${node.length})` });
        continue;
      }
      if (patch.value === null) {
        if (leaf >= node.length) issues.push({ path: [patch.key], message: `path does not exist: ${describe(path)} (found a list of ${items(node.length)}, nothing to remove)` });
        else node.splice(leaf, 1);
      } else node[leaf] = structuredClone(patch.value);
    } else if (isRecord(node)) {
      if (typeof leaf === 'number') {
        issues.push({ path: [patch.key], message: `path does not exist: ${describe(path.slice(0, -1))} is a mapping, not a list` });
        continue;
      }
      if (patch.value === null) {
        if (!Object.hasOwn(node, leaf)) issues.push({ path: [patch.key], message: `path does not exist: ${describe(path)} (found nothing there to remove)` });
        else delete node[leaf];
      } else {
        // A data field even for a key like `__proto__` (an assignment would change the prototype).
        Object.defineProperty(node, leaf, { value: structuredClone(patch.value), enumerable: true, writable: true, configurable: true });
      }
    }
  }
  return { data, issues };
}

function items(n: number): string {
  return n === 1 ? '1 item' : `${n} items`;
}

function describe(path: Path): string {
  return path.map((s) => (typeof s === 'number' ? `[${s}]` : s)).join('.').replace(/\.\[/g, '[');
}
