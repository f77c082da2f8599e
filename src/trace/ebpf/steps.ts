/**
 * The eBPF collector's records → the pipeline's operations (the decode stage's output),
 * in the order the kernel wrote them, with no strace text in between. What strace shows
 * as one line is here a record, or two:
 *
 *   CALL        a call returned (operations.ts); exit_group, which does not return, is
 *               written at its entry, and its `exit` waits for the process's end
 *   EXEC_ARGS   execve's path and arguments (read at its entry), kept until
 *   EXEC        it succeeded: the `exec` (a failure is a CALL: `exec-failed`)
 *   FORK        a `spawn` (clone, clone3, fork, vfork: the child exists now)
 *   EXIT        a thread ended; the last one of its process carries the byte counts of
 *               what it still held, given with its `exit` (or `killed`, by a signal)
 *   BYTES       counts of descriptors closed without close(), kept for that end
 *   ADOPT       a container's first process is about to exec its command: a `spawn` of
 *               the build's container client that asked for it (the latest of those
 *               connected to a daemon's socket; none left: the build's command), or, when
 *               the build never connected to a daemon, not the build's
 *
 * A process's thread ending is not an operation, as strace -qq does not show it either.
 * What could not be read is counted (`unseen`): the caller refuses such a trace. Pure.
 */
import { CLONE_NEWNS, SYSCALLS, type DescriptorBytes, type Operation } from '../../decode/index.js';
import { containerRoot, containerSpec, hostPath, isContainerDaemonSocket } from '../../vocabulary/index.js';
import { Call, AT_FDCWD } from './call.js';
import { CALL_NAMES } from './calls.js';
import { bytesOf, fileFact, stringOf, type ExecArgs, type StringFact } from './facts.js';
import { SIGNALS } from './names.js';
import { callLine, execLine, forkLine, killedLine, result } from './log.js';
import { operationOf, OTHER } from './operations.js';
import { escape } from './strings.js';
import { Tables, type RootState } from './tables.js';
import { argInt, callNr, F, FA, FI, fieldsOf, REC, RF, u64, type Field, type WireRecord } from './wire.js';

const CLONE_FS = 0x200;
const CLONE_FILES = 0x400;
const CLONE_THREAD = 0x10000;
const CLONE_UNTRACED = 0x800000;
const SH_THREAD = 1;
const SH_FILES = 2;
const SH_FS = 4;

/** Clone flags that say what a child made by an unknown call shares (for its log line). */
const flagsOf = (share: number): number =>
  (share & SH_THREAD ? CLONE_THREAD | 0x900 : 17) | (share & SH_FILES ? CLONE_FILES : 0) | (share & SH_FS ? CLONE_FS : 0);

/** What the trace could not read or resolve; any of it refuses the trace. */
export interface Unseen {
  /** Strings (paths, arguments, socket addresses) that could not be read. */
  unreadable: number;
  /** Files the kernel could not walk to the root (too deep, too long). */
  unresolved: number;
  /** 32-bit system calls (their numbers mean other calls). */
  foreign: number;
  readonly examples: string[];
}

/** How much the trace held: records read, system calls among them, distinct threads. */
export interface DecodeCounts {
  records: number;
  calls: number;
  steps: number;
}

export class StepDecoder {
  readonly tables: Tables;
  readonly unseen: Unseen = { unreadable: 0, unresolved: 0, foreign: 0, examples: [] };
  readonly counts: DecodeCounts = { records: 0, calls: 0, steps: 0 };
  readonly pids = new Set<number>();
  /** execve's arguments by thread, until the exec succeeds or fails. */
  private readonly execs = new Map<number, ExecArgs>();
  /** exit_group's thread and status by process, until the process's end. */
  private readonly exits = new Map<number, { readonly tid: number; readonly status: number }>();
  /** Byte counts by process, until its end. */
  private readonly bytes = new Map<number, DescriptorBytes[]>();
  /** The build's processes connected to a container daemon's socket, by process, with when (the latest asked last). */
  private readonly clients = new Map<number, number>();
  private connects = 0;
  /** The CALL record being read. */
  private readonly cursor: Call;
  /** How the root process (the build's command) ended, once it has. */
  rootEnd?: { readonly exitCode: number | null; readonly signal: string | null };
  private readonly rootPid: number;
  /**
   * The build's next task's pid in its own PID namespace, when it has one: the namespace
   * numbers tasks one after the other, so the n-th task the build made after its first is
   * `nsPid + n`. Two made at once on two CPUs may come in the other order: the set of
   * numbers (what canonicalization folds) is right, which child had which may not be.
   */
  private nextNsPid: number | undefined;
  /** The command's own pid in the build's PID namespace. */
  readonly rootSeenAs: number | undefined;

  constructor(
    root: RootState,
    private readonly onStep: (pid: number, op: Operation) => void,
    /** Each record as strace's log line(s), for `--trace-out`. */
    private readonly log?: (line: string) => void,
  ) {
    this.tables = new Tables(root);
    this.cursor = new Call(this.tables);
    this.rootPid = root.pid;
    this.nextNsPid = root.nsPid === undefined ? undefined : root.nsPid + 1;
    this.rootSeenAs = root.nsPid;
  }

  record(r: WireRecord): void {
    this.counts.records++;
    switch (r.type) {
      case REC.call:
        return this.call(r);
      case REC.execArgs:
        return this.execArgs(r);
      case REC.exec:
        return this.exec(r);
      case REC.fork:
        return this.fork(r);
      case REC.exit:
        return this.exit(r);
      case REC.bytes:
        for (const f of fieldsOf(r)) this.keepBytes(r.tgid, r.buf, f);
        return;
      case REC.adopt:
        return this.adopt(r);
      default:
        // The loader's own records (ready, following, done, end) are not the build's.
        return;
    }
  }

  private emit(pid: number, op: Operation): void {
    this.counts.steps++;
    this.pids.add(pid);
    this.onStep(pid, op);
  }

  private missing(kind: 'unreadable' | 'unresolved' | 'foreign', example: string): void {
    this.unseen[kind]++;
    if (this.unseen.examples.length < 5 && !this.unseen.examples.includes(example)) this.unseen.examples.push(example);
  }

  private call(r: WireRecord): void {
    const name = CALL_NAMES.get(callNr(r));
    if (r.flags & RF.compat) return this.missing('foreign', `a 32-bit system call ${callNr(r)} of process ${r.tgid}`);
    const p = this.tables.of(r.tid);
    if (!p || !name || !SYSCALLS[name]) return;
    this.counts.calls++;
    if (name === 'exit_group') {
      this.log?.(`${r.tid} exit_group(${argInt(r, 0)}) = ?`);
      this.exits.set(p.tgid, { tid: r.tid, status: argInt(r, 0) });
      return;
    }
    const c = this.cursor.load(r, name, p);
    this.check(c);
    if (SYSCALLS[name].decodes === 'exec') {
      this.log?.(`${r.tid} ${execLine(name, p, this.execs.get(r.tid), `) = ${result(c)}`, this.tables.escaped)}`);
      this.execs.delete(r.tid);
    } else this.log?.(`${r.tid} ${callLine(c)}`);
    if (name !== 'close') for (let i = 0; i < c.fieldCount; i++) this.keepBytes(p.tgid, r.buf, c.fieldAt(i));
    const op = operationOf(c);
    if (op.kind === 'connect' && op.address.family === 'unix' && isContainerDaemonSocket(`unix:${op.address.path}`))
      this.clients.set(p.tgid, ++this.connects);
    this.emit(r.tid, op);
  }

  /** A container's first process: the build's if one of its container clients is waiting for it (the latest to ask). */
  private adopt(r: WireRecord): void {
    let client: number | undefined;
    let latest = 0;
    for (const [pid, at] of this.clients) if (at > latest && this.tables.of(pid)) [client, latest] = [pid, at];
    const cwd = fieldsOf(r).find((f) => f.type === F.cwd);
    // A build that never talked to a daemon started no container: another's, not followed.
    if (this.connects === 0 || !cwd) return;
    // One the build asked for in a way ioana does not read (the daemon's API through curl, a client gone
    // before its container started) is still the build's: under its command, as an `unknown` image.
    const p = client === undefined ? undefined : this.tables.of(client);
    const spec = (p?.argv && containerSpec(p.argv, p.cwd.path)) || { image: 'unknown', mounts: [] };
    client ??= this.tables.of(this.rootPid) ? this.rootPid : undefined;
    if (client === undefined) return;
    const fact = fileFact(r.buf, cwd, this.tables.escaped);
    if (fact.incomplete) this.missing('unresolved', `the working directory of a container's process ${r.tgid}`);
    const dir = fact.target.kind === 'path' ? hostPath(spec, fact.target.path) : containerRoot(spec.image);
    this.tables.adopt(r.tgid, dir, spec);
    // Its exec's arguments came before it was the build's: its program by its name on the host too.
    const args = this.execs.get(r.tid);
    if (args) args.path = this.onHost(r.tid, args.path);
    this.log?.(`${client} ${forkLine('clone', 17, r.tgid)}`);
    this.emit(client, { kind: 'spawn', child: r.tgid, thread: false, files: false, fs: false, untraced: false });
    // Nothing of the client's is the container's: not its descriptors, not its working directory.
    this.log?.(`${r.tgid} close_range(0, ~0U, 0) = 0`);
    this.emit(r.tgid, { kind: 'close-range', first: 0, last: Infinity, cloexecOnly: false });
    const shown = Buffer.from(dir);
    this.log?.(`${r.tgid} chdir("${escape(shown, 0, shown.length)}") = 0`);
    this.emit(r.tgid, { kind: 'chdir', path: { dir: undefined, path: dir } });
  }

  /** Counts what a call's fields could not hold: an unread string, a file not resolved to the root. */
  private check(c: Call): void {
    if (c.r.flags & RF.overflow) this.missing('unreadable', `a field of ${c.name} (record full)`);
    for (let i = 0; i < c.fieldCount; i++) {
      const f = c.fieldAt(i);
      const failed = (f.aux & FA.failed) !== 0;
      if (failed && (f.type === F.sockaddr || (f.type === F.str && c.ok))) this.missing('unreadable', `an argument of ${c.name}`);
      if ((f.type === F.file || f.type === F.cwd) && c.r.buf.readUInt16LE(f.start + 22) & FI.incomplete) {
        const fact = fileFact(c.r.buf, f);
        this.missing('unresolved', fact.target.kind === 'path' ? `${fact.target.path}… (${c.name})` : c.name);
      }
    }
  }

  /** Byte counts a field carries (if it is a BYTES field), kept for its process's end. */
  private keepBytes(tgid: number, buf: Buffer, f: Field): void {
    if (f.type !== F.bytes) return;
    const list = this.bytes.get(tgid) ?? [];
    list.push(...bytesOf(buf, f));
    this.bytes.set(tgid, list);
  }

  /** A program's path as a container's process gave it, named on the host (vocabulary/containers.ts); any other process's as it is. */
  private onHost(tid: number, path: StringFact): StringFact {
    const spec = this.tables.of(tid)?.container;
    if (!spec) return path;
    const text = hostPath(spec, path.text);
    return text === path.text ? path : { ...path, text, bytes: Buffer.from(text) };
  }

  private execArgs(r: WireRecord): void {
    const fields = fieldsOf(r);
    const path = fields.find((f) => f.type === F.path);
    let args = this.execs.get(r.tid);
    if (path || !args) {
      const at = CALL_NAMES.get(callNr(r)) === 'execveat';
      args = {
        path: path ? this.onHost(r.tid, stringOf(r.buf, path)) : { text: '', failed: true, cut: false, bytes: Buffer.alloc(0) },
        argv: [],
        more: false,
        dirfd: at ? argInt(r, 0) : undefined,
      };
      this.execs.set(r.tid, args);
    }
    for (const f of fields) if (f.type === F.arg) args.argv.push(stringOf(r.buf, f));
    if (r.flags & RF.moreArgs) args.more = true;
  }

  private exec(r: WireRecord): void {
    const old = r.buf.readUInt32LE(r.at + 16);
    const args = this.execs.get(old);
    this.execs.delete(old);
    const p = this.tables.of(old);
    if (!p) return;
    if (!args) return this.missing('unreadable', `the arguments of an execve of process ${r.tgid}`);
    if (args.path.failed || args.argv.some((a) => a.failed)) this.missing('unreadable', `an argument of execve (${args.path.text})`);
    const dir =
      args.dirfd === undefined
        ? undefined
        : args.dirfd === AT_FDCWD
          ? ({ kind: 'cwd', path: p.cwd.path } as const)
          : ({ kind: 'fd', fd: args.dirfd, target: p.fds.get(args.dirfd)?.target } as const);
    const op: Operation = {
      kind: 'exec',
      path: { dir, path: args.path.text },
      argv: args.argv.map((a) => a.text),
      argvTruncated: args.more || args.argv.some((a) => a.cut),
      pidChangedTo: r.tid !== old ? r.tid : undefined,
    };
    const name = args.dirfd === undefined ? 'execve' : 'execveat';
    if (r.tid === old) this.log?.(`${old} ${execLine(name, p, args, ') = 0', this.tables.escaped)}`);
    else {
      // A thread's exec, as strace shows it: the leader is superseded, the thread takes its pid.
      this.log?.(`${old} ${execLine(name, p, args, ` <pid changed to ${r.tid} ...>`, this.tables.escaped)}`);
      this.log?.(`${r.tid} +++ superseded by execve in pid ${old} +++`);
      this.log?.(`${r.tid} <... ${name} resumed>) = 0`);
      this.emit(r.tid, OTHER);
    }
    p.argv = op.argv;
    this.tables.exec(old, r.tid);
    this.emit(old, op);
  }

  private fork(r: WireRecord): void {
    const child = r.buf.readUInt32LE(r.at + 16);
    const nr = r.buf.readInt32LE(r.at + 24);
    const share = r.buf.readUInt32LE(r.at + 28);
    const flags = u64(r.buf, r.at + 32);
    const name = CALL_NAMES.get(nr);
    const fromFlags = name === 'clone' || name === 'clone3';
    const sharing = {
      thread: fromFlags ? (flags & CLONE_THREAD) !== 0 : name === undefined && (share & SH_THREAD) !== 0,
      files: fromFlags ? (flags & CLONE_FILES) !== 0 : name === undefined && (share & SH_FILES) !== 0,
      fs: fromFlags ? (flags & CLONE_FS) !== 0 : name === undefined && (share & SH_FS) !== 0,
    };
    if (!this.tables.of(r.tid)) return;
    // A container's process is numbered by its container's namespace, not the build's.
    const seenAs = this.nextNsPid === undefined || this.tables.of(r.tid)?.container ? undefined : this.nextNsPid++;
    this.log?.(`${r.tid} ${forkLine(name, fromFlags || name ? flags : flagsOf(share), child, seenAs)}`);
    // The table follows what the kernel says the child shares; the operation, what the call asked (as strace's).
    this.tables.fork(r.tid, child, { thread: (share & SH_THREAD) !== 0, files: (share & SH_FILES) !== 0, fs: (share & SH_FS) !== 0 });
    const mountNs = fromFlags && (flags & CLONE_NEWNS) !== 0;
    this.emit(r.tid, {
      kind: 'spawn',
      child,
      ...sharing,
      untraced: fromFlags && (flags & CLONE_UNTRACED) !== 0,
      ...(mountNs ? { mountNs } : {}),
      ...(seenAs === undefined ? {} : { seenAs }),
    });
  }

  private exit(r: WireRecord): void {
    const code = r.buf.readInt32LE(r.at + 16);
    const groupDead = r.buf.readUInt32LE(r.at + 20) !== 0;
    this.execs.delete(r.tid);
    if (!this.tables.of(r.tid)) return;
    this.tables.exit(r.tid);
    if (!groupDead) return;
    this.clients.delete(r.tgid);
    for (const f of fieldsOf(r)) this.keepBytes(r.tgid, r.buf, f);
    const bytes = this.bytes.get(r.tgid);
    this.bytes.delete(r.tgid);
    const exit = this.exits.get(r.tgid);
    this.exits.delete(r.tgid);
    const signal = code & 0x7f;
    if (r.tgid === this.rootPid)
      this.rootEnd = signal
        ? { exitCode: null, signal: SIGNALS[signal] ?? `SIG${signal}` }
        : { exitCode: exit?.status ?? (code >> 8) & 0xff, signal: null };
    const withBytes = bytes?.length ? { bytes } : {};
    if (signal) this.log?.(`${r.tid} ${killedLine(code)}`);
    if (signal) this.emit(r.tid, { kind: 'killed', signal: SIGNALS[signal] ?? `SIG${signal}`, ...withBytes });
    else if (exit) this.emit(exit.tid, { kind: 'exit', status: exit.status, ...withBytes });
  }
}
