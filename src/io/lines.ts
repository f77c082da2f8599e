/**
 * Reading a log file as lines, at the edge. Chunks of 256 KiB are split by hand: this
 * is faster than node's readline and lets the parser run synchronously per chunk
 * instead of awaiting once per line. Chunks stay below 1 MiB, where node would hand
 * them over as external strings, whose memory V8 gives back later than its own (a
 * 2.4 M-line log peaked at 416 MB resident with 1 MiB chunks, 365 MB with these).
 *
 * Lines are decoded as latin1: one character per byte. strace escapes every byte it
 * does not print as ASCII, so a log is ASCII; a stray byte ≥ 0x80 stays that byte
 * (the parser's string decoder turns byte sequences into UTF-8 where they are), and
 * no time goes into UTF-8 decoding of what is ASCII anyway.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { LineSource, ReadProgress } from '../pipeline/index.js';
import { InputError } from '../vocabulary/errors.js';
import { checkMemory } from './memory.js';

/**
 * No line of strace's is longer than this (its strings are cut at `-s`; a whole argv of
 * ARG_MAX bytes, escaped, stays below it): a longer one means the file is not a strace
 * log (`--trace /dev/zero` has no newline at all), and reading stops there.
 */
export const MAX_LINE = 16 * 1024 * 1024;
const CHUNK = 256 * 1024;

/** Chunks in, lines out: the unfinished end of a chunk waits for the next one. */
export class LineSplitter {
  private partial = '';
  lines = 0;

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    checkMemory();
    let from = 0;
    let nl = chunk.indexOf('\n');
    if (nl >= 0 && this.partial !== '') {
      this.emit(this.partial + chunk.slice(0, nl));
      this.partial = '';
      from = nl + 1;
      nl = chunk.indexOf('\n', from);
    }
    while (nl >= 0) {
      this.emit(chunk.slice(from, nl));
      from = nl + 1;
      nl = chunk.indexOf('\n', from);
    }
    this.partial += chunk.slice(from);
    if (this.partial.length > MAX_LINE) {
      throw new InputError(
        `line ${this.lines + 1} of the trace log is longer than ${MAX_LINE / 1024 / 1024} MiB: this is not a strace log.`,
        {
          hint: 'Give --trace a log strace wrote (ioana trace --out LOG -- COMMAND, or --trace-out of check and update).',
        },
      );
    }
  }

  /** A last line without a newline is a line too. */
  end(): void {
    if (this.partial !== '') this.emit(this.partial);
    this.partial = '';
  }

  private emit(line: string): void {
    this.lines++;
    this.onLine(line);
  }
}

/**
 * Calls `onLine` for every line of the file, without the newline; a last line without
 * a newline is a line too. `onChunk` is called after each chunk (for a progress line).
 */
export async function forEachLine(path: string, onLine: (line: string) => void, onChunk?: (progress: ReadProgress) => void): Promise<void> {
  const splitter = new LineSplitter(onLine);
  let bytes = 0;
  const stream = createReadStream(path, { encoding: 'latin1', highWaterMark: CHUNK });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      bytes += chunk.length;
      splitter.push(chunk);
      onChunk?.({ bytes, lines: splitter.lines });
    }
  } catch (error) {
    throw readError(path, error);
  }
  splitter.end();
}

/** The same lines as an async sequence, for `parseTrace()`. */
export async function* readLines(path: string): AsyncGenerator<string> {
  const batch: string[] = [];
  const splitter = new LineSplitter((line) => batch.push(line));
  const stream = createReadStream(path, { encoding: 'latin1', highWaterMark: CHUNK });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      splitter.push(chunk);
      yield* batch.splice(0);
    }
  } catch (error) {
    throw readError(path, error);
  }
  splitter.end();
  yield* batch.splice(0);
}

function readError(path: string, error: unknown): Error {
  if (error instanceof InputError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(`trace log not found: ${path}`, { hint: 'Check the path given to --trace.' });
  if (code === 'EISDIR') return new InputError(`trace log is a directory: ${path}`, { hint: 'Give the path of a strace log file.' });
  if (code === 'EACCES') return new InputError(`trace log is not readable: ${path}`, { hint: "Check the file's permissions." });
  return new InputError(`could not read trace log ${path}: ${(error as Error).message}`);
}

/** How often to look for more of a log that is still being written. */
const FOLLOW_POLL_MS = 20;

/**
 * Like `forEachLine`, for a log that strace is still writing: reads what is there,
 * waits for more, and ends once `finished` has resolved and everything written has
 * been read. The analysis runs alongside the build instead of after it.
 */
export async function followLines(
  path: string,
  onLine: (line: string) => void,
  finished: Promise<unknown>,
  onChunk?: (progress: ReadProgress) => void,
): Promise<void> {
  let done = false;
  void finished.then(
    () => (done = true),
    () => (done = true),
  );
  const sleep = () => new Promise((r) => setTimeout(r, FOLLOW_POLL_MS));
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  while (!handle) {
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw readError(path, error);
      // strace creates the log when it starts; if it never does, there is nothing to read.
      if (done) return;
      await sleep();
    }
  }
  const splitter = new LineSplitter(onLine);
  const buffer = Buffer.allocUnsafe(CHUNK);
  let position = 0;
  try {
    while (true) {
      const wasDone = done;
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
      if (bytesRead === 0) {
        // Only a read that started after the end was known can say "no more".
        if (wasDone) break;
        await sleep();
        continue;
      }
      position += bytesRead;
      splitter.push(buffer.toString('latin1', 0, bytesRead));
      onChunk?.({ bytes: position, lines: splitter.lines });
    }
  } finally {
    await handle.close();
  }
  splitter.end();
}

/** A log file that is complete, as the pipeline reads lines. */
export const logFile =
  (path: string): LineSource =>
  (onLine, onChunk) =>
    forEachLine(path, onLine, onChunk);

/** A log strace is writing: read as it grows, until `finished` (strace's end) and the last byte. */
export const growingLog =
  (path: string, finished: Promise<unknown>): LineSource =>
  (onLine, onChunk) =>
    followLines(path, onLine, finished, onChunk);
