/**
 * Files at the edge: reading a baseline or config with a clear error, and writing
 * atomically (a temporary file in the same directory, then rename), so that an
 * interrupted write never leaves half a file.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { IoanaError } from '../vocabulary/errors.js';

/** The text of a file, or undefined when it does not exist; other failures are errors. */
export function readTextIfExists(path: string, what: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') throw new IoanaError(`${what} ${path} is a directory.`, { hint: `Give the path of a ${what} file.` });
    throw new IoanaError(`cannot read ${what} ${path}: ${(error as Error).message}`, { hint: "Check the file's permissions." });
  }
}

/** A write error in words: `the directory /x does not exist`, `/x is on a read-only file system`. */
function whyNotWritable(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT'
    ? `the directory ${dirname(path)} does not exist`
    : code === 'EACCES' || code === 'EPERM'
      ? `no permission to write in ${dirname(path)}`
      : code === 'EROFS'
        ? `${dirname(path)} is on a read-only file system`
        : code === 'ENOSPC'
          ? `the disk of ${dirname(path)} is full`
          : (error as Error).message;
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
    throw new IoanaError(`cannot write ${path}: ${whyNotWritable(path, error)}.`, {
      hint: 'Nothing was written; the previous file, if any, is unchanged.',
    });
  }
}

/** How long `withLock` waits for another ioana before giving up. */
export const LOCK_TIMEOUT_MS = 60_000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `fn` holding `PATH.lock` (created exclusively, holding our pid), so that two
 * ioana processes updating one baseline take turns: each reads what the other wrote
 * and merges into it, and no run is lost. A lock whose process is gone is taken over.
 */
export function withLock<T>(path: string, fn: () => T, timeoutMs = LOCK_TIMEOUT_MS): T {
  const lock = `${path}.lock`;
  const deadline = Date.now() + timeoutMs;
  while (true) {
    try {
      const fd = openSync(lock, 'wx', 0o644);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        throw new IoanaError(`cannot write ${path}: ${whyNotWritable(lock, error)}.`, {
          hint: 'Nothing was written; the previous file, if any, is unchanged.',
        });
      }
      let holder = NaN;
      try {
        holder = parseInt(readFileSync(lock, 'utf8'), 10);
      } catch {
        // removed meanwhile: try again
      }
      if (Number.isInteger(holder) && !alive(holder)) {
        try {
          unlinkSync(lock);
        } catch {
          // another process took it over first
        }
        continue;
      }
      if (Date.now() > deadline) {
        throw new IoanaError(`${path} is locked by another ioana (process ${holder}, ${lock}).`, {
          hint: 'Wait for it to finish, or remove the lock file if that process is gone.',
        });
      }
      sleepSync(25 + Math.floor(Math.random() * 25));
    }
  }
  try {
    return fn();
  } finally {
    try {
      unlinkSync(lock);
    } catch {
      // already gone
    }
  }
}
