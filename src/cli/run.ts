/**
 * What `check`, `update` and `explain` share (the CLI's edge): the configuration, the
 * run's context read from this machine, every path and the command checked before
 * anything runs, and the log's lines, from a recorded file or from strace as it writes.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_CONFIG_FILE, type Config } from '../config/index.js';
import { environmentRedactor, machineRoots } from '../host/environment.js';
import { collectGarbage } from '../io/memory.js';
import { setuidPrograms } from '../host/privileges.js';
import { taggedCaches } from '../host/cache-tags.js';
import { interference } from '../host/inspector.js';
import { loadConfigFile } from '../io/project-files.js';
import { trackedFiles } from '../io/sources.js';
import type { AnalyzeHooks, RunContext, RunResult, TraceSource, TracedBuild } from '../pipeline/index.js';
import { acceptCommand } from '../report/index.js';
import {
  chooseBackend,
  chooseSeparation,
  NO_SEPARATION,
  reportedSeparation,
  captureMode,
  DAEMON_GRACE_MS,
  refuseIncomplete,
  resolveCommand,
  startTrace,
  traceFile,
  type Separation,
} from '../trace/index.js';
import { UsageError } from '../vocabulary/errors.js';
import { assertWritable, progressLine, type Console } from './io.js';
import type { RunOptions, TraceFlags } from './options.js';

/** `--config FILE`, else `.ioana.yml` in the workspace when it exists, else the defaults. */
export function loadConfig(opts: { readonly config?: string; readonly workspace: string }): Config {
  return loadConfigFile(opts.config ? resolve(opts.config) : join(opts.workspace, DEFAULT_CONFIG_FILE), opts.config !== undefined);
}

/** This machine's roots and secrets, with the run's workspace and ioana's own files of the run. */
export function runContext(
  opts: { readonly workspace: string; readonly control?: boolean },
  run?: Pick<LogRun, 'own' | 'sources' | 'separation' | 'capture'>,
): RunContext {
  const roots = machineRoots();
  return {
    workspace: opts.workspace,
    roots,
    redactor: environmentRedactor(),
    control: opts.control,
    own: run?.own,
    sources: run?.sources,
    // Asked only about a build ioana ran: a recorded log's programs may not be this machine's.
    setuid: setuidPrograms,
    cacheTags: (paths) => taggedCaches(paths, opts.workspace, roots.caches),
    interference,
    ...(run?.separation && run.capture ? { separation: reportedSeparation(run.separation, run.capture) } : {}),
  };
}

/**
 * Everything that can be checked before the build runs, so that a mistake costs no
 * build: the command exists and may run, the log's directory exists.
 */
export function preflightRun(opts: RunOptions): void {
  if (opts.trace !== undefined) return;
  if (!existsSync(opts.cwd))
    throw new UsageError(`directory not found: ${opts.cwd}`, {
      hint: 'The command runs in the workspace (or --cwd, relative to it): give an existing directory.',
    });
  assertWritable('trace-out', opts.traceOut);
  resolveCommand(opts.command[0], opts.cwd);
}

/** Where a run's lines come from, and the build that writes them (none for a recorded log). */
export interface LogRun {
  /** strace's lines, or operations the back end decoded. */
  readonly source: TraceSource;
  readonly build?: TracedBuild;
  readonly hooks: AnalyzeHooks;
  /** How errors name the log. */
  readonly logName: string;
  /** ioana's own files of this run, which the build must not touch. */
  readonly own?: readonly string[];
  /** The workspace's tracked files, listed before the build (`trackedFiles`). */
  readonly sources?: ReadonlySet<string>;
  /** The wall the build ran behind, and how it was traced (absent for a recorded log). */
  readonly separation?: Separation;
  readonly capture?: ReturnType<typeof captureMode>;
  /** Throws when the capture missed something (eBPF's lost events): such a trace is never compared or recorded. */
  verify?(): void;
  /** Deletes the scratch log (it holds every argument unredacted) unless it was asked for. */
  done(): void;
}

/** Starts the command under strace (or opens `--trace LOG`); the pipeline reads the lines. */
export function startRun(opts: RunOptions, io: Console): LogRun {
  const progress = progressLine(io);
  const hooks = { onProgress: progress.onProgress, betweenPhases: collectGarbage };
  if (opts.trace !== undefined) {
    return {
      source: traceFile(resolve(opts.trace)),
      hooks,
      logName: opts.trace,
      sources: trackedFiles(opts.workspace),
      done: progress.done,
    };
  }
  const chosen = chooseBackend(opts.backend, { seccomp: opts.seccomp });
  if (!opts.quiet) for (const note of chosen.notes) io.err(`ioana: note: ${note}\n`);
  const separation = separationFor(opts, io);
  // The analysis reads the log while it is written: the check ends soon after the build.
  const copy = opts.traceOut === undefined ? undefined : resolve(opts.traceOut);
  const sources = trackedFiles(opts.workspace);
  const tracing = startTrace(chosen.capture, {
    command: opts.command,
    cwd: opts.cwd,
    copyTo: copy,
    probes: opts.probes,
    detailed: opts.detailed,
    separation,
    stdout: opts.buildStdout,
  });
  return {
    source: tracing.source,
    build: tracing.build,
    hooks: { ...hooks, ...tracing.hooks },
    logName: copy ?? 'the trace',
    own: tracing.own,
    sources,
    separation,
    capture: captureMode(chosen.capture),
    verify: () => refuseIncomplete(tracing.defects()),
    done: () => {
      progress.done();
      tracing.done();
      const problem = tracing.copyProblem();
      if (problem) io.err(`ioana: warning: the copy of the log in ${copy} is incomplete (${problem}); the analysis read the whole log.\n`);
    },
  };
}

/** The wall between the build and ioana (`--no-separation`: none); an advisory one is said on standard error. */
export function separationFor(opts: TraceFlags & { readonly quiet?: boolean }, io: Console): Separation | undefined {
  if (!opts.separation) {
    if (!opts.quiet) io.err('ioana: note: --no-separation: the build runs beside ioana and could reach it; the result is advisory.\n');
    return NO_SEPARATION;
  }
  const separation = chooseSeparation({ buildSudo: !opts.disableSudo });
  if (separation.advisory) io.err(`ioana: warning: ${separation.advisory}\n`);
  return separation;
}

/** Says when tracing stopped while processes the build started kept running (daemons). */
export function noteDetached(result: RunResult, io: Console): void {
  const flow = result.run.analysis.dataflow;
  if (flow.separated && flow.stats.leftBehind > 0)
    io.err(
      `ioana: the command exited with ${flow.stats.leftBehind} process(es) it started still running; they were stopped with the build's namespace (nothing outlives the step).\n`,
    );
  if (!result.outcome?.detached) return;
  const n = result.run.analysis.dataflow.stats.stillRunning;
  io.err(
    `ioana: the command exited but ${n} process(es) it started were still running ${DAEMON_GRACE_MS / 1000} s later; tracing stopped and they were left running.\n`,
  );
}

/** Runs `fn` on a started run and cleans up after it, whatever happens. */
export async function withRun<T>(opts: RunOptions, io: Console, fn: (run: LogRun) => Promise<T>): Promise<T> {
  const run = startRun(opts, io);
  try {
    const result = await fn(run);
    run.verify?.();
    return result;
  } finally {
    run.done();
  }
}

/**
 * The `ioana update` command that records what this check saw, with the same options;
 * credentials in the command are redacted like everything else ioana prints.
 */
export function acceptFor(opts: RunOptions & { readonly baseline: string }): string {
  return environmentRedactor().text(
    acceptCommand({
      program: 'ioana',
      baseline: opts.baseline,
      config: opts.config,
      workspace: opts.workspaceArg,
      cwd: opts.cwdArg,
      trace: opts.trace,
      command: opts.command,
    }),
  );
}
