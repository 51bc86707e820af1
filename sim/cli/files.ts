import { accessSync, closeSync, constants, existsSync, fsyncSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from './errors.js';

/** Files that must never be overwritten: the scenarios this command reads. */
const protectedInputs = new Set<string>();

export function protectInput(path: string): void {
  protectedInputs.add(canonical(path));
}

function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    // Not there (yet): resolve its folder, which may exist.
    try {
      return join(realpathSync(dirname(resolve(path))), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

/** Temp files being written, removed if the process is interrupted. */
const inProgress = new Set<string>();

export function removeTempFiles(): void {
  for (const t of inProgress) rmSync(t, { force: true });
  inProgress.clear();
}

/**
 * Checks, before a run that may take minutes, that `path` can be written afterwards: it is not
 * an input scenario, not a folder, and its folder exists or can be made. The write itself still
 * reports anything this cannot foresee (a full disk, a file system that refuses new files).
 */
export function checkWritable(path: string): void {
  const target = canonical(path);
  if (protectedInputs.has(target)) {
    throw new InputError(`${path}: refusing to overwrite an input scenario (choose another output path)`);
  }
  if (existsSync(target) && statSync(target).isDirectory()) throw new InputError(`${path}: cannot write: is a directory`);
  let dir = dirname(target);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  if (!statSync(dir).isDirectory()) throw new InputError(`${path}: cannot write: a parent is not a folder`);
  try {
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new InputError(`${path}: cannot write: ${describe(e)}`);
  }
}

/**
 * Writes a file atomically: the content goes to a temp file beside it, which is then renamed
 * over the target, so a reader (or an interrupted run) never sees a partial file, and a good
 * old file is replaced only by a complete new one.
 */
export function writeFileAtomic(path: string, content: string): void {
  const target = canonical(path);
  if (protectedInputs.has(target)) {
    throw new InputError(`${path}: refusing to overwrite an input scenario (choose another output path)`);
  }
  try {
    if (statSync(target).isDirectory()) throw new InputError(`${path}: cannot write: is a directory`);
  } catch (e) {
    if (e instanceof InputError) throw e;
  }
  const dir = dirname(target);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    // EEXIST from a recursive mkdir: something on the way is a file.
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${path}: cannot write: ${code === 'EEXIST' || code === 'ENOTDIR' ? 'a parent is not a folder' : describe(e)}`);
  }
  const tmp = join(dir, `.${basename(target)}.${process.pid}.tmp`);
  inProgress.add(tmp);
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    // The folder exists (it was just made): ENOENT here means this file system makes no new files (/proc, /sys).
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${path}: cannot write: ${code === 'ENOENT' ? 'this folder does not accept new files' : describe(e)}`);
  } finally {
    inProgress.delete(tmp);
  }
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such folder';
    case 'ENOTDIR':
      return 'a parent is not a folder';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EISDIR':
      return 'is a directory';
    default:
      return err.code ?? err.message;
  }
}
