import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledScenarios, cli, REPO, tempDir } from '../helpers/cli.js';

describe('determinism', () => {
  // Every bundled scenario, and a fixture with every policy, queue feature and fault kind on.
  for (const file of [...bundledScenarios(), join(REPO, 'test', 'fixtures', 'kitchen-sink.yaml')]) {
    it(`${basename(file)}: two runs give byte-identical JSON`, () => {
      const dir = tempDir();
      const outs = ['a.json', 'b.json'].map((name, i) => {
        // Different worker counts too: results must not depend on who ran what.
        const r = cli(['run', file, '--json', join(dir, name), '--no-report', '--quiet', '--replications', '2', '--jobs', String(i + 1)], dir);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        return readFileSync(join(dir, name));
      });
      expect(outs[0].length).toBeGreaterThan(1000);
      expect(outs[0].equals(outs[1])).toBe(true);
    });
  }
});
