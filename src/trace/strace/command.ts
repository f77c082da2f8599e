/**
 * The strace command line ioana runs (docs/architecture.md §1.1). Pure: builds arrays of strings.
 * Which system calls are traced comes from the one syscall table (src/decode/syscalls.ts).
 */
import { DATAFLOW_SYSCALLS, DETAIL_SYSCALLS, PROBE_SYSCALLS } from '../../decode/index.js';

/** How to run strace. */
export interface TraceOptions {
  /** Where strace writes its log (`-o`). */
  readonly logPath: string;
  /** Stop tracees only on traced calls (`--seccomp-bpf`). Default: true. */
  readonly seccomp?: boolean;
  /** `--pidns-translation` (strace 5.9 and newer). Default: true. */
  readonly pidns?: boolean;
  /** Add the stat/access probes. Default: false. */
  readonly probes?: boolean;
  /** Add read/write calls (byte counts). Default: false. */
  readonly detailed?: boolean;
  /**
   * Longest string strace prints (`-s`); execve arguments longer than this are cut.
   * Paths are printed whole whatever this says. Default: 4096.
   */
  readonly stringLimit?: number;
  /**
   * The caller's `LC_ALL`, restored for the traced command (strace itself runs with
   * `LC_ALL=C`, so that its errno texts are not translated). Undefined: unset it.
   */
  readonly callerLocale?: string;
  /**
   * More of the command's environment that strace sets (`NAME=value`) or unsets (`NAME`):
   * what sudo changed on the way to a privileged strace (its PATH, `SUDO_USER`…).
   */
  readonly commandEnv?: readonly string[];
}

/**
 * `(opts, ['make', '-j2'])` → `['-f', '-yy', '-qq', …, '-o', LOG, '--', 'make', '-j2']`,
 * the arguments that follow `strace`.
 */
export function straceArgs(opts: TraceOptions, command: readonly string[]): string[] {
  const calls = [...DATAFLOW_SYSCALLS];
  if (opts.probes) calls.push(...PROBE_SYSCALLS);
  if (opts.detailed) calls.push(...DETAIL_SYSCALLS);
  // --pidns-translation: a build in a PID namespace of its own (src/trace/separation.ts) sees other pids than
  // strace's lines carry; clone()'s result is then given in both, and the model links parent and child.
  const args = ['-f', '-yy', '-qq', ...(opts.pidns === false ? [] : ['--pidns-translation']), '-s', String(opts.stringLimit ?? 4096)];
  if (opts.seccomp ?? true) args.push('--seccomp-bpf');
  args.push('-E', opts.callerLocale === undefined ? 'LC_ALL' : `LC_ALL=${opts.callerLocale}`);
  for (const e of opts.commandEnv ?? []) args.push('-E', e);
  args.push('-e', `trace=${calls.join(',')}`, '-o', opts.logPath, '--', ...command);
  return args;
}

/**
 * The environment strace starts with: the caller's, in the C locale (the command gets
 * the caller's locale back through `-E`, see `callerLocale`) and with libuv's io_uring
 * off (its I/O would bypass the traced calls).
 */
export function traceEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...base, LC_ALL: 'C', UV_USE_IO_URING: '0' };
}
