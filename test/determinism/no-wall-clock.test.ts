import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { REPO } from '../helpers/cli.js';

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('the simulator reads no wall clock and no unseeded randomness', () => {
  const files = tsFiles(join(REPO, 'sim')).filter((f) => !relative(REPO, f).startsWith(join('sim', 'cli')));

  it('the lint rule (eslint.config.js) passes on sim/ outside sim/cli', async () => {
    const eslint = new ESLint({ cwd: REPO });
    const results = await eslint.lintFiles(files);
    const problems = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'no-restricted-properties' || m.ruleId === 'no-restricted-globals').map((m) => `${relative(REPO, r.filePath)}:${m.line} ${m.message}`));
    expect(problems).toEqual([]);
  });

  it('and the rule itself catches each forbidden use', async () => {
    const eslint = new ESLint({ cwd: REPO });
    const probe = ['Math.random()', 'Date.now()', 'new Date()', 'setTimeout(() => 0, 1)', 'setInterval(() => 0, 1)', 'performance.now()'];
    for (const code of probe) {
      const [r] = await eslint.lintText(`export const x = ${code};\n`, { filePath: join(REPO, 'sim', 'engine', 'probe.ts') });
      expect(r.messages.some((m) => m.ruleId === 'no-restricted-properties' || m.ruleId === 'no-restricted-globals'), code).toBe(true);
    }
    // …but not in the CLI, which may time a run for its progress bar.
    const [cli] = await eslint.lintText('export const x = Date.now();\n', { filePath: join(REPO, 'sim', 'cli', 'probe.ts') });
    expect(cli.messages.filter((m) => m.ruleId?.startsWith('no-restricted'))).toEqual([]);
  });

  it('no source file in sim/ (outside the CLI) even mentions them', () => {
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(text, relative(REPO, f)).not.toMatch(/Math\.random|Date\.now|new Date\(|setTimeout|setInterval|performance\.now/);
    }
  });
});
