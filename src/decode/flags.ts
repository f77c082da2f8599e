/** Reading strace's flag notation for the calls the model interprets. */
import { splitFlags } from '../parse/index.js';
import type { OpenMode } from './operations.js';

/** A build uses a handful of distinct flag sets; each is decoded once. */
const MODES = new Map<string, OpenMode>();

/** `O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC` → `{ write: true, create: true, truncate: true, cloexec: true, … }`. */
export function openMode(flags: string): OpenMode {
  let mode = MODES.get(flags);
  if (!mode) {
    mode = decodeOpenMode(flags);
    if (MODES.size < 1000) MODES.set(flags, mode);
  }
  return mode;
}

function decodeOpenMode(flags: string): OpenMode {
  const set = new Set(splitFlags(flags));
  const rdwr = set.has('O_RDWR');
  const wr = set.has('O_WRONLY');
  return {
    read: rdwr || !wr,
    write: rdwr || wr,
    create: set.has('O_CREAT'),
    truncate: set.has('O_TRUNC'),
    exclusive: set.has('O_EXCL'),
    cloexec: set.has('O_CLOEXEC'),
    directory: set.has('O_DIRECTORY'),
    path: set.has('O_PATH'),
    tmpfile: set.has('O_TMPFILE'),
  };
}

/** creat(path, mode) is open(path, O_CREAT|O_WRONLY|O_TRUNC). */
export const CREAT_MODE: OpenMode = openMode('O_CREAT|O_WRONLY|O_TRUNC');

/** `{flags=O_RDONLY|O_CLOEXEC, resolve=0}` (openat2's struct) → `O_RDONLY|O_CLOEXEC`. */
export function structFlags(raw: string): string {
  return /flags=([A-Z0-9_|]+)/.exec(raw)?.[1] ?? 'O_RDONLY';
}

export interface CloneMode {
  readonly thread: boolean;
  readonly files: boolean;
  readonly fs: boolean;
  /** `CLONE_UNTRACED`: strace cannot follow the child; nothing it does is in the log. */
  readonly untraced: boolean;
  /** `CLONE_NEWNS`: the child has a mount namespace of its own (a copy of its parent's). */
  readonly mountNs?: boolean;
}

/**
 * clone's `flags=CLONE_VM|CLONE_FS|…` or clone3's `{flags=…, …}` → what the child shares.
 * fork/vfork share nothing the model tracks.
 */
export function cloneMode(name: string, args: readonly string[]): CloneMode {
  if (name !== 'clone' && name !== 'clone3') return { thread: false, files: false, fs: false, untraced: false };
  const text = args.join(',');
  const flags = /flags=([A-Z0-9_|]+)/.exec(text)?.[1] ?? '';
  const set = new Set(splitFlags(flags));
  const mode = {
    thread: set.has('CLONE_THREAD'),
    files: set.has('CLONE_FILES'),
    fs: set.has('CLONE_FS'),
    untraced: set.has('CLONE_UNTRACED'),
  };
  return set.has('CLONE_NEWNS') ? { ...mode, mountNs: true } : mode;
}

/** The numbers of the CLONE_* flags ioana reads (linux/sched.h). */
export const CLONE_NEWNS = 0x00020000;

/** What a mount(2) call does, from its flags (`MountHow`). */
export type MountHow = 'bind' | 'move' | 'remount' | 'propagation' | 'new';

/** linux/mount.h's MS_* flags that decide what a mount call does. */
export const MS = {
  RDONLY: 1,
  REMOUNT: 32,
  BIND: 4096,
  MOVE: 8192,
  REC: 16384,
  UNBINDABLE: 1 << 17,
  PRIVATE: 1 << 18,
  SLAVE: 1 << 19,
  SHARED: 1 << 20,
} as const;

/** `MS_REC|MS_BIND` → its number (names ioana does not read count as nothing; a number, as itself). */
export function mountFlags(text: string): number {
  let n = 0;
  for (const f of splitFlags(text)) {
    if (/^(?:0x[0-9a-f]+|\d+)$/i.test(f)) n |= Number(f);
    else if (f.startsWith('MS_')) n |= (MS as Record<string, number>)[f.slice(3)] ?? 0;
  }
  return n;
}

/**
 * What mount(2) does with `flags`: a remount changes a mount's options (a bind's too),
 * a bind makes the source answer at the target, a move moves a mount, a propagation
 * change (`MS_PRIVATE`…) changes no name; anything else puts a new file system there.
 */
export function mountHow(flags: number): MountHow {
  if (flags & MS.REMOUNT) return 'remount';
  if (flags & MS.BIND) return 'bind';
  if (flags & MS.MOVE) return 'move';
  if (flags & (MS.UNBINDABLE | MS.PRIVATE | MS.SLAVE | MS.SHARED)) return 'propagation';
  return 'new';
}
