/**
 * The eBPF collector's contract with ioana, checked from both sides: the numbers in
 * native/ebpf/record.h are the ones src/trace/ebpf reads, and what each call's kind asks
 * the kernel for follows from the one syscall table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { openMode, DATAFLOW_SYSCALLS, PROBE_SYSCALLS, SYSCALLS } from '../../src/decode/index.js';
import { CALL_NAMES, K, kindOf, loaderCalls, stringSlots, tracedCalls, X86_64 } from '../../src/trace/ebpf/calls.js';
import { openFlags } from '../../src/trace/ebpf/names.js';
import { fileFact } from '../../src/trace/ebpf/facts.js';
import { modeOf } from '../../src/trace/ebpf/operations.js';
import {
  CALL_SIZE,
  EXIT_SIZE,
  F,
  FA,
  FD_BYTES_SIZE,
  FI,
  FILE_INFO_SIZE,
  HEAD_SIZE,
  REC,
  RF,
  WIRE_VERSION,
  type Field,
} from '../../src/trace/ebpf/wire.js';

const header = readFileSync(join(process.cwd(), 'native', 'ebpf', 'record.h'), 'utf8');

/** `#define NAME VALUE` of record.h, evaluated (numbers, shifts, hex). */
function define(name: string): number {
  const m = new RegExp(`^#define ${name} ([^/\\n]+)`, 'm').exec(header);
  if (!m) throw new Error(`record.h has no ${name}`);
  const expr = m[1].trim().replace(/([0-9a-fA-Fx]+)ULL/g, '$1');
  return Function(`return (${expr});`)() as number;
}

describe('record.h and wire.ts', () => {
  test('record types, head flags, field types and their bits are the same numbers', () => {
    expect(define('IOANA_WIRE_VERSION')).toBe(WIRE_VERSION);
    const rec = { call: 'CALL', execArgs: 'EXEC_ARGS', exec: 'EXEC', fork: 'FORK', exit: 'EXIT', bytes: 'BYTES', done: 'DONE' } as const;
    for (const [k, c] of Object.entries(rec)) expect({ k, v: REC[k as keyof typeof rec] }).toEqual({ k, v: define(`REC_${c}`) });
    expect([REC.ready, REC.following, REC.end]).toEqual([define('REC_READY'), define('REC_FOLLOWING'), define('REC_END')]);
    expect([RF.moreArgs, RF.continued, RF.compat, RF.overflow]).toEqual(
      ['MORE_ARGS', 'CONTINUED', 'COMPAT', 'OVERFLOW'].map((n) => define(`RF_${n}`)),
    );
    const fields = {
      str: 'STR',
      file: 'FILE',
      cwd: 'CWD',
      sockaddr: 'SOCKADDR',
      fds: 'FDS',
      how: 'HOW',
      bytes: 'BYTES',
      arg: 'ARG',
      path: 'PATH',
    };
    for (const [k, c] of Object.entries(fields)) expect({ k, v: F[k as keyof typeof F] }).toEqual({ k, v: define(`F_${c}`) });
    expect([FA.slot, FA.failed, FA.cut]).toEqual(['SLOT', 'FAILED', 'CUT'].map((n) => define(`FA_${n}`)));
    expect([FI.deleted, FI.special, FI.incomplete, FI.device, FI.second]).toEqual(
      ['DELETED', 'SPECIAL', 'INCOMPLETE', 'DEVICE', 'SECOND'].map((n) => define(`FI_${n}`)),
    );
  });

  test('the structures have the sizes wire.ts reads them at (counted from their fields)', () => {
    const size = (struct: string): number => {
      const body = new RegExp(`struct ${struct} \\{([^}]*)\\};`).exec(header)?.[1] ?? '';
      let n = 0;
      for (const line of body.split('\n').map((l) => l.replace(/\/\*.*?\*\//g, '').trim())) {
        if (line.startsWith('struct rec_head')) n += 16;
        else if (/^(unsigned )?long long /.test(line)) n += 8 * (Number(/\[(\d+)\]/.exec(line)?.[1]) || 1);
        else if (/^(unsigned )?int /.test(line)) n += 4;
        else if (/^unsigned short /.test(line)) n += 2;
      }
      return n;
    };
    expect(size('rec_head')).toBe(HEAD_SIZE);
    expect(size('rec_call')).toBe(CALL_SIZE);
    expect(size('rec_exit')).toBe(EXIT_SIZE);
    expect(size('file_info')).toBe(FILE_INFO_SIZE);
    expect(size('fd_bytes')).toBe(FD_BYTES_SIZE);
  });

  test('the kind bits are record.h’s', () => {
    const bits: Record<string, number> = {
      STRINGS: K.strings,
      RECORD: K.record,
      EXEC: K.exec,
      EXEC_AT: K.execAt,
      SOCKADDR: K.sockaddr,
      MSGHDR: K.msghdr,
      FDS: K.fds,
      FILE: K.file,
      CWD: K.cwd,
      HOW: K.how,
      CLOSE: K.close,
      DUP: K.dup,
      SWEEP: K.sweep,
      LEAN: K.lean,
      AT_ENTRY: K.atEntry,
    };
    for (const [name, v] of Object.entries(bits)) expect({ name, v }).toEqual({ name, v: define(`K_${name}`) });
  });
});

describe('what the kernel side does for each call', () => {
  test('every call of the table strace traces by default gets a record, but the forks (the kernel’s fork record says them)', () => {
    for (const call of DATAFLOW_SYSCALLS) {
      const kind = kindOf(call, true);
      const spawn = SYSCALLS[call].decodes === 'spawn';
      expect({ call, records: (kind & K.record) !== 0 }).toEqual({ call, records: !spawn });
    }
    expect(tracedCalls()).toEqual([...DATAFLOW_SYSCALLS]);
    expect(tracedCalls({ probes: true })).toEqual([...DATAFLOW_SYSCALLS, ...PROBE_SYSCALLS]);
  });

  test('the loader’s arguments: NR=KIND for the traced calls, and for the calls whose bytes are only counted', () => {
    const args = new Map(loaderCalls().map((a): [number, number] => [Number(a.split('=')[0]), parseInt(a.split('=')[1], 16)]));
    expect(args.get(X86_64.openat)! & K.file).toBeTruthy();
    expect(args.get(X86_64.openat)! & K.record).toBeTruthy();
    // read: counted (bytes read from argument 0), no record; newfstatat: a probe, not traced by default.
    expect(args.get(X86_64.read)).toBe(0 * 2 ** 24 + 7 * 2 ** 28);
    expect(args.has(X86_64.newfstatat)).toBe(false);
    expect(loaderCalls({ probes: true }).some((a) => a.startsWith(`${X86_64.newfstatat}=`))).toBe(true);
    // exit_group does not return: its record is written at entry.
    expect(args.get(X86_64.exit_group)! & K.atEntry).toBeTruthy();
    for (const [nr] of args) expect(CALL_NAMES.has(nr)).toBe(true);
  });

  test('strings, sockets, pairs and files as each call’s arguments say', () => {
    expect(stringSlots('openat')).toEqual([1]);
    expect(stringSlots('renameat2')).toEqual([1, 3]);
    expect(stringSlots('symlinkat')).toEqual([2, 0]);
    expect(stringSlots('execve')).toEqual([]);
    expect(kindOf('execveat', true) & (K.exec | K.execAt)).toBe(K.exec | K.execAt);
    expect(Math.floor(kindOf('sendto', true) / 2 ** 20) & 7).toBe(4);
    expect(kindOf('sendmsg', true) & K.msghdr).toBeTruthy();
    expect(Math.floor(kindOf('socketpair', true) / 2 ** 20) & 7).toBe(3);
    // sendfile: bytes read from argument 1, written to argument 0.
    expect([Math.floor(kindOf('sendfile', false) / 2 ** 24) & 7, Math.floor(kindOf('sendfile', false) / 2 ** 28) & 7]).toEqual([1, 0]);
    // A failed open is only counted: no strings, unless a log is kept.
    expect(kindOf('openat', true) & K.lean).toBeTruthy();
    expect(kindOf('openat', true, { failedStrings: true }) & K.lean).toBe(0);
    expect(kindOf('connect', true) & K.lean).toBe(0);
  });

  test('x86-64 numbers are the kernel’s (spot checks against asm/unistd_64.h)', () => {
    expect([X86_64.read, X86_64.open, X86_64.execve, X86_64.exit_group, X86_64.openat, X86_64.clone3, X86_64.openat2]).toEqual([
      0, 2, 59, 231, 257, 435, 437,
    ]);
  });
});

describe('open flags', () => {
  test('read as numbers, they give the mode strace’s decoder reads from their names (any flags)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x3fffffff }), (flags) => {
        expect(modeOf(flags)).toEqual(openMode(openFlags(flags)));
      }),
      { seed: 24, numRuns: 2000 },
    );
    expect(modeOf(0o2000101)).toMatchObject({ write: true, create: true, cloexec: true, read: false });
  });
});

describe('a file the kernel resolved (an F_FILE field)', () => {
  /** An F_FILE field as the kernel side writes it: file_info, then the path (`depth` names). */
  function field(path: Buffer, depth: number, flags = 0, mode = 0o100644, rdev = 0): { buf: Buffer; f: Field } {
    const body = Buffer.concat([Buffer.alloc(FILE_INFO_SIZE), path]);
    body.writeUInt32LE(1234, 0);
    body.writeUInt32LE(rdev, 16);
    body.writeUInt16LE(mode, 20);
    body.writeUInt16LE(flags, 22);
    body.writeInt32LE(3, 24);
    body.writeUInt32LE(depth, 28);
    return { buf: body, f: { type: F.file, aux: 0, start: 0, end: body.length } };
  }

  test('the path; a device; an unlinked file; a path that is not UTF-8, kept escaped; the root', () => {
    const { buf, f } = field(Buffer.from('/usr/include/c.h'), 3);
    expect(fileFact(buf, f)).toEqual({
      fd: 3,
      ino: 1234,
      target: { kind: 'path', path: '/usr/include/c.h', deleted: false, device: undefined },
      incomplete: false,
      second: false,
    });
    const dev = field(Buffer.from('/dev/null'), 2, FI.device, 0o020666, (1 << 20) | 3);
    expect(fileFact(dev.buf, dev.f).target).toEqual({ kind: 'path', path: '/dev/null', deleted: false, device: 'char 1:3' });
    const gone = field(Buffer.from('/tmp/#77'), 2, FI.deleted);
    expect(fileFact(gone.buf, gone.f).target).toMatchObject({ path: '/tmp/#77', deleted: true });
    const latin = field(Buffer.from([...Buffer.from('/tmp/'), 0x63, 0x61, 0x66, 0xe9]), 2);
    const escaped = new Set<string>();
    expect(fileFact(latin.buf, latin.f, escaped).target).toMatchObject({ path: '/tmp/caf\\351' });
    expect([...escaped]).toEqual(['/tmp/caf\\351']);
    const utf8 = field(Buffer.from('/tmp/café'), 2);
    expect(fileFact(utf8.buf, utf8.f).target).toMatchObject({ path: '/tmp/café' });
    const root = field(Buffer.alloc(0), 0);
    expect(fileFact(root.buf, root.f).target).toMatchObject({ path: '/' });
  });
});
