/**
 * Files at the edge: reading a baseline or config with a clear error, and writing
 * atomically (a temporary file in the same directory, then rename), so that an
 * interrupted write never leaves half a file.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { IoanaError } from '../errors.js';

/** The text of a file, or undefined when it does not exist; other failures are errors. */
export function readTextIfExists(path: string, what: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') throw new IoanaError(`${what} ${path} is a directory.`, { hint: `Give the path of a ${what} file.` });
    throw new IoanaError(`cannot read ${what} ${path}: ${(error as Error).message}`, { hint: 'Check the file\'s permissions.' });
  }
}

/** Writes `text` to `path` through a temporary file and a rename. */
export function writeAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already renamed
    }
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? `the directory ${dirname(path)} does not exist` :
      code === 'EACCES' || code === 'EPERM' ? `no permission to write in ${dirname(path)}` :
      code === 'EROFS' ? `${dirname(path)} is on a read-only file system` :
      code === 'ENOSPC' ? 'the disk is full' :
      (error as Error).message;
    throw new IoanaError(`cannot write ${path}: ${why}.`, { hint: 'Nothing was written; the previous file, if any, is unchanged.' });
  }
}
