/**
 * A build traced by strace while it is analyzed (the capture edge): strace writes the log
 * into a pipe in a private scratch directory, and the pipeline reads it as it comes. When
 * the build's command exits but processes it started keep running (daemons), tracing
 * stops after a grace period, and the command's own exit status is the build's.
 *
 * The build runs behind the wall `separation` says (src/trace/separation.ts), and only
 * once nothing of ioana's can be found by name: strace runs a gate first, which waits on a
 * pipe of ioana's; ioana opens it once strace has opened its log (strace does before it
 * runs anything), removes both pipes' names, and lets the gate go on into the launcher
 * and the build. The build can then open neither the log nor the gate.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeLog } from '../../io/pipe-log.js';
import { scratchDir, type Scratch } from '../../io/scratch.js';
import type { BuildOutcome } from '../../pipeline/index.js';
import { TraceSetupError } from '../../vocabulary/errors.js';
import { buildStdio, DAEMON_GRACE_MS, NO_DEFECTS, type BuildToTrace, type Tracing } from '../contract.js';
import { GATE, restoredEnv, type Separation } from '../separation.js';
import type { StraceInfo } from './preflight.js';
import { runTraced } from './run.js';

/** `-E` settings that give the build its environment back after sudo (secure_path, SUDO_*). */
function commandEnv(separation: Separation | undefined, env: NodeJS.ProcessEnv): string[] {
  const { set, unset } = restoredEnv(separation, env);
  return [...set, ...unset];
}

/** The gate's pipe, in a private directory of its own (not one of ioana's files the build may not touch: it never can). */
function gatePipe(): { scratch: Scratch; path: string } {
  const scratch = scratchDir();
  const path = join(scratch.path, 'gate.fifo');
  try {
    execFileSync('mkfifo', ['-m', '600', path], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    scratch.remove();
    throw new TraceSetupError(`could not make the gate pipe ${path}: ${(error as Error).message}`);
  }
  return { scratch, path };
}

/**
 * Opens the gate once its reader (the gate in the traced command) has: by then strace has
 * its log open. The names go, then the gate is let through. Resolves false when strace
 * ended first (it could not start the command).
 */
async function openGate(gate: string, logPath: string, ended: Promise<unknown>): Promise<boolean> {
  let done = false;
  const writer = open(gate, 'w');
  const first = await Promise.race([writer.then(() => 'gate' as const), ended.then(() => 'ended' as const)]);
  if (first === 'ended') {
    // Unblock the pending open (it waits for a reader), then let it go.
    const reader = openSync(gate, constants.O_RDONLY | constants.O_NONBLOCK);
    await writer.then((w) => w.close()).catch(() => undefined);
    closeSync(reader);
    return false;
  }
  const w = await writer;
  try {
    await rm(logPath, { force: true });
    await rm(gate, { force: true });
    await w.write('\n');
    done = true;
  } finally {
    await w.close();
  }
  return done;
}

/** Starts `command` under strace; `copyTo` keeps a copy of the raw log. */
export function traceBuild(opts: BuildToTrace & { readonly strace: StraceInfo }): Tracing {
  const scratch = scratchDir();
  let log;
  let gate;
  try {
    log = pipeLog(scratch.path, opts.copyTo);
    gate = gatePipe();
  } catch (error) {
    scratch.remove();
    throw error;
  }
  const separation = opts.separation;
  let root: { exitCode?: number; signal?: string } | undefined;
  let stopTracing!: () => void;
  const stop = new Promise<void>((resolve) => (stopTracing = resolve));
  const env = opts.env ?? process.env;
  const tracing = runTraced({
    command: [...GATE, gate.path, ...(separation?.launcher ?? []), ...opts.command],
    logPath: log.path,
    strace: opts.strace,
    tracer: separation?.tracer,
    commandEnv: commandEnv(separation, env),
    cwd: opts.cwd,
    env,
    stop,
    probes: opts.probes,
    detailed: opts.detailed,
    stdio: buildStdio(opts.stdout),
  });
  const gateDir = gate.scratch;
  const gated = openGate(
    gate.path,
    log.path,
    tracing.catch(() => undefined),
  ).finally(() => gateDir.remove());
  const onRootExit = (status: { exitCode?: number; signal?: string }) => {
    root = status;
    setTimeout(stopTracing, opts.graceMs ?? DAEMON_GRACE_MS).unref();
  };
  const ended = tracing.finally(() => log.writerDone());
  const outcome = Promise.all([ended, gated]).then(([o]): BuildOutcome => {
    stopTracing();
    // The build's own command's end (what ioana's launcher returns is its echo, a signal as 128+N).
    if (root)
      return {
        exitCode: root.signal ? null : (root.exitCode ?? 0),
        signal: root.signal ?? null,
        ...(o.interrupted ? { interrupted: o.interrupted } : {}),
        ...(o.detached ? { detached: true } : {}),
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
