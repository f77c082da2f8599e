/**
 * A build traced while it is analyzed (the capture edge): strace writes the log into a
 * pipe in a private scratch directory, and the pipeline reads it as it comes. When the
 * build's command exits but processes it started keep running (daemons), tracing stops
 * after a grace period, and the command's own exit status is the build's.
 */
import { pipeLog } from '../io/pipe-log.js';
import { scratchDir } from '../io/scratch.js';
import type { AnalyzeHooks, BuildOutcome, LineSource, TracedBuild } from '../pipeline/index.js';
import type { Defects } from './ebpf/render.js';
import type { StraceInfo } from './preflight.js';
import { runTraced } from './run.js';

/** How long processes may outlive the build's command before tracing stops. */
export const DAEMON_GRACE_MS = 2000;

/** A build being traced. */
export interface Tracing {
  /** The lines of its log as they come. */
  readonly source: LineSource;
  readonly build: TracedBuild;
  /** The hook that stops a tracer waiting on daemons. */
  readonly hooks: Pick<AnalyzeHooks, 'onRootExit'>;
  /** ioana's own files the build has no business touching: the log pipe and its directory. */
  readonly own: readonly string[];
  /** Why the copy of the log (`copyTo`) is incomplete, once the log has ended. */
  copyProblem(): string | undefined;
  /**
   * What the capture could not see or confirm (the eBPF back end: lost events, unread
   * strings, unconfirmed names), once the log has ended; undefined for strace, which
   * stops the build rather than lose an event.
   */
  defects?(): Defects;
  /** Removes the scratch directory (call when the analysis is done). */
  done(): void;
}

/** A build to trace, whichever back end traces it. */
export interface BuildToTrace {
  readonly command: readonly string[];
  readonly cwd: string;
  /** The build's environment. Default: ioana's. */
  readonly env?: NodeJS.ProcessEnv;
  /** Keep a copy of the log (strace's format) here. */
  readonly copyTo?: string;
  /** How long processes may outlive the command before tracing stops (DAEMON_GRACE_MS). */
  readonly graceMs?: number;
  readonly probes?: boolean;
  readonly detailed?: boolean;
}

/** Starts `command` under strace; `copyTo` keeps a copy of the raw log. */
export function traceBuild(opts: BuildToTrace & { readonly strace: StraceInfo }): Tracing {
  const scratch = scratchDir();
  let log;
  try {
    log = pipeLog(scratch.path, opts.copyTo);
  } catch (error) {
    scratch.remove();
    throw error;
  }
  let root: { exitCode?: number; signal?: string } | undefined;
  let stopTracing!: () => void;
  const stop = new Promise<void>((resolve) => (stopTracing = resolve));
  const tracing = runTraced({
    command: opts.command,
    logPath: log.path,
    strace: opts.strace,
    cwd: opts.cwd,
    env: opts.env,
    stop,
    probes: opts.probes,
    detailed: opts.detailed,
  });
  const onRootExit = (status: { exitCode?: number; signal?: string }) => {
    root = status;
    setTimeout(stopTracing, opts.graceMs ?? DAEMON_GRACE_MS).unref();
  };
  const ended = tracing.finally(() => log.writerDone());
  const outcome = ended.then((o): BuildOutcome => {
    stopTracing();
    if (o.detached && root)
      return {
        exitCode: root.signal ? null : (root.exitCode ?? 0),
        signal: root.signal ?? null,
        interrupted: o.interrupted,
        detached: true,
      };
    return o;
  });
  return {
    source: log.source,
    build: { command: opts.command, outcome },
    hooks: { onRootExit },
    own: [scratch.path],
    copyProblem: () => log.copyProblem(),
    done: () => scratch.remove(),
  };
}
