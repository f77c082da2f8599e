/**
 * The eBPF collector's records as lines of strace's log (`strace -f -yy -qq`), for
 * `--trace-out`: a log that `--trace` replays, and that compares line by line with
 * strace's. Each function renders one record from the process's table as it was before
 * the record (steps.ts brings the table up to date after). The numbers are named as
 * strace names them (names.ts); descriptors are decorated with what they refer to. Pure.
 */
import { MS, SYSCALLS } from '../../decode/index.js';
import type { FdTarget } from '../../parse/index.js';
import type { Call } from './call.js';
import { AT_FDCWD } from './call.js';
import type { ExecArgs, FileFact } from './facts.js';
import { cloneFlags, fcntlCommand, family, isTmpfile, openFlags, SIGNALS, socketType } from './names.js';
import { decoration, escape, quote } from './strings.js';
import type { Proc } from './tables.js';

/** What is inside a `<…>` decoration for a target: `/a/b`, `/dev/null<char 1:3>`, `pipe:[5]`. */
export function targetText(t: FdTarget, escaped?: ReadonlySet<string>): string {
  switch (t.kind) {
    case 'path':
      return `${decoration(t.path, escaped)}${t.deleted ? ' (deleted)' : ''}${t.device ? `<${t.device}>` : ''}`;
    case 'pipe':
      return `pipe:[${t.inode}]`;
    case 'socket':
      return `${t.protocol}:[${t.inode ?? `${t.local ?? ''}${t.remote ? `->${t.remote}` : ''}`}]`;
    case 'other':
      return t.text;
    default: {
      const never: never = t;
      return String(never);
    }
  }
}

/** `3</a/b>`, or `3` when the table does not know it. */
export function fdText(fd: number, target: FdTarget | undefined, escaped?: ReadonlySet<string>): string {
  return target ? `${fd}<${targetText(target, escaped)}>` : String(fd);
}

/** Argument `i` as a descriptor, decorated. */
const fdArg = (c: Call, i: number): string => fdText(c.int(i), c.target(c.int(i)), c.tables.escaped);

/** `AT_FDCWD</w>` or a decorated descriptor. */
function dirArg(c: Call, i: number): string {
  return c.int(i) === AT_FDCWD ? `AT_FDCWD<${decoration(c.p.cwd.path, c.tables.escaped)}>` : fdArg(c, i);
}

/** String argument `slot`, quoted; a path (`asPath`) named on the host as the operation names it, for a container's process. */
function strArg(c: Call, slot: number, asPath = false): string {
  const f = c.fields.find((x) => x.type === 1 && (x.aux & 0xff) === slot);
  if (!f) return '""';
  if (asPath && c.p.container) {
    const text = c.str(slot);
    const named = c.named(text);
    if (named !== text) {
      const bytes = Buffer.from(named);
      return `"${escape(bytes, 0, bytes.length)}"`;
    }
  }
  return quote(c.r.buf, f.start, f.end);
}

/** The roles of string arguments that are paths (call.ts `path()` names them on the host). */
const PATH_ROLES = new Set(['path', 'from', 'to']);

/** `3`, `3</a/b>`, `-1 ENOENT (errno 2)`: what follows ` = `. */
export function result(c: Call, ok: () => string = () => String(c.ret)): string {
  return c.ok ? ok() : `-1 ${c.errno} (errno ${-c.ret})`;
}

const octal = (mode: number): string => '0' + (mode & 0o7777).toString(8).padStart(2, '0');

function openLine(c: Call): string {
  const a = SYSCALLS[c.name].args;
  const flags = c.name === 'creat' ? 0o1101 : c.name === 'openat2' ? c.how() : c.u32(a.flags ?? 1);
  const args: string[] = [];
  if (a.dir !== undefined) args.push(dirArg(c, a.dir));
  args.push(strArg(c, a.path ?? 0, true));
  if (c.name === 'openat2') args.push(`{flags=${openFlags(flags)}, resolve=0}, 24`);
  else if (c.name === 'creat') args.push(octal(c.u32(1)));
  else {
    args.push(openFlags(flags));
    if (flags & 0o100 || isTmpfile(flags)) args.push(octal(c.u32((a.flags ?? 1) + 1)));
  }
  const file: FileFact | undefined = c.file();
  return `${c.name}(${args.join(', ')}) = ${result(c, () => fdText(c.ret, file?.target, c.tables.escaped))}`;
}

function descriptorLine(c: Call): string {
  const fd0 = fdArg(c, 0);
  switch (c.name) {
    case 'close':
      return `close(${fd0}) = ${result(c)}`;
    case 'dup':
      return `dup(${fd0}) = ${result(c, () => fdText(c.ret, c.target(c.int(0)), c.tables.escaped))}`;
    case 'dup2':
    case 'dup3': {
      const flags = c.name === 'dup3' ? `, ${c.u32(2) & 0o2000000 ? 'O_CLOEXEC' : '0'}` : '';
      return `${c.name}(${fd0}, ${fdArg(c, 1)}${flags}) = ${result(c, () => fdText(c.ret, c.target(c.int(0)), c.tables.escaped))}`;
    }
    case 'fcntl': {
      const cmd = c.u32(1);
      const arg = cmd === 2 ? `, ${c.int(2) & 1 ? 'FD_CLOEXEC' : '0'}` : cmd === 0 || cmd === 1030 ? `, ${c.int(2)}` : '';
      const dup = cmd === 0 || cmd === 1030;
      return `fcntl(${fd0}, ${fcntlCommand(cmd)}${arg}) = ${result(c, () => (dup ? fdText(c.ret, c.target(c.int(0)), c.tables.escaped) : String(c.ret)))}`;
    }
    default: {
      const first = c.u32(0);
      const last = c.u32(1);
      const flags = c.u32(2);
      const names = [flags & 2 ? 'CLOSE_RANGE_UNSHARE' : '', flags & 4 ? 'CLOSE_RANGE_CLOEXEC' : ''].filter(Boolean).join('|') || '0';
      return `close_range(${first}, ${last === 0xffffffff ? '~0U' : last}, ${names}) = ${result(c)}`;
    }
  }
}

function pairLine(c: Call): string {
  const fds = c.pair();
  const ends =
    c.ok && fds
      ? `[${fdText(fds[0], c.file(false)?.target, c.tables.escaped)}, ${fdText(fds[1], c.file(true)?.target, c.tables.escaped)}]`
      : '[]';
  if (c.name === 'socketpair') return `socketpair(${family(c.u32(0))}, ${socketType(c.u32(1))}, ${c.u32(2)}, ${ends}) = ${result(c)}`;
  if (c.name === 'pipe') return `pipe(${ends}) = ${result(c)}`;
  return `pipe2(${ends}, ${openFlags(c.u32(1)).replace(/^O_RDONLY\|?/, '') || '0'}) = ${result(c)}`;
}

function socketLine(c: Call): string {
  const addr = c.address()?.text ?? 'NULL';
  switch (c.name) {
    case 'socket': {
      const proto = c.u32(0) === 1 ? 'UNIX' : (c.u32(1) & 0xf) === 2 ? 'UDP' : 'TCP';
      return `socket(${family(c.u32(0))}, ${socketType(c.u32(1))}, ${c.u32(2)}) = ${result(c, () => `${c.ret}<${proto}:[${c.tables.peekId()}]>`)}`;
    }
    case 'connect':
    case 'bind':
      return `${c.name}(${fdArg(c, 0)}, ${addr}, ${c.u32(2)}) = ${result(c)}`;
    case 'sendto':
      return `sendto(${fdArg(c, 0)}, "", ${c.u32(2)}, 0, ${addr}, ${c.u32(5)}) = ${result(c)}`;
    case 'sendmsg':
      return `sendmsg(${fdArg(c, 0)}, {msg_name=${addr}, msg_namelen=0}, 0) = ${result(c)}`;
    case 'sendmmsg':
      return `sendmmsg(${fdArg(c, 0)}, [{msg_hdr={msg_name=${addr}, msg_namelen=0}}], ${c.u32(2)}, 0) = ${result(c)}`;
    default: {
      const cloexec = c.name === 'accept4' ? `, ${c.u32(3) & 0o2000000 ? 'SOCK_CLOEXEC' : '0'}` : '';
      const listener = c.target(c.int(0));
      const proto = listener?.kind === 'socket' ? listener.protocol : 'TCP';
      return `${c.name}(${fdArg(c, 0)}, NULL, NULL${cloexec}) = ${result(c, () => `${c.ret}<${proto}:[${c.tables.peekId()}]>`)}`;
    }
  }
}

/** The path calls (rename, link, symlink, unlink, mkdir, rmdir, truncate), chdir, and the probes, by the table's roles. */
function genericLine(c: Call): string {
  const spec = SYSCALLS[c.name];
  const roles = new Map(Object.entries(spec.args).map(([role, i]) => [i, role]));
  const strings = new Set(c.fields.filter((f) => f.type === 1).map((f) => f.aux & 0xff));
  const count = Math.max(-1, ...Object.values(spec.args).map((i) => i ?? -1), ...strings) + 1;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const role = roles.get(i);
    if (strings.has(i)) out.push(strArg(c, i, PATH_ROLES.has(role ?? '')));
    else if (role === 'dir' || role === 'fromDir' || role === 'toDir') out.push(dirArg(c, i));
    else if (role === 'fd') out.push(fdArg(c, i));
    else if (role === 'flags' && c.name === 'unlinkat') out.push(c.u32(i) & 0x200 ? 'AT_REMOVEDIR' : '0');
    else if (role === 'flags' && c.name === 'renameat2') {
      const f = c.u32(i) & 7;
      out.push(
        [f & 1 ? 'RENAME_NOREPLACE' : '', f & 2 ? 'RENAME_EXCHANGE' : '', f & 4 ? 'RENAME_WHITEOUT' : ''].filter(Boolean).join('|') || '0',
      );
    } else if (role === 'flags' && c.name === 'mount') out.push(flagNames(c.u32(i), MOUNT_FLAGS));
    else if (role === 'flags' && (c.name === 'unshare' || c.name === 'setns')) out.push(flagNames(c.u32(i), CLONE_FLAGS));
    else if (role === 'cmd' && c.name === 'ptrace') out.push(PTRACE_REQUESTS[c.u32(i)] ?? String(c.u32(i)));
    else out.push(String(c.int(i)));
  }
  return `${c.name}(${out.join(', ')}) = ${result(c)}`;
}

/** The flags strace names in the mount, namespace and ptrace calls ioana reads (the rest as a number). */
const MOUNT_FLAGS: readonly [number, string][] = Object.entries(MS).map(([name, bit]) => [bit, `MS_${name}`]);
const CLONE_FLAGS: readonly [number, string][] = [
  [0x00020000, 'CLONE_NEWNS'],
  [0x02000000, 'CLONE_NEWCGROUP'],
  [0x04000000, 'CLONE_NEWUTS'],
  [0x08000000, 'CLONE_NEWIPC'],
  [0x10000000, 'CLONE_NEWUSER'],
  [0x20000000, 'CLONE_NEWPID'],
  [0x40000000, 'CLONE_NEWNET'],
  [0x00000080, 'CLONE_NEWTIME'],
];
const PTRACE_REQUESTS: Readonly<Record<number, string>> = { 0: 'PTRACE_TRACEME', 16: 'PTRACE_ATTACH', 0x4206: 'PTRACE_SEIZE' };

/** `0x21000` → `MS_BIND|MS_REC`; bits without a name follow as one hexadecimal number; none: `0`. */
function flagNames(n: number, names: readonly [number, string][]): string {
  const out: string[] = [];
  let rest = n;
  for (const [bit, name] of names)
    if (rest & bit) {
      out.push(name);
      rest &= ~bit;
    }
  if (rest !== 0) out.push(`0x${(rest >>> 0).toString(16)}`);
  return out.join('|') || '0';
}

/** One CALL record as its strace line (without the pid). */
export function callLine(c: Call): string {
  switch (SYSCALLS[c.name].decodes) {
    case 'open':
      return openLine(c);
    case 'close':
    case 'close-range':
    case 'dup':
    case 'fcntl':
      return descriptorLine(c);
    case 'pipe':
    case 'socketpair':
      return pairLine(c);
    case 'socket':
    case 'connect':
    case 'bind':
    case 'send':
    case 'accept':
      return socketLine(c);
    case 'exec':
      return `${c.name}(${c.name === 'execveat' ? `${dirArg(c, 0)}, ` : ''}"", [], 0x1 /* ? vars */) = ${result(c)}`;
    default:
      return genericLine(c);
  }
}

/** A failed execve's line, with the arguments read at its entry. */
export function execLine(name: string, p: Proc, args: ExecArgs | undefined, outcome: string, escaped?: ReadonlySet<string>): string {
  const path = args ? `"${escape(args.path.bytes, 0, args.path.bytes.length)}"` : '""';
  const argv = (args?.argv ?? []).map((a) => `"${escape(a.bytes, 0, a.bytes.length)}"${a.cut ? '...' : ''}`);
  if (args?.more) argv.push('...');
  const dir =
    args?.dirfd === undefined
      ? ''
      : `${args.dirfd === AT_FDCWD ? `AT_FDCWD<${decoration(p.cwd.path, escaped)}>` : fdText(args.dirfd, p.fds.get(args.dirfd)?.target, escaped)}, `;
  return `${name}(${dir}${path}, [${argv.join(', ')}], 0x1 /* ? vars */${outcome}`;
}

/** A fork record as the call that made it: `clone(child_stack=NULL, flags=…) = 12`, `fork() = 12`. */
export function forkLine(nr: string | undefined, flags: number, child: number, seenAs?: number): string {
  // Behind ioana's wall strace (--pidns-translation) writes the child as the build saw it, then its own pid.
  const result = seenAs === undefined ? `${child}` : `${seenAs} /* ${child} in strace's PID NS */`;
  if (nr === 'fork') return `fork() = ${result}`;
  if (nr === 'vfork') return `vfork() = ${result}`;
  if (nr === 'clone3')
    return `clone3({flags=${cloneFlags(flags & ~0xff)}, exit_signal=${SIGNALS[flags & 0xff] ?? flags & 0xff}}, 88) = ${result}`;
  return `clone(child_stack=NULL, flags=${cloneFlags(flags)}) = ${result}`;
}

/** `+++ killed by SIGKILL (core dumped) +++`. */
export const killedLine = (code: number): string =>
  `+++ killed by ${SIGNALS[code & 0x7f] ?? `SIG${code & 0x7f}`}${code & 0x80 ? ' (core dumped)' : ''} +++`;
