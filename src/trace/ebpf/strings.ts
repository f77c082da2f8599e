/**
 * Bytes of the eBPF collector's records as text, the way ioana reads the same bytes in
 * strace's log, so that both back ends name things alike: a string is its UTF-8 text, or,
 * when it is not UTF-8, strace's escaped form of it (what ioana's parser keeps of such a
 * name); socket addresses as strace writes them and as the model reads them. Pure.
 */
import type { SockAddr } from '../../parse/index.js';
import { family as familyName } from './names.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });
/** A byte beyond ASCII, in bytes read as Latin-1 (a regular expression runs faster than a loop over them). */
const BEYOND_ASCII = /[\u0080-\u00ff]/;

const ESCAPES: Readonly<Record<number, string>> = { 0x09: '\\t', 0x0a: '\\n', 0x0b: '\\v', 0x0c: '\\f', 0x0d: '\\r' };

/**
 * strace's escaping of bytes (no `-x`): printable ASCII as is, `"` and `\` backslashed,
 * `\t \n \v \f \r`, any other byte, and those in `octal` (`<>` in a `-yy` decoration),
 * in octal: three digits when an octal digit follows, as few as it takes otherwise.
 * `caf\351` for Latin-1 `café`, `caf\303\251` for UTF-8, `\74angle\76` in a decoration.
 */
export function escape(buf: Uint8Array, start: number, end: number, octal = ''): string {
  let out = '';
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === 0x22 || c === 0x5c) out += '\\' + String.fromCharCode(c);
    else if (c >= 0x20 && c < 0x7f && !octal.includes(String.fromCharCode(c))) out += String.fromCharCode(c);
    else if (ESCAPES[c]) out += ESCAPES[c];
    else {
      const next = i + 1 < end ? buf[i + 1] : 0;
      const oct = c.toString(8);
      out += '\\' + (next >= 0x30 && next <= 0x37 ? oct.padStart(3, '0') : oct);
    }
  }
  return out;
}

/**
 * The bytes `[start, end)` as the text ioana's parser makes of them in a strace log
 * (`unescapeC`): UTF-8, or when they are not, the escaped form strace wrote them in (`octal`
 * as for `escape`: `<>` in a decoration).
 */
export function text(buf: Buffer, start: number, end: number, octal = ''): string {
  const latin1 = buf.toString('latin1', start, end);
  if (!BEYOND_ASCII.test(latin1)) return latin1;
  try {
    return UTF8.decode(buf.subarray(start, end));
  } catch {
    return escape(buf, start, end, octal);
  }
}

/** A string argument as strace quotes it: `"a\"b"`. */
export const quote = (buf: Uint8Array, start: number, end: number): string => `"${escape(buf, start, end)}"`;

/** Whether a text has a byte strace would not write as it is (`\\`, `"`, `<`, `>`, a control, beyond ASCII). */
function needsEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f || c === 0x5c || c === 0x22 || c === 0x3c || c === 0x3e) return true;
  }
  return false;
}

/**
 * What is inside a `-yy` decoration (`3</a/b>`), as strace writes it: `<` and `>` in octal
 * too. A name that was not UTF-8 is its escaped form already (`text`): `escaped` says so,
 * and it is written as it is.
 */
export function decoration(path: string, escaped?: ReadonlySet<string>): string {
  if (escaped?.has(path) || !needsEscape(path)) return path;
  return escape(Buffer.from(path, 'utf8'), 0, Buffer.byteLength(path), '<>');
}

/** 16 bytes → the shortest IPv6 text, as inet_ntop writes it (`::1`, `2001:db8::5`, `::ffff:1.2.3.4`). */
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

/** A socket address: what the model reads of it, and how strace writes it. */
export interface Address {
  readonly addr: SockAddr;
  readonly text: string;
}

/** A sockaddr's bytes `[start, end)` (as long as the process said it was) → the address. */
export function sockaddr(buf: Buffer, start: number, end: number): Address {
  const len = end - start;
  const family = len >= 2 ? buf.readUInt16LE(start) : -1;
  const name = familyName(family);
  if (family === 2 && len >= 8) {
    const port = buf.readUInt16BE(start + 2);
    const address = [4, 5, 6, 7].map((k) => buf[start + k]).join('.');
    return {
      addr: { family: 'inet', address, port },
      text: `{sa_family=AF_INET, sin_port=htons(${port}), sin_addr=inet_addr("${address}")}`,
    };
  }
  if (family === 10 && len >= 24) {
    const port = buf.readUInt16BE(start + 2);
    const address = ipv6([...buf.subarray(start + 8, start + 24)]);
    return {
      addr: { family: 'inet', address: `[${address}]`, port },
      text: `{sa_family=AF_INET6, sin6_port=htons(${port}), sin6_flowinfo=htonl(${buf.readUInt32BE(start + 4)}), inet_pton(AF_INET6, "${address}", &sin6_addr), sin6_scope_id=${len >= 28 ? buf.readUInt32LE(start + 24) : 0}}`,
    };
  }
  if (family === 1) {
    const abstract = len > 2 && buf[start + 2] === 0;
    const from = start + 2 + (abstract ? 1 : 0);
    let to = from;
    if (abstract) to = end;
    else while (to < end && buf[to] !== 0) to++;
    return {
      addr: { family: 'unix', path: text(buf, from, to), abstract },
      text: `{sa_family=AF_UNIX, sun_path=${abstract ? '@' : ''}${quote(buf, from, to)}}`,
    };
  }
  if (family === 16 && len >= 12) {
    const groups = buf
      .readUInt32LE(start + 8)
      .toString(16)
      .padStart(8, '0');
    const raw = `{sa_family=AF_NETLINK, nl_pid=${buf.readUInt32LE(start + 4)}, nl_groups=${groups}}`;
    return { addr: { family: 'other', text: raw }, text: raw };
  }
  const raw = len >= 2 ? `{sa_family=${name}, sa_data=${quote(buf, start + 2, end)}}` : `{sa_family=${name}}`;
  return { addr: { family: 'other', text: raw }, text: raw };
}
