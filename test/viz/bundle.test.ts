import { describe, expect, test } from 'vitest';
import { bundleModules } from '../../viz/bundle.js';
import { pageScript } from '../../viz/assets.js';

/** The page bundler: ES modules in, one classic script out, in dependency order. */

const run = (code: string): unknown => new Function(`${code.replace(/^\(function \(\) \{/, 'return (function () {').replace(/\}\)\(\);\s*$/, '})();')}`)();

describe('bundleModules', () => {
  test('orders modules by their imports and passes named exports, renamed ones too', () => {
    const modules = new Map([
      ['main', "import { twice as double } from './math.js';\nimport { label } from './text.js';\nglobalThis.__out = label(double(21));\n"],
      ['math', 'export function twice(x) {\n  return 2 * x;\n}\n//# sourceMappingURL=math.js.map'],
      ['text', "import { twice } from './math.js';\nexport const label = (x) => `n=${x}/${twice(1)}`;\nexport {};\n"],
    ]);
    const code = bundleModules(modules, 'main');
    expect(code.indexOf('// ---- math.ts')).toBeLessThan(code.indexOf('// ---- text.ts'));
    expect(code.indexOf('// ---- text.ts')).toBeLessThan(code.indexOf('// ---- main.ts'));
    expect(code).not.toMatch(/^\s*(import|export)\b/m);
    expect(code).not.toContain('sourceMappingURL');
    run(code);
    expect((globalThis as Record<string, unknown>).__out).toBe('n=42/2');
  });

  test('leaves out modules the entry does not reach', () => {
    const code = bundleModules(
      new Map([
        ['main', 'const x = 1;\n'],
        ['unused', 'export const y = 2;\n'],
      ]),
      'main',
    );
    expect(code).not.toContain('unused');
  });

  test('refuses an import cycle, a missing module, and syntax it does not understand', () => {
    expect(() => bundleModules(new Map([['a', "import { b } from './b.js';\nexport const a = 1;"], ['b', "import { a } from './a.js';\nexport const b = 1;"]]), 'a')).toThrow(/cycle: a → b → a/);
    expect(() => bundleModules(new Map([['a', "import { b } from './b.js';"]]), 'a')).toThrow(/imports \.\/b\.js, which does not exist/);
    expect(() => bundleModules(new Map([['a', "import * as d3 from 'd3';"]]), 'a')).toThrow(/unsupported module syntax/);
    expect(() => bundleModules(new Map([['a', 'export default 1;']]), 'a')).toThrow(/unsupported module syntax/);
  });

  test('bundles the real page code into a script that parses', () => {
    const code = pageScript();
    expect(code.length).toBeGreaterThan(10_000);
    expect(() => new Function(code)).not.toThrow();
    expect(code).not.toMatch(/<\/script/i);
  });
});
