/**
 * Processes and their program images (docs/architecture.md §1.3): a process is a thread group,
 * numbered in order of appearance; a pid seen again in a clone() result is a new
 * process (pids are reused); threads fold into their group; a successful execve starts
 * a new image in the same process. Steps of a pid whose parent's clone() has not
 * returned yet wait for it (strace may print a child's first calls before that).
 */
import type { Operation, Step } from '../decode/index.js';
import { own } from '../vocabulary/collections.js';
import { resolvePath } from '../vocabulary/paths.js';
import type { Holdings } from './holdings.js';
import type { ObjectTable } from './objects.js';
import type { Inheritance } from './inheritance.js';
import { Mounts } from './mounts.js';
import { FdTable, type Proc } from './state.js';
import type { ImageRecord, ModelStats } from './types.js';

/** The gate of ioana's launcher: `sh -c SCRIPT GATE …` (src/trace/separation.ts's GATE). */
const GATE_SCRIPT = 'read _ <"$0" && exec "$@"';
/** The init of the build's namespace: `sh -c SCRIPT ioana-init …` (separation.ts's INIT). */
const INIT_SCRIPT =
  /^trap : INT TERM; echo \d+ >\/proc\/sys\/kernel\/ns_last_pid 2>\/dev\/null; exec \/\S*env --default-signal=INT,QUIT "\$@" <&0 & while :; do wait "\$!" 2>\/dev\/null; s=\$\?; \[ "\$s" -gt 128 \] && kill -0 "\$!" 2>\/dev\/null && continue; exit "\$s"; done$/;

const base = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/**
 * `['/bin/sh', '-c', GATE_SCRIPT, '/tmp/…/gate.fifo', '/usr/bin/unshare', '--pid', …, '--',
 * '/bin/sh', '-c', INIT, 'ioana-init', '/usr/bin/setpriv', …, '--', 'make']` →
 * `['sh', 'unshare', 'sh', 'env', 'setpriv']` (the init runs the rest through `env`): the launcher's programs, in the order they run;
 * `[]` when the first program is not ioana's gate.
 */
export function launcherChain(argv: readonly string[]): string[] {
  if (argv.length < 4 || argv[1] !== '-c' || argv[2] !== GATE_SCRIPT) return [];
  const chain = ['sh'];
  let at = 4;
  const through = (program: string): boolean => {
    if (base(argv[at] ?? '') !== program) return false;
    const end = argv.indexOf('--', at);
    if (end < 0) return false;
    chain.push(program);
    at = end + 1;
    return true;
  };
  if (!through('unshare')) return chain;
  if (base(argv[at] ?? '') === 'sh' && argv[at + 1] === '-c' && INIT_SCRIPT.test(argv[at + 2] ?? '') && argv[at + 3] === 'ioana-init') {
    chain.push('sh', 'env');
    at += 4;
  }
  through('setpriv');
  return chain;
}

/** Steps held for pids whose parent's clone() has not returned yet. */
export const MAX_BUFFERED = 200_000;

/** What a process shares with the one that created it. */
export interface Sharing {
  readonly thread: boolean;
  readonly files: boolean;
  readonly fs: boolean;
  /** CLONE_NEWNS: a mount namespace of its own (a copy of the parent's). */
  readonly mountNs?: boolean;
}

const ALONE: Sharing = { thread: false, files: false, fs: false };

export class Processes {
  readonly all: Proc[] = [];
  readonly images: ImageRecord[] = [];
  private readonly tids = new Map<number, Proc>();
  /** Every pid and thread id that was ever one of the build's (`Dataflow.tids`): `tids` forgets those that ended. */
  readonly everTids = new Set<number>();
  private readonly waiting = new Map<number, Step[]>();
  private buffered = 0;

  constructor(
    private readonly objects: ObjectTable,
    private readonly holdings: Holdings,
    private readonly inheritance: Inheritance,
    private readonly stats: ModelStats,
    /** The model's time (its seq). */
    private readonly now: () => number,
    /** The first process ended (see ModelOptions.onRootExit). */
    private readonly onRootExit?: (status: { exitCode?: number; signal?: string }) => void,
  ) {}

  /** The launcher's images still to come, and the process they come in (its line of processes). */
  private launcher?: { left: string[]; proc: number };
  /** The build ran in namespaces of its own (its launcher had `unshare`): its /proc is its own. */
  separated = false;
  /** The process that runs the build's command (after ioana's launcher): its end is the build's. */
  private buildRoot?: number;

  /**
   * Whether the image execve is starting in `proc` is the launcher's next one. The first
   * program the trace runs says whether there is a launcher: ioana's gate
   * (src/trace/separation.ts, `sh -c 'read _ <"$0" && exec "$@"' GATE [unshare … --]
   * [setpriv … --] COMMAND…`) names the programs that come before the build's own.
   */
  private launcherImage(proc: Proc, exe: string, argv: readonly string[]): boolean {
    if (proc.id === 0 && proc.image.record.origin === 'root' && this.launcher === undefined) {
      const chain = launcherChain(argv);
      if (chain.length > 0) this.launcher = { left: chain, proc: 0 };
      this.separated = chain.includes('unshare');
    }
    const l = this.launcher;
    if (!l || l.left.length === 0 || proc.id !== l.proc) return false;
    if (exe.slice(exe.lastIndexOf('/') + 1) !== l.left[0]) {
      // Not what ioana started: everything from here is the build's.
      this.launcher = undefined;
      return false;
    }
    l.left.shift();
    return true;
  }

  /** The process of a pid; a step of a pid not yet created by a clone() waits (undefined). */
  of(pid: number, op: Operation): Proc | undefined {
    const known = this.tids.get(pid);
    if (known) return known;
    if (this.all.length === 0) return this.create(pid, undefined, ALONE);
    if (this.buffered < MAX_BUFFERED) {
      const list = this.waiting.get(pid) ?? [];
      list.push({ pid, op });
      this.waiting.set(pid, list);
      this.buffered++;
      return undefined;
    }
    this.stats.orphanProcesses++;
    return this.create(pid, undefined, ALONE);
  }

  /** `parent` created `child` (a thread, or a process sharing what `sharing` says); the steps that waited for it. */
  spawned(parent: Proc, child: number, sharing: Sharing): Step[] {
    if (sharing.thread) {
      parent.threads.add(child);
      this.tids.set(child, parent);
      this.everTids.add(child);
    } else {
      this.create(child, parent, sharing);
    }
    const early = this.waiting.get(child) ?? [];
    this.waiting.delete(child);
    this.buffered -= early.length;
    return early;
  }

  /** The log ended: the pids whose creation it never showed, with the steps that waited. */
  orphans(): [number, Step[]][] {
    return [...this.waiting];
  }

  /** An orphan pid becomes a process of its own. */
  adopt(pid: number): void {
    this.waiting.delete(pid);
    this.stats.orphanProcesses++;
    this.create(pid, undefined, ALONE);
  }

  private create(pid: number, parent: Proc | undefined, sharing: Sharing): Proc {
    // `unshare --fork`: the launcher goes on in the child it made.
    if (parent && this.launcher && this.launcher.left.length > 0 && parent.id === this.launcher.proc && parent.image.record.launcher)
      this.launcher.proc = this.all.length;
    const fds = parent ? (sharing.files ? parent.fds.share() : parent.fds.fork()) : FdTable.empty();
    const fs = parent
      ? sharing.fs
        ? parent.fs
        : { cwd: parent.fs.cwd, ...(parent.fs.root ? { root: parent.fs.root } : {}) }
      : { cwd: '' };
    const mounts = parent ? (sharing.mountNs ? parent.mounts.copy() : parent.mounts) : new Mounts();
    const from = parent?.image.record;
    const record = this.image({
      process: this.all.length,
      pid,
      origin: parent ? 'fork' : 'root',
      exe: from?.exe ?? '',
      argv: from?.argv ?? [],
      argvTruncated: from?.argvTruncated ?? false,
      cwd: fs.cwd,
      parent: from?.id,
      via: parent ? 'spawn' : undefined,
    });
    const image = { record, held: new Map() };
    // A pipe end the parent kept alone is the child's now, not data of the parent's (bash's `a | b`).
    if (parent && !sharing.thread) this.holdings.spawned(parent.image);
    const proc: Proc = { id: this.all.length, pid, fds, fs, mounts, image, threads: new Set([pid]), ended: false };
    this.all.push(proc);
    this.tids.set(pid, proc);
    this.everTids.add(pid);
    if (parent && !sharing.files) {
      // Held from the fork on, taken up only when the child does something (see Inheritance).
      proc.image.inherited = { table: fds.fork(), since: this.now(), parent, parentImage: parent.image };
    } else {
      for (const entry of fds.values()) this.holdings.acquire(proc.image, entry.file, this.now());
    }
    return proc;
  }

  private image(fields: Omit<ImageRecord, 'id' | 'start' | 'end'>): ImageRecord {
    const record: ImageRecord = { id: this.images.length, ...fields, start: this.now(), end: this.now() };
    this.images.push(record);
    return record;
  }

  /** A successful execve of `requested` (relative to `dir`, '' while the working directory is unknown). */
  exec(proc: Proc, op: Extract<Operation, { kind: 'exec' }>, dir: string, name: (path: string) => string = (p) => p): void {
    const requested = op.path.path;
    // `./tool` run before the log has shown the working directory: resolved when it does.
    const later = dir === '' && !requested.startsWith('/');
    const exe = later ? requested : name(resolvePath(dir, requested));
    this.stats.execs++;
    if (op.pidChangedTo !== undefined) {
      // A thread exec'd: the other threads are gone, and it now has the leader's pid.
      for (const t of proc.threads) if (this.tids.get(t) === proc) this.tids.delete(t);
      proc.threads.clear();
      proc.threads.add(op.pidChangedTo);
      proc.pid = op.pidChangedTo;
      this.tids.set(op.pidChangedTo, proc);
      this.everTids.add(op.pidChangedTo);
    }
    for (const [fd, entry] of [...proc.fds.entries()]) if (entry.cloexec) proc.fds.delete(fd);
    const old = proc.image.record;
    if (old.origin === 'fork') this.holdings.setup(old.id);
    this.closeImage(proc);
    proc.ended = false;
    const launcher = this.launcherImage(proc, exe, op.argv);
    if (!launcher && this.buildRoot === undefined) this.buildRoot = proc.id;
    const record = this.image({
      process: proc.id,
      pid: proc.pid,
      origin: 'exec',
      exe: own(exe),
      argv: op.argv,
      argvTruncated: op.argvTruncated,
      cwd: proc.fs.cwd,
      parent: old.id,
      via: 'exec',
      ...(launcher ? { launcher: true } : {}),
    });
    // What ioana's launcher holds and runs is not the build's: dropped as a forked copy's set-up is.
    if (launcher) this.holdings.setup(record.id);
    proc.image = { record, held: new Map() };
    for (const entry of proc.fds.values()) this.holdings.acquire(proc.image, entry.file, this.now());
    if (later) (proc.fs.unresolved ??= []).push({ image: record, path: requested, seq: this.now() });
    else this.holdings.record(record.id, this.objects.current(exe).id, 'exec', this.now(), this.now());
  }

  /** The working directory became known: it is also the one earlier relative execs ran in. */
  learnCwd(proc: Proc, cwd: string): void {
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

  end(proc: Proc, exitCode: number | undefined, signal: string | undefined): void {
    if (proc.ended) return;
    proc.image.record.exitCode = exitCode;
    proc.image.record.signal = signal;
    this.closeImage(proc);
    for (const t of proc.threads) if (this.tids.get(t) === proc) this.tids.delete(t);
    // Nothing reaches an ended process's descriptors again: let them go.
    proc.fds.release();
    proc.fds = FdTable.empty();
    if (proc.id === (this.buildRoot ?? 0)) {
      // What the build left running now: in a namespace of its own, the kernel ends it with the namespace's init.
      this.stats.leftBehind = this.all.filter((p) => !p.ended && !p.image.record.launcher && p.image.record.origin !== 'root').length;
      this.onRootExit?.({ exitCode, signal });
    }
  }

  /** The image stops: every object it held is released now. */
  closeImage(proc: Proc): void {
    const image = proc.image;
    image.record.end = this.now();
    this.inheritance.end(image);
    for (const [file, since] of image.held) this.holdings.release(image, file, since, this.now());
    image.held.clear();
    proc.ended = true;
  }
}
