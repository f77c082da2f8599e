/**
 * The strace command line ioana runs (DESIGN §1.1). Pure: builds arrays of strings.
 */

/**
 * The system calls that carry dataflow. Not `%file`: its stat/access/readlink probes
 * were more than half of all stops on a real `make -j2` build, and every stop costs
 * (strace serializes all tracees through one tracer). Not `read`/`write`: the
 * descriptor's open mode already says which way data can flow.
 */
export const DATAFLOW_SYSCALLS: readonly string[] = [
  // processes
  'execve', 'execveat', 'clone', 'clone3', 'fork', 'vfork', 'exit_group',
  // files
  'open', 'openat', 'openat2', 'creat',
  'rename', 'renameat', 'renameat2', 'link', 'linkat', 'symlink', 'symlinkat',
  'unlink', 'unlinkat', 'mkdir', 'mkdirat', 'rmdir', 'truncate', 'chdir', 'fchdir',
  // descriptors
  'dup', 'dup2', 'dup3', 'fcntl', 'close', 'close_range', 'pipe', 'pipe2',
  // sockets
  'socketpair', 'socket', 'connect', 'bind', 'accept', 'accept4',
  // a blind spot we must notice: I/O submitted through io_uring bypasses the calls above
  'io_uring_setup',
];

/** `read`/`write` and friends, added by the detailed mode for byte counts. */
export const DETAIL_SYSCALLS: readonly string[] = [
  'read', 'write', 'pread64', 'pwrite64', 'readv', 'writev', 'sendfile', 'splice', 'copy_file_range',
  'sendto', 'recvfrom', 'sendmsg', 'recvmsg',
];

/** The failed-lookup probes, added by the probe mode: what the build looked for and did not find. */
export const PROBE_SYSCALLS: readonly string[] = [
  'stat', 'lstat', 'newfstatat', 'statx', 'access', 'faccessat', 'faccessat2', 'readlink', 'readlinkat',
];

/** How to run strace. */
export interface TraceOptions {
  /** Where strace writes its log (`-o`). */
  readonly logPath: string;
  /** Stop tracees only on traced calls (`--seccomp-bpf`). Default: true. */
  readonly seccomp?: boolean;
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
}

/**
 * `(opts, ['make', '-j2'])` → `['-f', '-yy', '-qq', …, '-o', LOG, '--', 'make', '-j2']`,
 * the arguments that follow `strace`.
 */
export function straceArgs(opts: TraceOptions, command: readonly string[]): string[] {
  const calls = [...DATAFLOW_SYSCALLS];
  if (opts.probes) calls.push(...PROBE_SYSCALLS);
  if (opts.detailed) calls.push(...DETAIL_SYSCALLS);
  const args = ['-f', '-yy', '-qq', '-s', String(opts.stringLimit ?? 4096)];
  if (opts.seccomp ?? true) args.push('--seccomp-bpf');
  args.push('-E', opts.callerLocale === undefined ? 'LC_ALL' : `LC_ALL=${opts.callerLocale}`);
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
