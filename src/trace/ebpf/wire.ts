/**
 * The eBPF collector's record stream (native/ebpf/record.h, which says what each record
 * holds) read in JavaScript: chunks of the loader's standard output in, one record at a
 * time out. Pure: bytes in, views out.
 *
 *   record = head (u32 size, u16 type, u16 flags, u32 tid, u32 tgid), body, fields
 *   field  = u16 type, u16 aux, u32 len, len bytes padded to a multiple of 8
 *
 * A record is handed out as a view into the chunk it came in (no copy), the same view
 * object each time: it is valid while the callback runs. test/trace/ebpf-wire.test.ts checks these numbers against record.h.
 */

/** Record types (REC_*). */
export const REC = {
  call: 1,
  execArgs: 2,
  exec: 3,
  fork: 4,
  exit: 5,
  bytes: 6,
  done: 7,
  adopt: 8,
  ready: 16,
  following: 17,
  end: 18,
  /** Only in a kept record file (replay.ts): the command's process as it started. */
  root: 32,
} as const;

/** Head flags (RF_*). */
export const RF = { moreArgs: 1, continued: 2, compat: 4, overflow: 8 } as const;

/** Field types (F_*). */
export const F = { str: 1, file: 2, cwd: 3, sockaddr: 4, fds: 5, how: 6, bytes: 7, arg: 8, path: 9 } as const;

/** Field aux bits (FA_*). */
export const FA = { slot: 0xff, failed: 0x100, cut: 0x200 } as const;

/** file_info flags (FI_*). */
export const FI = { deleted: 1, special: 2, incomplete: 4, device: 8, second: 16 } as const;

export const WIRE_VERSION = 2;
export const HEAD_SIZE = 16;
/** struct rec_call: head, nr, nfields, ret, args[6]. */
export const CALL_SIZE = 80;
/** struct rec_exit: head, code, group_dead. */
export const EXIT_SIZE = 24;
/** struct file_info, before its names. */
export const FILE_INFO_SIZE = 32;
/** struct fd_bytes. */
export const FD_BYTES_SIZE = 24;

/** A record: where it is in `buf`, and its head. */
export interface WireRecord {
  readonly buf: Buffer;
  /** Offset of the record in `buf`. */
  readonly at: number;
  readonly size: number;
  readonly type: number;
  readonly flags: number;
  readonly tid: number;
  readonly tgid: number;
}

/** A field of a record: its type and aux bits, and where its bytes are in the record's `buf`. */
export interface Field {
  readonly type: number;
  readonly aux: number;
  readonly start: number;
  readonly end: number;
}

/** A u64 at `at` as a number (exact below 2^53: byte counts, inodes). */
export const u64 = (buf: Buffer, at: number): number => buf.readUInt32LE(at) + buf.readUInt32LE(at + 4) * 2 ** 32;

/** An s64 at `at` as a number (a system call's result). */
export const s64 = (buf: Buffer, at: number): number => buf.readUInt32LE(at) + buf.readInt32LE(at + 4) * 2 ** 32;

/** Where a record type's fields start (none: it has none). */
export function fieldsAt(type: number): number | undefined {
  switch (type) {
    case REC.call:
    case REC.execArgs:
      return CALL_SIZE;
    case REC.exit:
      return EXIT_SIZE;
    case REC.bytes:
    case REC.adopt:
      return HEAD_SIZE;
    default:
      return undefined;
  }
}

/** The fields of a record, in order. A field that overruns the record ends the list. */
export function fieldsOf(r: WireRecord): Field[] {
  const out: Field[] = [];
  const first = fieldsAt(r.type);
  if (first === undefined) return out;
  const end = r.at + r.size;
  let off = r.at + first;
  while (off + 8 <= end) {
    const len = r.buf.readUInt32LE(off + 4);
    const start = off + 8;
    if (start + len > end) break;
    out.push({ type: r.buf.readUInt16LE(off), aux: r.buf.readUInt16LE(off + 2), start, end: start + len });
    off = start + ((len + 7) & ~7);
  }
  return out;
}

/** The argument `i` of a CALL (or EXEC_ARGS) record: its low 32 bits, signed (a descriptor) or not. */
export const argInt = (r: WireRecord, i: number): number => r.buf.readInt32LE(r.at + 32 + i * 8);
export const argU32 = (r: WireRecord, i: number): number => r.buf.readUInt32LE(r.at + 32 + i * 8);
/** The argument `i` as a signed 64-bit number (exact below 2^53). */
export const argS64 = (r: WireRecord, i: number): number => s64(r.buf, r.at + 32 + i * 8);
export const callNr = (r: WireRecord): number => r.buf.readInt32LE(r.at + 16);
export const callRet = (r: WireRecord): number => s64(r.buf, r.at + 24);

/** The stream was not what the loader writes (a record shorter than its head, or than its type's body). */
export class WireError extends Error {
  constructor(message: string) {
    super(`trace/ebpf/wire: ${message}`);
    this.name = 'WireError';
  }
}

const MIN_SIZE: Readonly<Record<number, number>> = {
  [REC.call]: CALL_SIZE,
  [REC.execArgs]: CALL_SIZE,
  [REC.exec]: 24,
  [REC.fork]: 48,
  [REC.exit]: EXIT_SIZE,
  [REC.ready]: 24,
  [REC.end]: 64,
};

/**
 * Splits chunks of the stream into records: `push` each chunk as it comes, and
 * `onRecord` gets every whole record, in order; a record cut between two chunks waits for
 * the rest. `end()` says how many bytes were left over (a stream cut short).
 */
export class RecordReader {
  private pending: Buffer | undefined;
  /** Bytes read, for progress. */
  bytes = 0;
  /** The one view handed out, moved over each record in turn (nothing to collect per record). */
  private readonly view: { -readonly [K in keyof WireRecord]: WireRecord[K] } = {
    buf: Buffer.alloc(0),
    at: 0,
    size: 0,
    type: 0,
    flags: 0,
    tid: 0,
    tgid: 0,
  };

  constructor(private readonly onRecord: (r: WireRecord) => void) {}

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    let at = 0;
    while (at + HEAD_SIZE <= buf.length) {
      const size = buf.readUInt32LE(at);
      const type = buf.readUInt16LE(at + 4);
      if (size < HEAD_SIZE || size % 8 !== 0 || size < (MIN_SIZE[type] ?? HEAD_SIZE))
        throw new WireError(`a record of ${size} bytes (type ${type}) at byte ${this.bytes - buf.length + at} of the stream`);
      if (at + size > buf.length) break;
      const v = this.view;
      v.buf = buf;
      v.at = at;
      v.size = size;
      v.type = type;
      v.flags = buf.readUInt16LE(at + 6);
      v.tid = buf.readUInt32LE(at + 8);
      v.tgid = buf.readUInt32LE(at + 12);
      this.onRecord(v);
      at += size;
    }
    if (at < buf.length) this.pending = buf.subarray(at);
  }

  /** Bytes of a record that never came whole. */
  end(): number {
    return this.pending?.length ?? 0;
  }
}
