import { accessSync, closeSync, constants, readFileSync, existsSync, fsyncSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
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
  for (const t of inProgress) removeQuietly(t);
  inProgress.clear();
}

/** Cleaning up must never fail the command: a temp file that cannot be removed is left. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // nothing more to do
  }
}

/** Longest file name most file systems take, in bytes. */
const MAX_NAME_BYTES = 255;

/**
 * The temp file beside `target`: hidden, named after it, and short enough to be a valid name
 * even when the target's own name is near the limit.
 */
function tempPath(dir: string, target: string, what = 'tmp'): string {
  return join(dir, `.${[...basename(target)].slice(0, 50).join('')}.${process.pid}.${what}`);
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
  const bytes = Buffer.byteLength(basename(target));
  if (bytes > MAX_NAME_BYTES) throw new InputError(`${path}: cannot write: file name too long (found ${bytes} bytes, expected at most ${MAX_NAME_BYTES})`);
  if (existsSync(target) && statSync(target).isDirectory()) throw new InputError(`${path}: cannot write: is a directory`);
  let dir = dirname(target);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  if (!statSync(dir).isDirectory()) throw new InputError(`${path}: cannot write: a parent is not a folder`);
  try {
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new InputError(`${path}: cannot write: ${describe(e)}`);
  }
  // Permissions do not tell everything (root may write anywhere, yet /proc makes no new files;
  // a read-only mount): create and remove a probe file where the output will go.
  const probe = tempPath(dir, target, 'probe');
  inProgress.add(probe);
  try {
    closeSync(openSync(probe, 'w'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${path}: cannot write: ${code === 'ENOENT' ? 'this folder does not accept new files' : describe(e)}`);
  } finally {
    removeQuietly(probe);
    inProgress.delete(probe);
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
  const tmp = tempPath(dir, target);
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
    removeQuietly(tmp);
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
    case 'ENAMETOOLONG':
      return 'file name too long';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return err.code ?? err.message;
  }
}

/**
 * Reads a file faultline wrote (results, a partial): a regular file only, since a device or a
 * pipe (/dev/zero) could be read for ever. Any failure is one InputError line.
 */
export function readOwnFile(file: string, what: string): string {
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new InputError(`${file}: cannot read: is a directory`);
    if (!st.isFile()) throw new InputError(`${file}: not ${what} (not a regular file)`);
    return readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : describe(e)}`);
  }
}
