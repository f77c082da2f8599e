/**
 * The eBPF back end's records → lines in strace's format (`strace -f -yy -qq`), so that
 * the one parser, decoder and model read both back ends, a log kept with `--trace-out`
 * replays with `--trace`, and the two back ends can be compared line by line.
 *
 * strace reads a descriptor's file from /proc while the build is stopped; nothing stops
 * the build here, so the renderer keeps what strace would read: each process's
 * descriptors (what each was opened on, inherited at fork, shared by CLONE_FILES, closed
 * at exec when close-on-exec) and its working directory (shared by CLONE_FS). A name is
 * resolved the way the kernel did (`Host.realpath`) just after the call, and checked
 * against the device and inode the kernel reported for the descriptor: a name that
 * cannot be confirmed (a symlink swapped, a file replaced) is counted, and a trace with
 * such names is refused like one with lost events.
 *
 * Pure but for `Host`, the three questions asked of the machine (given by the edge).
 */
import { SYSCALLS } from '../../decode/index.js';
import { CLONE, cloneFlags, ERRNO, family, fcntlCommand, isTmpfile, openFlags, SIGNALS, SOCK_CLOEXEC, socketType } from './names.js';
import type { BpfRecord } from './records.js';
import { CHUNK, MAX_ARG_CHUNKS, STRING_LIMIT, stringSlots, X86_64 } from './script.js';

/** What the renderer asks of the machine. */
export interface Host {
  /** The path with every symlink resolved, or undefined when it does not exist. */
  realpath(path: string): string | undefined;
  /**
   * The device (as stat reports it) and inode of a path (symlinks followed), and for a
   * device file its kind and number (`char 1:3`), or undefined when it does not exist.
   */
  identity(path: string): { readonly dev: number; readonly ino: number; readonly device?: string } | undefined;
}

/** What a trace could not see or confirm; any of them refuses the trace. */
export interface Defects {
  /** Events the kernel dropped (its buffers were full). */
  lost: number;
  /** Records that came too late to be put in order. */
  late: number;
  /** Path arguments that read as empty in a call that succeeded. */
  unreadable: number;
  /** Names of opened files that could not be confirmed, with a few examples. */
  unconfirmed: number;
  readonly examples: string[];
}

export const noDefects = (d: Defects): boolean => d.lost + d.late + d.unreadable + d.unconfirmed === 0;

/** Defects as one sentence: `12 events lost, 1 name not confirmed (/a/b)`. */
export function describeDefects(d: Defects): string {
  const parts: string[] = [];
  if (d.lost) parts.push(`${d.lost} event(s) lost by the kernel's buffers`);
  if (d.late) parts.push(`${d.late} event(s) came too late to be put in order`);
  if (d.unreadable) parts.push(`${d.unreadable} path(s) could not be read`);
  if (d.unconfirmed) parts.push(`${d.unconfirmed} file name(s) could not be confirmed`);
  const ex = d.examples.length > 0 ? ` (e.g. ${d.examples.slice(0, 3).join(', ')})` : '';
  return parts.join(', ') + ex;
}

interface Fd {
  /** What it is open on: `/a/b`, `pipe:[3]`, `TCP:[4]`. */
  readonly target: string;
  /** A device file's kind and number (`char 1:3`), which strace's `-yy` adds. */
  readonly device?: string;
  cloexec: boolean;
}

/** `3</dev/null<char 1:3>>`: a descriptor as strace's `-yy` writes it. */
const fdText = (fd: number, e: Pick<Fd, 'target' | 'device'>): string => `${fd}<${decorate(e.target)}${e.device ? `<${e.device}>` : ''}>`;

/** A descriptor table, shared by CLONE_FILES. */
type FdTable = Map<number, Fd>;

interface Proc {
  /** Thread group id (the pid /proc knows). */
  tgid: number;
  fds: FdTable;
  cwd: { path: string };
  /** What the current call's entry and exit printed before its return record. */
  strings: Map<number, string[]>;
  argv: string[][];
  argvCut: boolean;
  extra: string[][];
}

const AT_FDCWD = 0xffffff9c;

/** A file mode as strace writes it: `0644`, `000`. */
const octal = (mode: number): string => '0' + (mode & 0o7777).toString(8).padStart(2, '0');
const DELETED = ' (deleted)';

/** strace's quoting of a byte string: printable ASCII as is, the rest escaped. */
export function quote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) out += '\\' + text[i];
    else if (c >= 0x20 && c < 0x7f) out += text[i];
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x09) out += '\\t';
    else out += '\\x' + (c & 0xff).toString(16).padStart(2, '0');
  }
  return out + '"';
}

/** The inside of a `<…>` decoration: `<`, `>`, `\` and non-printable bytes escaped. */
function decorate(target: string): string {
  let out = '';
  for (let i = 0; i < target.length; i++) {
    const c = target.charCodeAt(i);
    if (c === 0x3c || c === 0x3e || c === 0x5c || c < 0x20 || c >= 0x7f) out += '\\x' + (c & 0xff).toString(16).padStart(2, '0');
    else out += target[i];
  }
  return out;
}

/** `/a/./b/../c` → `/a/c` (lexically). */
export function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

const CALL_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(X86_64).map(([name, nr]) => [nr, name]));

/** The kernel's `dev_t` (major << 20 | minor) → the number stat reports. */
export const userDev = (kdev: number): number => {
  const major = Math.floor(kdev / 2 ** 20);
  const minor = kdev % 2 ** 20;
  return (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12);
};

export class Renderer {
  private readonly procs = new Map<number, Proc>();
  private nextId = 1;
  private lastIdentity: { readonly path: string; readonly id: ReturnType<Host['identity']> } | undefined;
  readonly defects: Defects = { lost: 0, late: 0, unreadable: 0, unconfirmed: 0, examples: [] };

  constructor(
    private readonly host: Host,
    root: { readonly pid: number; readonly cwd: string; readonly fds: ReadonlyMap<number, string> },
  ) {
    const fds: FdTable = new Map();
    for (const [fd, target] of root.fds)
      fds.set(fd, { target, device: target.startsWith('/') ? host.identity(target)?.device : undefined, cloexec: false });
    this.procs.set(root.pid, this.proc(root.pid, fds, { path: root.cwd }));
  }

  private proc(tgid: number, fds: FdTable, cwd: { path: string }): Proc {
    return { tgid, fds, cwd, strings: new Map(), argv: [], argvCut: false, extra: [] };
  }

  /** One record, in time order → the strace lines it makes (none for most). */
  render(r: BpfRecord): string[] {
    // The machine is asked afresh for each record.
    this.lastIdentity = undefined;
    switch (r.kind) {
      case 'ready':
        return [];
      case 'fork':
        return this.fork(r.parent, r.child, r.flags);
      case 'exit':
        return this.exit(r.tid, r.code);
      case 'string': {
        const p = this.procs.get(r.tid);
        if (!p) return [];
        const parts = p.strings.get(r.slot) ?? [];
        parts.push(r.text);
        p.strings.set(r.slot, parts);
        return [];
      }
      case 'arg': {
        const p = this.procs.get(r.tid);
        if (!p) return [];
        if (r.index < 0) p.argvCut = true;
        else (p.argv[r.index] ??= []).push(r.text);
        return [];
      }
      case 'extra': {
        this.procs.get(r.tid)?.extra.push([...r.fields]);
        return [];
      }
      case 'return': {
        const p = this.procs.get(r.tid);
        if (!p) return [];
        try {
          return this.call(r.tid, p, r);
        } finally {
          p.strings.clear();
          p.argv = [];
          p.argvCut = false;
          p.extra = [];
        }
      }
    }
  }

  /** A chunked string argument (`slot`): its text, and whether it was cut at the chunk limit. */
  private text(p: Proc, slot: number): string {
    const parts = p.strings.get(slot) ?? [];
    let out = '';
    for (const part of parts) {
      out += part;
      if (part.length < CHUNK) break;
    }
    return out;
  }

  private fdText(p: Proc, raw: bigint): string {
    const fd = Number(BigInt.asIntN(32, raw));
    if (Number(raw & 0xffffffffn) >>> 0 === AT_FDCWD) return `AT_FDCWD<${decorate(p.cwd.path)}>`;
    const entry = p.fds.get(fd);
    return entry ? fdText(fd, entry) : String(fd);
  }

  /** The directory a relative path of the call starts from. */
  private base(p: Proc, dir: bigint | undefined): string | undefined {
    if (dir === undefined || Number(dir & 0xffffffffn) >>> 0 === AT_FDCWD) return p.cwd.path;
    const target = p.fds.get(Number(BigInt.asIntN(32, dir)))?.target;
    return target?.startsWith('/') ? target : undefined;
  }

  /** What the kernel names a path the process gave (symlinks resolved), and whether it is the file it opened. */
  private resolve(
    p: Proc,
    tid: number,
    dir: bigint | undefined,
    path: string,
    kernel?: { dev: number; ino: number; dirs: readonly number[] },
  ): string {
    let lexical: string;
    const self = /^\/proc\/(self|thread-self)(?=\/|$)/.exec(path);
    const devFd = /^\/dev\/(?:fd\/(\d+)|std(in|out|err))$/.exec(path);
    if (devFd) {
      const fd = devFd[1] !== undefined ? Number(devFd[1]) : ['in', 'out', 'err'].indexOf(devFd[2]);
      const target = p.fds.get(fd)?.target;
      if (target?.startsWith('/')) return target;
      lexical = path;
    } else if (self) {
      lexical = normalize(`/proc/${self[1] === 'self' ? p.tgid : `${p.tgid}/task/${tid}`}${path.slice(self[0].length)}`);
    } else if (path.startsWith('/')) lexical = normalize(path);
    else {
      const base = this.base(p, dir);
      lexical = normalize(`${base ?? '/'}/${path}`);
    }
    let real = this.host.realpath(lexical);
    let gone = false;
    if (real === undefined) {
      gone = true;
      const slash = lexical.lastIndexOf('/');
      const parent = this.host.realpath(lexical.slice(0, slash) || '/');
      real = parent === undefined ? lexical : normalize(`${parent}/${lexical.slice(slash + 1)}`);
    }
    if (kernel && kernel.ino !== 0 && !this.confirmed(real, gone, kernel)) this.unconfirmed(real);
    return real;
  }

  /**
   * Whether `real` names the file the kernel opened: the file at that name now is it, or
   * else (replaced or removed since: a temporary, configure's conftest.*) the nearest
   * directory above the name that still exists is the one the kernel found at that level.
   * A symlink swapped on the way leads to other directories, and is not confirmed.
   */
  private confirmed(real: string, gone: boolean, kernel: { dev: number; ino: number; dirs: readonly number[] }): boolean {
    const dev = userDev(kernel.dev);
    const same = (id: { dev: number; ino: number } | undefined, ino: number) => id !== undefined && id.ino === ino && id.dev === dev;
    if (!gone && same(this.identity(real), kernel.ino)) return true;
    let path = real;
    for (const ino of kernel.dirs) {
      path = path.slice(0, path.lastIndexOf('/')) || '/';
      const id = this.host.identity(path);
      if (id) return ino !== 0 && same(id, ino);
      if (path === '/') break;
    }
    return false;
  }

  /** `Host.identity`, remembering the answer within one record (an open asks for one file twice). */
  private identity(path: string): ReturnType<Host['identity']> {
    if (this.lastIdentity?.path !== path) this.lastIdentity = { path, id: this.host.identity(path) };
    return this.lastIdentity.id;
  }

  private unconfirmed(name: string): void {
    this.defects.unconfirmed++;
    if (this.defects.examples.length < 5 && !this.defects.examples.includes(name)) this.defects.examples.push(name);
  }

  private fork(parent: number, child: number, flags: number): string[] {
    const p = this.procs.get(parent);
    if (!p) return [];
    const thread = (flags & CLONE.thread) !== 0;
    const fds = flags & CLONE.files ? p.fds : copyTable(p.fds);
    const cwd = flags & CLONE.fs ? p.cwd : { path: p.cwd.path };
    this.procs.set(child, this.proc(thread ? p.tgid : child, fds, cwd));
    const call =
      flags === 17 ? 'fork()' : flags === (CLONE.vm | CLONE.vfork | 17) ? 'vfork()' : `clone(child_stack=NULL, flags=${cloneFlags(flags)})`;
    return [`${parent} ${call} = ${child}`];
  }

  private exit(tid: number, code: number): string[] {
    if (!this.procs.delete(tid)) return [];
    const signal = code & 0x7f;
    if (signal !== 0) {
      const core = code & 0x80 ? ' (core dumped)' : '';
      return [`${tid} +++ killed by ${SIGNALS[signal] ?? `SIG${signal}`}${core} +++`];
    }
    return [`${tid} +++ exited with ${(code >> 8) & 0xff} +++`];
  }

  private result(ret: number, ok: () => string = () => String(ret)): string {
    if (ret >= 0 || ret < -4095) return ok();
    const errno = -ret;
    return `-1 ${ERRNO[errno] ?? `E${errno}`} (errno ${errno})`;
  }

  private newFd(p: Proc, fd: number, target: string, cloexec: boolean, device?: string): string {
    const e = { target, device, cloexec };
    p.fds.set(fd, e);
    return fdText(fd, e);
  }

  private call(tid: number, p: Proc, r: Extract<BpfRecord, { kind: 'return' }>): string[] {
    const name = CALL_NAMES.get(r.nr);
    if (!name || !SYSCALLS[name]) return [];
    const a = r.args;
    const n = (i: number): number => Number(BigInt.asIntN(64, a[i]));
    const u32 = (i: number): number => Number(a[i] & 0xffffffffn) >>> 0;
    const fd = (i: number): string => this.fdText(p, a[i]);
    const ok = r.ret >= 0;
    const str = (slot: number): string => {
      const t = this.text(p, slot);
      if (ok && t === '' && stringSlots(name).includes(slot)) this.defects.unreadable++;
      return t;
    };
    const line = (args: string, result: string): string[] => [`${tid} ${name}(${args}) = ${result}`];

    switch (name) {
      case 'execve':
      case 'execveat': {
        const path = this.text(p, 9);
        if (path === '' && r.ret === 0) this.defects.unreadable++;
        const argv = p.argv.map((chunks) => {
          // Cut as strace's -s 4096 cuts (the kernel side read a little more, or all).
          const text = chunks.join('');
          const cut = text.length > STRING_LIMIT || (chunks.length >= MAX_ARG_CHUNKS && chunks[chunks.length - 1].length === CHUNK);
          return quote(text.slice(0, STRING_LIMIT)) + (cut ? '...' : '');
        });
        if (p.argvCut) argv.push('...');
        const args = `${name === 'execveat' ? fd(0) + ', ' : ''}${quote(path)}, [${argv.join(', ')}], 0x1 /* ? vars */${name === 'execveat' ? `, ${u32(4)}` : ''}`;
        if (r.ret === 0) {
          for (const [k, v] of p.fds) if (v.cloexec) p.fds.delete(k);
          // An exec gives the process its own table: CLONE_FILES sharers keep theirs.
          p.fds = copyTable(p.fds);
        }
        return line(args, this.result(r.ret));
      }
      case 'clone':
      case 'clone3':
      case 'fork':
      case 'vfork':
        // The fork record (at the moment the child exists) says it.
        return [];
      case 'open':
      case 'openat':
      case 'openat2':
      case 'creat': {
        const at = name === 'openat' || name === 'openat2' ? 0 : undefined;
        const pathSlot = at === undefined ? 0 : 1;
        const path = str(pathSlot);
        let flags: number;
        if (name === 'creat') flags = 0o1101;
        else if (name === 'openat2') flags = Number(p.extra.find((e) => e[0] === 'how')?.[1] ?? 0);
        else flags = u32(at === undefined ? 1 : 2);
        const flagText = name === 'creat' ? '' : name === 'openat2' ? `{flags=${openFlags(flags)}, resolve=0}, 24` : openFlags(flags);
        const mode = name === 'creat' ? octal(u32(1)) : flags & 0o100 || isTmpfile(flags) ? octal(u32(at === undefined ? 2 : 3)) : '';
        const args = [
          at === undefined ? undefined : fd(0),
          quote(path),
          flagText || undefined,
          name !== 'openat2' && mode ? mode : undefined,
        ]
          .filter((x) => x !== undefined)
          .join(', ');
        const result = this.result(r.ret, () => {
          let target: string;
          if (isTmpfile(flags)) {
            const dir = this.resolve(p, tid, at === undefined ? undefined : a[0], path);
            target = `${dir}/#${r.ino}${DELETED}`;
          } else target = this.resolve(p, tid, at === undefined ? undefined : a[0], path, { dev: r.dev, ino: r.ino, dirs: r.dirs });
          // The same stat that confirmed the name, asked once.
          const device = this.identity(target)?.device;
          return this.newFd(p, r.ret, target, (flags & 0o2000000) !== 0, device);
        });
        return line(args, result);
      }
      case 'close': {
        const args = fd(0);
        if (ok) p.fds.delete(n(0));
        return line(args, this.result(r.ret));
      }
      case 'close_range': {
        const first = u32(0);
        const last = u32(1);
        const flags = u32(2);
        if (ok && !(flags & 2))
          for (const k of [...p.fds.keys()]) {
            if (k >= first && k <= last) {
              if (flags & 4) p.fds.get(k)!.cloexec = true;
              else p.fds.delete(k);
            }
          }
        const names = [flags & 2 ? 'CLOSE_RANGE_UNSHARE' : '', flags & 4 ? 'CLOSE_RANGE_CLOEXEC' : ''].filter(Boolean).join('|') || '0';
        return line(`${first}, ${last === 0xffffffff ? '~0U' : last}, ${names}`, this.result(r.ret));
      }
      case 'dup':
      case 'dup2':
      case 'dup3': {
        const from = p.fds.get(n(0));
        const args = name === 'dup' ? fd(0) : `${fd(0)}, ${fd(1)}${name === 'dup3' ? `, ${u32(2) & 0o2000000 ? 'O_CLOEXEC' : '0'}` : ''}`;
        const cloexec = name === 'dup3' && (u32(2) & 0o2000000) !== 0;
        return line(
          args,
          this.result(r.ret, () => (from ? this.newFd(p, r.ret, from.target, cloexec, from.device) : (p.fds.delete(r.ret), String(r.ret)))),
        );
      }
      case 'fcntl': {
        const cmd = u32(1);
        const args = `${fd(0)}, ${fcntlCommand(cmd)}${cmd === 2 ? `, ${n(2) & 1 ? 'FD_CLOEXEC' : '0'}` : cmd === 0 || cmd === 1030 ? `, ${n(2)}` : ''}`;
        if (ok && cmd === 2) {
          const e = p.fds.get(n(0));
          if (e) e.cloexec = (n(2) & 1) !== 0;
        }
        if (cmd === 0 || cmd === 1030) {
          const from = p.fds.get(n(0));
          return line(
            args,
            this.result(r.ret, () => (from ? this.newFd(p, r.ret, from.target, cmd === 1030, from.device) : String(r.ret))),
          );
        }
        return line(args, this.result(r.ret));
      }
      case 'pipe':
      case 'pipe2':
      case 'socketpair': {
        const pair = p.extra.find((e) => e[0] === 'fds');
        const socket = name === 'socketpair';
        const flags = socket ? u32(1) : name === 'pipe2' ? u32(1) : 0;
        const cloexec = socket ? (flags & SOCK_CLOEXEC) !== 0 : (flags & 0o2000000) !== 0;
        let ends = '[]';
        if (ok && pair) {
          const id = this.nextId++;
          const [x, y] = [Number(pair[1]), Number(pair[2])];
          const kind = socket ? 'UNIX' : 'pipe';
          ends = `[${this.newFd(p, x, `${kind}:[${id}]`, cloexec)}, ${this.newFd(p, y, `${kind}:[${id}${socket ? '+1' : ''}]`, cloexec)}]`;
        }
        if (socket) return line(`${family(u32(0))}, ${socketType(flags)}, 0, ${ends}`, this.result(r.ret));
        return line(name === 'pipe2' ? `${ends}, ${openFlags(flags).replace(/^O_RDONLY\|?/, '') || '0'}` : ends, this.result(r.ret));
      }
      case 'socket': {
        const fam = u32(0);
        const type = u32(1);
        const proto = fam === 1 ? 'UNIX' : (type & 0xf) === 2 ? 'UDP' : fam === 10 ? 'TCPv6' : 'TCP';
        return line(
          `${family(fam)}, ${socketType(type)}, ${u32(2)}`,
          this.result(r.ret, () => this.newFd(p, r.ret, `${proto}:[${this.nextId++}]`, (type & SOCK_CLOEXEC) !== 0)),
        );
      }
      case 'connect':
      case 'bind':
        return line(`${fd(0)}, ${this.sockaddr(p)}, ${u32(2)}`, this.result(r.ret));
      case 'sendto':
        return line(`${fd(0)}, "", ${u32(2)}, 0, ${this.sockaddr(p)}, ${u32(5)}`, this.result(r.ret));
      case 'sendmsg':
        return line(`${fd(0)}, {msg_name=${this.sockaddr(p)}, msg_namelen=0}, 0`, this.result(r.ret));
      case 'sendmmsg':
        return line(`${fd(0)}, [{msg_hdr={msg_name=${this.sockaddr(p)}, msg_namelen=0}}], ${u32(2)}, 0`, this.result(r.ret));
      case 'accept':
      case 'accept4': {
        const listener = p.fds.get(n(0));
        const cloexec = name === 'accept4' && (u32(3) & SOCK_CLOEXEC) !== 0;
        const proto = listener?.target.replace(/:.*$/, '') ?? 'TCP';
        return line(
          `${fd(0)}, NULL, NULL${name === 'accept4' ? `, ${cloexec ? 'SOCK_CLOEXEC' : '0'}` : ''}`,
          this.result(r.ret, () => this.newFd(p, r.ret, `${proto}:[${this.nextId++}]`, cloexec)),
        );
      }
      case 'chdir': {
        const path = str(0);
        if (ok) p.cwd.path = this.resolve(p, tid, undefined, path);
        return line(quote(path), this.result(r.ret));
      }
      case 'fchdir': {
        const args = fd(0);
        const target = p.fds.get(n(0))?.target;
        if (ok && target?.startsWith('/')) p.cwd.path = target;
        return line(args, this.result(r.ret));
      }
      case 'exit_group':
        return [];
      default:
        return line(this.genericArgs(name, p, a, ok), this.result(r.ret));
    }
  }

  /** The path calls (rename, link, symlink, unlink, mkdir, rmdir, truncate) and the probes, by the table's roles. */
  private genericArgs(name: string, p: Proc, a: readonly bigint[], ok: boolean): string {
    const spec = SYSCALLS[name];
    const slots = stringSlots(name);
    const roles = new Map(Object.entries(spec.args).map(([role, i]) => [i, role]));
    const count = Math.max(-1, ...Object.values(spec.args).map((i) => i ?? -1), ...slots) + 1;
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      const role = roles.get(i);
      if (slots.includes(i)) {
        const text = this.text(p, i);
        // A call that succeeded on an empty path: the kernel side could not read it.
        if (text === '' && ok) this.defects.unreadable++;
        out.push(quote(text));
      } else if (role === 'dir' || role === 'fromDir' || role === 'toDir' || role === 'fd') out.push(this.fdText(p, a[i]));
      else if (role === 'flags' && name === 'unlinkat') out.push(Number(a[i] & 0x200n) ? 'AT_REMOVEDIR' : '0');
      else if (role === 'flags' && name === 'renameat2') {
        const f = Number(a[i] & 7n);
        out.push(
          [f & 1 ? 'RENAME_NOREPLACE' : '', f & 2 ? 'RENAME_EXCHANGE' : '', f & 4 ? 'RENAME_WHITEOUT' : ''].filter(Boolean).join('|') ||
            '0',
        );
      } else out.push(String(Number(BigInt.asIntN(64, a[i]))));
    }
    return out.join(', ');
  }

  private sockaddr(p: Proc): string {
    const k = p.extra.find((e) => e[0] === 'inet' || e[0] === 'inet6' || e[0] === 'unix' || e[0] === 'family');
    if (!k) return 'NULL';
    const port = (v: number) => ((v & 0xff) << 8) | ((v >> 8) & 0xff);
    if (k[0] === 'inet') {
      const v = Number(k[2]);
      const ip = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff].join('.');
      return `{sa_family=AF_INET, sin_port=htons(${port(Number(k[1]))}), sin_addr=inet_addr("${ip}")}`;
    }
    if (k[0] === 'inet6') {
      const bytes = k.slice(2, 6).flatMap((w) => {
        const v = Number(w);
        return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
      });
      return `{sa_family=AF_INET6, sin6_port=htons(${port(Number(k[1]))}), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "${ipv6(bytes)}", &sin6_addr), sin6_scope_id=0}`;
    }
    if (k[0] === 'unix') return `{sa_family=AF_UNIX, sun_path=${k[1] === '1' ? '@' : ''}${quote(this.text(p, 8))}}`;
    return `{sa_family=${family(Number(k[1]))}}`;
  }
}

function copyTable(t: FdTable): FdTable {
  const out: FdTable = new Map();
  for (const [k, v] of t) out.set(k, { ...v });
  return out;
}

/** 16 bytes → the shortest IPv6 text (`::1`, `2001:db8::5`). */
export function ipv6(bytes: readonly number[]): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((bytes[i] << 8) | bytes[i + 1]);
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) return `::ffff:${bytes.slice(12).join('.')}`;
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
