/**
 * The copy of a trace log a user asked for (`--trace-out`, `ioana trace --out`), written
 * as the log comes, whichever back end writes it. A copy that could not be written whole
 * stops there and says why (a full disk); the analysis goes on with the whole log.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export interface LogCopy {
  /** Appends text (bytes as latin1 characters). */
  write(text: string): void;
  close(): void;
  /** Why the copy is incomplete, if it is. */
  problem(): string | undefined;
}

/** A copy at `path` (mode 0600), or one that writes nothing when `path` is undefined. */
export function logCopy(path: string | undefined): LogCopy {
  let fd: number | undefined = path === undefined ? undefined : openSync(path, 'w', 0o600);
  let problem: string | undefined;
  const close = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  return {
    write: (text) => {
      if (fd === undefined) return;
      try {
        writeSync(fd, text, null, 'latin1');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        problem = code === 'ENOSPC' ? 'no space left on its disk' : (error as Error).message;
        close();
      }
    },
    close,
    problem: () => problem,
  };
}
