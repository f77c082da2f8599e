/**
 * The model: operations in, dataflow records out (docs/architecture.md §1.3). It keeps, per process,
 * a descriptor table and a working directory, and per program image the objects it
 * holds open, so that every read, write and exec becomes an access with the interval
 * during which data could flow. It applies decoded operations (src/decode) and never
 * reads strace's notation.
 *
 * Identity: a process is a thread group, numbered in order of appearance; a pid seen
 * again in a clone() result is a new process (pids are reused). Threads fold into
 * their group. A successful execve starts a new image in the same process; failed
 * ones (PATH search) are probes.
 */
import type { DirRef, Operation, PathRef, Step } from '../decode/index.js';
import { resolvePath } from '../vocabulary/paths.js';
import { fileOperation, type FileOpContext } from './fileops.js';
import { Holdings } from './holdings.js';
import { Inheritance } from './inheritance.js';
import { ObjectTable } from './objects.js';
import { Descriptors } from './descriptors.js';
import { fromRoot } from './mounts.js';
import { Processes } from './processes.js';
import type { Proc } from './state.js';
import { emptyModelStats, type Dataflow, type ModelStats, type OperationRecord } from './types.js';

export interface ModelOptions {
  /**
   * Called when the first process (the traced command) ends: a build whose command has
   * exited may have left daemons running, and the tracer may stop following them.
   */
  readonly onRootExit?: (status: { exitCode?: number; signal?: string }) => void;
  /** The build ran behind ioana's wall, started by the back end rather than by a launcher in the trace (eBPF). */
  readonly separated?: boolean;
}

/** Notes on the process's image that it set up I/O the trace cannot see (`io_uring`, `CLONE_UNTRACED`), once each. */
function untraced(proc: Proc, what: string): void {
  const record = proc.image.record;
  if (!record.untraced?.includes(what)) record.untraced = [...(record.untraced ?? []), what];
}

/**
 * What a forked image can do and still hold only what it inherited: end, run another
 * program (what it held before is setup), look for files, change directory, and move or
 * close descriptors (a child setting up the program it is about to run: `dup2`,
 * `close_range`). Closing one early changes nothing it could pass on: everything it
 * inherited was held together from the fork on.
 */
const QUIET: ReadonlySet<Operation['kind']> = new Set([
  'exit',
  'killed',
  'exec',
  'exec-failed',
  'probe',
  'other',
  // Bytes moved: counted, as a read or write call always was (`other`), never a change of what it holds.
  'transfer',
  'chdir',
  'close',
  'close-range',
  'dup',
  'set-cloexec',
]);

export class DataflowModel {
  private readonly objects = new ObjectTable();
  private readonly holdings = new Holdings();
  private readonly operations: OperationRecord[] = [];
  /** The time: one tick per step, in log order. */
  private seq = 0;
  private readonly stats: ModelStats = emptyModelStats();
  private readonly inheritance = new Inheritance(this.holdings, () => this.seq);
  private readonly fds = new Descriptors(this.objects, this.holdings, this.inheritance, this.stats, () => this.seq);
  private readonly procs: Processes;

  /** The build's pids as it saw them in a PID namespace of its own (`Dataflow.seenPids`). */
  private readonly seenPids = new Set<number>();

  /** A pid the build saw one of its processes as, that no spawn in the trace said (the eBPF back end's first process). */
  seenAs(pid: number): void {
    this.seenPids.add(pid);
  }

  constructor(options: ModelOptions = {}) {
    this.procs = new Processes(this.objects, this.holdings, this.inheritance, this.stats, () => this.seq, options.onRootExit);
    if (options.separated) this.procs.separated = true;
  }

  /** Applies what the thread `pid` did. */
  apply(pid: number, op: Operation): void {
    const proc = this.procs.of(pid, op);
    if (!proc) return;
    this.seq++;
    this.operation(proc, op);
  }

  /** The log ended: processes whose start was never seen run now; everything open closes. */
  finish(): Dataflow {
    for (const [pid, steps] of this.procs.orphans()) {
      this.procs.adopt(pid);
      for (const s of steps) this.apply(s.pid, s.op);
    }
    this.seq++;
    for (const p of this.procs.all) {
      if (p.fs.unresolved) this.procs.learnCwd(p, '/');
      if (!p.ended) {
        this.stats.stillRunning++;
        this.procs.closeImage(p);
      }
    }
    this.stats.processes = this.procs.all.length;
    this.stats.images = this.procs.images.length;
    return {
      images: this.procs.images,
      objects: this.objects.all,
      accesses: this.holdings.all(),
      operations: this.operations,
      stats: this.stats,
      tids: [...this.procs.everTids].sort((a, b) => a - b),
      ...(this.seenPids.size > 0 ? { seenPids: [...this.seenPids].sort((a, b) => a - b) } : {}),
      listening: [...this.fds.listening].sort((a, b) => a - b),
      separated: this.procs.separated,
    };
  }

  // ---- one exhaustive switch over the operations ---------------------------------

  private operation(proc: Proc, op: Operation): void {
    if (proc.image.inherited && !QUIET.has(op.kind)) this.inheritance.activate(proc.image);
    switch (op.kind) {
      case 'exec': {
        const dir = op.path.dir ? this.dirOf(proc, op.path.dir) : proc.fs.cwd;
        if (!proc.fs.root && proc.mounts.empty) return this.procs.exec(proc, op, dir);
        // Behind a chroot or a mount: named by the file it really is.
        const seen = { ...op, path: { path: fromRoot(proc.fs.root, op.path.path) } };
        return this.procs.exec(proc, seen, dir, (p) => proc.mounts.map(p));
      }
      case 'exec-failed':
        this.stats.failedExecs++;
        this.stats.probes++;
        return;
      case 'spawn':
        // strace cannot follow a CLONE_UNTRACED child: nothing it does reaches the log.
        if (op.untraced) untraced(proc, 'CLONE_UNTRACED');
        if (op.seenAs !== undefined) this.seenPids.add(op.seenAs);
        for (const s of this.procs.spawned(proc, op.child, op)) this.apply(s.pid, s.op);
        return;
      case 'exit':
        for (const b of op.bytes ?? []) this.fds.moved(proc, b);
        return this.procs.end(proc, op.status, undefined);
      case 'killed':
        for (const b of op.bytes ?? []) this.fds.moved(proc, b);
        return this.procs.end(proc, undefined, op.signal);
      case 'untraced':
        if (op.what === 'io_uring') this.stats.ioUring = true;
        return untraced(proc, op.what);
      case 'probe':
        this.stats.probes++;
        return;
      case 'open': {
        // strace's decoration is the resolved path: the requested one is only worked out
        // when there is none, or while the process's working directory is still unknown.
        if (proc.fs.cwd === '' && op.path.dir?.kind === 'cwd') this.dirOf(proc, op.path.dir);
        return this.fds.open(proc, op, this.named(proc, op.target?.kind === 'path' ? op.target.path : this.path(proc, op.path)));
      }
      case 'close':
        if (op.bytes) this.fds.moved(proc, op.bytes);
        return this.fds.close(proc, op.fd);
      case 'transfer':
        for (const m of op.moves) this.fds.moved(proc, m);
        return;
      case 'close-range':
        return this.fds.closeRange(proc, op);
      case 'dup':
        return this.fds.dup(proc, op);
      case 'set-cloexec':
        return this.fds.setCloexec(proc, op);
      case 'pipe':
        return this.fds.pipe(proc, op);
      case 'socket':
        return this.fds.socket(proc, op);
      case 'connect':
        return this.fds.connect(proc, op);
      case 'send':
        return this.fds.send(proc, op);
      case 'bind':
        return this.fds.bind(proc, op);
      case 'accept':
        return this.fds.accept(proc, op);
      case 'chdir':
        this.procs.learnCwd(proc, this.path(proc, op.path));
        return;
      case 'fchdir': {
        const target = op.dir.target;
        const entry = this.fds.entry(proc, op.dir);
        const path = target?.kind === 'path' ? target.path : entry?.file.object.path;
        if (path) this.procs.learnCwd(proc, path);
        return;
      }
      case 'rename':
      case 'link':
      case 'symlink':
      case 'unlink':
      case 'rmdir':
      case 'mkdir':
      case 'truncate':
        return fileOperation(this.fileOpContext(proc), op);
      case 'mount':
        return this.mount(proc, op);
      case 'umount':
        return proc.mounts.unmount(this.path(proc, op.target));
      case 'chroot':
        proc.fs.root = this.path(proc, op.path);
        return;
      case 'unshare':
        if (op.mount) proc.mounts = proc.mounts.copy();
        return;
      case 'setns':
        // Which namespace it joined the trace does not say: its names can no longer be mapped.
        if (op.mount) untraced(proc, 'setns (joined another mount namespace)');
        return;
      case 'reach': {
        const record = proc.image.record;
        if (!record.reached?.some((r) => r.call === op.call && r.pid === op.pid))
          record.reached = [...(record.reached ?? []), { call: op.call, pid: op.pid }];
        return;
      }
      case 'other':
        return;
      default: {
        const never: never = op;
        throw new Error(`model/DataflowModel: unhandled operation ${JSON.stringify(never)}`);
      }
    }
  }

  /** A mount: the namespace learns what its names now mean; what it cannot map is I/O the trace cannot see. */
  private mount(proc: Proc, op: Extract<Operation, { kind: 'mount' }>): void {
    const target = this.path(proc, op.target);
    switch (op.how) {
      case 'bind':
        return proc.mounts.bind(this.path(proc, op.source), target);
      case 'move':
        return proc.mounts.move(this.path(proc, op.source), target);
      case 'new':
        if (!proc.mounts.mountNew(op.fstype, target)) untraced(proc, `mount -t ${op.fstype || '?'} (files the trace cannot name)`);
        return;
      case 'remount':
      case 'propagation':
        return;
      default: {
        const never: never = op.how;
        throw new Error(`model/mount: unhandled ${String(never)}`);
      }
    }
  }

  // ---- paths ---------------------------------------------------------------------

  /** What a name the process used (as seen from the tracer's root) really names, through its namespace's mounts. */
  private named(proc: Proc, path: string): string {
    return proc.mounts.empty ? path : proc.mounts.map(path);
  }

  /** What a file operation of `proc` needs of the model. */
  private fileOpContext(proc: Proc): FileOpContext {
    const image = proc.image.record.id;
    return {
      objects: this.objects,
      image,
      seq: this.seq,
      path: (ref) => this.named(proc, this.path(proc, ref)),
      write: (object) => this.holdings.record(image, object.id, 'write', this.seq, this.seq),
      operation: (o) => this.operations.push(o),
    };
  }

  /** The directory a `*at()` call names; `AT_FDCWD</w>` also teaches the working directory. */
  private dirOf(proc: Proc, dir: DirRef): string {
    if (dir.kind === 'cwd') {
      if (dir.path !== undefined && dir.path !== proc.fs.cwd) this.procs.learnCwd(proc, dir.path);
      return proc.fs.cwd;
    }
    const target = dir.target;
    if (target?.kind === 'path') return target.path;
    const entry = this.fds.entry(proc, dir);
    return entry ? entry.file.object.path : proc.fs.cwd;
  }

  /** A path argument, resolved against its directory (and, after a chroot, its root): as seen from the tracer's root. */
  private path(proc: Proc, ref: PathRef): string {
    const dir = ref.dir === undefined ? proc.fs.cwd : this.dirOf(proc, ref.dir);
    return resolvePath(dir, proc.fs.root ? fromRoot(proc.fs.root, ref.path) : ref.path);
  }
}

/** All dataflow records of a finite list of steps (tests write them as literals). */
export function modelSteps(steps: Iterable<Step>): Dataflow {
  const model = new DataflowModel();
  for (const s of steps) model.apply(s.pid, s.op);
  return model.finish();
}
