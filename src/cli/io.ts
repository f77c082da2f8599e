/**
 * Where the CLI writes, and how: the console (tests pass their own), colour as the
 * conventions say, `-` meaning standard output, and a progress line on a terminal.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../vocabulary/errors.js';
import { writeAtomic } from '../io/files.js';
import type { ReadProgress } from '../pipeline/index.js';

/** Where the CLI writes; tests pass their own. */
export interface Console {
  out(text: string): void;
  err(text: string): void;
}

export const processConsole: Console = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/**
 * Colours: never with `NO_COLOR` (no-color.org), always with `FORCE_COLOR` (other than
 * `0`/`false`), else only on a terminal that is not `TERM=dumb`.
 */
export function useColor(env: NodeJS.ProcessEnv = process.env, tty = Boolean(process.stdout.isTTY)): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return tty && env.TERM !== 'dumb';
}

/** `-` is standard output, for options that name a file to write (`--json -`). */
export const STDOUT = '-';

/**
 * Checks, before anything runs, that a file can be written where `option` says: its
 * directory exists and is writable. `-` (standard output) always can.
 */
export function assertWritable(option: string, path: string | undefined): void {
  if (path === undefined || path === STDOUT) return;
  const dir = dirname(resolve(path));
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // missing: said below
  }
  if (!isDir)
    throw new UsageError(`--${option} ${path}: the directory ${dir} does not exist.`, {
      hint: `Create it first (mkdir -p ${dir}), or give another path.`,
    });
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'EROFS' ? `${dir} is on a read-only file system` : `no permission to write in ${dir}`;
    throw new UsageError(`--${option} ${path}: ${why}.`, { hint: 'Nothing was written. Give a path in a directory you can write to.' });
  }
}

/** Writes `text` to `path` (atomically), or to standard output for `-`. */
export function writeOutput(path: string, text: string, io: Console): void {
  if (path === STDOUT) io.out(text);
  else writeAtomic(resolve(path), text);
}

/**
 * A progress line on stderr while a long log is analyzed, on a terminal only:
 * `ioana: analyzing the trace… 48 MB, 412,000 lines`, erased when done.
 */
export function progressLine(io: Console): { onProgress?: (p: ReadProgress) => void; done: () => void } {
  if (!process.stderr.isTTY) return { done: () => undefined };
  let last = 0;
  let shown = false;
  return {
    onProgress: (p) => {
      const now = Date.now();
      if (now - last < 250 || p.bytes < 8 * 1024 * 1024) return;
      last = now;
      shown = true;
      io.err(`\rioana: analyzing the trace… ${(p.bytes / 1e6).toFixed(0)} MB, ${p.lines.toLocaleString('en')} lines`);
    },
    done: () => {
      if (shown) io.err('\r\u001b[K');
    },
  };
}
