/**
 * Operations: what one traced event did, decoded from strace's notation into typed
 * fields (docs/architecture.md §1.3). The decoder (`decode.ts`) makes them; the model applies them
 * and never sees strace's text. A model test can be written as a list of these.
 */
import type { FdTarget, SockAddr } from '../parse/index.js';
import type { MountHow } from './flags.js';

/** An open file's access mode and the flags the model cares about. */
export interface OpenMode {
  readonly read: boolean;
  readonly write: boolean;
  readonly create: boolean;
  readonly truncate: boolean;
  readonly exclusive: boolean;
  readonly cloexec: boolean;
  readonly directory: boolean;
  /** O_PATH: a handle, no data. */
  readonly path: boolean;
  readonly tmpfile: boolean;
}

/** A descriptor argument: its number (NaN when strace printed none) and strace's decoration (`3</a/b>`). */
export interface FdArg {
  readonly fd: number;
  readonly target?: FdTarget;
}

/**
 * The directory a `*at()` call resolves against: the working directory (`AT_FDCWD`,
 * with the path strace decorated it with), or a descriptor.
 */
export type DirRef = { readonly kind: 'cwd'; readonly path?: string } | ({ readonly kind: 'fd' } & FdArg);

/** A path argument as the call gave it, and the directory it is relative to (absent: the working directory). */
export interface PathRef {
  readonly dir?: DirRef;
  readonly path: string;
}

/**
 * Bytes read from and written to one descriptor while it was open: the eBPF back end sums
 * read/write/send/recv results in the kernel and hands the totals over when the
 * descriptor closes or its process ends. `fd` -1: the descriptors above the ones
 * counted one by one (1023), together. The model sums them per program and file (a flow's bytes).
 */
export interface DescriptorBytes {
  readonly fd: number;
  readonly read: number;
  readonly written: number;
}

export type Operation =
  /** A successful execve: the program, its arguments; a thread's exec gives the process the leader's pid. */
  | {
      readonly kind: 'exec';
      readonly path: PathRef;
      readonly argv: readonly string[];
      readonly argvTruncated: boolean;
      readonly pidChangedTo?: number;
    }
  /** A failed execve (a PATH search): a probe, not a program. */
  | { readonly kind: 'exec-failed' }
  /** clone/fork/vfork returned `child`; what the child shares with its parent. */
  | {
      readonly kind: 'spawn';
      readonly child: number;
      readonly thread: boolean;
      readonly files: boolean;
      readonly fs: boolean;
      /** CLONE_UNTRACED: the child escapes the trace (see `untraced`). */
      readonly untraced: boolean;
      /** The child's pid as the build sees it, in a PID namespace of its own (`--pidns-translation`). */
      readonly seenAs?: number;
      /** CLONE_NEWNS: the child has a mount namespace of its own. */
      readonly mountNs?: boolean;
    }
  /**
   * exit_group(status), or strace's `+++ exited with N +++`; `bytes`: the byte counts of
   * the descriptors the process still had, or closed without close() (eBPF only).
   */
  | { readonly kind: 'exit'; readonly status: number; readonly bytes?: readonly DescriptorBytes[] }
  | { readonly kind: 'killed'; readonly signal: string; readonly bytes?: readonly DescriptorBytes[] }
  /**
   * The process set up I/O the trace cannot see: `io_uring` (io_uring_setup: reads and
   * writes submitted through a ring bypass the traced calls), `open_by_handle_at` (a file
   * opened by handle, not by name).
   */
  | { readonly kind: 'untraced'; readonly what: string }
  /** A failed call that only counts: what the build looked for and did not find. */
  | { readonly kind: 'probe' }
  | { readonly kind: 'open'; readonly fd: number; readonly path: PathRef; readonly target?: FdTarget; readonly mode: OpenMode }
  /**
   * Bytes a call moved (read/write/sendfile…, traced by strace with `--detailed`): per
   * descriptor, what was read from it and written to it. The eBPF back end sums these in
   * the kernel instead and hands them over at close and exit.
   */
  | { readonly kind: 'transfer'; readonly moves: readonly DescriptorBytes[] }
  /** close(fd); `bytes`: what went through it while it was open (eBPF only). */
  | { readonly kind: 'close'; readonly fd: number; readonly bytes?: DescriptorBytes }
  | { readonly kind: 'close-range'; readonly first: number; readonly last: number; readonly cloexecOnly: boolean }
  | { readonly kind: 'dup'; readonly from: FdArg; readonly fd: number; readonly cloexec: boolean }
  | { readonly kind: 'set-cloexec'; readonly fd: FdArg; readonly cloexec: boolean }
  /** pipe (read end, write end) or socketpair (both ends both ways). */
  | { readonly kind: 'pipe'; readonly channel: 'pipe' | 'socketpair'; readonly ends: readonly [FdArg, FdArg]; readonly cloexec: boolean }
  /** A socket: `packet` (AF_PACKET: frames on a network interface) and `raw` (SOCK_RAW: IP packets) go to the network as they are. */
  | { readonly kind: 'socket'; readonly fd: number; readonly proto: 'unix' | 'udp' | 'tcp' | 'packet' | 'raw'; readonly cloexec: boolean }
  /** connect: `result` says whether it connected, is in progress (EINPROGRESS), or failed (with `errno`). */
  | {
      readonly kind: 'connect';
      readonly socket: FdArg;
      readonly address: SockAddr;
      readonly result: 'connected' | 'in-progress' | 'failed' | 'unknown';
      readonly errno?: string;
    }
  /**
   * sendto/sendmsg/sendmmsg with a destination: datagrams sent without a connect (each
   * message may name its own). `result` as for connect: sent, or failed with `errno`.
   */
  | {
      readonly kind: 'send';
      readonly socket: FdArg;
      readonly addresses: readonly SockAddr[];
      readonly result: 'sent' | 'failed';
      readonly errno?: string;
    }
  | { readonly kind: 'bind'; readonly socket: FdArg; readonly address: SockAddr; readonly ok: boolean }
  | { readonly kind: 'accept'; readonly listener: FdArg; readonly fd: number; readonly cloexec: boolean }
  | { readonly kind: 'chdir'; readonly path: PathRef }
  | { readonly kind: 'fchdir'; readonly dir: FdArg }
  | { readonly kind: 'rename'; readonly from: PathRef; readonly to: PathRef; readonly exchange: boolean }
  | { readonly kind: 'link'; readonly from: PathRef; readonly to: PathRef }
  /** symlink: `target` is the link's text, `path` where it is made. */
  | { readonly kind: 'symlink'; readonly target: string; readonly path: PathRef }
  | { readonly kind: 'unlink'; readonly path: PathRef; readonly directory: boolean }
  | { readonly kind: 'rmdir'; readonly path: PathRef }
  | { readonly kind: 'mkdir'; readonly path: PathRef }
  | { readonly kind: 'truncate'; readonly path: PathRef }
  /**
   * mount(source, target, fstype, flags): `how` says what it does (flags.ts, `mountHow`);
   * `source` is a path for a bind or a move, a device or a name (`proc`, `none`) otherwise.
   */
  | { readonly kind: 'mount'; readonly how: MountHow; readonly source: PathRef; readonly target: PathRef; readonly fstype: string }
  | { readonly kind: 'umount'; readonly target: PathRef }
  /** chroot(path): the process's absolute names start there from now on. */
  | { readonly kind: 'chroot'; readonly path: PathRef }
  /** unshare(flags): `mount` when it made the process a mount namespace of its own (CLONE_NEWNS). */
  | { readonly kind: 'unshare'; readonly mount: boolean }
  /** setns(fd, nstype): `mount` when it may have joined another mount namespace (CLONE_NEWNS, or 0: any kind). */
  | { readonly kind: 'setns'; readonly mount: boolean }
  /**
   * The process reached into another: `ptrace` attached to it (PTRACE_ATTACH, PTRACE_SEIZE),
   * `process_vm_readv` read its memory, `process_vm_writev` wrote it. `pid` as the call named it.
   */
  | { readonly kind: 'reach'; readonly call: 'ptrace' | 'process_vm_readv' | 'process_vm_writev'; readonly pid: number }
  /** Anything else a process did (a call the model does not interpret, a signal): it marks time and the process's existence. */
  | { readonly kind: 'other' };

/** One operation of one thread (by its pid in the log), in log order. */
export interface Step {
  readonly pid: number;
  readonly op: Operation;
}
