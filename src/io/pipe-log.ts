/**
 * The trace log as a named pipe (FIFO) in a private directory: strace writes into it
 * and ioana reads it as it comes, so the log never reaches a disk. A build cannot cut
 * the trace by filling the disk for a moment, and no raw log (which holds every
 * argument unredacted) is left behind by a killed run. A copy is written only when one
 * is asked for (`--trace-out`), and a copy that could not be written whole says so.
 *
 * Reading a FIFO without hanging: the reader is opened non-blocking, and ioana holds a
 * writer of its own (close-on-exec, so the build never gets it) until strace has ended;
 * only then can the reader see the end of the log, after everything strace wrote.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import type { LineSource } from '../pipeline/index.js';
import { IoanaError } from '../vocabulary/errors.js';
import { LineSplitter } from './lines.js';
import { logCopy } from './log-copy.js';

export interface PipeLog {
  /** Where strace writes (`-o`). */
  readonly path: string;
  /** The log's lines; they end once `writerDone()` was called and strace's last line was read. */
  readonly source: LineSource;
  /** strace has ended: the log ends when what it wrote is read. */
  writerDone(): void;
  /** Why the copy (`copyTo`) is incomplete, if it is. */
  copyProblem(): string | undefined;
}

/**
 * A FIFO `trace.fifo` in `dir` (a private directory of the run), read as lines;
 * every byte is also written to `copyTo` when given.
 */
export function pipeLog(dir: string, copyTo?: string): PipeLog {
  const path = join(dir, 'trace.fifo');
  try {
    execFileSync('mkfifo', ['-m', '600', path], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    throw new IoanaError(
      `could not make the trace pipe ${path}: ${(error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message}`,
      {
        hint: 'ioana needs mkfifo (coreutils) and a writable temporary directory (TMPDIR).',
      },
    );
  }
  const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  let guard: number | undefined = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  const copy = logCopy(copyTo);
  const source: LineSource = (onLine, onChunk) =>
    new Promise((resolve, reject) => {
      const splitter = new LineSplitter(onLine);
      const stream = new Socket({ fd: reader, readable: true, writable: false });
      stream.setEncoding('latin1');
      let bytes = 0;
      // A log that cannot be read on (a line over MAX_LINE) is still drained, so strace never
      // blocks on a full pipe; the error ends the analysis once the build is over.
      let failure: unknown;
      stream.on('data', (chunk: string) => {
        bytes += chunk.length;
        copy.write(chunk);
        if (failure !== undefined) return;
        try {
          splitter.push(chunk);
          onChunk?.({ bytes, lines: splitter.lines });
        } catch (error) {
          failure = error;
        }
      });
      stream.on('end', () => {
        copy.close();
        if (failure !== undefined) return reject(failure as Error);
        splitter.end();
        resolve();
      });
      stream.on('error', reject);
    });
  return {
    path,
    source,
    writerDone: () => {
      if (guard !== undefined) closeSync(guard);
      guard = undefined;
    },
    copyProblem: () => copy.problem(),
  };
}
