/**
 * The typed events the parser emits: one per strace log line, except that an
 * `<unfinished ...>` line and its `<... resumed>` line become one `syscall` event.
 */

/** What a descriptor argument or result points at, from strace's `-y`/`-yy` decoration. */
export type FdTarget =
  /** `3</usr/include/stdio.h>`, `1</dev/null<char 1:3>>`, `9</tmp/x>(deleted)` */
  | { readonly kind: 'path'; readonly path: string; readonly deleted: boolean; readonly device?: string }
  /** `4<pipe:[5422]>` */
  | { readonly kind: 'pipe'; readonly inode: number }
  /**
   * `6<TCP:[4411]>`, `6<TCP:[127.0.0.1:54917]>`, `8<TCP:[127.0.0.1:1->127.0.0.1:2]>`,
   * `5<UNIX-STREAM:[4410->4409]>`, `3<UNIX-STREAM:[28312,"/run/x.sock"]>`
   */
  | {
      readonly kind: 'socket';
      readonly protocol: string;
      readonly inode?: number;
      readonly peerInode?: number;
      readonly local?: string;
      readonly remote?: string;
      readonly path?: string;
    }
  /** `5<anon_inode:[eventfd]>` and anything else strace may print. */
  | { readonly kind: 'other'; readonly text: string };

/** A descriptor argument: `3`, `3</a/b>`, `AT_FDCWD</cwd>`. */
export interface FdRef {
  /** The descriptor number, or `AT_FDCWD` (the working directory). */
  readonly fd: number | 'AT_FDCWD';
  readonly target?: FdTarget;
}

/** The result of a system call, after `= `. */
export type SyscallResult =
  /** `= 3`, `= 0x55d1c000`, `= 3</a/b>`, `= 0x8002 (flags O_RDWR|O_LARGEFILE)` */
  | {
      readonly kind: 'ok';
      readonly value: number;
      /** The raw text of the value with its decoration: `3</a/b>`. */
      readonly text: string;
      /** A parenthesized explanation after the value: `flags O_RDWR`. */
      readonly detail?: string;
      readonly injected: boolean;
      /**
       * With `--pidns-translation`, a pid as the tracee saw it in its own PID namespace
       * (`= 3 /* 8532 in strace's PID NS *\/`: 3); `value` is strace's (8532).
       */
      readonly seenAs?: number;
    }
  /** `= -1 ENOENT (No such file or directory)`, `= ? ERESTARTSYS (…)`, `= -1 (errno 18446…)` */
  | { readonly kind: 'error'; readonly errno: string; readonly message: string; readonly injected: boolean }
  /** `= ?`, `= ? <unavailable>`: the call did not return (exit, execve in a thread, death). */
  | { readonly kind: 'unknown'; readonly note?: string }
  /**
   * No result line at all: the log ended, the process died, strace detached, or a
   * thread's execve replaced the process (`pidChanged`).
   */
  | { readonly kind: 'missing'; readonly why: 'eof' | 'detached' | 'cut-off' | 'replaced' };

export interface SyscallEvent {
  readonly kind: 'syscall';
  /** 1-based line number of the line that started the call. */
  readonly line: number;
  /** The thread id from the prefix; 0 when the log has no pid prefix (a single process). */
  readonly pid: number;
  readonly time?: string;
  readonly name: string;
  /** The top-level arguments, raw and trimmed: `AT_FDCWD</tmp>`, `"a.c"`, `O_RDONLY`. */
  readonly args: readonly string[];
  readonly result: SyscallResult;
  /** The `-T` duration in seconds. */
  readonly duration?: number;
  /** Line number of the `<... resumed>` line, when the call was split. */
  readonly resumedAt?: number;
  /** A `<... resumed>` line whose start was never seen: `args` holds only the tail. */
  readonly orphan?: boolean;
  /** `<pid changed to N ...>`: a thread's execve; N is the pid the new image runs as. */
  readonly pidChangedTo?: number;
  /**
   * A failed call the consumer only counts (`ParserOptions.countedFailures`): its
   * arguments were not split, and `args` is empty.
   */
  readonly argsSkipped?: boolean;
}

export interface ExitEvent {
  readonly kind: 'exit';
  readonly line: number;
  readonly pid: number;
  readonly time?: string;
  readonly status: number;
}

export interface KilledEvent {
  readonly kind: 'killed';
  readonly line: number;
  readonly pid: number;
  readonly time?: string;
  readonly signal: string;
  readonly coreDumped: boolean;
}

/** `+++ superseded by execve in pid N +++`: the leader `pid` is replaced by thread `by`. */
export interface SupersededEvent {
  readonly kind: 'superseded';
  readonly line: number;
  readonly pid: number;
  readonly time?: string;
  readonly by: number;
}

export interface SignalEvent {
  readonly kind: 'signal';
  readonly line: number;
  readonly pid: number;
  readonly time?: string;
  readonly signal: string;
  /** `{si_signo=…}` or `stopped`. */
  readonly info: string;
}

/** A line strace wrote about itself: `strace: Process 27369 attached`. */
export interface MessageEvent {
  readonly kind: 'message';
  readonly line: number;
  readonly text: string;
}

/** A hex dump continuation line (` | 00000  61 62 …`): buffer data, never stored. */
export interface DumpEvent {
  readonly kind: 'dump';
  readonly line: number;
}

/** A line that is not strace output: counted and reported, never a crash. */
export interface UnparsedEvent {
  readonly kind: 'unparsed';
  readonly line: number;
  /** The line, cut to 200 characters. */
  readonly text: string;
  readonly reason: string;
}

export type TraceEvent = SyscallEvent | ExitEvent | KilledEvent | SupersededEvent | SignalEvent | MessageEvent | DumpEvent | UnparsedEvent;

/** Counts over one log. */
export interface ParseStats {
  lines: number;
  /** Empty lines: not strace output, but not worth a complaint either (skipped). */
  blank: number;
  unparsed: number;
  syscalls: number;
  /** Distinct pids (threads included) that appear in the log; the model's `processes` counts thread groups. */
  pids: number;
  signals: number;
  messages: number;
  dumps: number;
  /** Calls split over an `<unfinished ...>` and a `<... resumed>` line. */
  resumed: number;
  /** `<... resumed>` lines with no unfinished start (logs cut at the front, doubled markers). */
  orphanResumed: number;
  /** Unfinished calls that never got their result (end of log, process death, doubled markers). */
  incomplete: number;
}
