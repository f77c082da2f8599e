/**
 * The fields of the eBPF collector's records read into what they say: a file the kernel
 * resolved (its path, or what a pipe or socket is), byte counts, execve's arguments. Pure.
 */
import type { DescriptorBytes } from '../../decode/index.js';
import type { FdTarget } from '../../parse/index.js';
import { isUtf8 } from 'node:buffer';
import { text } from './strings.js';
import { FA, FD_BYTES_SIZE, FI, FILE_INFO_SIZE, u64, type Field } from './wire.js';

const PIPEFS_MAGIC = 0x50495045;
const SOCKFS_MAGIC = 0x534f434b;
const S_IFMT = 0o170000;
const S_IFCHR = 0o020000;

/** What an F_FILE or F_CWD field says. */
export interface FileFact {
  /** The descriptor it is (-1 for the working directory). */
  readonly fd: number;
  readonly target: FdTarget;
  readonly ino: number;
  /** The kernel could not walk it to the root (too deep, too long, unreadable): its path is partial. */
  readonly incomplete: boolean;
  /** The second descriptor of a pair (pipe's write end). */
  readonly second: boolean;
}

/**
 * The path of an F_FILE or F_CWD field (the kernel put it together root first: `/a/b/c`;
 * none at all: `/`), decoded whole as strace's decoration is: a path that is not UTF-8
 * keeps its escaped form, and goes into `escaped` so that the log writes it as it is.
 */
function pathOf(buf: Buffer, start: number, end: number, escaped?: Set<string>): string {
  if (end <= start) return '/';
  const path = text(buf, start, end, '<>');
  if (escaped && path.length !== end - start && !isUtf8(buf.subarray(start, end))) escaped.add(path);
  return path;
}

/** `char 1:3`: a device as `-yy` adds it to a path (the kernel's dev_t is major << 20 | minor). */
const deviceOf = (mode: number, rdev: number): string =>
  `${(mode & S_IFMT) === S_IFCHR ? 'char' : 'block'} ${Math.floor(rdev / 2 ** 20)}:${rdev % 2 ** 20}`;

/** An F_FILE or F_CWD field → what it refers to, named as `-yy` names it (`escaped`: see pathOf). */
export function fileFact(buf: Buffer, f: Field, escaped?: Set<string>): FileFact {
  const s = f.start;
  if (f.end - s < FILE_INFO_SIZE) return { fd: -1, target: { kind: 'other', text: '?' }, ino: 0, incomplete: true, second: false };
  const ino = u64(buf, s);
  const magic = u64(buf, s + 8);
  const rdev = buf.readUInt32LE(s + 16);
  const mode = buf.readUInt16LE(s + 20);
  const flags = buf.readUInt16LE(s + 22);
  const fd = buf.readInt32LE(s + 24);
  const incomplete = (flags & FI.incomplete) !== 0;
  const second = (flags & FI.second) !== 0;
  let target: FdTarget;
  if (flags & FI.special) {
    if (magic === PIPEFS_MAGIC) target = { kind: 'pipe', inode: ino };
    else if (magic === SOCKFS_MAGIC) target = { kind: 'socket', protocol: 'socket', inode: ino };
    else target = { kind: 'other', text: `anon_inode:${text(buf, s + FILE_INFO_SIZE, f.end)}` };
  } else {
    const path = pathOf(buf, s + FILE_INFO_SIZE, f.end, escaped);
    const device = flags & FI.device ? deviceOf(mode, rdev) : undefined;
    target = { kind: 'path', path, deleted: (flags & FI.deleted) !== 0, device };
  }
  return { fd, target, ino, incomplete, second };
}

/** An F_BYTES field → the counts it holds. */
export function bytesOf(buf: Buffer, f: Field): DescriptorBytes[] {
  const out: DescriptorBytes[] = [];
  for (let at = f.start; at + FD_BYTES_SIZE <= f.end; at += FD_BYTES_SIZE)
    out.push({ fd: buf.readInt32LE(at), read: u64(buf, at + 8), written: u64(buf, at + 16) });
  return out;
}

/** A string field: its text, whether it could be read whole, and its bytes (for the log). */
export interface StringFact {
  readonly text: string;
  readonly failed: boolean;
  readonly cut: boolean;
  readonly bytes: Buffer;
}

export const stringOf = (buf: Buffer, f: Field): StringFact => ({
  text: text(buf, f.start, f.end),
  failed: (f.aux & FA.failed) !== 0,
  cut: (f.aux & FA.cut) !== 0,
  bytes: buf.subarray(f.start, f.end),
});

/** execve's path and arguments, gathered from its EXEC_ARGS records. */
export interface ExecArgs {
  path: StringFact;
  readonly argv: StringFact[];
  /** More arguments than were read. */
  more: boolean;
  /** execveat's directory descriptor (undefined: execve). */
  readonly dirfd?: number;
}
