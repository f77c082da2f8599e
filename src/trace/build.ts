/**
 * A build traced while it is analyzed (the capture edge): strace writes the log, and
 * the pipeline reads it as it grows. When the build's command exits but processes it
 * started keep running (daemons), tracing stops after a grace period, and the command's
 * own exit status is the build's.
 */
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { growingLog } from '../io/lines.js';
import type { AnalyzeHooks, BuildOutcome, LineSource, TracedBuild } from '../pipeline/index.js';
import { IoanaError } from '../vocabulary/errors.js';
import type { StraceInfo } from './preflight.js';
import { runTraced } from './run.js';

/** Less room than this left where the log is: strace may have failed to write some of it. */
export const MIN_FREE_BYTES = 64 * 1024;

/**
 * strace goes on when it cannot write its log (it prints "No space left on device" among
 * the build's output): a full disk would silently cut the trace. After the run, the
 * log's file system must still have room, or the trace is not trusted.
 */
export function assertRoomLeft(logPath: string): void {
  let free: number;
  try {
    const s = statfsSync(dirname(logPath));
    free = s.bavail * s.bsize;
  } catch {
    return;
  }
  if (free < MIN_FREE_BYTES) {
    throw new IoanaError(
      `the file system of the trace log is full (${dirname(logPath)}, ${free} bytes free): the trace may be incomplete, so nothing was compared or written.`,
      {
        hint: 'Free some space there, or point TMPDIR (or --trace-out) at a disk with room.',
      },
    );
  }
}

/** How long processes may outlive the build's command before tracing stops. */
export const DAEMON_GRACE_MS = 2000;

/** A build being traced: the lines of its log as they come, the build for the pipeline, and the hook that stops a tracer waiting on daemons. */
export interface Tracing {
  readonly source: LineSource;
  readonly build: TracedBuild;
  readonly hooks: Pick<AnalyzeHooks, 'onRootExit'>;
}

/** Starts `command` under strace, writing `logPath`. */
export function traceBuild(opts: {
  readonly command: readonly string[];
  readonly cwd: string;
  readonly logPath: string;
  readonly strace: StraceInfo;
  readonly graceMs?: number;
}): Tracing {
  let root: { exitCode?: number; signal?: string } | undefined;
  let stopTracing!: () => void;
  const stop = new Promise<void>((resolve) => (stopTracing = resolve));
  const tracing = runTraced({ command: opts.command, logPath: opts.logPath, strace: opts.strace, cwd: opts.cwd, stop });
  const onRootExit = (status: { exitCode?: number; signal?: string }) => {
    root = status;
    setTimeout(stopTracing, opts.graceMs ?? DAEMON_GRACE_MS).unref();
  };
  const outcome = tracing.then((o): BuildOutcome => {
    stopTracing();
    assertRoomLeft(opts.logPath);
    if (o.detached && root)
      return {
        exitCode: root.signal ? null : (root.exitCode ?? 0),
        signal: root.signal ?? null,
        interrupted: o.interrupted,
        detached: true,
      };
    return o;
  });
  return { source: growingLog(opts.logPath, tracing), build: { command: opts.command, outcome }, hooks: { onRootExit } };
}
