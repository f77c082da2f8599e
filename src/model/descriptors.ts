/**
 * Descriptor tables (docs/architecture.md §1.3): what each descriptor of a process refers to, and the
 * calls that put objects at descriptors — open, pipe, socket, accept, connect, dup —
 * or take them away. An image holds an object while any descriptor of its process
 * refers to it.
 */
import type { DescriptorBytes, FdArg, Operation } from '../decode/index.js';
import type { Holdings } from './holdings.js';
import type { Inheritance } from './inheritance.js';
import type { ObjectTable } from './objects.js';
import { address, type FdEntry, type Image, type OpenFile, type Proc } from './state.js';
import type { ModelStats, ObjectRecord } from './types.js';

type Op<K extends Operation['kind']> = Extract<Operation, { kind: K }>;

/** What a failed connect's errno means for a reader. */
const FAILURES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'refused',
  ETIMEDOUT: 'timed out',
  ENETUNREACH: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  EACCES: 'not permitted',
  EPERM: 'not permitted',
  ENOENT: 'no such socket',
  ECONNRESET: 'reset',
};

/** `connected`, `sent`, `in progress`, `refused (ECONNREFUSED)`. */
function attemptResult(op: Op<'connect'> | Op<'send'>): string {
  if (op.result === 'connected' || op.result === 'sent') return op.result;
  if (op.result === 'in-progress') return 'in progress';
  const errno = op.errno ?? 'failed';
  return FAILURES[errno] ? `${FAILURES[errno]} (${errno})` : errno;
}

/** Of two results of attempts at one endpoint, the one that got furthest. */
function better(a: string | undefined, b: string): string {
  const rank = (r: string | undefined) =>
    r === 'connected' ? 3 : r === 'sent' || r === 'opened' ? 2 : r === 'in progress' ? 1 : r === undefined ? -1 : 0;
  return rank(b) > rank(a) ? b : a!;
}

/** The endpoint of a packet socket (AF_PACKET): the network, at the link layer. */
export const PACKET_ENDPOINT = 'packet:raw';

export class Descriptors {
  /** Ports the build's own servers bound or accepted on: a connection to one is to the build itself. */
  readonly listening = new Set<number>();

  constructor(
    private readonly objects: ObjectTable,
    private readonly holdings: Holdings,
    private readonly inheritance: Inheritance,
    private readonly stats: ModelStats,
    /** The model's time (its seq). */
    private readonly now: () => number,
  ) {}

  /** Puts `file` at `fd`, closing what was there. */
  install(proc: Proc, fd: number, file: OpenFile, cloexec: boolean): void {
    const old = proc.fds.get(fd);
    proc.fds.set(fd, { file, cloexec });
    if (old && old.file !== file) this.unheldRelease(proc, old.file);
    this.holdings.acquire(proc.image, file, this.now());
  }

  close(proc: Proc, fd: number): void {
    const old = proc.fds.get(fd);
    if (!old) return;
    proc.fds.delete(fd);
    this.unheldRelease(proc, old.file);
  }

  closeRange(proc: Proc, op: Op<'close-range'>): void {
    for (const fd of [...proc.fds.keys()]) {
      if (fd < op.first || fd > op.last) continue;
      if (op.cloexecOnly) proc.fds.set(fd, { file: proc.fds.get(fd)!.file, cloexec: true });
      else this.close(proc, fd);
    }
  }

  /** Releases `file` from the image when no descriptor of the process refers to it any more. */
  private unheldRelease(proc: Proc, file: OpenFile): void {
    if (proc.fds.refers(file)) return;
    const image: Image = proc.image;
    const since = image.held.get(file);
    if (image.inherited) this.inheritance.closed(image, file);
    if (since === undefined) return;
    image.held.delete(file);
    this.holdings.release(image, file, since, this.now());
  }

  /** The entry at a descriptor; one never seen before was inherited from outside (the horizon). */
  entry(proc: Proc, arg: FdArg): FdEntry | undefined {
    if (Number.isNaN(arg.fd) || arg.fd < 0) return undefined;
    const known = proc.fds.get(arg.fd);
    if (known) return known;
    const target = arg.target;
    const label = target?.kind === 'path' ? target.path : (target?.kind ?? `fd ${arg.fd}`);
    this.stats.horizonDescriptors++;
    const entry: FdEntry = { file: { object: this.objects.horizon(label), read: false, write: false }, cloexec: false };
    proc.fds.set(arg.fd, entry);
    return entry;
  }

  /**
   * A successful open of `path` (strace's decoration when it has one, else the requested
   * path resolved by the caller): which object version it names, and which way data flows.
   */
  open(proc: Proc, op: Op<'open'>, path: string): void {
    const { target, mode } = op;
    let object: ObjectRecord;
    if (target?.kind === 'path' && target.device !== undefined) {
      // /dev/null and terminals: the descriptor exists, but carries nothing.
      object = this.objects.opened(path, target, false) ?? this.objects.other(path);
    } else if (mode.directory) object = this.objects.opened(path, target, true)!;
    else if (target && target.kind !== 'path') object = this.objects.other(target.kind);
    else if (mode.tmpfile || (mode.write && mode.truncate) || (mode.create && mode.exclusive)) object = this.objects.replace(path);
    else object = this.objects.current(path);
    const file: OpenFile = { object, read: mode.read && !mode.path, write: mode.write && !mode.path, opener: proc.image.record.id };
    this.install(proc, op.fd, file, mode.cloexec);
  }

  /** Bytes that went through a descriptor (a call's, or the kernel's sum at close and exit): its flow's. */
  moved(proc: Proc, b: DescriptorBytes): void {
    if (b.fd < 0 || (b.read === 0 && b.written === 0)) return;
    const entry = proc.fds.get(b.fd);
    if (entry) this.holdings.moved(proc.image, entry.file, b.read, b.written);
  }

  dup(proc: Proc, op: Op<'dup'>): void {
    const from = this.entry(proc, op.from);
    if (from) this.install(proc, op.fd, from.file, op.cloexec);
  }

  setCloexec(proc: Proc, op: Op<'set-cloexec'>): void {
    const entry = this.entry(proc, op.fd);
    if (entry && entry.cloexec !== op.cloexec) proc.fds.set(op.fd.fd, { file: entry.file, cloexec: op.cloexec });
  }

  pipe(proc: Proc, op: Op<'pipe'>): void {
    const t = op.ends[0].target;
    const inode = t?.kind === 'pipe' ? t.inode : t?.kind === 'socket' ? t.inode : undefined;
    const object = this.objects.keyed(`${op.channel}:${inode ?? `anon${this.now()}`}`, op.channel, `${op.channel}:[${inode ?? '?'}]`);
    const both = op.channel === 'socketpair';
    this.install(proc, op.ends[0].fd, { object, read: true, write: both }, op.cloexec);
    this.install(proc, op.ends[1].fd, { object, read: both, write: true }, op.cloexec);
  }

  socket(proc: Proc, op: Op<'socket'>): void {
    if (op.proto === 'packet') {
      // Frames written to it go out on a network interface, to whoever is there: the network is its endpoint.
      const endpoint = this.objects.keyed('ep:packet', 'endpoint', PACKET_ENDPOINT, PACKET_ENDPOINT);
      endpoint.result = better(endpoint.result, 'opened');
      this.holdings.record(proc.image.record.id, endpoint.id, 'connect', this.now(), this.now());
      this.install(proc, op.fd, { object: endpoint, read: true, write: true, socket: { proto: op.proto } }, op.cloexec);
      return;
    }
    this.install(proc, op.fd, { object: this.objects.other('socket'), read: true, write: true, socket: { proto: op.proto } }, op.cloexec);
  }

  bind(proc: Proc, op: Op<'bind'>): void {
    const entry = this.entry(proc, op.socket);
    if (op.ok && entry?.file.socket) entry.file.socket.bound = address(entry.file.socket.proto, op.address);
    if (op.ok && op.address.family === 'inet' && op.address.port > 0) this.listening.add(op.address.port);
  }

  accept(proc: Proc, op: Op<'accept'>): void {
    // The listener's decoration names the port it really has (a server bound to port 0 gets one).
    const local = op.listener.target?.kind === 'socket' ? op.listener.target.local : undefined;
    const port = local === undefined ? NaN : Number(local.slice(local.lastIndexOf(':') + 1));
    if (port > 0) this.listening.add(port);
    const bound = this.entry(proc, op.listener)?.file.socket?.bound ?? 'unknown';
    const object = this.objects.keyed(`ep:accept:${bound}`, 'endpoint', `accept:${bound}`, `accept:${bound}`);
    this.install(proc, op.fd, { object, read: true, write: true }, op.cloexec);
  }

  /**
   * A connection, or an attempt at one: every attempt names its endpoint, whether it
   * connected, is in progress, or failed (an exfiltration that a firewall refused is
   * still an attempt). Only a socket that connected carries data.
   */
  connect(proc: Proc, op: Op<'connect'>): void {
    const entry = this.entry(proc, op.socket);
    if (op.result === 'failed') this.stats.probes++;
    if (op.result === 'unknown') return;
    const addr = address(entry?.file.socket?.proto ?? 'tcp', op.address);
    const endpoint = this.objects.keyed(`ep:${addr}`, 'endpoint', addr, addr);
    endpoint.result = better(endpoint.result, attemptResult(op));
    this.holdings.record(proc.image.record.id, endpoint.id, 'connect', this.now(), this.now());
    if (op.result === 'failed' || !entry) return;
    // The socket now leads to the endpoint: the image holds that from here on.
    proc.image.held.delete(entry.file);
    entry.file.object = endpoint;
    entry.file.opener = proc.image.record.id;
    this.holdings.acquire(proc.image, entry.file, this.now());
  }

  /** Datagrams sent to named destinations: each is an attempt at its endpoint; the socket stays unconnected. */
  send(proc: Proc, op: Op<'send'>): void {
    const proto = this.entry(proc, op.socket)?.file.socket?.proto ?? 'udp';
    for (const a of op.addresses) {
      const addr = address(proto, a);
      const endpoint = this.objects.keyed(`ep:${addr}`, 'endpoint', addr, addr);
      endpoint.result = better(endpoint.result, attemptResult(op));
      this.holdings.record(proc.image.record.id, endpoint.id, 'connect', this.now(), this.now());
    }
  }
}
