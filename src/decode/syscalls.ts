/**
 * The one table of the system calls ioana traces (docs/architecture.md §1.1): for each, which of
 * strace's sets names it, what it decodes to, which argument is which, and what a
 * failure means. strace's `-e trace=` sets (src/trace/strace/command.ts), the eBPF
 * collector's filter in the kernel (src/trace/ebpf/calls.ts), the calls whose failures
 * the parser need not split (`COUNTED_FAILURES`) and the decoder's dispatch are all
 * read from here, so that they cannot drift apart.
 */

/** What a call decodes to (a decoder in decode.ts). */
export type Decoder =
  | 'exec'
  | 'spawn'
  | 'exit'
  | 'untraced'
  | 'open'
  | 'close'
  | 'close-range'
  | 'dup'
  | 'fcntl'
  | 'pipe'
  | 'socketpair'
  | 'socket'
  | 'connect'
  | 'send'
  | 'bind'
  | 'accept'
  | 'chdir'
  | 'fchdir'
  | 'rename'
  | 'link'
  | 'symlink'
  | 'unlink'
  | 'rmdir'
  | 'mkdir'
  | 'truncate'
  | 'mount'
  | 'umount'
  | 'chroot'
  | 'unshare'
  | 'setns'
  | 'reach'
  | 'transfer'
  | 'other';

/** The roles of the arguments a decoder reads, by position. */
export type ArgRole =
  | 'dir'
  | 'path'
  | 'flags'
  | 'how'
  | 'argv'
  | 'fd'
  | 'cmd'
  | 'arg'
  | 'fds'
  | 'domain'
  | 'type'
  | 'addr'
  | 'status'
  | 'first'
  | 'last'
  | 'fromDir'
  | 'from'
  | 'toDir'
  | 'to'
  | 'target'
  | 'fstype'
  | 'pid';

export interface SyscallSpec {
  /**
   * Which `-e trace=` set names it: `dataflow` always, `probes` with `--probes` (what
   * the build looked for), `detailed` with `--detailed` (read/write, for byte counts).
   */
  readonly set: 'dataflow' | 'probes' | 'detailed';
  readonly decodes: Decoder;
  /** Where each argument the decoder reads is: `openat` → `{ dir: 0, path: 1, flags: 2 }`. */
  readonly args: Readonly<Partial<Record<ArgRole, number>>>;
  /**
   * A failed call (`= -1 ENOENT`): `probe` counts it as a probe (what the build looked
   * for), `ignore` passes over it — both let the parser skip its arguments — and
   * `decode` decodes it like a success, because the model needs it (an EINPROGRESS
   * connect goes on; a failed execve is counted as one).
   */
  readonly onFailure: 'probe' | 'ignore' | 'decode';
  /**
   * A call that moves data: its result is a byte count, read from the descriptor at
   * `read` and written to the one at `written` (sendfile, splice and copy_file_range do
   * both). The eBPF back end sums these per descriptor in the kernel (`--detailed` or not);
   * strace traces them only with `--detailed`, as calls.
   */
  readonly bytes?: { readonly read?: number; readonly written?: number };
}

const dataflow = (decodes: Decoder, args: SyscallSpec['args'], onFailure: SyscallSpec['onFailure'] = 'ignore'): SyscallSpec => ({
  set: 'dataflow',
  decodes,
  args,
  onFailure,
});

export const SYSCALLS: Readonly<Record<string, SyscallSpec>> = {
  // processes
  execve: dataflow('exec', { path: 0, argv: 1 }, 'decode'),
  execveat: dataflow('exec', { dir: 0, path: 1, argv: 2 }, 'decode'),
  clone: dataflow('spawn', { flags: 0 }),
  clone3: dataflow('spawn', { flags: 0 }),
  fork: dataflow('spawn', {}),
  vfork: dataflow('spawn', {}),
  exit_group: dataflow('exit', { status: 0 }, 'decode'),
  // files
  open: dataflow('open', { path: 0, flags: 1 }, 'probe'),
  openat: dataflow('open', { dir: 0, path: 1, flags: 2 }, 'probe'),
  openat2: dataflow('open', { dir: 0, path: 1, how: 2 }, 'probe'),
  creat: dataflow('open', { path: 0 }, 'probe'),
  rename: dataflow('rename', { from: 0, to: 1 }, 'probe'),
  renameat: dataflow('rename', { fromDir: 0, from: 1, toDir: 2, to: 3 }, 'probe'),
  renameat2: dataflow('rename', { fromDir: 0, from: 1, toDir: 2, to: 3, flags: 4 }, 'probe'),
  link: dataflow('link', { from: 0, to: 1 }, 'probe'),
  linkat: dataflow('link', { fromDir: 0, from: 1, toDir: 2, to: 3 }, 'probe'),
  symlink: dataflow('symlink', { target: 0, path: 1 }, 'probe'),
  symlinkat: dataflow('symlink', { target: 0, dir: 1, path: 2 }, 'probe'),
  unlink: dataflow('unlink', { path: 0 }, 'probe'),
  unlinkat: dataflow('unlink', { dir: 0, path: 1, flags: 2 }, 'probe'),
  mkdir: dataflow('mkdir', { path: 0 }, 'probe'),
  mkdirat: dataflow('mkdir', { dir: 0, path: 1 }, 'probe'),
  rmdir: dataflow('rmdir', { path: 0 }, 'probe'),
  truncate: dataflow('truncate', { path: 0 }, 'probe'),
  chdir: dataflow('chdir', { path: 0 }),
  fchdir: dataflow('fchdir', { fd: 0 }),
  // descriptors
  dup: dataflow('dup', { fd: 0 }),
  dup2: dataflow('dup', { fd: 0 }),
  dup3: dataflow('dup', { fd: 0, flags: 2 }),
  fcntl: dataflow('fcntl', { fd: 0, cmd: 1, arg: 2 }),
  close: dataflow('close', { fd: 0 }),
  close_range: dataflow('close-range', { first: 0, last: 1, flags: 2 }),
  pipe: dataflow('pipe', { fds: 0 }),
  pipe2: dataflow('pipe', { fds: 0, flags: 1 }),
  // sockets
  socketpair: dataflow('socketpair', { domain: 0, type: 1, fds: 3 }),
  socket: dataflow('socket', { domain: 0, type: 1 }),
  connect: dataflow('connect', { fd: 0, addr: 1 }, 'decode'),
  bind: dataflow('bind', { fd: 0, addr: 1 }, 'decode'),
  accept: dataflow('accept', { fd: 0 }),
  accept4: dataflow('accept', { fd: 0, flags: 3 }),
  // datagrams sent without a connect name their destination in each call
  sendto: { ...dataflow('send', { fd: 0, addr: 4 }, 'decode'), bytes: { written: 0 } },
  sendmsg: { ...dataflow('send', { fd: 0, addr: 1 }, 'decode'), bytes: { written: 0 } },
  sendmmsg: dataflow('send', { fd: 0, addr: 1 }, 'decode'),
  // blind spots we must notice: I/O submitted through io_uring bypasses the calls above,
  // and a file opened by handle has no name (clone's CLONE_UNTRACED is read from clone)
  io_uring_setup: dataflow('untraced', {}, 'decode'),
  open_by_handle_at: dataflow('untraced', {}),
  // mounts and namespaces (issue 23): traced, not trusted. A bind mount makes one file
  // answer to another's name; the model maps it back. What it cannot map (a moved mount,
  // a new mount API's handle, a root pivoted, a namespace joined) fails closed.
  mount: dataflow('mount', { from: 0, to: 1, fstype: 2, flags: 3 }),
  umount2: dataflow('umount', { path: 0, flags: 1 }),
  chroot: dataflow('chroot', { path: 0 }),
  unshare: dataflow('unshare', { flags: 0 }),
  setns: dataflow('setns', { fd: 0, flags: 1 }),
  pivot_root: dataflow('untraced', {}),
  open_tree: dataflow('untraced', {}),
  move_mount: dataflow('untraced', {}),
  fsopen: dataflow('untraced', {}),
  fsmount: dataflow('untraced', {}),
  fspick: dataflow('untraced', {}),
  // reaching into another process: its memory, or attaching to it
  ptrace: dataflow('reach', { cmd: 0, pid: 1 }),
  process_vm_readv: dataflow('reach', { pid: 0 }),
  process_vm_writev: dataflow('reach', { pid: 0 }),
  // what the build looked for (--probes)
  ...Object.fromEntries(
    ['stat', 'lstat', 'newfstatat', 'statx', 'access', 'faccessat', 'faccessat2', 'readlink', 'readlinkat'].map((n) => [
      n,
      { set: 'probes', decodes: 'other', args: {}, onFailure: 'ignore' } satisfies SyscallSpec,
    ]),
  ),
  // data (--detailed): byte counts
  ...Object.fromEntries(
    (
      [
        ['read', { read: 0 }],
        ['write', { written: 0 }],
        ['pread64', { read: 0 }],
        ['pwrite64', { written: 0 }],
        ['readv', { read: 0 }],
        ['writev', { written: 0 }],
        ['sendfile', { written: 0, read: 1 }],
        ['splice', { read: 0, written: 2 }],
        ['copy_file_range', { read: 0, written: 2 }],
        ['recvfrom', { read: 0 }],
        ['recvmsg', { read: 0 }],
      ] as const
    ).map(([n, bytes]) => [n, { set: 'detailed', decodes: 'transfer', args: {}, onFailure: 'ignore', bytes } satisfies SyscallSpec]),
  ),
};

const namesIn = (set: SyscallSpec['set']): readonly string[] => Object.keys(SYSCALLS).filter((n) => SYSCALLS[n].set === set);

/**
 * The system calls that carry dataflow. Not `%file`: its stat/access/readlink probes
 * were more than half of all stops on a real `make -j2` build, and every stop costs
 * (strace serializes all tracees through one tracer). Not `read`/`write`: the
 * descriptor's open mode already says which way data can flow.
 */
export const DATAFLOW_SYSCALLS = namesIn('dataflow');
/** The failed-lookup probes, added by the probe mode: what the build looked for and did not find. */
export const PROBE_SYSCALLS = namesIn('probes');
/** `read`/`write` and friends, added by the detailed mode for byte counts. */
export const DETAIL_SYSCALLS = namesIn('detailed');

/**
 * Calls whose failure the model only counts (as a probe) or passes over: the parser
 * need not split their arguments when they fail (`ParserOptions.countedFailures`).
 */
export const COUNTED_FAILURES: ReadonlySet<string> = new Set(Object.keys(SYSCALLS).filter((n) => SYSCALLS[n].onFailure !== 'decode'));
