/**
 * What the model makes of a trace: the programs that ran, the things they touched, and
 * when. Times are `seq` numbers: the order in which system calls completed in the log.
 */

/** An executed program image, or a forked copy of one that did not (yet) exec. */
export interface ImageRecord {
  readonly id: number;
  /** The process (thread group) it ran in; stable across pid reuse. */
  readonly process: number;
  readonly pid: number;
  /**
   * `root`: what strace started, before its first execve; `exec`: a successful execve;
   * `fork`: a child process still running its parent's program.
   */
  readonly origin: 'root' | 'exec' | 'fork';
  /** The executable: the path given to execve, resolved against the working directory. */
  exe: string;
  readonly argv: readonly string[];
  /** strace cut argv (`-s`, or `[...]` in old logs). */
  readonly argvTruncated: boolean;
  /** The working directory when it started ('' while the log has not said). */
  cwd: string;
  /**
   * For `fork` and for the first `exec` in a new process: the image that created the
   * process. For a later `exec`: the image it replaced.
   */
  readonly parent?: number;
  /** How `parent` relates: it spawned this process, or this image replaced it. */
  readonly via?: 'spawn' | 'exec';
  readonly start: number;
  end: number;
  exitCode?: number;
  /** I/O the trace cannot see that this image set up: `io_uring` (its reads and writes bypass the traced calls). */
  untraced?: readonly string[];
  /** ioana's own launcher (the gate, `unshare`, `setpriv`), not the build's: not a program, nothing it holds is data. */
  readonly launcher?: true;
  /** Other processes it reached into (ptrace attach, process_vm_readv/writev), by the pid the call named. */
  reached?: readonly { readonly call: 'ptrace' | 'process_vm_readv' | 'process_vm_writev'; readonly pid: number }[];
  signal?: string;
}

export type ObjectKind =
  /** A version of a file: what a path held between two replacements. */
  | 'file'
  | 'directory'
  | 'pipe'
  /** A socketpair: a two-way pipe. */
  | 'socketpair'
  /** A network or UNIX-socket peer. */
  | 'endpoint'
  /** A device such as /dev/null or a terminal: neither input nor output. */
  | 'device'
  /** A descriptor the build inherited from outside: the horizon. */
  | 'horizon'
  /** A socket that never connected, an eventfd, … */
  | 'other';

export interface ObjectRecord {
  readonly id: number;
  readonly kind: ObjectKind;
  /** For files: the path it has at the end (or had when it was detached). */
  path: string;
  /** Every path the object had, first first (a rename adds one). */
  readonly names: string[];
  /** The file existed before the build touched it (its content may be an input). */
  existedBefore: boolean;
  /** A later version replaced this one, or it was deleted: it is gone at the end. */
  detached?: 'deleted' | 'replaced';
  /** For endpoints: `tcp://127.0.0.1:80`, `unix:/run/x.sock`. */
  readonly address?: string;
  /** For endpoints: how the furthest attempt ended: `connected`, `in progress`, `refused (ECONNREFUSED)`. */
  result?: string;
}

/** An image held an object open (or executed it) from `since` until `until` (seq numbers). */
export interface AccessRecord {
  readonly image: number;
  readonly object: number;
  /** `connect`: an attempt at an endpoint, whatever its result (no data flows by it). */
  readonly mode: 'read' | 'write' | 'exec' | 'connect';
  readonly since: number;
  readonly until: number;
  /** read/write: how many times the image opened the object (its open and connect calls), on the read access when it has both. */
  readonly calls?: number;
  /**
   * read: the bytes read from it; write: the bytes written to it. Only where the trace
   * counted them: the eBPF back end always, strace with `--detailed`.
   */
  readonly bytes?: number;
}

export interface OperationRecord {
  readonly kind: 'rename' | 'link' | 'symlink' | 'unlink' | 'rmdir' | 'mkdir' | 'truncate';
  readonly image: number;
  readonly seq: number;
  readonly path: string;
  /** rename/link: the source path; symlink: the link's target text. */
  readonly source?: string;
  readonly object?: number;
}

export interface ModelStats {
  processes: number;
  images: number;
  execs: number;
  failedExecs: number;
  /** Failed calls: what the build looked for and did not find, or was refused. */
  probes: number;
  /** Events of a pid whose parent's clone() never returned in the log. */
  orphanProcesses: number;
  /** Descriptors used that were inherited from outside the build (the horizon). */
  horizonDescriptors: number;
  /** Processes that had not ended when the log did (daemons the build left behind, or a cut log). */
  stillRunning: number;
  /** Processes still running when the build's command ended (daemons): in its own namespace, ended with it. */
  leftBehind: number;
  ioUring: boolean;
}

export function emptyModelStats(): ModelStats {
  return {
    processes: 0,
    images: 0,
    execs: 0,
    failedExecs: 0,
    probes: 0,
    orphanProcesses: 0,
    horizonDescriptors: 0,
    stillRunning: 0,
    leftBehind: 0,
    ioUring: false,
  };
}

export interface Dataflow {
  readonly images: readonly ImageRecord[];
  readonly objects: readonly ObjectRecord[];
  readonly accesses: readonly AccessRecord[];
  readonly operations: readonly OperationRecord[];
  readonly stats: ModelStats;
  /** Every pid and thread id the trace showed doing something: the build's own (a `/proc/<n>` of another is not). */
  readonly tids?: readonly number[];
  /** The build's pids as it saw them, in a PID namespace of its own (`$$` in the names it makes): strace numbers them otherwise. */
  readonly seenPids?: readonly number[];
  /** Ports the build's own servers bound or accepted connections on. */
  readonly listening?: readonly number[];
  /** The build ran in namespaces of its own (ioana's launcher made them): its `/proc` shows only its processes. */
  readonly separated?: boolean;
}
