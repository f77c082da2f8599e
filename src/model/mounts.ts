/**
 * Mount namespaces (issue 23): what the build's mounts make its names mean. A bind mount
 * makes one file answer to another's name (`~/.ssh/id_rsa` read as `/tmp/ccXXXX.s`), a
 * moved mount moves a tree, a new `proc` shows /proc elsewhere; the model names every file
 * by what it really is, so that an input or an output cannot hide behind a mount.
 *
 * Paths come in as the process sees them from the tracer's root (strace's `-yy`
 * decorations, and arguments after a chroot), and go out named by the files they reach.
 * A namespace is shared by the processes in it (a mount made by one is seen by all); a
 * new one (unshare, clone with CLONE_NEWNS) starts as a copy.
 *
 * What cannot be mapped — a file system from a device, an overlay, FUSE — is said by
 * `mount`'s result, and the model fails closed on it (untraced I/O).
 */
import { isUnder as under, resolvePath } from '../vocabulary/paths.js';

/** New file systems that only show the kernel's own objects: where they are mounted, their usual place. */
const PSEUDO: Readonly<Record<string, string>> = {
  proc: '/proc',
  sysfs: '/sys',
  devpts: '/dev/pts',
  mqueue: '/dev/mqueue',
  cgroup: '/sys/fs/cgroup',
  cgroup2: '/sys/fs/cgroup',
  devtmpfs: '/dev',
  securityfs: '/sys/kernel/security',
  debugfs: '/sys/kernel/debug',
  tracefs: '/sys/kernel/tracing',
  bpf: '/sys/fs/bpf',
  binfmt_misc: '/proc/sys/fs/binfmt_misc',
};

/** New file systems that start empty: what is there is what the build puts there. */
const EMPTY = new Set(['tmpfs', 'ramfs', 'hugetlbfs']);

export class Mounts {
  /** Mount point (as seen in the namespace) → what answers there (a real name), longest first. */
  private points: { target: string; source: string }[] = [];

  /** Nothing mounted by the build: every name is what it says (the usual case, checked on every path). */
  get empty(): boolean {
    return this.points.length === 0;
  }

  /** A new namespace: a copy of this one. */
  copy(): Mounts {
    const m = new Mounts();
    m.points = [...this.points];
    return m;
  }

  /** What a name seen in this namespace really names. */
  map(path: string): string {
    if (this.points.length === 0) return path;
    // A tree bound onto another may hold mounts of its own (MS_REC): map again, as often as there are mounts.
    for (let i = 0; i <= this.points.length; i++) {
      const p = this.points.find((m) => under(path, m.target));
      if (!p || p.source === p.target) return path;
      // What follows the mount point: '' or `/…` (both names are normalized).
      const rest = p.target === '/' ? (path === '/' ? '' : path) : path.slice(p.target.length);
      const next = rest === '' ? p.source : p.source === '/' ? rest : p.source + rest;
      if (next === path) return path;
      path = next;
    }
    return path;
  }

  /** `source` (a real name) answers at `target` (a name in this namespace); what was mounted beneath is covered. */
  private put(target: string, source: string): void {
    this.points = this.points.filter((m) => !under(m.target, target));
    this.points.push({ target, source });
    this.points.sort((a, b) => b.target.length - a.target.length);
  }

  /** mount --bind SOURCE TARGET (both as seen in the namespace). */
  bind(source: string, target: string): void {
    this.put(target, this.map(source));
  }

  /** mount --move SOURCE TARGET: the tree at SOURCE is at TARGET now; SOURCE shows what was beneath it. */
  move(source: string, target: string): void {
    const real = this.map(source);
    this.points = this.points.filter((m) => !under(m.target, source));
    this.put(target, real);
  }

  /**
   * A new file system of type `fstype` at `target`: a pseudo file system is named where it
   * usually is, an empty one by where it is; anything else (a device, an overlay, FUSE)
   * holds files the trace cannot name — false, and the caller fails closed.
   */
  mountNew(fstype: string, target: string): boolean {
    const usual = PSEUDO[fstype];
    if (usual !== undefined) {
      this.put(target, usual);
      return true;
    }
    if (EMPTY.has(fstype)) {
      this.put(target, target);
      return true;
    }
    return false;
  }

  /** umount TARGET: what was beneath shows again. */
  unmount(target: string): void {
    this.points = this.points.filter((m) => !under(m.target, target));
  }
}

/** A chrooted process's argument `path` (absolute, or resolved against its working directory) as seen from the tracer's root. */
export function fromRoot(root: string | undefined, path: string): string {
  if (!root || root === '/' || !path.startsWith('/')) return path;
  // `..` cannot climb above the new root: normalized as from `/`, then put under it.
  const inside = resolvePath('/', path);
  return inside === '/' ? root : root + inside;
}
