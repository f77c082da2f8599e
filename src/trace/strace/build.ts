/**
 * A build traced by strace while it is analyzed (the capture edge): strace writes the log
 * into a pipe in a private scratch directory, and the pipeline reads it as it comes. When
 * the build's command exits but processes it started keep running (daemons), tracing
 * stops after a grace period, and the command's own exit status is the build's.
 */
import { pipeLog } from '../../io/pipe-log.js';
import { scratchDir } from '../../io/scratch.js';
import type { BuildOutcome } from '../../pipeline/index.js';
import { DAEMON_GRACE_MS, NO_DEFECTS, type BuildToTrace, type Tracing } from '../contract.js';
import type { StraceInfo } from './preflight.js';
import { runTraced } from './run.js';

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
    // strace stops the build at every traced call rather than lose one.
    defects: () => NO_DEFECTS,
    done: () => scratch.remove(),
  };
}
