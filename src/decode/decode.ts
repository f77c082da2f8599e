/**
 * The decoding step (docs/architecture.md §1.3): a parsed event → one operation with typed fields.
 * This is the only place that reads strace's argument notation (C strings, `AT_FDCWD`,
 * `3</a/b>` decorations, flag sets, socket addresses); the model applies what comes out.
 * Decoding stays as lazy as the model's needs: a successful open's requested path and a
 * descriptor argument's decoration are decoded only when the model asks for them.
 */
import { decodeArgv, decodeCString, decodeFd, decodeSockaddr, type SyscallEvent, type TraceEvent } from '../parse/index.js';
import { own } from '../vocabulary/collections.js';
import { destinations, ends, OpenOp, RawFd, RawPath } from './arguments.js';
import { CREAT_MODE, cloneMode, mountFlags, mountHow, openMode, structFlags } from './flags.js';
import type { DescriptorBytes, Operation, PathRef } from './operations.js';
import { SYSCALLS, type ArgRole, type Decoder } from './syscalls.js';

export { dirRef } from './arguments.js';

const OTHER: Operation = { kind: 'other' };
const PROBE: Operation = { kind: 'probe' };

/** `close(N)` for the descriptors a build uses most: one shared, immutable operation each. */
const CLOSES: Operation[] = Array.from({ length: 256 }, (_, fd) => ({ kind: 'close', fd }));
const close = (fd: number): Operation => (fd >= 0 && fd < CLOSES.length ? CLOSES[fd] : { kind: 'close', fd });

type Args = Readonly<Partial<Record<ArgRole, number>>>;
type Decode = (e: SyscallEvent) => Operation;

/**
 * A decoder is built once per system call, with its arguments' positions fixed (the
 * hot path reads `e.args[3]`, not a role looked up in a table for every line).
 */
type Build = (at: Args, name: string) => Decode;

const value = (e: SyscallEvent): number => (e.result.kind === 'ok' ? e.result.value : -1);
const ok = (e: SyscallEvent): boolean => e.result.kind === 'ok';
const has = (raw: string | undefined, flag: RegExp): boolean => raw !== undefined && flag.test(raw);

/** The argument at `i` (undefined when the call has no such role). */
const at = (e: SyscallEvent, i: number | undefined): string | undefined => (i === undefined ? undefined : e.args[i]);

/** A path argument and its directory argument, by position. */
const pathAt = (e: SyscallEvent, dir: number | undefined, path: number | undefined): PathRef =>
  new RawPath(dir === undefined ? undefined : (e.args[dir] ?? ''), at(e, path) ?? '');

const BUILDERS: Readonly<Record<Decoder, Build>> = {
  exec: (a) => (e) => {
    const done = (e.result.kind === 'ok' && e.result.value === 0) || e.pidChangedTo !== undefined;
    if (!done) return { kind: 'exec-failed' };
    // Decoded from a copy: the image keeps its arguments, not the log chunk they were read in.
    const argv = decodeArgv(own(at(e, a.argv) ?? ''));
    return {
      kind: 'exec',
      path: pathAt(e, a.dir, a.path),
      argv: argv?.argv ?? [],
      argvTruncated: argv?.truncated ?? true,
      pidChangedTo: e.pidChangedTo,
    };
  },
  spawn: () => (e) => {
    const child = value(e);
    const seenAs = e.result.kind === 'ok' ? e.result.seenAs : undefined;
    return child > 0 ? { kind: 'spawn', child, ...cloneMode(e.name, e.args), ...(seenAs === undefined ? {} : { seenAs }) } : OTHER;
  },
  exit: (a) => (e) => ({ kind: 'exit', status: parseInt(at(e, a.status) ?? '', 10) }),
  untraced: (_a, name) => {
    const what = name === 'io_uring_setup' ? 'io_uring' : name;
    return () => ({ kind: 'untraced', what });
  },
  open: (a, name) => {
    const creat = name === 'creat';
    return (e) => {
      if (e.result.kind !== 'ok') return OTHER;
      const mode = creat
        ? CREAT_MODE
        : a.how !== undefined
          ? openMode(structFlags(at(e, a.how) ?? ''))
          : openMode(at(e, a.flags) ?? 'O_RDONLY');
      const args = e.args;
      return new OpenOp(
        e.result.value,
        decodeFd(e.result.text)?.target,
        mode,
        a.dir === undefined ? undefined : (args[a.dir] ?? ''),
        at(e, a.path) ?? '',
      );
    };
  },
  close: (a) => (e) => (ok(e) || e.result.kind === 'missing' ? close(parseInt(at(e, a.fd) ?? '', 10)) : OTHER),
  'close-range': (a) => (e) => {
    if (!ok(e)) return OTHER;
    const last = at(e, a.last) ?? '';
    return {
      kind: 'close-range',
      first: parseInt(at(e, a.first) ?? '', 10),
      last: /^\d+$/.test(last) ? parseInt(last, 10) : Infinity,
      cloexecOnly: has(at(e, a.flags), /CLOSE_RANGE_CLOEXEC/),
    };
  },
  dup: (a, name) => (e) =>
    ok(e)
      ? { kind: 'dup', from: new RawFd(at(e, a.fd) ?? ''), fd: value(e), cloexec: name === 'dup3' && has(at(e, a.flags), /O_CLOEXEC/) }
      : OTHER,
  fcntl: (a) => (e) => {
    if (!ok(e)) return OTHER;
    const cmd = at(e, a.cmd) ?? '';
    if (cmd === 'F_DUPFD' || cmd === 'F_DUPFD_CLOEXEC')
      return { kind: 'dup', from: new RawFd(at(e, a.fd) ?? ''), fd: value(e), cloexec: cmd === 'F_DUPFD_CLOEXEC' };
    if (cmd === 'F_SETFD') return { kind: 'set-cloexec', fd: new RawFd(at(e, a.fd) ?? ''), cloexec: has(at(e, a.arg), /FD_CLOEXEC|^1$/) };
    return OTHER;
  },
  pipe: (a) => (e) => {
    const pair = ok(e) ? ends(at(e, a.fds)) : undefined;
    return pair ? { kind: 'pipe', channel: 'pipe', ends: pair, cloexec: has(at(e, a.flags), /O_CLOEXEC/) } : OTHER;
  },
  socketpair: (a) => (e) => {
    const pair = ok(e) ? ends(at(e, a.fds)) : undefined;
    return pair ? { kind: 'pipe', channel: 'socketpair', ends: pair, cloexec: has(at(e, a.type), /SOCK_CLOEXEC/) } : OTHER;
  },
  socket: (a) => (e) => {
    if (!ok(e)) return OTHER;
    const type = at(e, a.type);
    const domain = at(e, a.domain);
    const proto = has(domain, /AF_UNIX|AF_LOCAL/)
      ? 'unix'
      : has(domain, /AF_PACKET/)
        ? 'packet'
        : has(type, /SOCK_RAW/)
          ? 'raw'
          : has(type, /SOCK_DGRAM/)
            ? 'udp'
            : 'tcp';
    return { kind: 'socket', fd: value(e), proto, cloexec: has(type, /SOCK_CLOEXEC/) };
  },
  connect: (a) => (e) => {
    const r = e.result;
    const result = r.kind === 'ok' ? 'connected' : r.kind === 'error' ? (r.errno === 'EINPROGRESS' ? 'in-progress' : 'failed') : 'unknown';
    return {
      kind: 'connect',
      socket: new RawFd(at(e, a.fd) ?? ''),
      address: decodeSockaddr(at(e, a.addr) ?? ''),
      result,
      errno: r.kind === 'error' ? r.errno : undefined,
    };
  },
  send: (a) => (e) => {
    const addresses = destinations(at(e, a.addr));
    if (addresses.length === 0) return OTHER;
    const r = e.result;
    return {
      kind: 'send',
      socket: new RawFd(at(e, a.fd) ?? ''),
      addresses,
      result: r.kind === 'error' ? 'failed' : 'sent',
      errno: r.kind === 'error' ? r.errno : undefined,
    };
  },
  bind: (a) => (e) => ({ kind: 'bind', socket: new RawFd(at(e, a.fd) ?? ''), address: decodeSockaddr(at(e, a.addr) ?? ''), ok: ok(e) }),
  accept: (a) => (e) =>
    ok(e) ? { kind: 'accept', listener: new RawFd(at(e, a.fd) ?? ''), fd: value(e), cloexec: has(at(e, a.flags), /SOCK_CLOEXEC/) } : OTHER,
  chdir: (a) => (e) => (ok(e) ? { kind: 'chdir', path: pathAt(e, a.dir, a.path) } : OTHER),
  fchdir: (a) => (e) => (ok(e) ? { kind: 'fchdir', dir: new RawFd(at(e, a.fd) ?? '') } : OTHER),
  rename: (a) => (e) =>
    ok(e)
      ? {
          kind: 'rename',
          from: pathAt(e, a.fromDir, a.from),
          to: pathAt(e, a.toDir, a.to),
          exchange: has(at(e, a.flags), /RENAME_EXCHANGE/),
        }
      : OTHER,
  link: (a) => (e) => (ok(e) ? { kind: 'link', from: pathAt(e, a.fromDir, a.from), to: pathAt(e, a.toDir, a.to) } : OTHER),
  symlink: (a) => (e) =>
    ok(e) ? { kind: 'symlink', target: decodeCString(at(e, a.target) ?? '')?.value ?? '', path: pathAt(e, a.dir, a.path) } : OTHER,
  unlink: (a) => (e) =>
    ok(e) ? { kind: 'unlink', path: pathAt(e, a.dir, a.path), directory: has(at(e, a.flags), /AT_REMOVEDIR/) } : OTHER,
  rmdir: (a) => (e) => (ok(e) ? { kind: 'rmdir', path: pathAt(e, a.dir, a.path) } : OTHER),
  mkdir: (a) => (e) => (ok(e) ? { kind: 'mkdir', path: pathAt(e, a.dir, a.path) } : OTHER),
  truncate: (a) => (e) => (ok(e) ? { kind: 'truncate', path: pathAt(e, a.dir, a.path) } : OTHER),
  mount: (a) => (e) =>
    ok(e)
      ? {
          kind: 'mount',
          how: mountHow(mountFlags(at(e, a.flags) ?? '')),
          source: pathAt(e, undefined, a.from),
          target: pathAt(e, undefined, a.to),
          fstype: decodeCString(at(e, a.fstype) ?? '')?.value ?? '',
        }
      : OTHER,
  umount: (a) => (e) => (ok(e) ? { kind: 'umount', target: pathAt(e, undefined, a.path) } : OTHER),
  chroot: (a) => (e) => (ok(e) ? { kind: 'chroot', path: pathAt(e, undefined, a.path) } : OTHER),
  unshare: (a) => (e) => (ok(e) ? { kind: 'unshare', mount: has(at(e, a.flags), /CLONE_NEWNS/) } : OTHER),
  setns: (a) => (e) => (ok(e) ? { kind: 'setns', mount: has(at(e, a.flags), /^0$|CLONE_NEWNS/) } : OTHER),
  reach: (a, name) => (e) => {
    if (!ok(e)) return OTHER;
    if (name === 'ptrace' && !has(at(e, a.cmd), /^PTRACE_(?:ATTACH|SEIZE)$/)) return OTHER;
    const pid = parseInt(at(e, a.pid) ?? '', 10);
    return pid > 0 ? { kind: 'reach', call: name as 'ptrace' | 'process_vm_readv' | 'process_vm_writev', pid } : OTHER;
  },
  // A call's result is the bytes it moved: read from the descriptor at `bytes.read`, written to the one at `bytes.written`.
  transfer: (_a, name) => {
    const where = SYSCALLS[name]?.bytes ?? {};
    return (e) => {
      const n = value(e);
      if (n <= 0) return OTHER;
      const moves: DescriptorBytes[] = [];
      const from = where.read === undefined ? NaN : parseInt(e.args[where.read] ?? '', 10);
      const to = where.written === undefined ? NaN : parseInt(e.args[where.written] ?? '', 10);
      if (from >= 0) moves.push({ fd: from, read: n, written: 0 });
      if (to >= 0) moves.push({ fd: to, read: 0, written: n });
      return moves.length > 0 ? { kind: 'transfer', moves } : OTHER;
    };
  },
  other: () => () => OTHER,
};

/** Every traced call's decoder, built from the table, with its failure policy in front. */
const DECODERS: ReadonlyMap<string, Decode> = new Map(
  Object.entries(SYSCALLS).map(([name, spec]): [string, Decode] => {
    const body = BUILDERS[spec.decodes](spec.args, name);
    if (spec.onFailure === 'decode') return [name, body];
    const failed = spec.onFailure === 'probe' ? PROBE : OTHER;
    return [name, (e) => (e.result.kind === 'error' ? failed : body(e))];
  }),
);

/** One system call → its operation, by the table. */
export function decodeCall(e: SyscallEvent): Operation {
  const decoder = DECODERS.get(e.name);
  return decoder ? decoder(e) : OTHER;
}

/** An event of one process (not strace's messages, hex dumps or unparsed lines). */
export type ProcessEvent = Extract<TraceEvent, { readonly pid: number }>;

/** Whether an event belongs to a process (and so to the model). */
export const isProcessEvent = (e: TraceEvent): e is ProcessEvent => e.kind !== 'message' && e.kind !== 'dump' && e.kind !== 'unparsed';

/** An event of a process → its operation (the event's `pid` says whose). */
export function decode(e: ProcessEvent): Operation {
  switch (e.kind) {
    case 'syscall':
      return decodeCall(e);
    case 'exit':
      return { kind: 'exit', status: e.status };
    case 'killed':
      return { kind: 'killed', signal: e.signal };
    case 'superseded':
    case 'signal':
      return OTHER;
    default: {
      const never: never = e;
      throw new Error(`decode/decode: unhandled event ${JSON.stringify(never)}`);
    }
  }
}
