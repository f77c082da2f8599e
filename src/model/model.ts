/**
 * The model: syscall events in, dataflow records out (DESIGN §1.3). It keeps, per
 * process, a descriptor table and a working directory, and per program image the
 * objects it holds open, so that every read, write and exec becomes an access with
 * the interval during which data could flow.
 *
 * Identity: a process is a thread group, numbered in order of appearance; a pid seen
 * again in a clone() result is a new process (pids are reused). Threads fold into
 * their group. A successful execve starts a new image in the same process; failed
 * ones (PATH search) are probes.
 */
import {
  decodeArgv,
  decodeCString,
  decodeFd,
  splitArray,
  type FdTarget,
  type SyscallEvent,
  type TraceEvent,
} from '../parse/index.js';
import { own } from '../vocabulary/collections.js';
import { CREAT_MODE, cloneMode, openMode, structFlags, type OpenMode } from './flags.js';
import { fileOperation } from './fileops.js';
import { ObjectTable } from './objects.js';
import { address, copyTable, PIPE_KINDS, resultValue, type FdEntry, type FdTable, type Image, type OpenFile, type Proc } from './state.js';
import { resolvePath } from '../vocabulary/paths.js';
import type { AccessRecord, Dataflow, ImageRecord, ModelStats, ObjectRecord, OperationRecord } from './types.js';

/**
 * Calls whose failure the model only counts (as a probe) or passes over: the parser
 * need not split their arguments when they fail (`ParserOptions.countedFailures`). Not
 * connect (an EINPROGRESS connect goes on) or bind (its descriptor is looked up either
 * way); not execve, whose failure is rarer and looks at its path.
 */
export const COUNTED_FAILURES: ReadonlySet<string> = new Set([
  'open', 'openat', 'openat2', 'creat',
  'rename', 'renameat', 'renameat2', 'link', 'linkat', 'symlink', 'symlinkat',
  'unlink', 'unlinkat', 'mkdir', 'mkdirat', 'rmdir', 'truncate', 'chdir', 'fchdir',
  'stat', 'lstat', 'newfstatat', 'statx', 'access', 'faccessat', 'faccessat2', 'readlink', 'readlinkat',
]);

/** Events held for pids whose parent's clone() has not returned yet. */
export const MAX_BUFFERED = 200_000;


export interface ModelOptions {
  /**
   * Called when the first process (the traced command) ends: a build whose command has
   * exited may have left daemons running, and the tracer may stop following them.
   */
  readonly onRootExit?: (status: { exitCode?: number; signal?: string }) => void;
}

export class DataflowModel {
  constructor(private readonly options: ModelOptions = {}) {}

  private readonly objects = new ObjectTable();
  private readonly images: ImageRecord[] = [];
  /** Keyed by image, object and mode packed in one number (see `record`). */
  /**
   * Per image (by id), its accesses keyed by object and mode (`object * 3 + mode`): small
   * integer keys, in insertion order.
   */
  private readonly accesses: Map<number, MutableAccess>[] = [];
  /**
   * Forked copies that went on to exec: between fork and exec a child only sets up
   * descriptors for the program it is about to run (`cmd < in > out`), so what it held
   * is not data it read or wrote. Forks that never exec (subshells) keep their accesses.
   */
  private readonly setupImages = new Set<number>();
  /** (image, pipe) pairs (`pairKey`) where the image held both ends: a token, not data (make's jobserver). */
  private readonly selfPipes = new Set<number>();
  private readonly operations: OperationRecord[] = [];
  private readonly tids = new Map<number, Proc>();
  private readonly processes: Proc[] = [];
  private readonly waiting = new Map<number, TraceEvent[]>();
  private buffered = 0;
  private seq = 0;
  private readonly stats: ModelStats = {
    processes: 0, images: 0, execs: 0, failedExecs: 0, probes: 0, orphanProcesses: 0, horizonDescriptors: 0, stillRunning: 0, ioUring: false,
  };

  event(e: TraceEvent): void {
    if (e.kind === 'message' || e.kind === 'dump' || e.kind === 'unparsed') return;
    const proc = this.procFor(e.pid, e);
    if (!proc) return;
    this.seq++;
    switch (e.kind) {
      case 'syscall':
        this.syscall(proc, e);
        return;
      case 'exit':
        this.end(proc, e.status, undefined);
        return;
      case 'killed':
        this.end(proc, undefined, e.signal);
        return;
      case 'superseded':
      case 'signal':
        return;
      default: {
        const never: never = e;
        throw new Error(`model/DataflowModel: unhandled event ${JSON.stringify(never)}`);
      }
    }
  }

  /** The log ended: processes whose start was never seen run now; everything open closes. */
  finish(): Dataflow {
    for (const [pid, events] of [...this.waiting]) {
      this.waiting.delete(pid);
      this.stats.orphanProcesses++;
      this.newProcess(pid, undefined, { thread: false, files: false, fs: false });
      for (const e of events) this.event(e);
    }
    this.seq++;
    for (const p of this.processes) {
      if (p.fs.unresolved) this.learnCwd(p, '/');
      if (!p.ended) {
        this.stats.stillRunning++;
        this.closeImage(p);
      }
    }
    const accesses: AccessRecord[] = [];
    for (const ofImage of this.accesses) {
      if (!ofImage) continue;
      for (const a of ofImage.values()) {
        if (a.mode !== 'exec' && this.selfPipes.has(pairKey(a.image, a.object))) continue;
        if (!this.setupImages.has(a.image)) accesses.push(a);
      }
    }
    this.stats.processes = this.processes.length;
    this.stats.images = this.images.length;
    return { images: this.images, objects: this.objects.all, accesses, operations: this.operations, stats: this.stats };
  }

  // ---- processes ---------------------------------------------------------------

  /** The process of a pid; events of a pid not yet created by a clone() wait for it. */
  private procFor(pid: number, e: TraceEvent): Proc | undefined {
    const known = this.tids.get(pid);
    if (known) return known;
    if (this.processes.length === 0) return this.newProcess(pid, undefined, { thread: false, files: false, fs: false });
    // strace may print a child's first calls before its parent's clone() returns.
    if (this.buffered < MAX_BUFFERED) {
      const list = this.waiting.get(pid) ?? [];
      list.push(e);
      this.waiting.set(pid, list);
      this.buffered++;
      return undefined;
    }
    this.stats.orphanProcesses++;
    return this.newProcess(pid, undefined, { thread: false, files: false, fs: false });
  }

  private newProcess(pid: number, parent: Proc | undefined, mode: { files: boolean; fs: boolean; thread: boolean }): Proc {
    const fds: FdTable = parent ? (mode.files ? parent.fds : copyTable(parent.fds)) : new Map();
    const fs = parent ? (mode.fs ? parent.fs : { cwd: parent.fs.cwd }) : { cwd: '' };
    const origin = parent ? 'fork' : 'root';
    const id = this.processes.length;
    const record = this.newImage(id, pid, origin, parent?.image.record.exe ?? '', parent?.image.record.argv ?? [], parent?.image.record.argvTruncated ?? false, fs.cwd, parent?.image.record.id, parent ? 'spawn' : undefined);
    const proc: Proc = { id, pid, fds, fs, image: { record, held: new Map() }, threads: new Set([pid]), ended: false };
    this.processes.push(proc);
    this.tids.set(pid, proc);
    for (const entry of fds.values()) this.acquire(proc.image, entry.file);
    return proc;
  }

  private newImage(process: number, pid: number, origin: ImageRecord['origin'], exe: string, argv: readonly string[], argvTruncated: boolean, cwd: string, parent: number | undefined, via: ImageRecord['via']): ImageRecord {
    const record: ImageRecord = { id: this.images.length, process, pid, origin, exe, argv, argvTruncated, cwd, parent, via, start: this.seq, end: this.seq };
    this.images.push(record);
    return record;
  }

  private spawned(parent: Proc, e: SyscallEvent): void {
    const child = e.result.kind === 'ok' ? e.result.value : -1;
    if (child <= 0) return;
    const mode = cloneMode(e.name, e.args);
    if (mode.thread) {
      parent.threads.add(child);
      this.tids.set(child, parent);
    } else {
      this.newProcess(child, parent, mode);
    }
    const early = this.waiting.get(child);
    if (early) {
      this.waiting.delete(child);
      this.buffered -= early.length;
      for (const ev of early) this.event(ev);
    }
  }

  private exec(proc: Proc, e: SyscallEvent): void {
    const ok = (e.result.kind === 'ok' && e.result.value === 0) || e.pidChangedTo !== undefined;
    if (!ok) {
      this.stats.failedExecs++;
      this.stats.probes++;
      return;
    }
    const at = e.name === 'execveat';
    const pathArg = decodeCString(e.args[at ? 1 : 0] ?? '')?.value ?? '';
    const dir = at ? this.dirOf(proc, e.args[0]) : proc.fs.cwd;
    // `./tool` run before the log has shown the working directory: resolved when it does.
    const later = dir === '' && !pathArg.startsWith('/');
    const exe = later ? pathArg : resolvePath(dir, pathArg);
    this.stats.execs++;
    if (e.pidChangedTo !== undefined) {
      // A thread exec'd: the other threads are gone, and it now has the leader's pid.
      for (const t of proc.threads) if (this.tids.get(t) === proc) this.tids.delete(t);
      proc.threads.clear();
      proc.threads.add(e.pidChangedTo);
      proc.pid = e.pidChangedTo;
      this.tids.set(e.pidChangedTo, proc);
    }
    for (const [fd, entry] of [...proc.fds]) if (entry.cloexec) proc.fds.delete(fd);
    // Decoded from a copy: the image keeps its arguments, not the log chunk they were read in.
    const argv = decodeArgv(own(e.args[at ? 2 : 1] ?? ''));
    const old = proc.image.record;
    if (old.origin === 'fork') this.setupImages.add(old.id);
    this.closeImage(proc);
    proc.ended = false;
    const record = this.newImage(proc.id, proc.pid, 'exec', own(exe), argv?.argv ?? [], argv?.truncated ?? true, proc.fs.cwd, old.id, 'exec');
    proc.image = { record, held: new Map() };
    for (const entry of proc.fds.values()) this.acquire(proc.image, entry.file);
    if (later) (proc.fs.unresolved ??= []).push({ image: record, path: pathArg, seq: this.seq });
    else this.record(record.id, this.objects.current(exe).id, 'exec', this.seq, this.seq);
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
      this.record(u.image.id, this.objects.current(u.image.exe).id, 'exec', u.seq, u.seq);
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
    for (const [file, since] of image.held) this.release(image, file, since);
    image.held.clear();
    proc.ended = true;
  }

  // ---- descriptors ---------------------------------------------------------------

  private acquire(image: Image, file: OpenFile): void {
    if (image.held.has(file)) return;
    image.held.set(file, this.seq);
    if (PIPE_KINDS.has(file.object.kind)) {
      for (const other of image.held.keys()) {
        if (other !== file && other.object === file.object) this.selfPipes.add(pairKey(image.record.id, file.object.id));
      }
    }
  }

  private release(image: Image, file: OpenFile, since: number): void {
    const o = file.object;
    if (o.kind === 'horizon' || o.kind === 'other') return;
    if (file.read) this.record(image.record.id, o.id, 'read', since, this.seq);
    if (file.write) this.record(image.record.id, o.id, 'write', since, this.seq);
  }

  private record(image: number, object: number, mode: AccessRecord['mode'], from: number, to: number): void {
    const key = object * 3 + (mode === 'read' ? 0 : mode === 'write' ? 1 : 2);
    const ofImage = (this.accesses[image] ??= new Map());
    const a = ofImage.get(key);
    if (a) {
      a.from = Math.min(a.from, from);
      a.to = Math.max(a.to, to);
    } else {
      ofImage.set(key, { image, object, mode, from, to });
    }
  }

  /** Puts `file` at `fd`, closing what was there. */
  private install(proc: Proc, fd: number, file: OpenFile, cloexec: boolean): void {
    const old = proc.fds.get(fd);
    proc.fds.set(fd, { file, cloexec });
    if (old && old.file !== file) this.unheldRelease(proc, old.file);
    this.acquire(proc.image, file);
  }

  private close(proc: Proc, fd: number): void {
    const old = proc.fds.get(fd);
    if (!old) return;
    proc.fds.delete(fd);
    this.unheldRelease(proc, old.file);
  }

  /** Releases `file` from the image when no descriptor of the process refers to it any more. */
  private unheldRelease(proc: Proc, file: OpenFile): void {
    for (const entry of proc.fds.values()) if (entry.file === file) return;
    const since = proc.image.held.get(file);
    if (since === undefined) return;
    proc.image.held.delete(file);
    this.release(proc.image, file, since);
  }

  /** The entry at `fd`; a descriptor never seen before was inherited from outside (the horizon). */
  private entry(proc: Proc, raw: string | undefined): FdEntry | undefined {
    const fd = parseInt(raw ?? '', 10);
    if (Number.isNaN(fd) || fd < 0) return undefined;
    const known = proc.fds.get(fd);
    if (known) return known;
    const target = decodeFd(raw ?? '')?.target;
    const label = target?.kind === 'path' ? target.path : target?.kind ?? `fd ${fd}`;
    this.stats.horizonDescriptors++;
    const entry: FdEntry = { file: { object: this.objects.horizon(label), read: false, write: false }, cloexec: false };
    proc.fds.set(fd, entry);
    return entry;
  }

  /** The directory a `*at()` call's first argument names; `AT_FDCWD</w>` also teaches the cwd. */
  private dirOf(proc: Proc, raw: string | undefined): string {
    if (raw?.startsWith('AT_FDCWD')) {
      // The usual case, without decoding: the decoration names the directory we know.
      const cwd = proc.fs.cwd;
      if (cwd !== '' && raw.length === cwd.length + 10 && raw.endsWith('>') && raw.startsWith(cwd, 9)) return cwd;
      const target = decodeFd(raw)?.target;
      if (target?.kind === 'path' && target.path !== proc.fs.cwd) this.learnCwd(proc, target.path);
      return proc.fs.cwd;
    }
    const target = decodeFd(raw ?? '')?.target;
    if (target?.kind === 'path') return target.path;
    const entry = this.entry(proc, raw);
    return entry ? entry.file.object.path : proc.fs.cwd;
  }

  private pathArg(proc: Proc, dirRaw: string | undefined, pathRaw: string | undefined): string {
    const p = decodeCString(pathRaw ?? '')?.value ?? '';
    return resolvePath(dirRaw === undefined ? proc.fs.cwd : this.dirOf(proc, dirRaw), p);
  }

  // ---- system calls --------------------------------------------------------------

  private syscall(proc: Proc, e: SyscallEvent): void {
    const a = e.args;
    switch (e.name) {
      case 'execve':
      case 'execveat':
        return this.exec(proc, e);
      case 'clone':
      case 'clone3':
      case 'fork':
      case 'vfork':
        return this.spawned(proc, e);
      case 'exit_group':
        return this.end(proc, parseInt(a[0] ?? '', 10), undefined);
      case 'io_uring_setup':
        this.stats.ioUring = true;
        return;
    }
    const ok = e.result.kind === 'ok';
    switch (e.name) {
      case 'open':
        return this.open(proc, e, undefined, a[0], openMode(a[1] ?? 'O_RDONLY'));
      case 'openat':
        return this.open(proc, e, a[0], a[1], openMode(a[2] ?? 'O_RDONLY'));
      case 'openat2':
        return this.open(proc, e, a[0], a[1], openMode(structFlags(a[2] ?? '')));
      case 'creat':
        return this.open(proc, e, undefined, a[0], CREAT_MODE);
      case 'close':
        if (ok || e.result.kind === 'missing') this.close(proc, parseInt(a[0] ?? '', 10));
        return;
      case 'close_range': {
        if (!ok) return;
        const first = parseInt(a[0] ?? '', 10);
        const last = /^\d+$/.test(a[1] ?? '') ? parseInt(a[1], 10) : Infinity;
        const cloexecOnly = /CLOSE_RANGE_CLOEXEC/.test(a[2] ?? '');
        for (const fd of [...proc.fds.keys()]) {
          if (fd < first || fd > last) continue;
          if (cloexecOnly) proc.fds.get(fd)!.cloexec = true;
          else this.close(proc, fd);
        }
        return;
      }
      case 'dup':
      case 'dup2':
      case 'dup3': {
        if (!ok) return;
        const from = this.entry(proc, a[0]);
        if (from) this.install(proc, resultValue(e), from.file, e.name === 'dup3' && /O_CLOEXEC/.test(a[2] ?? ''));
        return;
      }
      case 'fcntl': {
        if (!ok) return;
        const cmd = a[1] ?? '';
        if (cmd === 'F_DUPFD' || cmd === 'F_DUPFD_CLOEXEC') {
          const from = this.entry(proc, a[0]);
          if (from) this.install(proc, resultValue(e), from.file, cmd === 'F_DUPFD_CLOEXEC');
        } else if (cmd === 'F_SETFD') {
          const entry = this.entry(proc, a[0]);
          if (entry) entry.cloexec = /FD_CLOEXEC|^1$/.test(a[2] ?? '');
        }
        return;
      }
      case 'pipe':
      case 'pipe2':
        if (ok) this.pipe(proc, a[0], /O_CLOEXEC/.test(a[1] ?? ''), 'pipe');
        return;
      case 'socketpair':
        if (ok) this.pipe(proc, a[3], /SOCK_CLOEXEC/.test(a[1] ?? ''), 'socketpair');
        return;
      case 'socket': {
        if (!ok) return;
        const proto = /AF_UNIX|AF_LOCAL/.test(a[0] ?? '') ? 'unix' : /SOCK_DGRAM/.test(a[1] ?? '') ? 'udp' : 'tcp';
        const file: OpenFile = { object: this.objects.other('socket'), read: true, write: true, socket: { proto } };
        this.install(proc, resultValue(e), file, /SOCK_CLOEXEC/.test(a[1] ?? ''));
        return;
      }
      case 'connect':
        return this.connect(proc, e);
      case 'bind': {
        const entry = this.entry(proc, a[0]);
        if (ok && entry?.file.socket) entry.file.socket.bound = address(entry.file.socket.proto, a[1] ?? '');
        return;
      }
      case 'accept':
      case 'accept4': {
        if (!ok) return;
        const listener = this.entry(proc, a[0]);
        const bound = listener?.file.socket?.bound ?? 'unknown';
        const object = this.objects.keyed(`ep:accept:${bound}`, 'endpoint', `accept:${bound}`, `accept:${bound}`);
        this.install(proc, resultValue(e), { object, read: true, write: true }, /SOCK_CLOEXEC/.test(a[3] ?? ''));
        return;
      }
      case 'chdir':
        if (ok) this.learnCwd(proc, this.pathArg(proc, undefined, a[0]));
        return;
      case 'fchdir': {
        if (!ok) return;
        const target = decodeFd(a[0] ?? '')?.target;
        const entry = this.entry(proc, a[0]);
        const path = target?.kind === 'path' ? target.path : entry?.file.object.path;
        if (path) this.learnCwd(proc, path);
        return;
      }
    }
    fileOperation(
      {
        objects: this.objects,
        image: proc.image.record.id,
        seq: this.seq,
        path: (dirRaw, pathRaw) => this.pathArg(proc, dirRaw, pathRaw),
        write: (object) => this.record(proc.image.record.id, object.id, 'write', this.seq, this.seq),
        probe: () => this.stats.probes++,
        operation: (op) => this.operations.push(op),
      },
      e,
    );
  }

  private open(proc: Proc, e: SyscallEvent, dirRaw: string | undefined, pathRaw: string | undefined, mode: OpenMode): void {
    if (e.result.kind !== 'ok') {
      if (e.result.kind === 'error') this.stats.probes++;
      return;
    }
    const decorated: FdTarget | undefined = decodeFd(e.result.text)?.target;
    // strace's decoration is the resolved path: the requested one is only worked out when
    // there is none, or while the process's working directory is still unknown.
    if (proc.fs.cwd === '' && dirRaw?.startsWith('AT_FDCWD')) this.dirOf(proc, dirRaw);
    const path = decorated?.kind === 'path' ? decorated.path : this.pathArg(proc, dirRaw, pathRaw);
    let object: ObjectRecord;
    if (decorated?.kind === 'path' && decorated.device !== undefined) {
      // /dev/null and terminals: the descriptor exists, but carries nothing.
      object = this.objects.opened(path, decorated, false) ?? this.objects.other(path);
    } else if (mode.directory) object = this.objects.opened(path, decorated, true)!;
    else if (decorated && decorated.kind !== 'path') object = this.objects.other(decorated.kind);
    else if (mode.tmpfile || (mode.write && mode.truncate) || (mode.create && mode.exclusive)) object = this.objects.replace(path);
    else object = this.objects.current(path);
    const file: OpenFile = { object, read: mode.read && !mode.path, write: mode.write && !mode.path };
    this.install(proc, resultValue(e), file, mode.cloexec);
  }

  private pipe(proc: Proc, raw: string | undefined, cloexec: boolean, kind: 'pipe' | 'socketpair'): void {
    const ends = splitArray(raw ?? '')?.map((r) => ({ fd: parseInt(r, 10), target: decodeFd(r)?.target }));
    if (!ends || ends.length !== 2) return;
    const t = ends[0].target;
    const inode = t?.kind === 'pipe' ? t.inode : t?.kind === 'socket' ? t.inode : undefined;
    const object = this.objects.keyed(`${kind}:${inode ?? `anon${this.seq}`}`, kind, `${kind}:[${inode ?? '?'}]`);
    const both = kind === 'socketpair';
    this.install(proc, ends[0].fd, { object, read: true, write: both }, cloexec);
    this.install(proc, ends[1].fd, { object, read: both, write: true }, cloexec);
  }

  private connect(proc: Proc, e: SyscallEvent): void {
    const entry = this.entry(proc, e.args[0]);
    const inProgress = e.result.kind === 'error' && e.result.errno === 'EINPROGRESS';
    if (e.result.kind !== 'ok' && !inProgress) {
      if (e.result.kind === 'error') this.stats.probes++;
      return;
    }
    if (!entry) return;
    const addr = address(entry.file.socket?.proto ?? 'tcp', e.args[1] ?? '');
    const endpoint = this.objects.keyed(`ep:${addr}`, 'endpoint', addr, addr);
    // The socket now leads to the endpoint: the image holds that from here on.
    proc.image.held.delete(entry.file);
    entry.file.object = endpoint;
    this.acquire(proc.image, entry.file);
  }

}

interface MutableAccess {
  image: number;
  object: number;
  mode: AccessRecord['mode'];
  from: number;
  to: number;
}

/** (image, object) as one number: below 2^53 (×3 for the mode) up to 2^24 images and 2^27 objects. */
function pairKey(image: number, object: number): number {
  return image * 134_217_728 + object;
}

/** All dataflow records of a finite list of events. */
export function modelEvents(events: Iterable<TraceEvent>): Dataflow {
  const model = new DataflowModel();
  for (const e of events) model.event(e);
  return model.finish();
}
