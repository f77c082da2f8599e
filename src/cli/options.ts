/**
 * The command line, read once into typed options per command: every value checked
 * here (formats, numbers, the one-source rule), so that commands and the pipeline never
 * go back to the words the user typed.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_HASH_LIMITS } from '../io/digests.js';
import type { FlameWeight } from '../report/index.js';
import { BACKENDS, type Backend } from '../trace/backend.js';
import { UsageError } from '../vocabulary/errors.js';
import { optionValue, parseArgs, type ParsedArgs } from './args.js';
import { COMMANDS } from './commands.js';
import { STDOUT } from './io.js';

/** How strace runs (`trace`, and `check`/`update`/`explain` when they run a command). */
export interface TraceFlags {
  /** `--backend`: which capture back end traces the build. */
  readonly backend: Backend;
  /** `--seccomp-bpf` (not `--no-seccomp`). */
  readonly seccomp: boolean;
  /** The wall between the build and ioana (not `--no-separation`); `--disable-sudo` takes sudo from the build. */
  readonly separation: boolean;
  readonly disableSudo: boolean;
  readonly probes: boolean;
  readonly detailed: boolean;
}

/** A build to analyze: a command to trace, or a recorded log. */
export interface RunOptions extends TraceFlags {
  /** The repository root, real path (`--workspace`, default the current directory). */
  readonly workspace: string;
  /** `--workspace` as typed, for the commands ioana prints. */
  readonly workspaceArg?: string;
  /** `--config` as typed; undefined: `.ioana.yml` in the workspace, if any. */
  readonly config?: string;
  /** The command after `--`; empty when `trace` is given. */
  readonly command: readonly string[];
  /** `--trace LOG`: a recorded log instead of a command. */
  readonly trace?: string;
  /** `--trace-out LOG`: keep the raw log here. */
  readonly traceOut?: string;
  /** Where the command runs (absolute); `cwdArg` as typed. */
  readonly cwd: string;
  readonly cwdArg?: string;
  /** `--provenance control`. */
  readonly control: boolean;
  readonly quiet: boolean;
  /**
   * Where the build's own standard output goes: ioana's standard output, or its standard
   * error when ioana's standard output carries only ioana's (`--format json`, `--json -`,
   * `attest`'s statement, `--quiet`), so that `ioana check --format json -- make | jq` reads JSON.
   */
  readonly buildStdout: 'stdout' | 'stderr';
}

export interface ReportOptions {
  /** `--json FILE` (`-`: standard output). */
  readonly json?: string;
  /** What goes to standard output. */
  readonly format: 'text' | 'json';
  readonly quiet: boolean;
}

export interface CheckOptions extends RunOptions, ReportOptions {
  /** `--baseline` as typed. */
  readonly baseline: string;
  /** `--sarif FILE`: the findings as SARIF 2.1.0, for code scanning. */
  readonly sarif?: string;
}

export interface UpdateOptions extends RunOptions {
  readonly baseline: string;
  readonly runs: number;
  readonly clean?: string;
  /** `--merge`: add the runs to what the baseline learned instead of replacing it. */
  readonly merge: boolean;
  readonly force: boolean;
}

export interface DiffOptions extends ReportOptions {
  readonly older: string;
  readonly newer: string;
  readonly workspace: string;
  readonly config?: string;
}

export interface ExplainOptions extends RunOptions {
  /** The path asked about: raw, relative to the workspace, or canonical. */
  readonly path: string;
}

export interface AttestOptions extends RunOptions {
  /** `--subjects GLOB` (repeatable, or comma-separated); empty: every output in the workspace. */
  readonly subjects: readonly string[];
  /** `--out FILE`; `-` (the default): standard output. */
  readonly out: string;
  /** `--max-files`, `--max-bytes`: what hashing may read. */
  readonly limits: { readonly files: number; readonly bytes: number };
}

export interface GraphOptions {
  readonly trace: string;
  readonly workspace: string;
  readonly format: 'json' | 'yaml' | 'mermaid' | 'dot' | 'folded' | 'flame';
  /** json/yaml: every flow with its calls and bytes. */
  readonly flows: boolean;
  /** folded/flame: what a frame's width is. */
  readonly weight: FlameWeight;
  readonly control: boolean;
  readonly verbose: boolean;
  readonly parseOnly: boolean;
}

export interface TraceOptions extends TraceFlags {
  readonly out: string;
  readonly command: readonly string[];
}

/** What the command line asked for. */
export type Invocation =
  | { readonly command: 'check'; readonly options: CheckOptions }
  | { readonly command: 'update'; readonly options: UpdateOptions }
  | { readonly command: 'diff'; readonly options: DiffOptions }
  | { readonly command: 'explain'; readonly options: ExplainOptions }
  | { readonly command: 'attest'; readonly options: AttestOptions }
  | { readonly command: 'graph'; readonly options: GraphOptions }
  | { readonly command: 'trace'; readonly options: TraceOptions };

function required(args: ParsedArgs, name: string): string {
  const value = optionValue(args, name);
  if (value === undefined || value === '') {
    throw new UsageError(`"ioana ${args.command}" needs --${name}.`, { hint: `usage: ${COMMANDS[args.command].usage}` });
  }
  return value;
}

function oneOf<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T, hint: string): T {
  const value = optionValue(args, name) ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`unknown --${name} "${value}".`, { hint });
  return value as T;
}

/**
 * The workspace: `--workspace`, else the current directory, with symlinks resolved
 * (strace reports real paths). A recorded log may come from a machine where the
 * directory does not exist here: then the path is taken as given.
 */
function workspaceOf(args: ParsedArgs): string {
  const dir = resolve(optionValue(args, 'workspace') ?? process.cwd());
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

function backendOf(args: ParsedArgs): Backend {
  const value = optionValue(args, 'backend') ?? 'strace';
  if (!(BACKENDS as readonly string[]).includes(value))
    throw new UsageError(`--backend must be ${BACKENDS.join(', ')}; got "${value}".`, {
      hint: 'strace is the default and the reference; ebpf needs root (or sudo) and a kernel with BTF; auto picks ebpf when it can load.',
    });
  return value as Backend;
}

const traceFlags = (args: ParsedArgs): TraceFlags => ({
  backend: backendOf(args),
  seccomp: !args.flags.has('no-seccomp'),
  separation: !args.flags.has('no-separation'),
  disableSudo: args.flags.has('disable-sudo'),
  probes: args.flags.has('probes'),
  detailed: args.flags.has('detailed'),
});

function runOptions(args: ParsedArgs): RunOptions {
  const trace = optionValue(args, 'trace');
  if (trace !== undefined && args.run.length > 0) throw new UsageError('give either --trace LOG or a command after "--", not both.');
  if (trace === undefined && args.run.length === 0)
    throw new UsageError(`"ioana ${args.command}" needs a command after "--" or --trace LOG.`, {
      hint: `usage: ${COMMANDS[args.command].usage}`,
    });
  const traceOut = optionValue(args, 'trace-out');
  if (traceOut === STDOUT)
    throw new UsageError('--trace-out needs a file: strace writes its log there.', { hint: 'Give a path such as build.strace.' });
  const workspace = workspaceOf(args);
  const provenance = oneOf(
    args,
    'provenance',
    ['data', 'control'] as const,
    'data',
    'Use "data" (spawning passes nothing on) or "control".',
  );
  return {
    ...traceFlags(args),
    workspace,
    workspaceArg: optionValue(args, 'workspace'),
    config: optionValue(args, 'config'),
    command: args.run,
    trace,
    traceOut,
    cwd: resolve(workspace, optionValue(args, 'cwd') ?? '.'),
    cwdArg: optionValue(args, 'cwd'),
    control: provenance === 'control',
    quiet: args.flags.has('quiet'),
    buildStdout: args.flags.has('quiet') ? 'stderr' : 'stdout',
  };
}

function reportOptions(args: ParsedArgs): ReportOptions {
  const json = optionValue(args, 'json');
  const format = oneOf(args, 'format', ['text', 'json'] as const, json === STDOUT ? 'json' : 'text', 'Formats: text, json.');
  return { json, format, quiet: args.flags.has('quiet') };
}

/** `--max-files 100` → 100; absent → the default; anything but a positive whole number → a UsageError. */
function countOption(args: ParsedArgs, name: string, fallback: number): number {
  const text = optionValue(args, name);
  if (text === undefined) return fallback;
  // Digits only: Number() would also take `1e3`, `0x10` and ` 5 `.
  const n = /^[1-9][0-9]*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${name} must be a positive whole number, not "${text}".`);
  return n;
}

function attestOptions(args: ParsedArgs): AttestOptions {
  const given = args.values.get('subjects') ?? [];
  const subjects = given
    .flatMap((g) => g.split(','))
    .map((g) => g.trim())
    .filter(Boolean);
  // `--subjects ,` names no glob: not "every output", which is what no --subjects means.
  if (given.length > 0 && subjects.length === 0)
    throw new UsageError('--subjects was given but names no glob.', {
      hint: 'Give globs of outputs (dist/*.tar.gz, build/hello), or leave --subjects out to attest every output.',
    });
  const out = optionValue(args, 'out') ?? STDOUT;
  const run = runOptions(args);
  return {
    ...run,
    buildStdout: out === STDOUT ? 'stderr' : run.buildStdout,
    subjects,
    out,
    limits: {
      files: countOption(args, 'max-files', DEFAULT_HASH_LIMITS.files),
      bytes: countOption(args, 'max-bytes', DEFAULT_HASH_LIMITS.bytes),
    },
  };
}

/** argv → the command and its typed options; a UsageError for anything wrong. */
export function readCommandLine(argv: readonly string[]): Invocation {
  const args = parseArgs(argv, COMMANDS);
  switch (args.command) {
    case 'check': {
      const sarif = optionValue(args, 'sarif');
      if (sarif === STDOUT || sarif === '')
        throw new UsageError('--sarif needs a file: the SARIF log is written there.', { hint: 'Give a path such as ioana.sarif.' });
      const report = reportOptions(args);
      const run = runOptions(args);
      return {
        command: 'check',
        options: {
          ...run,
          ...report,
          buildStdout: report.format === 'json' ? 'stderr' : run.buildStdout,
          baseline: required(args, 'baseline'),
          ...(sarif !== undefined ? { sarif } : {}),
        },
      };
    }
    case 'update': {
      const baseline = required(args, 'baseline');
      const run = runOptions(args);
      const runs = Number(optionValue(args, 'runs') ?? '1');
      if (!Number.isInteger(runs) || runs < 1 || runs > 100)
        throw new UsageError(`--runs must be a whole number from 1 to 100, not "${optionValue(args, 'runs')}".`);
      const clean = optionValue(args, 'clean');
      if (runs > 1 && run.trace !== undefined) throw new UsageError('--runs needs a command to run; a --trace log is one run.');
      if (runs > 1 && !clean)
        throw new UsageError('--runs N needs --clean CMD, the command that makes the tree clean before each run (e.g. "make clean").');
      return {
        command: 'update',
        options: { ...run, baseline, runs, clean, merge: args.flags.has('merge'), force: args.flags.has('force') },
      };
    }
    case 'diff':
      return {
        command: 'diff',
        options: {
          ...reportOptions(args),
          older: args.positionals[0],
          newer: args.positionals[1],
          workspace: workspaceOf(args),
          config: optionValue(args, 'config'),
        },
      };
    case 'explain':
      required(args, 'trace');
      return { command: 'explain', options: { ...runOptions(args), path: args.positionals[0] } };
    case 'attest':
      return { command: 'attest', options: attestOptions(args) };
    case 'graph':
      return {
        command: 'graph',
        options: {
          trace: required(args, 'trace'),
          workspace: workspaceOf(args),
          format: oneOf(
            args,
            'format',
            ['json', 'yaml', 'mermaid', 'dot', 'folded', 'flame'] as const,
            'json',
            'Formats: json, yaml, mermaid, dot, folded, flame.',
          ),
          flows: args.flags.has('flows'),
          weight: oneOf(
            args,
            'weight',
            ['calls', 'bytes'] as const,
            'calls',
            'Weights: calls (how often each program opened each file) or bytes (counted by --backend ebpf, or strace with --detailed).',
          ),
          control:
            oneOf(args, 'provenance', ['data', 'control'] as const, 'data', 'Use "data" (spawning passes nothing on) or "control".') ===
            'control',
          verbose: args.flags.has('verbose'),
          parseOnly: args.flags.has('parse-only'),
        },
      };
    case 'trace': {
      const out = required(args, 'out');
      if (args.run.length === 0)
        throw new UsageError('"ioana trace" needs a command to run after "--".', { hint: `usage: ${COMMANDS.trace.usage}` });
      if (out === STDOUT)
        throw new UsageError('--out needs a file: strace writes its log there.', { hint: 'Give a path such as build.strace.' });
      return { command: 'trace', options: { ...traceFlags(args), out, command: args.run } };
    }
    default:
      throw new UsageError(`unknown command "${args.command}".`);
  }
}
