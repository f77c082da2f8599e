/**
 * The model's per-process state: open file descriptions, descriptor tables, program
 * images and processes, and small helpers over them.
 */
import type { SockAddr } from '../parse/index.js';
import type { ImageRecord, ObjectRecord } from './types.js';

/** An open file description: shared by dup() and fork(), with its access mode. */
export interface OpenFile {
  object: ObjectRecord;
  readonly read: boolean;
  readonly write: boolean;
  /** For sockets: `tcp`, `udp` or `unix`, and the bound address. */
  socket?: { proto: string; bound?: string };
}

export interface FdEntry {
  readonly file: OpenFile;
  cloexec: boolean;
}

export type FdTable = Map<number, FdEntry>;

export interface Image {
  readonly record: ImageRecord;
  /** Open files held, with the seq they were acquired at. */
  readonly held: Map<OpenFile, number>;
}

export interface Proc {
  readonly id: number;
  pid: number;
  fds: FdTable;
  /** The working directory; '' until the log shows it (an `AT_FDCWD</w>` decoration). */
  readonly fs: { cwd: string; unresolved?: { image: ImageRecord; path: string; seq: number }[] };
  image: Image;
  readonly threads: Set<number>;
  ended: boolean;
}

/** Objects that are one-way channels between programs. */
export const PIPE_KINDS = new Set(['pipe', 'socketpair']);

export function copyTable(fds: FdTable): FdTable {
  const copy: FdTable = new Map();
  for (const [fd, entry] of fds) copy.set(fd, { file: entry.file, cloexec: entry.cloexec });
  return copy;
}

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
