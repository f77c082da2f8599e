/**
 * One CALL record of the eBPF collector, read as the decoders need it: its arguments by
 * position, its string fields by slot, the descriptors and directories it names with what
 * the process's table says they refer to (strace's `-yy`), and the facts the kernel added
 * (the file a new descriptor refers to, the working directory, a socket address). Pure.
 */
import type { DirRef, FdArg, PathRef } from '../../decode/index.js';
import type { FdTarget } from '../../parse/index.js';
import { hostPath } from '../../vocabulary/index.js';
import { fileFact, type FileFact } from './facts.js';
import { ERRNO } from './names.js';
import { sockaddr, text, type Address } from './strings.js';
import type { Proc, Tables } from './tables.js';
import { argInt, argU32, CALL_SIZE, callRet, F, FA, type Field, type WireRecord } from './wire.js';

/** `AT_FDCWD` as the low 32 bits of an argument, signed. */
export const AT_FDCWD = -100;

/** A field of the record being read, in the Call's own storage (overwritten by the next record). */
interface FieldSlot {
  type: number;
  aux: number;
  start: number;
  end: number;
}

/**
 * A cursor over one CALL record at a time (`load`): a decoder keeps one and loads each
 * record into it, so that reading a record makes nothing to collect but what it decodes
 * to. What outlives the record (an operation) takes copies of what it needs.
 */
export class Call {
  r!: WireRecord;
  name = '';
  /** The process, with its descriptors and working directory as they were before the call. */
  p!: Proc;
  ret = 0;
  private readonly slots: FieldSlot[] = [];
  private count = 0;

  constructor(readonly tables: Tables) {}

  /** Reads `r` (a CALL record of `name` made by `p`) into the cursor. */
  load(r: WireRecord, name: string, p: Proc): this {
    this.r = r;
    this.name = name;
    this.p = p;
    this.ret = callRet(r);
    this.count = 0;
    const end = r.at + r.size;
    for (let off = r.at + CALL_SIZE; off + 8 <= end;) {
      const len = r.buf.readUInt32LE(off + 4);
      const start = off + 8;
      if (start + len > end) break;
      const slot = (this.slots[this.count] ??= { type: 0, aux: 0, start: 0, end: 0 });
      slot.type = r.buf.readUInt16LE(off);
      slot.aux = r.buf.readUInt16LE(off + 2);
      slot.start = start;
      slot.end = start + len;
      this.count++;
      off = start + ((len + 7) & ~7);
    }
    return this;
  }

  /** The record's fields (copies: for the log, which is not the hot path). */
  get fields(): readonly Field[] {
    return this.slots.slice(0, this.count).map((f) => ({ ...f }));
  }

  /** The number of fields, and field `i` (valid until the next record). */
  get fieldCount(): number {
    return this.count;
  }

  fieldAt(i: number): Field {
    return this.slots[i];
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
    for (let i = 0; i < this.count; i++) {
      const f = this.slots[i];
      if (f.type === type && (slot === undefined || (f.aux & FA.slot) === slot)) return f;
    }
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
    return { dir: dir === undefined ? undefined : this.dir(dir), path: path === undefined ? '' : this.named(this.str(path)) };
  }

  /** A path as the process gave it, named on the host when the process is a container's (absolute ones; relative ones go by its directory). */
  named(path: string): string {
    return this.p.container ? hostPath(this.p.container, path) : path;
  }

  /** A file the kernel walked to the process's root, named on the host when the process is a container's. */
  private onHost(fact: FileFact): FileFact {
    const t = fact.target;
    return this.p.container && t.kind === 'path' ? { ...fact, target: { ...t, path: hostPath(this.p.container, t.path) } } : fact;
  }

  /** The file the kernel resolved for a descriptor the call made (the second of a pair with `second`). */
  file(second = false): FileFact | undefined {
    for (let i = 0; i < this.count; i++) {
      const f = this.slots[i];
      if (f.type !== F.file) continue;
      const fact = fileFact(this.r.buf, f, this.tables.escaped);
      if (fact.second === second) return this.onHost(fact);
    }
    return undefined;
  }

  /** The working directory after chdir/fchdir, as the kernel walked it. */
  cwd(): FileFact | undefined {
    const f = this.field(F.cwd);
    return f && this.onHost(fileFact(this.r.buf, f, this.tables.escaped));
  }

  /** The socket address the call named (undefined: NULL, or unreadable). */
  address(): Address | undefined {
    const f = this.field(F.sockaddr);
    const a = f && !(f.aux & FA.failed) ? sockaddr(this.r.buf, f.start, f.end) : undefined;
    // A container's UNIX socket by its name on the host (one mounted from this machine is this machine's).
    const addr = a?.addr;
    if (!a || !this.p.container || addr?.family !== 'unix' || addr.abstract) return a;
    const path = hostPath(this.p.container, addr.path);
    return { addr: { ...addr, path }, text: a.text.replace(`sun_path="${addr.path}"`, `sun_path="${path}"`) };
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
