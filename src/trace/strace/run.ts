/**
 * Runs a command under strace (the capture edge: it spawns processes). The build keeps
 * its terminal output; strace writes its log to a file, never to the build's stderr.
 */
import { spawn, type StdioOptions } from 'node:child_process';
import { TraceSetupError } from '../../vocabulary/errors.js';
import { straceArgs, traceEnv, type TraceOptions } from './command.js';
import { INSTALL_HINT, type StraceInfo } from './preflight.js';
import type { BuildOutcome } from '../../pipeline/index.js';

export interface TraceRunOptions extends Omit<TraceOptions, 'seccomp' | 'callerLocale'> {
  /** What runs strace: `sudo -n -E` for a tracer the build cannot reach (src/trace/separation.ts). Default: nothing. */
  readonly tracer?: readonly string[];
  /** The command and its arguments, run directly (not through a shell). */
  readonly command: readonly string[];
  /** From `preflight()`: which strace, and whether `--seccomp-bpf` works. */
  readonly strace: StraceInfo;
  readonly cwd?: string;
  /** Default: `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Default: `inherit` (the build's output goes where ours goes). */
  readonly stdio?: StdioOptions;
  /**
   * When this resolves, stop tracing: strace is killed, and the processes it still
   * followed (daemons the build left) go on untraced. Used once the command itself has
   * exited, because strace waits for every process it follows.
   */
  readonly stop?: Promise<void>;
}

const FORWARDED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * Runs `strace … -- command` and resolves when it ends. strace exits with the
 * command's status, or dies of the command's signal, so its end is the command's end.
 * SIGINT and SIGTERM sent to ioana are passed on to the whole traced process group.
 */
export function runTraced(opts: TraceRunOptions): Promise<BuildOutcome> {
  const env = opts.env ?? process.env;
  const args = straceArgs({ ...opts, seccomp: opts.strace.seccomp, pidns: opts.strace.pidns, callerLocale: env.LC_ALL }, opts.command);
  return new Promise((resolve, reject) => {
    let interrupted: NodeJS.Signals | undefined;
    // Its own process group, so that one kill() reaches strace and every tracee; strace
    // run on a command blocks fatal signals itself (-I3) and reports the tracees' ends.
    const [program, ...rest] = [...(opts.tracer ?? []), opts.strace.path, ...args];
    const child = spawn(program, rest, {
      cwd: opts.cwd,
      env: traceEnv(env),
      stdio: opts.stdio ?? 'inherit',
      detached: true,
    });
    const forward = (signal: NodeJS.Signals) => {
      interrupted = signal;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // The group is already gone: the build ended on its own.
      }
    };
    let detached = false;
    void opts.stop?.then(() => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      detached = true;
      // strace blocks fatal signals while it runs a command (-I3); only SIGKILL stops it. What the build left
      // running in strace's process group goes with it (a daemon that made a session of its own does not:
      // without a namespace of its own, the result is advisory).
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    });
    const handlers = FORWARDED.map((s) => [s, () => forward(s)] as const);
    for (const [s, h] of handlers) process.on(s, h);
    const cleanup = () => {
      for (const [s, h] of handlers) process.off(s, h);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      cleanup();
      reject(
        error.code === 'ENOENT'
          ? new TraceSetupError(`strace was not found ("${opts.strace.path}").`, { hint: INSTALL_HINT })
          : new TraceSetupError(`could not start strace: ${error.message}`),
      );
    });
    child.on('exit', (exitCode, signal) => {
      cleanup();
      resolve(detached ? { exitCode: null, signal: null, interrupted, detached } : { exitCode, signal, interrupted });
    });
  });
}
