/**
 * What `check`, `update` and `explain` share: the workspace, the configuration, and a
 * build traced (or a log read) through to its canonical graph, with every path and the
 * command checked before anything runs.
 */
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Canonicalized } from '../canon/index.js';
import { DEFAULT_CONFIG_FILE, type Config } from '../config/index.js';
import { UsageError } from '../errors.js';
import { canonicalRun, type Analysis } from '../pipeline/analyze.js';
import { environmentRedactor } from '../pipeline/context.js';
import { loadConfigFile } from '../pipeline/files.js';
import { DAEMON_GRACE_MS, traceAndAnalyze } from '../pipeline/traced.js';
import { acceptCommand } from '../report/index.js';
import { preflight, resolveCommand, type TraceOutcome } from '../trace/index.js';
import { optionValue, type ParsedArgs } from './args.js';
import { COMMANDS } from './commands.js';
import { assertWritable, progressLine, STDOUT, type Console } from './io.js';

export interface RunResult {
  readonly canonical: Canonicalized;
  readonly analysis: Analysis;
  readonly outcome?: TraceOutcome;
  readonly logPath: string;
}

/** The value of a required option, or a UsageError with the command's usage. */
export function required(args: ParsedArgs, name: string): string {
  const value = optionValue(args, name);
  if (value === undefined || value === '') {
    throw new UsageError(`"ioana ${args.command}" needs --${name}.`, { hint: `usage: ${COMMANDS[args.command].usage}` });
  }
  return value;
}

/**
 * The workspace: `--workspace`, else the current directory, with symlinks resolved
 * (strace reports real paths). A recorded log may come from a machine where the
 * directory does not exist here: then the path is taken as given.
 */
export function workspaceOf(args: ParsedArgs): string {
  const dir = resolve(optionValue(args, 'workspace') ?? process.cwd());
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

/** `--config FILE`, else `.ioana.yml` in the workspace when it exists, else the defaults. */
export function loadConfig(args: ParsedArgs, workspace: string): Config {
  const given = optionValue(args, 'config');
  return loadConfigFile(given ? resolve(given) : join(workspace, DEFAULT_CONFIG_FILE), given !== undefined);
}

/** Exactly one of `--trace LOG` and `-- COMMAND...`. */
export function assertOneSource(args: ParsedArgs): void {
  const given = optionValue(args, 'trace');
  if (given && args.run.length > 0) throw new UsageError('give either --trace LOG or a command after "--", not both.');
  if (!given && args.run.length === 0) throw new UsageError(`"ioana ${args.command}" needs a command after "--" or --trace LOG.`, { hint: `usage: ${COMMANDS[args.command].usage}` });
}

/**
 * Everything that can be checked before the build runs, so that a mistake costs no
 * build: the command exists and may run, the log's directory exists.
 */
export function preflightRun(args: ParsedArgs, workspace: string): { cwd: string } {
  assertOneSource(args);
  const cwd = resolve(workspace, optionValue(args, 'cwd') ?? '.');
  if (optionValue(args, 'trace')) return { cwd };
  if (!existsSync(cwd)) throw new UsageError(`directory not found: ${cwd}`, { hint: 'The command runs in the workspace (or --cwd, relative to it): give an existing directory.' });
  const out = optionValue(args, 'trace-out');
  if (out === STDOUT) throw new UsageError('--trace-out needs a file: strace writes its log there.', { hint: 'Give a path such as build.strace.' });
  assertWritable('trace-out', out);
  resolveCommand(args.run[0], cwd);
  return { cwd };
}

/** Runs the command under strace (or takes `--trace LOG`) and canonicalizes what it did. */
export async function traceAndCanonicalize(args: ParsedArgs, workspace: string, config: Config, io: Console): Promise<RunResult> {
  const { cwd } = preflightRun(args, workspace);
  const given = optionValue(args, 'trace');
  const progress = progressLine(io);
  const control = optionValue(args, 'provenance') === 'control';
  if (given) {
    const logPath = resolve(given);
    const { analysis, canonical } = await canonicalRun(logPath, workspace, config, control, { onProgress: progress.onProgress });
    progress.done();
    return { canonical, analysis, logPath };
  }
  const strace = preflight(undefined, !args.flags.has('no-seccomp'));
  if (strace.seccompNote && !args.flags.has('quiet')) io.err(`ioana: note: ${strace.seccompNote}\n`);
  const out = optionValue(args, 'trace-out');
  const scratch = out ? undefined : mkdtempSync(join(tmpdir(), 'ioana-'));
  const logPath = out ? resolve(out) : join(scratch!, 'trace.log');
  rmSync(logPath, { force: true });
  // The analysis reads the log while strace writes it: the check ends soon after the build.
  let traced: Awaited<ReturnType<typeof traceAndAnalyze>>;
  try {
    traced = await traceAndAnalyze({ command: args.run, cwd, logPath, strace, workspace, config, control });
  } finally {
    // The raw log holds every argument unredacted: it stays only where it was asked for.
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
  const { outcome, run } = traced;
  if (outcome.detached) {
    io.err(`ioana: the command exited but ${run.analysis.dataflow.stats.stillRunning} process(es) it started were still running ${DAEMON_GRACE_MS / 1000} s later; tracing stopped and they were left running.\n`);
  }
  return { canonical: run.canonical, analysis: run.analysis, outcome, logPath };
}

/**
 * The `ioana update` command that records what this check saw, with the same options;
 * credentials in the command are redacted like everything else ioana prints.
 */
export function acceptFor(args: ParsedArgs): string {
  return environmentRedactor()(acceptCommand({
    program: 'ioana',
    baseline: optionValue(args, 'baseline') ?? '',
    config: optionValue(args, 'config'),
    workspace: optionValue(args, 'workspace'),
    cwd: optionValue(args, 'cwd'),
    trace: optionValue(args, 'trace'),
    command: args.run,
  }));
}
