/**
 * What strace's `-yy` shows of a process at each call, kept for the eBPF back end: each
 * process's descriptors (what each refers to, inherited at fork, shared by CLONE_FILES,
 * closed at exec when close-on-exec) and its working directory (shared by CLONE_FS). The
 * names themselves come from the kernel, resolved at the call that made them (F_FILE,
 * F_CWD): nothing here asks the machine anything. Pure.
 */
import type { FdTarget } from '../../parse/index.js';
import type { ContainerSpec } from '../../vocabulary/index.js';

/** A descriptor: what it refers to, and whether exec closes it. */
export interface Fd {
  readonly target: FdTarget;
  cloexec: boolean;
}

/** One process (a thread group); its threads map to it. */
export interface Proc {
  readonly tgid: number;
  fds: Map<number, Fd>;
  cwd: { path: string };
  /** The arguments of its last exec (a container client's say what it asked for). */
  argv?: readonly string[];
  /** A process of a container: how the paths it sees are named on the host (vocabulary/containers.ts). */
  readonly container?: ContainerSpec;
}

/** The command's process as it was when tracing started (read from /proc while it was stopped). */
export interface RootState {
  readonly pid: number;
  /**
   * Its pid in the build's own PID namespace (behind ioana's wall: /proc's NSpid), when it
   * has one. The namespace numbers the build's tasks one after the other from there.
   */
  readonly nsPid?: number;
  readonly cwd: string;
  /** Its open descriptors and what each refers to. */
  readonly fds: ReadonlyMap<number, FdTarget>;
}

/** What a child shares with its parent. */
export interface Sharing {
  readonly thread: boolean;
  readonly files: boolean;
  readonly fs: boolean;
}

const copy = (fds: Map<number, Fd>): Map<number, Fd> => {
  const out = new Map<number, Fd>();
  for (const [k, v] of fds) out.set(k, { target: v.target, cloexec: v.cloexec });
  return out;
};

export class Tables {
  private readonly threads = new Map<number, Proc>();
  private ids = 0;
  /** Paths that were not UTF-8, kept in their escaped form (strings.ts `decoration`). */
  readonly escaped = new Set<string>();

  constructor(root: RootState) {
    const fds = new Map<number, Fd>();
    for (const [fd, target] of root.fds) fds.set(fd, { target, cloexec: false });
    this.threads.set(root.pid, { tgid: root.pid, fds, cwd: { path: root.cwd } });
  }

  /** The process of a followed thread. */
  of(tid: number): Proc | undefined {
    return this.threads.get(tid);
  }

  /** `parent` made `child`. */
  fork(parent: number, child: number, share: Sharing): void {
    const p = this.threads.get(parent);
    if (!p) return;
    if (share.thread) {
      this.threads.set(child, p);
      return;
    }
    this.threads.set(child, {
      tgid: child,
      fds: share.files ? p.fds : copy(p.fds),
      cwd: share.fs ? p.cwd : { path: p.cwd.path },
      argv: p.argv,
      container: p.container,
    });
  }

  /** A container's first process, followed from its exec on: nothing inherited from the build, its working directory named on the host. */
  adopt(tgid: number, cwd: string, container: ContainerSpec): void {
    this.threads.set(tgid, { tgid, fds: new Map(), cwd: { path: cwd }, container });
  }

  /** A thread ended. */
  exit(tid: number): void {
    this.threads.delete(tid);
  }

  /** A successful exec by `tid`, which runs as `now` from here on (a thread's exec takes the leader's pid). */
  exec(tid: number, now: number): Proc | undefined {
    const p = this.threads.get(tid);
    if (!p) return undefined;
    for (const [fd, e] of p.fds) if (e.cloexec) p.fds.delete(fd);
    // An exec gives the process a table of its own: CLONE_FILES sharers keep theirs.
    p.fds = copy(p.fds);
    if (now !== tid) {
      for (const [t, q] of this.threads) if (q === p) this.threads.delete(t);
      this.threads.set(now, p);
    }
    return p;
  }

  /** A made-up number for a socket (strace's -yy gives its inode; the model only tells sockets apart). */
  nextId(): number {
    return ++this.ids;
  }

  /** The number `nextId` gives next (the log writes it before the table takes it). */
  peekId(): number {
    return this.ids + 1;
  }

  /** What descriptor `fd` of `p` refers to, when known. */
  target(p: Proc, fd: number): FdTarget | undefined {
    return p.fds.get(fd)?.target;
  }
}

/** The directory a path in a target names, or undefined (a pipe, a socket). */
export const pathOf = (t: FdTarget | undefined): string | undefined => (t?.kind === 'path' ? t.path : undefined);
