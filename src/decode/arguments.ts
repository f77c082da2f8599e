/**
 * The arguments of a call as the model reads them, decoded lazily: a descriptor's
 * decoration, a path and its directory, an open's requested path, a pipe's two ends, the
 * destinations a send names. Only decode.ts builds them.
 */
import { decodeCString, decodeFd, decodeSockaddr, splitArray, type FdTarget, type SockAddr } from '../parse/index.js';
import type { DirRef, FdArg, OpenMode, PathRef } from './operations.js';

/** A descriptor argument; its decoration is decoded when first read. `3</a/b>` → fd 3. */
export class RawFd implements FdArg {
  readonly fd: number;
  private decoded?: { target?: FdTarget };
  constructor(private readonly raw: string) {
    this.fd = parseInt(raw, 10);
  }
  get target(): FdTarget | undefined {
    this.decoded ??= { target: decodeFd(this.raw)?.target };
    return this.decoded.target;
  }
}

/**
 * A path argument and its directory argument; both are decoded when first read (a
 * successful open's decoration usually names the file, and neither is needed).
 */
export class RawPath implements PathRef {
  private decodedPath?: string;
  private decodedDir?: { dir?: DirRef };
  constructor(
    private readonly rawDir: string | undefined,
    private readonly raw: string,
  ) {}
  get path(): string {
    this.decodedPath ??= decodeCString(this.raw)?.value ?? '';
    return this.decodedPath;
  }
  get dir(): DirRef | undefined {
    this.decodedDir ??= { dir: dirRef(this.rawDir) };
    return this.decodedDir.dir;
  }
}

/**
 * A successful open; its requested path is made when first read (strace's decoration
 * usually names the file, and then it is not needed): one object per open on the hot path.
 */
export class OpenOp {
  readonly kind = 'open';
  private requested?: PathRef;
  constructor(
    readonly fd: number,
    readonly target: FdTarget | undefined,
    readonly mode: OpenMode,
    private readonly rawDir: string | undefined,
    private readonly rawPath: string,
  ) {}
  get path(): PathRef {
    this.requested ??= new RawPath(this.rawDir, this.rawPath);
    return this.requested;
  }
}

/**
 * `AT_FDCWD</w>` → `{ kind: 'cwd', path: '/w' }`, `3</w/sub>` → `{ kind: 'fd', fd: 3, … }`,
 * absent → undefined (the working directory). The usual `AT_FDCWD</plain/path>` is
 * sliced, not decoded.
 */
export function dirRef(raw: string | undefined): DirRef | undefined {
  if (raw === undefined) return undefined;
  if (raw.startsWith('AT_FDCWD')) {
    const last = raw.length - 1;
    if (
      raw.charCodeAt(8) === 0x3c &&
      raw.charCodeAt(last) === 0x3e &&
      raw.indexOf('\\') < 0 &&
      raw.indexOf('<', 9) < 0 &&
      raw.indexOf('>') === last
    ) {
      return { kind: 'cwd', path: raw.slice(9, last) };
    }
    const target = decodeFd(raw)?.target;
    return { kind: 'cwd', path: target?.kind === 'path' ? target.path : undefined };
  }
  const fd = new RawFd(raw);
  return {
    kind: 'fd',
    fd: fd.fd,
    get target() {
      return fd.target;
    },
  };
}

/** `[3<pipe:[1]>, 4<pipe:[1]>]` → the two ends; anything else → undefined. */
export function ends(raw: string | undefined): [FdArg, FdArg] | undefined {
  const items = splitArray(raw ?? '');
  if (!items || items.length !== 2) return undefined;
  return [new RawFd(items[0]), new RawFd(items[1])];
}

/**
 * The destinations a send names: sendto's address argument
 * (`{sa_family=AF_INET, sin_port=htons(53), …}`, or `NULL` on a connected socket), and
 * each message's `msg_name={…}` in sendmsg's and sendmmsg's structures. Only addresses
 * ioana models (inet, unix); netlink and the like are the machine talking to itself.
 */
export function destinations(raw: string | undefined): SockAddr[] {
  if (raw === undefined || !raw.includes('sa_family=')) return [];
  const texts = raw.startsWith('{sa_family=') ? [raw] : raw.split('msg_name=').slice(1);
  const out: SockAddr[] = [];
  for (const text of texts) {
    if (!text.startsWith('{sa_family=')) continue;
    // Up to the structure's end, so that nothing after it (the message's data) is read as
    // its address; a unix path is a quoted string that may hold `}`, read from its quote.
    const end = text.startsWith('{sa_family=AF_UNIX') ? undefined : text.indexOf('}') + 1 || undefined;
    const addr = decodeSockaddr(text.slice(0, end));
    if (addr.family !== 'other') out.push(addr);
  }
  return out;
}
