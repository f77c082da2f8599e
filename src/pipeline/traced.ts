/**
 * A build traced and analyzed at once: strace writes the log, the analysis reads it as
 * it grows. When the build's command exits but processes it started keep running
 * (daemons), tracing stops after a grace period, and the command's own exit status is
 * the build's.
 */
import type { Config } from '../config/index.js';
import { runTraced, type StraceInfo, type TraceOutcome } from '../trace/index.js';
import { canonicalRun, growingLog, type CanonicalRun } from './analyze.js';
import type { ReadProgress } from '../io/lines.js';

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
  if (outcome.detached && root) {
    return { run, outcome: { exitCode: root.signal ? null : (root.exitCode ?? 0), signal: (root.signal as NodeJS.Signals | undefined) ?? null, interrupted: outcome.interrupted, detached: true } };
  }
  return { outcome, run };
}
