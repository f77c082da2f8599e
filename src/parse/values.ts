/**
 * Decoders for the argument notation strace prints: C strings, descriptor decorations,
 * arrays, flag sets and socket addresses. The parser keeps arguments as raw text; the
 * model decodes only the ones it needs, so lines it does not care about cost nothing.
 */
import type { FdRef, FdTarget } from './events.js';
import { opensDecoration, skipDecoration, skipString } from './scan.js';

export interface DecodedString {
  readonly value: string;
  /** strace cut the string (`"abc"...`): `value` is only its beginning. */
  readonly truncated: boolean;
}

const SIMPLE_ESCAPES: Record<string, number> = {
  n: 0x0a,
  t: 0x09,
  r: 0x0d,
  v: 0x0b,
  f: 0x0c,
  a: 0x07,
  b: 0x08,
  e: 0x1b,
  '\\': 0x5c,
  '"': 0x22,
  "'": 0x27,
  '?': 0x3f,
};

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** An escape, or a character that is a raw byte (a log read as latin1) or beyond. */
const NEEDS_DECODING = /[\\\u0080-\uffff]/;

/**
 * The bytes of a C-escaped text, as UTF-8: `caf\303\251` → `café`, `a\x2fb` → `a/b`,
 * `nl\nx` → "nl⏎x". Characters below 256 are bytes (a log is read as latin1), so raw
 * UTF-8 in a log decodes too. Bytes that are not UTF-8 keep their escaped form, so
 * that distinct names stay distinct.
 */
export function unescapeC(body: string): string {
  if (!NEEDS_DECODING.test(body)) return body;
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const ch = body.charCodeAt(i);
    if (ch !== 0x5c) {
      if (ch < 0x100) bytes.push(ch);
      else for (const b of new TextEncoder().encode(body[i])) bytes.push(b);
      continue;
    }
    const next = body[i + 1];
    if (next === undefined) {
      bytes.push(0x5c);
      break;
    }
    if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 2, i + 4))) {
      bytes.push(parseInt(body.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (next >= '0' && next <= '7') {
      let j = i + 1;
      while (j < i + 4 && body[j] >= '0' && body[j] <= '7') j++;
      bytes.push(parseInt(body.slice(i + 1, j), 8) & 0xff);
      i = j - 1;
    } else if (next in SIMPLE_ESCAPES) {
      bytes.push(SIMPLE_ESCAPES[next]);
      i++;
    } else {
      bytes.push(0x5c);
    }
  }
  try {
    return utf8.decode(new Uint8Array(bytes));
  } catch {
    return body;
  }
}

/**
 * `"a\"b"` → `{ value: 'a"b', truncated: false }`; `"abc"...` → truncated;
 * anything that is not a quoted string (`NULL`, `0x7ffd…`) → undefined.
 */
export function decodeCString(raw: string): DecodedString | undefined {
  if (raw.charCodeAt(0) !== 0x22) return undefined;
  const close = skipString(raw, 0);
  if (close < 0) return undefined;
  const rest = raw.slice(close + 1);
  if (rest !== '' && rest !== '...') return undefined;
  return { value: unescapeC(raw.slice(1, close)), truncated: rest === '...' };
}

/**
 * `[3</a>, 4<pipe:[1]>]` → `['3</a>', '4<pipe:[1]>']`; `[]` → `[]`; not an array → undefined.
 * Used for `pipe2`/`socketpair` results and execve's argv.
 */
export function splitArray(raw: string): string[] | undefined {
  if (raw.charCodeAt(0) !== 0x5b || raw.charCodeAt(raw.length - 1) !== 0x5d) return undefined;
  const items: string[] = [];
  let depth = 0;
  let from = 1;
  const end = raw.length - 1;
  for (let i = 1; i < end; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x22) {
      i = skipString(raw, i);
      if (i < 0) return undefined;
    } else if (c === 0x3c && opensDecoration(raw, i)) {
      i = skipDecoration(raw, i);
      if (i < 0) return undefined;
    } else if (c === 0x5b || c === 0x7b || c === 0x28) depth++;
    else if (c === 0x5d || c === 0x7d || c === 0x29) depth--;
    else if (c === 0x2c && depth === 0) {
      items.push(raw.slice(from, i).trim());
      from = i + 1;
    }
  }
  const last = raw.slice(from, end).trim();
  if (last !== '' || items.length > 0) items.push(last);
  return items;
}

export interface DecodedArgv {
  readonly argv: readonly string[];
  /** Some arguments were cut or left out by strace (`"…"...`, a trailing `...`, `[...]`). */
  readonly truncated: boolean;
}

/** execve's `["cc", "-c", "a.c"]` → the strings; `[...]`/`[/* 3 vars *\/]` → `{argv: [], truncated: true}`. */
export function decodeArgv(raw: string): DecodedArgv | undefined {
  const items = splitArray(raw);
  if (!items) return undefined;
  const argv: string[] = [];
  let truncated = false;
  for (const item of items) {
    const s = decodeCString(item);
    if (s) {
      argv.push(s.value);
      truncated ||= s.truncated;
    } else {
      truncated = true;
    }
  }
  return { argv, truncated };
}

const DEVICE_RE = /^(.*)<((?:char|block) \d+:\d+)>$/;
const SOCKET_RE = /^([A-Za-z0-9-]+):\[(.*)\]$/;
const DELETED_SUFFIX = '(deleted)';

/**
 * `3</a/b>` → `{ fd: 3, target: { kind: 'path', path: '/a/b' } }`; `AT_FDCWD</w>` →
 * `{ fd: 'AT_FDCWD', … }`; `3` → `{ fd: 3 }`; not a descriptor → undefined.
 */
export function decodeFd(raw: string): FdRef | undefined {
  const lt = raw.indexOf('<');
  const head = lt < 0 ? raw : raw.slice(0, lt);
  let fd: number | 'AT_FDCWD';
  if (head === 'AT_FDCWD') fd = 'AT_FDCWD';
  else if (/^-?\d+$/.test(head)) fd = Number(head);
  else return undefined;
  if (lt < 0) return { fd };
  const close = skipDecoration(raw, lt);
  if (close < 0) return { fd };
  const after = raw.slice(close + 1).trim();
  return { fd, target: decodeTarget(raw.slice(lt + 1, close), after === DELETED_SUFFIX) };
}

/** The inside of a decoration: `/a/b`, `pipe:[12]`, `TCP:[1.2.3.4:5->6.7.8.9:10]`. */
export function decodeTarget(inner: string, deletedAfter = false): FdTarget {
  if (inner.startsWith('/')) {
    let path = inner;
    let device: string | undefined;
    const dev = path.endsWith('>') ? DEVICE_RE.exec(path) : null;
    if (dev) {
      path = dev[1];
      device = dev[2];
    }
    // Older strace puts the mark inside: `</tmp/x (deleted)>`.
    let deleted = deletedAfter;
    if (path.endsWith(' ' + DELETED_SUFFIX)) {
      deleted = true;
      path = path.slice(0, -DELETED_SUFFIX.length - 1);
    }
    return { kind: 'path', path: unescapeC(path), deleted, device };
  }
  const m = SOCKET_RE.exec(inner);
  if (!m) return { kind: 'other', text: inner };
  const [, protocol, body] = m;
  if (protocol === 'pipe') return /^\d+$/.test(body) ? { kind: 'pipe', inode: Number(body) } : { kind: 'other', text: inner };
  if (protocol === 'anon_inode' || (protocol === 'socket' && !/^\d+$/.test(body))) return { kind: 'other', text: inner };
  return decodeSocket(protocol, body);
}

/**
 * `TCP` + `127.0.0.1:1->127.0.0.1:2` → local and remote; `UNIX-STREAM` + `4409->4410`
 * → inode and peer; `UNIX-STREAM` + `28312,"/run/x"` → inode and path; `TCP` + `4411` → inode.
 */
function decodeSocket(protocol: string, body: string): FdTarget {
  let rest = body;
  let path: string | undefined;
  const comma = rest.indexOf(',"');
  if (comma >= 0) {
    path = decodeCString(rest.slice(comma + 1))?.value;
    rest = rest.slice(0, comma);
  }
  const arrow = rest.indexOf('->');
  const first = arrow < 0 ? rest : rest.slice(0, arrow);
  const second = arrow < 0 ? undefined : rest.slice(arrow + 2);
  const numeric = (s: string): boolean => /^\d+$/.test(s);
  if (numeric(first)) {
    return {
      kind: 'socket',
      protocol,
      inode: Number(first),
      peerInode: second !== undefined && numeric(second) ? Number(second) : undefined,
      path,
    };
  }
  return { kind: 'socket', protocol, local: first, remote: second, path };
}

/** `O_WRONLY|O_CREAT|O_TRUNC` → `['O_WRONLY', 'O_CREAT', 'O_TRUNC']`. */
export function splitFlags(raw: string): string[] {
  return raw.split('|').map((s) => s.trim());
}

/** A socket address as strace prints it, decoded to what the model needs. */
export type SockAddr =
  | { readonly family: 'inet'; readonly address: string; readonly port: number }
  | { readonly family: 'unix'; readonly path: string; readonly abstract: boolean }
  | { readonly family: 'other'; readonly text: string };

const INET_RE = /sin_port=htons\((\d+)\), sin_addr=inet_addr\("([^"]*)"\)/;
const INET6_RE = /sin6_port=htons\((\d+)\).*inet_pton\(AF_INET6, "([^"]*)"/;
const UNIX_RE = /sun_path=(@?)("(?:[^"\\]|\\.)*")/;

/**
 * `{sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")}` →
 * `{ family: 'inet', address: '127.0.0.1', port: 80 }`; AF_INET6 → address `[::1]`;
 * `{sa_family=AF_UNIX, sun_path="/run/x"}` → unix (`@"…"` is the abstract namespace).
 */
export function decodeSockaddr(raw: string): SockAddr {
  let m = INET_RE.exec(raw);
  if (m) return { family: 'inet', address: m[2], port: Number(m[1]) };
  m = INET6_RE.exec(raw);
  if (m) return { family: 'inet', address: `[${m[2]}]`, port: Number(m[1]) };
  m = UNIX_RE.exec(raw);
  if (m) return { family: 'unix', path: decodeCString(m[2])?.value ?? m[2], abstract: m[1] === '@' };
  return { family: 'other', text: raw };
}
