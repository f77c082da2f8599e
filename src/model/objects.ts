/**
 * The things a build touches, as the model sees them: versions of files (what a path
 * held between two replacements), pipes, endpoints, devices and the horizon.
 */
import type { FdTarget } from '../parse/index.js';
import type { ObjectKind, ObjectRecord } from './types.js';
import { own } from '../vocabulary/collections.js';
import { isUnder } from '../vocabulary/paths.js';

/** Character devices that carry no data worth a node: /dev/null, terminals. */
const QUIET_DEVICES = /^\/dev\/(null|zero|full|tty\d*|pts\/\d+|console|ptmx)$/;

export class ObjectTable {
  readonly all: ObjectRecord[] = [];
  /** path → the version of the file it holds now. */
  private readonly versions = new Map<string, ObjectRecord>();
  private readonly byKey = new Map<string, ObjectRecord>();
  /** How many paths name each version (hard links). */
  private readonly names = new Map<ObjectRecord, number>();
  /** Directories the build made: nothing under them existed before it. */
  private readonly madeDirs = new Set<string>();

  private make(kind: ObjectKind, path: string, existedBefore: boolean, address?: string): ObjectRecord {
    const o: ObjectRecord = { id: this.all.length, kind, path, names: [path], existedBefore, address };
    this.all.push(o);
    return o;
  }

  /** One object per key, for things that have no versions (pipes, endpoints, devices). */
  keyed(key: string, kind: ObjectKind, path: string, address?: string): ObjectRecord {
    let o = this.byKey.get(key);
    if (!o) {
      const p = own(path);
      o = this.make(
        kind,
        p,
        kind !== 'pipe' && kind !== 'socketpair',
        address === undefined ? undefined : address === path ? p : own(address),
      );
      this.byKey.set(own(key), o);
    }
    return o;
  }

  /** A descriptor inherited from outside the build. */
  horizon(label: string): ObjectRecord {
    return this.make('horizon', own(label), true);
  }

  other(label: string): ObjectRecord {
    return this.make('other', own(label), false);
  }

  /**
   * The version a path holds now; a file the build never saw existed before it, unless
   * it is in a directory the build made (`mkdir -p out && touch out/stamp`).
   */
  current(path: string): ObjectRecord {
    const v = this.versions.get(path);
    if (v) return v;
    const p = own(path);
    return this.bind(p, this.make('file', p, !this.inMadeDir(p)));
  }

  /** mkdir: the build made this directory. */
  madeDir(path: string): void {
    this.madeDirs.add(own(path));
  }

  private inMadeDir(path: string): boolean {
    if (this.madeDirs.size === 0) return false;
    for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) if (this.madeDirs.has(path.slice(0, i))) return true;
    return false;
  }

  /** A new version replaces whatever the path held (O_TRUNC, O_EXCL, creat, symlink). */
  replace(path: string): ObjectRecord {
    const p = own(path);
    return this.bind(p, this.make('file', p, false));
  }

  /** The object for a path opened with `target` as strace decorated it. */
  opened(path: string, target: FdTarget | undefined, directory: boolean): ObjectRecord | undefined {
    if (target?.kind === 'path' && target.device !== undefined) {
      if (QUIET_DEVICES.test(path)) return undefined;
      return this.keyed(`dev:${path}`, 'device', path);
    }
    if (directory) return this.keyed(`dir:${path}`, 'directory', path);
    return undefined;
  }

  /** unlink: the path no longer names its version (gone when no other name is left). */
  remove(path: string): ObjectRecord | undefined {
    const v = this.versions.get(path);
    if (v) this.unbind(path, 'deleted');
    return v;
  }

  /** rename: what was at `from` (and below it, for a directory) is now at `to`. */
  move(from: string, to: string): ObjectRecord {
    const moved: [string, ObjectRecord][] = [];
    for (const [p, v] of this.versions) if (isUnder(p, from)) moved.push([p, v]);
    if (moved.length === 0) moved.push([from, this.current(from)]);
    for (const [p] of moved) this.unbind(p, undefined);
    let exact = moved[0][1];
    for (const [p, v] of moved) {
      this.bind(own(to + p.slice(from.length)), v);
      if (p === from) exact = v;
    }
    return exact;
  }

  /** link: `to` names the same version as `from`. */
  link(from: string, to: string): ObjectRecord {
    return this.bind(own(to), this.current(from));
  }

  /** `path` now names `v`; whatever it named before loses that name. */
  private bind(path: string, v: ObjectRecord): ObjectRecord {
    const old = this.versions.get(path);
    if (old === v) return v;
    if (old) this.unbind(path, 'replaced');
    this.versions.set(path, v);
    this.names.set(v, (this.names.get(v) ?? 0) + 1);
    v.detached = undefined;
    if (v.path !== path) {
      v.path = path;
      if (!v.names.includes(path)) v.names.push(path);
    }
    return v;
  }

  /** `path` stops naming its version; a version left with no name is detached. */
  private unbind(path: string, why: 'deleted' | 'replaced' | undefined): void {
    const v = this.versions.get(path);
    if (!v) return;
    this.versions.delete(path);
    const left = (this.names.get(v) ?? 1) - 1;
    this.names.set(v, left);
    if (left === 0 && why) v.detached = why;
    else if (left > 0 && v.path === path) {
      for (const [p, w] of this.versions) if (w === v) v.path = p;
    }
  }
}
