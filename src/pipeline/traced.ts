/**
 * A build traced and analyzed at once: strace writes the log, the analysis reads it as
 * it grows. When the build's command exits but processes it started keep running
 * (daemons), tracing stops after a grace period, and the command's own exit status is
 * the build's.
 */
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Config } from '../config/index.js';
import { IoanaError, TraceSetupError } from '../errors.js';
import { runTraced, type StraceInfo, type TraceOutcome } from '../trace/index.js';
import { canonicalRun, growingLog, type CanonicalRun } from './analyze.js';
import type { ReadProgress } from '../io/lines.js';

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
    throw new IoanaError(`the file system of the trace log is full (${dirname(logPath)}, ${free} bytes free): the trace may be incomplete, so nothing was compared or written.`, {
      hint: 'Free some space there, or point TMPDIR (or --trace-out) at a disk with room.',
    });
  }
}

/**
 * strace could not start the command at all (it is not there, not executable, or the
 * log could not be created): strace printed why on stderr and exited, and the log holds
 * no program. That is strace's failure, not the build's: no finding is made of it.
 */
export function assertStarted(run: CanonicalRun, outcome: TraceOutcome, command: readonly string[]): void {
  const started = run.analysis.dataflow.images.some((im) => im.process === 0 && im.origin === 'exec');
  if (started || outcome.interrupted) return;
  const how = outcome.signal ? `killed by ${outcome.signal}` : `exit status ${outcome.exitCode}`;
  throw new TraceSetupError(`strace could not start ${JSON.stringify(command[0] ?? '')} (strace: ${how}); its own message is above. Nothing was compared or written.`, {
    hint: 'Check that the command exists and may be executed here, and that the directory of the trace log exists and is writable.',
  });
}

/** How long processes may outlive the build's command before tracing stops. */
export const DAEMON_GRACE_MS = 2000;

export interface TracedBuild {
  readonly outcome: TraceOutcome;
  readonly run: CanonicalRun;
}

export async function traceAndAnalyze(opts: {
  readonly command: readonly string[];
  readonly cwd: string;
  readonly logPath: string;
  readonly strace: StraceInfo;
  readonly workspace: string;
  readonly config: Config;
  readonly control?: boolean;
  readonly onProgress?: (p: ReadProgress) => void;
  readonly graceMs?: number;
}): Promise<TracedBuild> {
  let root: { exitCode?: number; signal?: string } | undefined;
  let stopTracing!: () => void;
  const stop = new Promise<void>((resolve) => (stopTracing = resolve));
  const tracing = runTraced({ command: opts.command, logPath: opts.logPath, strace: opts.strace, cwd: opts.cwd, stop });
  const onRootExit = (status: { exitCode?: number; signal?: string }) => {
    root = status;
    setTimeout(stopTracing, opts.graceMs ?? DAEMON_GRACE_MS).unref();
  };
  const [outcome, run] = await Promise.all([
    tracing,
    canonicalRun(growingLog(opts.logPath, tracing), opts.workspace, opts.config, opts.control ?? false, { onProgress: opts.onProgress, onRootExit }),
  ]);
  stopTracing();
  assertRoomLeft(opts.logPath);
  assertStarted(run, outcome, opts.command);
  if (outcome.detached && root) {
    return { run, outcome: { exitCode: root.signal ? null : (root.exitCode ?? 0), signal: (root.signal as NodeJS.Signals | undefined) ?? null, interrupted: outcome.interrupted, detached: true } };
  }
  return { outcome, run };
}
