import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A tiny bundler for the page code. tsc compiles viz/page/*.ts to ES modules; a report is one
 * file, so this joins them into one classic script: each module becomes a function scope that
 * returns its exports, in dependency order. It understands exactly the forms tsc emits for
 * this code — `import { a, b as c } from './x.js'` and `export function|const|let|class` —
 * and refuses anything else, loudly, rather than guess.
 */
export function bundleModules(modules: Map<string, string>, entry: string): string {
  const parsed = new Map<string, { deps: Array<{ from: string; names: string }>; body: string; exports: string[] }>();
  for (const [name, source] of modules) parsed.set(name, parseModule(name, source));

  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, chain: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new Error(`page modules import each other in a cycle: ${[...chain, name].join(' → ')}`);
    const m = parsed.get(name);
    if (!m) throw new Error(`page module ${chain[chain.length - 1] ?? '?'} imports ./${name}.js, which does not exist`);
    state.set(name, 'visiting');
    for (const d of m.deps) visit(d.from, [...chain, name]);
    state.set(name, 'done');
    order.push(name);
  };
  visit(entry, []);

  const out: string[] = ['(function () {', '"use strict";'];
  for (const name of order) {
    const m = parsed.get(name)!;
    const imports = m.deps.map((d) => `const { ${d.names} } = ${varName(d.from)};`).join('\n');
    out.push(`// ---- ${name}.ts`);
    out.push(`const ${varName(name)} = (function () {\n${imports}\n${m.body.trim()}\nreturn { ${m.exports.join(', ')} };\n})();`);
  }
  out.push('})();');
  return out.join('\n');
}

function varName(module: string): string {
  return `__m_${module.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

const IMPORT_RE = /^import\s*\{([^}]*)\}\s*from\s*'\.\/([A-Za-z0-9_-]+)\.js';?[ \t]*$/gm;
const EXPORT_DECL_RE = /^export\s+((?:async\s+)?function\*?|const|let|class)\s+([A-Za-z_$][\w$]*)/gm;

function parseModule(name: string, source: string): { deps: Array<{ from: string; names: string }>; body: string; exports: string[] } {
  const deps: Array<{ from: string; names: string }> = [];
  let body = source.replace(/^\/\/# sourceMappingURL=.*$/gm, '');
  body = body.replace(IMPORT_RE, (_m, names: string, from: string) => {
    const list = names
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n.length > 0)
      .map((n) => n.replace(/\s+as\s+/, ': '));
    if (list.length > 0) deps.push({ from, names: list.join(', ') });
    return '';
  });
  const exports: string[] = [];
  body = body.replace(EXPORT_DECL_RE, (_m, kw: string, id: string) => {
    exports.push(id);
    return `${kw} ${id}`;
  });
  body = body.replace(/^export\s*\{\s*\};?\s*$/gm, '');
  const leftover = /^\s*(import|export)\b.*$/m.exec(body);
  if (leftover) throw new Error(`page module ${name}.js: unsupported module syntax: ${leftover[0].trim()}`);
  return { deps, body, exports };
}

/** Reads every compiled module of a folder (name without .js → source). */
export function readModules(dir: string): Map<string, string> {
  const modules = new Map<string, string>();
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith('.js')) modules.set(f.slice(0, -3), readFileSync(join(dir, f), 'utf8'));
  }
  return modules;
}
