/**
 * The model: operations in, dataflow records out (DESIGN §1.3). It keeps, per process,
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
import { own } from '../vocabulary/collections.js';
import { resolvePath } from '../vocabulary/paths.js';
import { fileOperation } from './fileops.js';
import { Holdings } from './holdings.js';
import { ObjectTable } from './objects.js';
import { Descriptors } from './descriptors.js';
import { copyTable, type FdTable, type Proc } from './state.js';
import type { Dataflow, ImageRecord, ModelStats, OperationRecord } from './types.js';

/** Steps held for pids whose parent's clone() has not returned yet. */
export const MAX_BUFFERED = 200_000;

export interface ModelOptions {
  /**
   * Called when the first process (the traced command) ends: a build whose command has
   * exited may have left daemons running, and the tracer may stop following them.
   */
  readonly onRootExit?: (status: { exitCode?: number; signal?: string }) => void;
}

const ALONE = { thread: false, files: false, fs: false };

export class DataflowModel {
  constructor(private readonly options: ModelOptions = {}) {}

  private readonly objects = new ObjectTable();
  private readonly holdings = new Holdings();
  private readonly images: ImageRecord[] = [];
  private readonly operations: OperationRecord[] = [];
  private readonly tids = new Map<number, Proc>();
  private readonly processes: Proc[] = [];
  private readonly waiting = new Map<number, Step[]>();
  private buffered = 0;
  /** The time: one tick per step, in log order. */
  private seq = 0;
  private readonly stats: ModelStats = {
    processes: 0,
    images: 0,
    execs: 0,
    failedExecs: 0,
    probes: 0,
    orphanProcesses: 0,
    horizonDescriptors: 0,
    stillRunning: 0,
    ioUring: false,
  };
  private readonly fds = new Descriptors(this.objects, this.holdings, this.stats, () => this.seq);

  /** Applies what the thread `pid` did. */
  apply(pid: number, op: Operation): void {
    const proc = this.procFor(pid, op);
    if (!proc) return;
    this.seq++;
    this.operation(proc, op);
  }

  /** The log ended: processes whose start was never seen run now; everything open closes. */
  finish(): Dataflow {
    for (const [pid, steps] of [...this.waiting]) {
      this.waiting.delete(pid);
      this.stats.orphanProcesses++;
      this.newProcess(pid, undefined, ALONE);
      for (const s of steps) this.apply(s.pid, s.op);
    }
    this.seq++;
    for (const p of this.processes) {
      if (p.fs.unresolved) this.learnCwd(p, '/');
      if (!p.ended) {
        this.stats.stillRunning++;
        this.closeImage(p);
      }
    }
    this.stats.processes = this.processes.length;
    this.stats.images = this.images.length;
    return {
      images: this.images,
      objects: this.objects.all,
      accesses: this.holdings.all(),
      operations: this.operations,
      stats: this.stats,
    };
  }

  // ---- one exhaustive switch over the operations ---------------------------------

  private operation(proc: Proc, op: Operation): void {
    switch (op.kind) {
      case 'exec':
        return this.exec(proc, op);
      case 'exec-failed':
        this.stats.failedExecs++;
        this.stats.probes++;
        return;
      case 'spawn':
        return this.spawned(proc, op);
      case 'exit':
        return this.end(proc, op.status, undefined);
      case 'killed':
        return this.end(proc, undefined, op.signal);
      case 'io-uring':
        this.stats.ioUring = true;
        return;
      case 'probe':
        this.stats.probes++;
        return;
      case 'open': {
        // strace's decoration is the resolved path: the requested one is only worked out
        // when there is none, or while the process's working directory is still unknown.
        if (proc.fs.cwd === '' && op.path.dir?.kind === 'cwd') this.dirOf(proc, op.path.dir);
        return this.fds.open(proc, op, op.target?.kind === 'path' ? op.target.path : this.path(proc, op.path));
      }
      case 'close':
        return this.fds.close(proc, op.fd);
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
      case 'bind':
        return this.fds.bind(proc, op);
      case 'accept':
        return this.fds.accept(proc, op);
      case 'chdir':
        this.learnCwd(proc, this.path(proc, op.path));
        return;
      case 'fchdir': {
        const target = op.dir.target;
        const entry = this.fds.entry(proc, op.dir);
        const path = target?.kind === 'path' ? target.path : entry?.file.object.path;
        if (path) this.learnCwd(proc, path);
        return;
      }
      case 'rename':
      case 'link':
      case 'symlink':
      case 'unlink':
      case 'rmdir':
      case 'mkdir':
      case 'truncate': {
        const image = proc.image.record.id;
        fileOperation(
          {
            objects: this.objects,
            image,
            seq: this.seq,
            path: (ref) => this.path(proc, ref),
            write: (object) => this.holdings.record(image, object.id, 'write', this.seq, this.seq),
            operation: (o) => this.operations.push(o),
          },
          op,
        );
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

  // ---- processes ---------------------------------------------------------------

  /** The process of a pid; steps of a pid not yet created by a clone() wait for it. */
  private procFor(pid: number, op: Operation): Proc | undefined {
    const known = this.tids.get(pid);
    if (known) return known;
    if (this.processes.length === 0) return this.newProcess(pid, undefined, ALONE);
    // strace may print a child's first calls before its parent's clone() returns.
    if (this.buffered < MAX_BUFFERED) {
      const list = this.waiting.get(pid) ?? [];
      list.push({ pid, op });
      this.waiting.set(pid, list);
      this.buffered++;
      return undefined;
    }
    this.stats.orphanProcesses++;
    return this.newProcess(pid, undefined, ALONE);
  }

  private newProcess(pid: number, parent: Proc | undefined, mode: { files: boolean; fs: boolean; thread: boolean }): Proc {
    const fds: FdTable = parent ? (mode.files ? parent.fds : copyTable(parent.fds)) : new Map();
    const fs = parent ? (mode.fs ? parent.fs : { cwd: parent.fs.cwd }) : { cwd: '' };
    const id = this.processes.length;
    const from = parent?.image.record;
    const record = this.newImage(
      id,
      pid,
      parent ? 'fork' : 'root',
      from?.exe ?? '',
      from?.argv ?? [],
      from?.argvTruncated ?? false,
      fs.cwd,
      from?.id,
      parent ? 'spawn' : undefined,
    );
    const proc: Proc = { id, pid, fds, fs, image: { record, held: new Map() }, threads: new Set([pid]), ended: false };
    this.processes.push(proc);
    this.tids.set(pid, proc);
    for (const entry of fds.values()) this.holdings.acquire(proc.image, entry.file, this.seq);
    return proc;
  }

  private newImage(
    process: number,
    pid: number,
    origin: ImageRecord['origin'],
    exe: string,
    argv: readonly string[],
    argvTruncated: boolean,
    cwd: string,
    parent: number | undefined,
    via: ImageRecord['via'],
  ): ImageRecord {
    const record: ImageRecord = {
      id: this.images.length,
      process,
      pid,
      origin,
      exe,
      argv,
      argvTruncated,
      cwd,
      parent,
      via,
      start: this.seq,
      end: this.seq,
    };
    this.images.push(record);
    return record;
  }

  private spawned(parent: Proc, op: Extract<Operation, { kind: 'spawn' }>): void {
    if (op.thread) {
      parent.threads.add(op.child);
      this.tids.set(op.child, parent);
    } else {
      this.newProcess(op.child, parent, op);
    }
    const early = this.waiting.get(op.child);
    if (early) {
      this.waiting.delete(op.child);
      this.buffered -= early.length;
      for (const s of early) this.apply(s.pid, s.op);
    }
  }

  private exec(proc: Proc, op: Extract<Operation, { kind: 'exec' }>): void {
    const dir = op.path.dir ? this.dirOf(proc, op.path.dir) : proc.fs.cwd;
    const requested = op.path.path;
    // `./tool` run before the log has shown the working directory: resolved when it does.
    const later = dir === '' && !requested.startsWith('/');
    const exe = later ? requested : resolvePath(dir, requested);
    this.stats.execs++;
    if (op.pidChangedTo !== undefined) {
      // A thread exec'd: the other threads are gone, and it now has the leader's pid.
      for (const t of proc.threads) if (this.tids.get(t) === proc) this.tids.delete(t);
      proc.threads.clear();
      proc.threads.add(op.pidChangedTo);
      proc.pid = op.pidChangedTo;
      this.tids.set(op.pidChangedTo, proc);
    }
    for (const [fd, entry] of [...proc.fds]) if (entry.cloexec) proc.fds.delete(fd);
    const old = proc.image.record;
    if (old.origin === 'fork') this.holdings.setup(old.id);
    this.closeImage(proc);
    proc.ended = false;
    const record = this.newImage(proc.id, proc.pid, 'exec', own(exe), op.argv, op.argvTruncated, proc.fs.cwd, old.id, 'exec');
    proc.image = { record, held: new Map() };
    for (const entry of proc.fds.values()) this.holdings.acquire(proc.image, entry.file, this.seq);
    if (later) (proc.fs.unresolved ??= []).push({ image: record, path: requested, seq: this.seq });
    else this.holdings.record(record.id, this.objects.current(exe).id, 'exec', this.seq, this.seq);
  }

  /** The working directory became known: it is also the one earlier relative execs ran in. */
  private learnCwd(proc: Proc, cwd: string): void {
    const first = proc.fs.cwd === '';
    cwd = own(cwd);
    proc.fs.cwd = cwd;
    if (!first) return;
    for (const im of this.images) if (im.process === proc.id && im.cwd === '') im.cwd = cwd;
    for (const u of proc.fs.unresolved ?? []) {
      u.image.exe = own(resolvePath(cwd, u.path));
      this.holdings.record(u.image.id, this.objects.current(u.image.exe).id, 'exec', u.seq, u.seq);
    }
    proc.fs.unresolved = undefined;
  }

  private end(proc: Proc, exitCode: number | undefined, signal: string | undefined): void {
    if (proc.ended) return;
    proc.image.record.exitCode = exitCode;
    proc.image.record.signal = signal;
    this.closeImage(proc);
    for (const t of proc.threads) if (this.tids.get(t) === proc) this.tids.delete(t);
    // Nothing reaches an ended process's descriptors again: let them go.
    proc.fds = new Map();
    if (proc.id === 0) this.options.onRootExit?.({ exitCode, signal });
  }

  /** The image stops: every object it held is released now. */
  private closeImage(proc: Proc): void {
    const image = proc.image;
    image.record.end = this.seq;
    for (const [file, since] of image.held) this.holdings.release(image, file, since, this.seq);
    image.held.clear();
    proc.ended = true;
  }

  // ---- paths ---------------------------------------------------------------------

  /** The directory a `*at()` call names; `AT_FDCWD</w>` also teaches the working directory. */
  private dirOf(proc: Proc, dir: DirRef): string {
    if (dir.kind === 'cwd') {
      if (dir.path !== undefined && dir.path !== proc.fs.cwd) this.learnCwd(proc, dir.path);
      return proc.fs.cwd;
    }
    const target = dir.target;
    if (target?.kind === 'path') return target.path;
    const entry = this.fds.entry(proc, dir);
    return entry ? entry.file.object.path : proc.fs.cwd;
  }

  /** A path argument, resolved against its directory. */
  private path(proc: Proc, ref: PathRef): string {
    const dir = ref.dir === undefined ? proc.fs.cwd : this.dirOf(proc, ref.dir);
    return resolvePath(dir, ref.path);
  }
}

/** All dataflow records of a finite list of steps (tests write them as literals). */
export function modelSteps(steps: Iterable<Step>): Dataflow {
  const model = new DataflowModel();
  for (const s of steps) model.apply(s.pid, s.op);
  return model.finish();
}
