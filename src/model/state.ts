/**
 * The model's per-process state: open file descriptions, descriptor tables, program
 * images and processes, and small helpers over them.
 */
import type { SockAddr } from '../parse/index.js';
import type { Mounts } from './mounts.js';
import type { ImageRecord, ObjectRecord } from './types.js';

/** An open file description: shared by dup() and fork(), with its access mode. */
export interface OpenFile {
  object: ObjectRecord;
  readonly read: boolean;
  readonly write: boolean;
  /** For sockets: `tcp`, `udp` or `unix`, and the bound address. */
  socket?: { proto: string; bound?: string };
  /** The image (by id) whose call opened it (an open, a connect): one call of that image's flow with the object. */
  opener?: number;
}

export interface FdEntry {
  readonly file: OpenFile;
  readonly cloexec: boolean;
}

/** What one or more descriptor tables hold; `users` tables read it, and whoever changes a shared one copies it first. */
interface FdStore {
  readonly entries: Map<number, FdEntry>;
  /** How many descriptors refer to each open file: "is it still open here?" without a scan. */
  readonly refs: Map<OpenFile, number>;
  users: number;
}

/**
 * A process's descriptor table, copy-on-write: fork() shares the parent's storage and
 * either side copies it the first time it changes it. A process that holds N files and
 * forks N children that exit (or exec) at once costs no copy at all, where copying every
 * table made it quadratic.
 */
export class FdTable {
  /** The processes that use this very table (CLONE_FILES shares it, not a copy). */
  private processes = 1;

  private constructor(private store: FdStore) {}

  static empty(): FdTable {
    return new FdTable({ entries: new Map(), refs: new Map(), users: 1 });
  }

  /** A table that holds what this one holds now, sharing its storage until either changes. */
  fork(): FdTable {
    this.store.users++;
    return new FdTable(this.store);
  }

  /** The same table, used by one more process (CLONE_FILES): each of them releases it once. */
  share(): FdTable {
    this.processes++;
    return this;
  }

  /**
   * A process (or snapshot) is done with this table: when no process uses it any more it
   * holds nothing; storage it shared stays with the other tables.
   */
  release(): void {
    if (--this.processes > 0) return;
    this.store.users--;
    this.store = { entries: new Map(), refs: new Map(), users: 1 };
  }

  get(fd: number): FdEntry | undefined {
    return this.store.entries.get(fd);
  }

  keys(): IterableIterator<number> {
    return this.store.entries.keys();
  }

  entries(): IterableIterator<[number, FdEntry]> {
    return this.store.entries.entries();
  }

  values(): IterableIterator<FdEntry> {
    return this.store.entries.values();
  }

  /** The open files some descriptor refers to, each once. */
  files(): IterableIterator<OpenFile> {
    return this.store.refs.keys();
  }

  /** Whether some descriptor refers to `file`. */
  refers(file: OpenFile): boolean {
    return this.store.refs.has(file);
  }

  set(fd: number, entry: FdEntry): void {
    const s = this.own();
    const old = s.entries.get(fd);
    s.entries.set(fd, entry);
    s.refs.set(entry.file, (s.refs.get(entry.file) ?? 0) + 1);
    if (old) unref(s, old.file);
  }

  delete(fd: number): void {
    const s = this.own();
    const old = s.entries.get(fd);
    if (!old) return;
    s.entries.delete(fd);
    unref(s, old.file);
  }

  /** The storage, this table's alone (copied if another table shares it). */
  private own(): FdStore {
    if (this.store.users === 1) return this.store;
    this.store.users--;
    this.store = { entries: new Map(this.store.entries), refs: new Map(this.store.refs), users: 1 };
    return this.store;
  }
}

function unref(s: FdStore, file: OpenFile): void {
  const n = s.refs.get(file)!;
  if (n > 1) s.refs.set(file, n - 1);
  else s.refs.delete(file);
}

/**
 * What a forked image holds without having done anything yet: every file of its parent's
 * table at the fork (shared, not copied). It becomes the image's own holdings when it
 * does something; a child that only exits (or execs) never costs a pass over the table.
 */
export interface Inherited {
  readonly table: FdTable;
  readonly since: number;
  /** The process and image it was forked from. */
  readonly parent: Proc;
  readonly parentImage: Image;
  /** Inherited files it let go of (closed every descriptor of) while lazy, and when. */
  closed?: Map<OpenFile, number>;
}

export interface Image {
  readonly record: ImageRecord;
  /** Open files held, with the seq they were acquired at. */
  readonly held: Map<OpenFile, number>;
  /** A forked image's parent's files, held since the fork, until it does something. */
  inherited?: Inherited;
}

export interface Proc {
  readonly id: number;
  pid: number;
  fds: FdTable;
  /**
   * The working directory; '' until the log shows it (an `AT_FDCWD</w>` decoration), as the
   * process sees it from the tracer's root; `root`: where a chroot put its `/`.
   */
  readonly fs: { cwd: string; root?: string; unresolved?: { image: ImageRecord; path: string; seq: number }[] };
  /** Its mount namespace (shared by the processes in it): what its names really name. */
  mounts: Mounts;
  image: Image;
  readonly threads: Set<number>;
  ended: boolean;
}

/** Objects that are one-way channels between programs. */
export const PIPE_KINDS = new Set(['pipe', 'socketpair']);

/** `tcp` + the address `{family: 'inet', address: '1.2.3.4', port: 80}` → `tcp://1.2.3.4:80`. */
export function address(proto: string, s: SockAddr): string {
  switch (s.family) {
    case 'inet':
      return `${proto}://${s.address}:${s.port}`;
    case 'unix':
      return `unix:${s.abstract ? '@' : ''}${s.path}`;
    case 'other':
      return `${proto}:${s.text}`;
    default: {
      const never: never = s;
      return String(never);
    }
  }
}
