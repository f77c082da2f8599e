/**
 * Typed errors that carry what the user needs: where, what, and what to do. Only the
 * edges (cli.ts, main.ts) turn them into exit statuses or a failed step.
 */
import { constants } from 'node:os';

/** Exit statuses of the CLI (docs/architecture.md §2.1). */
export const EXIT = {
  /** No failing findings. */
  ok: 0,
  /** Failing findings. */
  findings: 1,
  /** Usage, configuration, baseline or environment error: nothing was written. */
  usage: 2,
  /** The traced command itself failed; the report is still produced. */
  buildFailed: 3,
} as const;

/** ioana itself was interrupted (SIGINT, SIGTERM): 128 + the signal's number, as a shell reports it (130, 143). */
export function signalExit(signal: string): number {
  return 128 + (constants.signals[signal as NodeJS.Signals] ?? 0);
}

export class IoanaError extends Error {
  /** The exit status the CLI uses for this error. */
  readonly exitCode: number;
  /** What to do about it, one sentence. */
  readonly hint?: string;

  constructor(message: string, options: { exitCode?: number; hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? EXIT.usage;
    this.hint = options.hint;
  }
}

/** Bad command line. */
export class UsageError extends IoanaError {}

/** strace is missing, too old, or not allowed to trace. */
export class TraceSetupError extends IoanaError {}

/** A file we were asked to read could not be read. */
export class InputError extends IoanaError {}

/** `message` plus the hint, as printed by the CLI: `ioana: … \n  hint: …`. */
export function describeError(error: unknown): string {
  if (error instanceof IoanaError) return error.hint ? `${error.message}\n  ${error.hint}` : error.message;
  if (error instanceof Error) return `internal error: ${error.message}`;
  return `internal error: ${String(error)}`;
}
