import { linkSync, mkdirSync, readFileSync, statSync, symlinkSync, watch } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../sim/cli/errors.js';
import { checkWritable, protectInput, writeFileAtomic } from '../../sim/cli/files.js';
import { lines, runCli, SMALL, useTempDir } from '../cli/helpers.js';
import { expectOneLine, listAll } from './helpers.js';

/**
 * Issue #8, deliverable 3: outputs are written atomically (temp file + rename), an input
 * scenario is never overwritten, and a path that cannot be written is one clear line, exit 2,
 * found before the run, with nothing else written.
 */

/**
 * Failures injected into the file system calls of sim/cli/files.ts (and nothing else): a disk
 * that fills up during the write, or a rename that fails after the temp file is complete.
 */
const inject = vi.hoisted(() => ({ write: null as string | null, rename: null as string | null, fsync: null as string | null }));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const fail = (code: string) => Object.assign(new Error(`${code}: injected failure`), { code });
  return {
    ...real,
    default: real,
    writeSync: (fd: number, data: string) => {
      if (inject.write) {
        real.writeSync(fd, data.slice(0, data.length >> 1)); // half of it made it to disk
        throw fail(inject.write);
      }
      return real.writeSync(fd, data);
    },
    fsyncSync: (fd: number) => {
      if (inject.fsync) throw fail(inject.fsync);
      return real.fsyncSync(fd);
    },
    renameSync: (from: string, to: string) => {
      if (inject.rename) throw fail(inject.rename);
      return real.renameSync(from, to);
    },
  };
});

const tmp = useTempDir('files');
afterEach(() => {
  inject.write = inject.rename = inject.fsync = null;
});

const workdir = (files: Record<string, string> = { 'small.yaml': SMALL }): string => tmp.workdir(files);

const OLD = '<!doctype html><p>the good report of yesterday</p>\n';
const NEW = `<!doctype html>${'<p>a big new report</p>\n'.repeat(50_000)}</html>\n`;

describe('writeFileAtomic: a good old file is replaced only by a complete new one', () => {
  it('a write that succeeds leaves the new content and no temp file', () => {
    const d = workdir({ 'report.html': OLD });
    writeFileAtomic(join(d, 'report.html'), NEW);
    expect(readFileSync(join(d, 'report.html'), 'utf8')).toBe(NEW);
    expect(listAll(d)).toEqual(['report.html']);
  });

  for (const [what, key, code, words] of [
    ['the disk fills up halfway through the write', 'write', 'ENOSPC', 'no space left on device'],
    ['the data cannot be flushed to disk', 'fsync', 'EIO', 'EIO'],
    ['the rename fails after the temp file is complete', 'rename', 'EXDEV', 'EXDEV'],
  ] as const) {
    it(`${what}: the old file is intact, the temp file is gone, one clear error`, () => {
      const d = workdir({ 'report.html': OLD });
      inject[key] = code;
      let error: unknown = null;
      try {
        writeFileAtomic(join(d, 'report.html'), NEW);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toBe(`${join(d, 'report.html')}: cannot write: ${words}`);
      expect(readFileSync(join(d, 'report.html'), 'utf8')).toBe(OLD);
      expect(listAll(d)).toEqual(['report.html']);
    });
  }

  it('a new file that fails to be written leaves nothing at all behind', () => {
    const d = workdir({});
    inject.write = 'ENOSPC';
    expect(() => writeFileAtomic(join(d, 'sub', 'new.json'), '{}')).toThrow(InputError);
    // The folder it made for the file stays (empty); no partial file, no temp file.
    expect(listAll(d)).toEqual(['sub/']);
  });

  it('refuses to overwrite a protected input, even when reached by another path', () => {
    const d = workdir({ 'in.yaml': SMALL });
    symlinkSync(join(d, 'in.yaml'), join(d, 'alias.yaml'));
    protectInput(join(d, 'in.yaml'));
    for (const p of [join(d, 'in.yaml'), join(d, '.', 'in.yaml'), join(d, 'alias.yaml')]) {
      expect(() => writeFileAtomic(p, 'x')).toThrow(/refusing to overwrite an input scenario/);
      expect(() => checkWritable(p)).toThrow(/refusing to overwrite an input scenario/);
    }
    expect(readFileSync(join(d, 'in.yaml'), 'utf8')).toBe(SMALL);
  });
});

describe('outputs through the CLI are written atomically', () => {
  it('a watcher on the output folder never sees the report written in place: only a temp file renamed over it', async () => {
    const cwd = workdir({ 'small.yaml': SMALL, 'small.html': OLD });
    const events: string[] = [];
    const watcher = watch(cwd, (event, file) => events.push(`${event}:${file}`));
    // A reader polling the report all along sees the old file or the whole new one, never a part.
    const seen = new Set<string>();
    const poll = setInterval(() => {
      const text = readFileSync(join(cwd, 'small.html'), 'utf8');
      seen.add(text === OLD ? 'old' : text.endsWith('</html>\n') ? 'new' : `partial (${text.length} characters)`);
    }, 1);
    try {
      const r = await runCli(['run', 'small.yaml', '--out', '.', '--json', 'small.json'], cwd);
      expect(r.code, r.stderr).toBe(0);
      await new Promise((res) => setTimeout(res, 200));
    } finally {
      clearInterval(poll);
      watcher.close();
    }
    // The report is renamed into place (`rename`), never modified under its own name (`change`).
    expect(events).toContain('rename:small.html');
    expect(events).not.toContain('change:small.html');
    expect(events).not.toContain('change:small.json');
    expect(events.some((e) => /^change:\.small\.html\.\d+\.tmp$/.test(e)), events.join(' ')).toBe(true);
    expect([...seen].filter((s) => s.startsWith('partial'))).toEqual([]);
    expect(readFileSync(join(cwd, 'small.html'), 'utf8')).toMatch(/<\/html>\n$/);
    // And no temp or probe file is left.
    expect(listAll(cwd)).toEqual(['small.html', 'small.json', 'small.yaml']);
  });
});

/** Reads a file's bytes and mtime, to prove it was not touched. */
function snapshot(file: string): { bytes: Buffer; mtimeMs: number } {
  return { bytes: readFileSync(file), mtimeMs: statSync(file).mtimeMs };
}

function expectUntouched(file: string, before: { bytes: Buffer; mtimeMs: number }): void {
  const after = snapshot(file);
  expect(after.bytes.equals(before.bytes), `${file} changed`).toBe(true);
  expect(after.mtimeMs).toBe(before.mtimeMs);
}

describe('an input scenario is never overwritten', () => {
  const refused = /^faultline: .+: refusing to overwrite an input scenario \(choose another output path\)$/;

  it('--out such that the default report name is the input (a scenario named small in small.html)', async () => {
    const cwd = workdir({ 'small.html': SMALL });
    const before = snapshot(join(cwd, 'small.html'));
    const r = await runCli(['run', 'small.html', '--out', '.'], cwd);
    expect(r.code, r.stderr).toBe(2);
    expectOneLine(r.stderr, /^faultline: small\.html: refusing to overwrite an input scenario/);
    expectUntouched(join(cwd, 'small.html'), before);
    expect(listAll(cwd)).toEqual(['small.html']);
  });

  it('--json with several scenarios and --out, such that one default JSON name is another input', async () => {
    const cwd = workdir({ 'small.json': SMALL, 'other.yaml': SMALL.replace('name: small', 'name: other') });
    const before = snapshot(join(cwd, 'small.json'));
    const r = await runCli(['run', 'other.yaml', 'small.json', '--json', '--out', '.', '--no-report'], cwd);
    expect(r.code, r.stderr).toBe(2);
    expectOneLine(r.stderr, refused);
    expectUntouched(join(cwd, 'small.json'), before);
    // Nothing was run: not even the first scenario's JSON was written.
    expect(listAll(cwd)).toEqual(['other.yaml', 'small.json']);
  });

  it('--json to a symbolic link to the input', async () => {
    const cwd = workdir();
    symlinkSync('small.yaml', join(cwd, 'link.json'));
    const before = snapshot(join(cwd, 'small.yaml'));
    const r = await runCli(['run', 'small.yaml', '--json', 'link.json', '--no-report'], cwd);
    expect(r.code, r.stderr).toBe(2);
    expectOneLine(r.stderr, /^faultline: link\.json: refusing to overwrite an input scenario/);
    expectUntouched(join(cwd, 'small.yaml'), before);
  });

  it('--json to a hard link of the input: the write replaces the link, the input keeps its content', async () => {
    // A hard link cannot be told from a new file by its path; the atomic rename is what keeps
    // the input safe: it gives the name a new file instead of writing into the shared one.
    const cwd = workdir();
    linkSync(join(cwd, 'small.yaml'), join(cwd, 'hard.json'));
    const before = snapshot(join(cwd, 'small.yaml'));
    const r = await runCli(['run', 'small.yaml', '--json', 'hard.json', '--no-report', '--quiet'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expectUntouched(join(cwd, 'small.yaml'), before);
    expect(JSON.parse(readFileSync(join(cwd, 'hard.json'), 'utf8')).scenario.name).toBe('small');
  });

  it('sweep --json <input> and sweep --report <input>', async () => {
    const cwd = workdir();
    const before = snapshot(join(cwd, 'small.yaml'));
    for (const flags of [['--json', 'small.yaml'], ['--report', './small.yaml']]) {
      const r = await runCli(['sweep', 'small.yaml', '--param', 'traffic.shoppers.rate=5/s,10/s', ...flags], cwd);
      expect(r.code, r.stderr).toBe(2);
      expectOneLine(r.stderr, refused);
    }
    expectUntouched(join(cwd, 'small.yaml'), before);
    expect(listAll(cwd)).toEqual(['small.yaml']);
  });

  it('merge -o <one of its partials>, and merge --report <a partial>', async () => {
    const cwd = workdir();
    for (const k of [1, 2]) {
      const r = await runCli(['run', 'small.yaml', '--shard', `${k}/2`, '--json', `p${k}.json`, '--quiet'], cwd);
      expect(r.code, r.stderr).toBe(0);
    }
    const before = snapshot(join(cwd, 'p1.json'));
    for (const flags of [['-o', 'p1.json'], ['-o', 'merged.json', '--report', 'p1.json']]) {
      const r = await runCli(['merge', 'p1.json', 'p2.json', ...flags], cwd);
      expect(r.code, r.stderr).toBe(2);
      expectOneLine(r.stderr, /^faultline: p1\.json: refusing to overwrite an input/);
    }
    expectUntouched(join(cwd, 'p1.json'), before);
    expect(listAll(cwd)).toEqual(['p1.json', 'p2.json', 'small.yaml']);
  });

  it('report <results.json> -o <results.json>', async () => {
    const cwd = workdir();
    expect((await runCli(['run', 'small.yaml', '--json', 'results.json', '--no-report', '--quiet'], cwd)).code).toBe(0);
    const before = snapshot(join(cwd, 'results.json'));
    const r = await runCli(['report', 'results.json', '-o', 'results.json'], cwd);
    expect(r.code, r.stderr).toBe(2);
    expectOneLine(r.stderr, /^faultline: results\.json: refusing to overwrite/);
    expectUntouched(join(cwd, 'results.json'), before);
  });
});

describe('a path that cannot be written: one clear line, exit 2, found before the run, nothing else written', () => {
  const cases: Array<[string, string[], RegExp]> = [
    // (--json under /proc, under a file, onto a folder, --report and --out under a file: test/cli/cli.test.ts)
    ['--report under /proc, with a good --json beside it', ['run', 'small.yaml', '--json', 'good.json', '--report', '/proc/report.html'], /^faultline: \/proc\/report\.html: cannot write: this folder does not accept new files$/],
    ['--out under /proc', ['run', 'small.yaml', '--out', '/proc/faultline-out'], /^faultline: \/proc\/faultline-out\/small\.html: cannot write: this folder does not accept new files$/],
    ['--report onto a folder', ['run', 'small.yaml', '--json', 'good.json', '--report', 'folder'], /^faultline: folder: cannot write: is a directory$/],
    ['--json with a file name of 300 bytes', ['run', 'small.yaml', '--no-report', '--json', `${'n'.repeat(295)}.json`], /^faultline: n+\.json: cannot write: file name too long \(found 300 bytes, expected at most 255\)$/],
    ['--json under a missing folder under a file', ['run', 'small.yaml', '--no-report', '--json', 'small.yaml/a/b/c.json'], /^faultline: small\.yaml\/a\/b\/c\.json: cannot write: a parent is not a folder$/],
    ['sweep --json under /proc', ['sweep', 'small.yaml', '--param', 'traffic.shoppers.rate=5/s,10/s', '--json', '/proc/sweep.json'], /^faultline: \/proc\/sweep\.json: cannot write: this folder does not accept new files$/],
    ['run --shard --json onto a folder', ['run', 'small.yaml', '--shard', '1/2', '--json', 'folder'], /^faultline: folder: cannot write: is a directory$/],
  ];
  for (const [name, args, re] of cases) {
    it(name, async () => {
      const cwd = workdir();
      mkdirSync(join(cwd, 'folder'));
      const t0 = Date.now();
      const r = await runCli(args, cwd);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expectOneLine(r.stderr, re);
      expect(listAll(cwd)).toEqual(['folder/', 'small.yaml']);
      expect(Date.now() - t0).toBeLessThan(15_000);
    });
  }

  it('merge -o under /proc, and merge --report onto a folder: the merge writes nothing', async () => {
    const cwd = workdir();
    mkdirSync(join(cwd, 'folder'));
    for (const k of [1, 2]) expect((await runCli(['run', 'small.yaml', '--shard', `${k}/2`, '--json', `p${k}.json`, '--quiet'], cwd)).code).toBe(0);
    for (const [flags, re] of [
      [['-o', '/proc/merged.json'], /^faultline: \/proc\/merged\.json: cannot write: this folder does not accept new files$/],
      [['-o', 'merged.json', '--report', 'folder'], /^faultline: folder: cannot write: is a directory$/],
    ] as const) {
      const r = await runCli(['merge', 'p1.json', 'p2.json', ...flags], cwd);
      expect(r.code, r.stderr).toBe(2);
      expectOneLine(r.stderr, re);
    }
    expect(listAll(cwd)).toEqual(['folder/', 'p1.json', 'p2.json', 'small.yaml']);
  });

  it('the error is one line even when the path holds control characters', async () => {
    const cwd = workdir();
    const r = await runCli(['run', 'small.yaml', '--no-report', '--json', 'small.yaml/bad\nname\u001b[31m.json'], cwd);
    expect(r.code, r.stderr).toBe(2);
    // The line break becomes a space, the terminal escape a visible \u001b: no recoloured terminal.
    expect(lines(r.stderr)).toEqual(['faultline: small.yaml/bad name\\u001b[31m.json: cannot write: a parent is not a folder']);
    expect(listAll(cwd)).toEqual(['small.yaml']);
  });
});
