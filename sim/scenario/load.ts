import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { formatPath, ScenarioError, ScenarioErrors, type Issue, type Path } from './errors.js';
import { LIMITS } from './limits.js';
import { normalize } from './normalize.js';
import { isRecord } from './reader.js';
import { checkReferences } from './references.js';
import { locate, parseYaml, type YamlSource } from './source.js';
import type { Scenario, ScenarioSet, Variant } from './types.js';
import { applyPatches, parsePatchPath, type Patch } from './variants.js';

/** Reads, parses and validates a scenario file and its variants. Throws ScenarioErrors for bad input. */
export function loadScenarioFile(file: string, options: LoadOptions = {}): ScenarioSet {
  return loadScenarioText(readScenarioText(file), file, options);
}

/** A scenario file's text, within the size limit; a located error when it cannot be read. */
export function readScenarioText(file: string): string {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new ScenarioErrors([new ScenarioError(file, null, '(file)', 'is a directory (expected a scenario .yaml file)')]);
    size = st.size;
  } catch (e) {
    if (e instanceof ScenarioErrors) throw e;
    throw new ScenarioErrors([new ScenarioError(file, null, '(file)', `cannot read scenario (${whyUnreadable(e)})`)]);
  }
  if (size > LIMITS.maxFileBytes) {
    throw new ScenarioErrors([
      new ScenarioError(file, null, '(file)', `file too large (found ${size} bytes, expected at most ${LIMITS.maxFileBytes})`),
    ]);
  }
  // Read at most one byte over the limit: a device or a pipe (/dev/zero, a FIFO) has no size
  // to check first and may never end.
  const chunks: Buffer[] = [];
  let total = 0;
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(64 * 1024);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > LIMITS.maxFileBytes) break;
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
  } catch (e) {
    throw new ScenarioErrors([new ScenarioError(file, null, '(file)', `cannot read scenario (${whyUnreadable(e)})`)]);
  } finally {
    if (fd !== null) closeSync(fd);
  }
  if (total > LIMITS.maxFileBytes) {
    throw new ScenarioErrors([new ScenarioError(file, null, '(file)', `file too large (found more than ${LIMITS.maxFileBytes} bytes, expected at most ${LIMITS.maxFileBytes})`)]);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function whyUnreadable(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
}

/**
 * Patches applied on top of the scenario and of every variant — a sweep's value. Problems in
 * them are reported against `label` (e.g. `--param traffic.users.rate=9/s`), not a file position.
 */
export interface Overlay {
  label: string;
  patches: Patch[];
}

export interface LoadOptions {
  overlay?: Overlay;
}

/** Parses and validates scenario text; `file` names it in errors. */
export function loadScenarioText(text: string, file: string, options: LoadOptions = {}): ScenarioSet {
  if (text.length > LIMITS.maxFileBytes) {
    throw new ScenarioErrors([new ScenarioError(file, null, '(file)', `file too large (found ${text.length} characters, expected at most ${LIMITS.maxFileBytes})`)]);
  }
  let src: YamlSource;
  try {
    src = parseYaml(text, file);
  } catch (e) {
    if (e instanceof ScenarioError) throw new ScenarioErrors([e]);
    throw e;
  }
  const overlayPatches = options.overlay?.patches ?? [];
  const located = (issues: Issue[], variant?: { name: string; patches: Patch[] }) =>
    issues.map((issue) => overlayIssue(file, issue, options.overlay) ?? locateIssue(src, issue, variant));

  let raw: Record<string, any> = src.data as Record<string, any>;
  if (overlayPatches.length > 0 && isRecord(src.data)) {
    const over = applyPatches(src.data, overlayPatches);
    if (over.issues.length > 0) {
      throw new ScenarioErrors(over.issues.map((i) => new ScenarioError(file, null, options.overlay!.label, i.message)));
    }
    raw = over.data;
  }
  const base = validate(raw);
  if (!base.scenario) throw new ScenarioErrors(located(base.issues));

  const variantsRaw = (raw.variants ?? {}) as Record<string, Record<string, any>>;
  const errors: ScenarioError[] = [];
  const names = Object.keys(variantsRaw);
  if (names.length > LIMITS.maxVariants) {
    throw new ScenarioErrors(located([{ path: ['variants'], message: `too many variants (found ${names.length}, expected at most ${LIMITS.maxVariants})` }]));
  }
  if (names.includes('baseline')) {
    errors.push(...located([{ path: ['variants', 'baseline'], message: 'the name baseline is reserved for the scenario as written' }]));
  }
  const variants: Variant[] = [];
  for (const name of names) {
    const chain = extendsChain(name, variantsRaw);
    if ('error' in chain) {
      errors.push(...located([{ path: ['variants', name, 'extends'], message: chain.error }]));
      continue;
    }
    const patches: Patch[] = [];
    const pathIssues: Issue[] = [];
    for (const v of chain) {
      for (const [key, value] of Object.entries((variantsRaw[v].set ?? {}) as Record<string, unknown>)) {
        const path = parsePatchPath(key);
        if (!path) pathIssues.push({ path: ['variants', v, 'set', key], message: `bad path ${JSON.stringify(key)} (expected e.g. services.api.endpoints.get.steps[0].timeout)` });
        else patches.push({ key, path, value });
      }
    }
    if (pathIssues.length > 0) {
      errors.push(...located(pathIssues));
      continue;
    }
    // The overlay (a swept value) goes on top of the variant's own patches.
    const patched = applyPatches(src.data as Record<string, any>, [...patches, ...overlayPatches]);
    if (patched.issues.length > 0) {
      errors.push(...patched.issues.map((i) => locateIssue(src, { path: ['variants', name, 'set', i.path[0]], message: i.message }, { name, patches: [] }, true)));
      continue;
    }
    delete patched.data.variants;
    const result = validate(patched.data);
    if (!result.scenario) {
      errors.push(...located(result.issues, { name, patches }));
      continue;
    }
    variants.push({ name, description: variantsRaw[name].description ?? '', scenario: result.scenario });
  }
  if (errors.length > 0) throw new ScenarioErrors(errors);
  return { file, base: base.scenario, variants };
}

/** An issue inside a value the overlay wrote is the overlay's, reported without a position. */
function overlayIssue(file: string, issue: Issue, overlay: Overlay | undefined): ScenarioError | null {
  if (!overlay) return null;
  for (const p of overlay.patches) {
    if (isPrefix(p.path, issue.path)) return new ScenarioError(file, null, overlay.label, issue.message);
  }
  return null;
}

function validate(data: unknown): { scenario: Scenario | null; issues: Issue[] } {
  const n = normalize(data);
  if (!n.scenario) return n;
  const refIssues = checkReferences(n.scenario);
  return refIssues.length > 0 ? { scenario: null, issues: refIssues } : n;
}

/** The variant and its ancestors, root first; an unknown parent or a loop is an error. */
function extendsChain(name: string, all: Record<string, Record<string, any>>): string[] | { error: string } {
  const chain: string[] = [];
  const seen: string[] = []; // in the order followed, for the message
  let cur: string | undefined = name;
  while (cur !== undefined) {
    if (seen.includes(cur)) return { error: `extends loops: ${[...seen, cur].join(' -> ')} (expected a chain that ends)` };
    seen.push(cur);
    if (!Object.hasOwn(all, cur)) return { error: `unknown variant ${JSON.stringify(cur)} (expected one of: ${Object.keys(all).join(', ')})` };
    chain.unshift(cur);
    cur = all[cur].extends;
  }
  return chain;
}

/**
 * Places an issue in the file. In a variant, an issue inside a patched value points at the
 * `set` entry that wrote it; any other issue points at the base document.
 */
function locateIssue(src: YamlSource, issue: Issue, variant?: { name: string; patches: Patch[] }, raw = false): ScenarioError {
  if (!variant || raw) {
    const atKey = /^unknown field/.test(issue.message) || raw;
    const text = raw && variant ? `variants.${variant.name}.set[${JSON.stringify(String(issue.path[3]))}]` : formatPath(issue.path);
    return new ScenarioError(src.file, locate(src, issue.path, atKey), text, issue.message);
  }
  let docPath: Path = issue.path;
  // The last patch that covers the issue's path wrote the value in question.
  for (const p of [...variant.patches].reverse()) {
    if (isPrefix(p.path, issue.path)) {
      docPath = ['variants', findOwner(src, p.key, variant.name), 'set', p.key, ...issue.path.slice(p.path.length)];
      break;
    }
  }
  return new ScenarioError(src.file, locate(src, docPath), `variants.${variant.name}: ${formatPath(issue.path)}`, issue.message);
}

/** The variant (the named one or an ancestor it extends) whose `set` holds `key`. */
function findOwner(src: YamlSource, key: string, name: string): string {
  const all = ((src.data as any).variants ?? {}) as Record<string, any>;
  let cur: string | undefined = name;
  while (cur !== undefined && Object.hasOwn(all, cur) && isRecord(all[cur])) {
    if (isRecord(all[cur].set) && Object.hasOwn(all[cur].set, key)) return cur;
    cur = all[cur].extends;
  }
  return name;
}

function isPrefix(prefix: Path, path: Path): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => String(s) === String(path[i]));
}
