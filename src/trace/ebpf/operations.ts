/**
 * A CALL record → its operation (src/decode/operations.ts), with no strace text in
 * between, and the process's table brought up to date. Each builder gives what
 * src/decode/decode.ts gives for the line strace writes for the same call (the tests
 * check the two against each other on real builds), reading numbers where the strace
 * decoder reads notation. Pure.
 */
import {
  CLONE_NEWNS,
  CREAT_MODE,
  mountHow,
  SYSCALLS,
  type Decoder,
  type DirRef,
  type OpenMode,
  type Operation,
  type PathRef,
} from '../../decode/index.js';
import type { FdTarget } from '../../parse/index.js';
import { hostPath, type ContainerSpec } from '../../vocabulary/index.js';
import { bytesOf } from './facts.js';
import { AT_FDCWD, type Call } from './call.js';
import type { Proc } from './tables.js';
import { text } from './strings.js';
import { F } from './wire.js';

export const OTHER: Operation = { kind: 'other' };
export const PROBE: Operation = { kind: 'probe' };

const O_ACCMODE = 3;
const O_CREAT = 0o100;
const O_EXCL = 0o200;
const O_TRUNC = 0o1000;
const O_DIRECTORY = 0o200000;
const O_CLOEXEC = 0o2000000;
const O_PATH = 0o10000000;
const O_TMPFILE = 0o20200000;
const SOCK_CLOEXEC = 0o2000000;
const FD_CLOEXEC = 1;
const F_DUPFD = 0;
const F_SETFD = 2;
const F_DUPFD_CLOEXEC = 1030;
const RENAME_EXCHANGE = 2;
const AT_REMOVEDIR = 0x200;
const CLOSE_RANGE_CLOEXEC = 4;
const CLOSE_RANGE_UNSHARE = 2;
const PTRACE_ATTACH = 16;
const AF_PACKET = 17;
const SOCK_RAW = 3;
const PTRACE_SEIZE = 0x4206;

/** Open flags → the model's mode, as decode/flags.ts reads strace's `O_…|O_…`; a build uses a handful, each worked out once. */
const MODES = new Map<number, OpenMode>();
export function modeOf(flags: number): OpenMode {
  let mode = MODES.get(flags);
  if (mode) return mode;
  const access = flags & O_ACCMODE;
  // strace names O_TMPFILE (which holds O_DIRECTORY's bit) and not O_DIRECTORY with it.
  const tmpfile = (flags & O_TMPFILE) === O_TMPFILE;
  mode = {
    read: access === 2 || access !== 1,
    write: access === 2 || access === 1,
    create: (flags & O_CREAT) !== 0,
    truncate: (flags & O_TRUNC) !== 0,
    exclusive: (flags & O_EXCL) !== 0,
    cloexec: (flags & O_CLOEXEC) !== 0,
    directory: !tmpfile && (flags & O_DIRECTORY) !== 0,
    path: (flags & O_PATH) !== 0,
    tmpfile,
  };
  if (MODES.size < 1000) MODES.set(flags, mode);
  return mode;
}

/**
 * A successful open. Its requested path is decoded when first asked for (the resolved
 * file usually says all); its directory is taken now, as it is at the call.
 */
class OpenOp {
  readonly kind = 'open';
  private requested?: PathRef;
  constructor(
    readonly fd: number,
    readonly target: FdTarget | undefined,
    readonly mode: OpenMode,
    private readonly dir: DirRef | undefined,
    /** The bytes of the path argument (none: ''), in the record's buffer, which nothing writes over. */
    private readonly raw: { readonly buf: Buffer; readonly start: number; readonly end: number } | undefined,
    /** A container's process: its paths are named on the host (vocabulary/containers.ts). */
    private readonly container?: ContainerSpec,
  ) {}
  get path(): PathRef {
    if (!this.requested) {
      const path = this.raw ? text(this.raw.buf, this.raw.start, this.raw.end) : '';
      this.requested = { dir: this.dir, path: this.container ? hostPath(this.container, path) : path };
    }
    return this.requested;
  }
}

type Args = (typeof SYSCALLS)[string]['args'];
type Build = (c: Call, a: Args) => Operation;

/** Puts `target` at `fd` of the process. */
function install(p: Proc, fd: number, target: FdTarget | undefined, cloexec: boolean): void {
  if (target) p.fds.set(fd, { target, cloexec });
  else p.fds.delete(fd);
}

function open(c: Call, a: Args): Operation {
  const flags = c.name === 'creat' ? -1 : a.how !== undefined ? c.how() : c.u32(a.flags ?? 1);
  const mode = flags === -1 ? CREAT_MODE : modeOf(flags);
  const target = c.file()?.target;
  // The requested path is only needed when the path of the file is not known; the
  // working directory goes with it (`AT_FDCWD</w>` teaches the model the directory).
  const field = a.path === undefined ? undefined : c.field(F.str, a.path);
  const raw = field && { buf: c.r.buf, start: field.start, end: field.end };
  const op = new OpenOp(c.ret, target, mode, a.dir === undefined ? undefined : c.dir(a.dir), raw, c.p.container);
  install(c.p, c.ret, target, mode.cloexec);
  return op;
}

function dup(c: Call, a: Args): Operation {
  const from = c.fd(a.fd ?? 0);
  const cloexec = c.name === 'dup3' && (c.u32(a.flags ?? 2) & O_CLOEXEC) !== 0;
  install(c.p, c.ret, from.target, cloexec);
  return { kind: 'dup', from, fd: c.ret, cloexec };
}

function fcntl(c: Call, a: Args): Operation {
  const cmd = c.u32(a.cmd ?? 1);
  const fd = c.fd(a.fd ?? 0);
  if (cmd === F_DUPFD || cmd === F_DUPFD_CLOEXEC) {
    install(c.p, c.ret, fd.target, cmd === F_DUPFD_CLOEXEC);
    return { kind: 'dup', from: fd, fd: c.ret, cloexec: cmd === F_DUPFD_CLOEXEC };
  }
  if (cmd !== F_SETFD) return OTHER;
  const cloexec = (c.int(a.arg ?? 2) & FD_CLOEXEC) !== 0;
  const entry = c.p.fds.get(fd.fd);
  if (entry) entry.cloexec = cloexec;
  return { kind: 'set-cloexec', fd, cloexec };
}

function close(c: Call, a: Args): Operation {
  const fd = c.int(a.fd ?? 0);
  c.p.fds.delete(fd);
  const f = c.field(F.bytes);
  const bytes = f && bytesOf(c.r.buf, f)[0];
  return bytes ? { kind: 'close', fd, bytes } : { kind: 'close', fd };
}

function closeRange(c: Call, a: Args): Operation {
  const first = c.u32(a.first ?? 0);
  const last = c.u32(a.last ?? 1) === 0xffffffff ? Infinity : c.u32(a.last ?? 1);
  const flags = c.u32(a.flags ?? 2);
  const cloexecOnly = (flags & CLOSE_RANGE_CLOEXEC) !== 0;
  if (!(flags & CLOSE_RANGE_UNSHARE))
    for (const [fd, e] of [...c.p.fds]) {
      if (fd < first || fd > last) continue;
      if (cloexecOnly) e.cloexec = true;
      else c.p.fds.delete(fd);
    }
  return { kind: 'close-range', first, last, cloexecOnly };
}

/** pipe and socketpair: the two ends, named by the kernel (`pipe:[ino]`). */
function pair(c: Call, a: Args, channel: 'pipe' | 'socketpair'): Operation {
  const fds = c.pair();
  if (!fds) return OTHER;
  const flags = channel === 'pipe' ? (a.flags === undefined ? 0 : c.u32(a.flags)) : c.u32(a.type ?? 1);
  const cloexec = (flags & (channel === 'pipe' ? O_CLOEXEC : SOCK_CLOEXEC)) !== 0;
  const targets = [c.file(false)?.target, c.file(true)?.target];
  install(c.p, fds[0], targets[0], cloexec);
  install(c.p, fds[1], targets[1], cloexec);
  return {
    kind: 'pipe',
    channel,
    ends: [
      { fd: fds[0], target: targets[0] },
      { fd: fds[1], target: targets[1] },
    ],
    cloexec,
  };
}

function socket(c: Call, a: Args): Operation {
  const domain = c.u32(a.domain ?? 0);
  const type = c.u32(a.type ?? 1);
  const proto =
    domain === 1 ? 'unix' : domain === AF_PACKET ? 'packet' : (type & 0xf) === SOCK_RAW ? 'raw' : (type & 0xf) === 2 ? 'udp' : 'tcp';
  const cloexec = (type & SOCK_CLOEXEC) !== 0;
  install(c.p, c.ret, { kind: 'socket', protocol: proto.toUpperCase(), inode: c.tables.nextId() }, cloexec);
  return { kind: 'socket', fd: c.ret, proto, cloexec };
}

function accept(c: Call, a: Args): Operation {
  const listener = c.fd(a.fd ?? 0);
  const cloexec = a.flags !== undefined && (c.u32(a.flags) & SOCK_CLOEXEC) !== 0;
  const protocol = listener.target?.kind === 'socket' ? listener.target.protocol : 'TCP';
  install(c.p, c.ret, { kind: 'socket', protocol, inode: c.tables.nextId() }, cloexec);
  return { kind: 'accept', listener, fd: c.ret, cloexec };
}

function connect(c: Call, a: Args): Operation {
  const errno = c.errno;
  const result = c.ok ? 'connected' : errno === 'EINPROGRESS' ? 'in-progress' : 'failed';
  return { kind: 'connect', socket: c.fd(a.fd ?? 0), address: c.address()?.addr ?? { family: 'other', text: 'NULL' }, result, errno };
}

function send(c: Call, a: Args): Operation {
  const address = c.address()?.addr;
  if (!address || address.family === 'other') return OTHER;
  const errno = c.errno;
  return { kind: 'send', socket: c.fd(a.fd ?? 0), addresses: [address], result: errno ? 'failed' : 'sent', errno };
}

function chdir(c: Call, a: Args, fd: boolean): Operation {
  const op: Operation = fd ? { kind: 'fchdir', dir: c.fd(a.fd ?? 0) } : { kind: 'chdir', path: c.path(undefined, a.path) };
  const cwd = c.cwd();
  if (cwd?.target.kind === 'path') c.p.cwd.path = cwd.target.path;
  return op;
}

/** Every decoder of the table, for a call that succeeded (or whose failure is decoded). */
export const BUILDERS: Readonly<Record<Decoder, Build>> = {
  // execve's operation comes from its EXEC (success) or its CALL (failure: only this).
  exec: () => ({ kind: 'exec-failed' }),
  spawn: () => OTHER,
  exit: () => OTHER,
  untraced: (c) => ({ kind: 'untraced', what: c.name === 'io_uring_setup' ? 'io_uring' : c.name }),
  open,
  close,
  'close-range': closeRange,
  dup,
  fcntl,
  pipe: (c, a) => pair(c, a, 'pipe'),
  socketpair: (c, a) => pair(c, a, 'socketpair'),
  socket,
  connect,
  send,
  bind: (c, a) => ({
    kind: 'bind',
    socket: c.fd(a.fd ?? 0),
    address: c.address()?.addr ?? { family: 'other', text: 'NULL' },
    ok: c.ok,
  }),
  accept,
  chdir: (c, a) => chdir(c, a, false),
  fchdir: (c, a) => chdir(c, a, true),
  rename: (c, a) => ({
    kind: 'rename',
    from: c.path(a.fromDir, a.from),
    to: c.path(a.toDir, a.to),
    exchange: a.flags !== undefined && (c.u32(a.flags) & RENAME_EXCHANGE) !== 0,
  }),
  link: (c, a) => ({ kind: 'link', from: c.path(a.fromDir, a.from), to: c.path(a.toDir, a.to) }),
  symlink: (c, a) => ({ kind: 'symlink', target: c.str(a.target ?? 0), path: c.path(a.dir, a.path) }),
  unlink: (c, a) => ({
    kind: 'unlink',
    path: c.path(a.dir, a.path),
    directory: a.flags !== undefined && (c.u32(a.flags) & AT_REMOVEDIR) !== 0,
  }),
  rmdir: (c, a) => ({ kind: 'rmdir', path: c.path(a.dir, a.path) }),
  mkdir: (c, a) => ({ kind: 'mkdir', path: c.path(a.dir, a.path) }),
  truncate: (c, a) => ({ kind: 'truncate', path: c.path(a.dir, a.path) }),
  mount: (c, a) => ({
    kind: 'mount',
    how: mountHow(c.u32(a.flags ?? 3)),
    source: c.path(undefined, a.from),
    target: c.path(undefined, a.to),
    fstype: a.fstype === undefined ? '' : c.str(a.fstype),
  }),
  umount: (c, a) => ({ kind: 'umount', target: c.path(undefined, a.path) }),
  chroot: (c, a) => ({ kind: 'chroot', path: c.path(undefined, a.path) }),
  unshare: (c, a) => ({ kind: 'unshare', mount: (c.u32(a.flags ?? 0) & CLONE_NEWNS) !== 0 }),
  setns: (c, a) => {
    const type = c.u32(a.flags ?? 1);
    return { kind: 'setns', mount: type === 0 || (type & CLONE_NEWNS) !== 0 };
  },
  reach: (c, a) => {
    if (c.name === 'ptrace') {
      const request = c.u32(a.cmd ?? 0);
      if (request !== PTRACE_ATTACH && request !== PTRACE_SEIZE) return OTHER;
    }
    const pid = c.int(a.pid ?? 0);
    return pid > 0 ? { kind: 'reach', call: c.name as 'ptrace' | 'process_vm_readv' | 'process_vm_writev', pid } : OTHER;
  },
  // Bytes are summed in the kernel and come with close and exit; a read or write call record is time only.
  transfer: () => OTHER,
  other: () => OTHER,
};

/** A CALL → its operation, by the table and its failure policy (as src/decode/decode.ts). */
export function operationOf(c: Call): Operation {
  const spec = SYSCALLS[c.name];
  if (!spec) return OTHER;
  if (!c.ok && spec.onFailure !== 'decode') return spec.onFailure === 'probe' ? PROBE : OTHER;
  return BUILDERS[spec.decodes](c, spec.args);
}

export { AT_FDCWD };
