/**
 * One CALL record of the eBPF collector, read as the decoders need it: its arguments by
 * position, its string fields by slot, the descriptors and directories it names with what
 * the process's table says they refer to (strace's `-yy`), and the facts the kernel added
 * (the file a new descriptor refers to, the working directory, a socket address). Pure.
 */
import type { DirRef, FdArg, PathRef } from '../../decode/index.js';
import type { FdTarget } from '../../parse/index.js';
import { fileFact, type FileFact } from './facts.js';
import { ERRNO } from './names.js';
import { sockaddr, text, type Address } from './strings.js';
import type { Proc, Tables } from './tables.js';
import { argInt, argU32, callRet, F, FA, fieldsOf, type Field, type WireRecord } from './wire.js';

/** `AT_FDCWD` as the low 32 bits of an argument, signed. */
export const AT_FDCWD = -100;

export class Call {
  readonly fields: readonly Field[];
  readonly ret: number;

  constructor(
    readonly r: WireRecord,
    readonly name: string,
    /** The process, with its descriptors and working directory as they were before the call. */
    readonly p: Proc,
    readonly tables: Tables,
  ) {
    this.fields = fieldsOf(r);
    this.ret = callRet(r);
  }

  /** Succeeded: a result that is not -1..-4095 (an errno). */
  get ok(): boolean {
    return this.ret >= 0 || this.ret < -4095;
  }

  /** `ENOENT` for a failed call (`E123` for a number strace would name and ioana does not know). */
  get errno(): string | undefined {
    return this.ok ? undefined : (ERRNO[-this.ret] ?? `E${-this.ret}`);
  }

  /** Argument `i`: its low 32 bits, signed (a descriptor, a flag word). */
  int(i: number): number {
    return argInt(this.r, i);
  }

  u32(i: number): number {
    return argU32(this.r, i);
  }

  /** The first field of `type` (for F_STR: of argument `slot`). */
  field(type: number, slot?: number): Field | undefined {
    for (const f of this.fields) if (f.type === type && (slot === undefined || (f.aux & FA.slot) === slot)) return f;
    return undefined;
  }

  /** String argument `slot` as text ('' when the kernel side did not read it). */
  str(slot: number): string {
    const f = this.field(F.str, slot);
    return f ? text(this.r.buf, f.start, f.end) : '';
  }

  /** What descriptor `fd` refers to, as the process's table says. */
  target(fd: number): FdTarget | undefined {
    return this.p.fds.get(fd)?.target;
  }

  /** Descriptor argument `i`. */
  fd(i: number): FdArg {
    const fd = this.int(i);
    return { fd, target: this.target(fd) };
  }

  /** Directory argument `i` of a `*at()` call: `AT_FDCWD` (with the working directory) or a descriptor. */
  dir(i: number): DirRef {
    const fd = this.int(i);
    if (fd === AT_FDCWD) return { kind: 'cwd', path: this.p.cwd.path };
    return { kind: 'fd', fd, target: this.target(fd) };
  }

  /** A path argument and its directory argument, by position (no directory: the working directory). */
  path(dir: number | undefined, path: number | undefined): PathRef {
    return { dir: dir === undefined ? undefined : this.dir(dir), path: path === undefined ? '' : this.str(path) };
  }

  /** The file the kernel resolved for a descriptor the call made (the second of a pair with `second`). */
  file(second = false): FileFact | undefined {
    for (const f of this.fields) {
      if (f.type !== F.file) continue;
      const fact = fileFact(this.r.buf, f, this.tables.escaped);
      if (fact.second === second) return fact;
    }
    return undefined;
  }

  /** The working directory after chdir/fchdir, as the kernel walked it. */
  cwd(): FileFact | undefined {
    const f = this.field(F.cwd);
    return f && fileFact(this.r.buf, f, this.tables.escaped);
  }

  /** The socket address the call named (undefined: NULL, or unreadable). */
  address(): Address | undefined {
    const f = this.field(F.sockaddr);
    return f && !(f.aux & FA.failed) ? sockaddr(this.r.buf, f.start, f.end) : undefined;
  }

  /** The two descriptors pipe/socketpair wrote. */
  pair(): [number, number] | undefined {
    const f = this.field(F.fds);
    return f && f.end - f.start >= 8 ? [this.r.buf.readInt32LE(f.start), this.r.buf.readInt32LE(f.start + 4)] : undefined;
  }

  /** openat2's `open_how.flags`. */
  how(): number {
    const f = this.field(F.how);
    return f && f.end - f.start >= 8 ? this.r.buf.readUInt32LE(f.start) : 0;
  }
}
