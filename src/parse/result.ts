/**
 * The part of a syscall line after the argument list: ` = 3</a/b> <0.000030>`.
 */
import type { SyscallResult } from './events.js';
import { DURATION_RE, ERRNO_RE, INJECTED_MARK, PIDNS_RE, UNAVAILABLE_MARK } from './grammar.js';
import { opensDecoration, skipDecoration } from './scan.js';

export interface ParsedResult {
  readonly result: SyscallResult;
  readonly duration?: number;
}

/** Why a result did not parse, for the `unparsed` event. */
export type ResultError = string;

const NUMBER_RE = /^(?:-?\d+|0x[0-9a-f]+)$/;

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isErrnoChar = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || isDigit(c) || c === 0x5f;

/**
 * `  = -1 ENOENT (No such file or directory) <0.000012>` from `pos` → the result.
 * Returns a string (the reason) when the text after `)` is not a strace result.
 */
export function parseResult(text: string, pos: number): ParsedResult | ResultError {
  return fastResult(text, pos) ?? slowResult(text, pos);
}

/**
 * The shapes that make up nearly every line, without slicing or regular expressions:
 * `= 0`, `= 3</a/b>`, `= -1 ENOENT (No such file or directory)`. Anything else
 * (durations, hex, `?`, details) → undefined, and the general parser takes it.
 */
function fastResult(text: string, pos: number): ParsedResult | undefined {
  const n = text.length;
  let i = pos;
  while (text.charCodeAt(i) === 0x20) i++;
  if (text.charCodeAt(i) !== 0x3d /* = */ || text.charCodeAt(i + 1) !== 0x20) return undefined;
  const start = i + 2;
  let j = start;
  const negative = text.charCodeAt(j) === 0x2d;
  if (negative) j++;
  if (!isDigit(text.charCodeAt(j))) return undefined;
  let value = 0;
  while (isDigit(text.charCodeAt(j))) value = value * 10 + (text.charCodeAt(j++) - 0x30);
  if (value > 0x1fffffffffffff) return undefined;
  if (negative) value = -value;
  if (j === n) return { result: { kind: 'ok', value, text: text.slice(start, j), injected: false } };
  const c = text.charCodeAt(j);
  if (c === 0x3c /* < */) {
    const close = skipDecoration(text, j);
    if (close !== n - 1) return undefined;
    return { result: { kind: 'ok', value, text: text.slice(start), injected: false } };
  }
  if (c !== 0x20 || !negative) return undefined;
  // `-1 ENOENT (message)`
  let k = j + 1;
  if (text.charCodeAt(k) !== 0x45 /* E */) return undefined;
  while (isErrnoChar(text.charCodeAt(k))) k++;
  const errno = text.slice(j + 1, k);
  if (k === n) return { result: { kind: 'error', errno, message: '', injected: false } };
  if (text.charCodeAt(k) !== 0x20 || text.charCodeAt(k + 1) !== 0x28 || text.charCodeAt(n - 1) !== 0x29) return undefined;
  const message = text.slice(k + 2, n - 1);
  // `(…) (INJECTED)` and `(…) <0.1>` have more than one parenthesis: leave them to the general path.
  if (message.indexOf(')') >= 0) return undefined;
  return { result: { kind: 'error', errno, message, injected: false } };
}

/**
 * The result of a call that failed the plain way, read from the end of its line:
 * `…) = -1 ENOENT (No such file or directory)` → the error; anything else → undefined.
 * Safe whatever the arguments hold: the result is what follows the last ` = -1 E`,
 * and it must be the whole rest of the line, `ERRNO (message)` with no other parenthesis
 * (a decorated success ends in `>` or `>(deleted)`, never like that).
 */
export function failureAtEnd(text: string): SyscallResult | undefined {
  const n = text.length;
  if (text.charCodeAt(n - 1) !== 0x29 /* ) */) return undefined;
  // strace pads short lines to put the result in a column: `)           = -1 E…`.
  const at = text.lastIndexOf(' = -1 E');
  if (at < 0) return undefined;
  let p = at;
  while (p > 0 && text.charCodeAt(p - 1) === 0x20) p--;
  if (text.charCodeAt(p - 1) !== 0x29 /* ) */) return undefined;
  const from = at + 6;
  let k = from;
  while (isErrnoChar(text.charCodeAt(k))) k++;
  if (text.charCodeAt(k) !== 0x20 || text.charCodeAt(k + 1) !== 0x28 /* ( */) return undefined;
  for (let j = k + 2; j < n - 1; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x28 || c === 0x29) return undefined;
  }
  return { kind: 'error', errno: text.slice(from, k), message: text.slice(k + 2, n - 1), injected: false };
}

function slowResult(text: string, pos: number): ParsedResult | ResultError {
  let i = pos;
  while (text.charCodeAt(i) === 0x20) i++;
  if (text.charCodeAt(i) !== 0x3d /* = */) return 'no "=" after the argument list';
  let rest = text.slice(i + 1).trim();

  let duration: number | undefined;
  const lt = rest.lastIndexOf(' <');
  if (lt >= 0 && rest.endsWith('>')) {
    const tail = rest.slice(lt + 1);
    const m = DURATION_RE.exec(tail);
    if (m) {
      duration = Number(m[1]);
      rest = rest.slice(0, lt).trimEnd();
    } else if (tail !== UNAVAILABLE_MARK) {
      return `bad duration "${tail}"`;
    }
  }

  let injected = false;
  if (rest.endsWith(INJECTED_MARK)) {
    injected = true;
    rest = rest.slice(0, -INJECTED_MARK.length).trimEnd();
  }

  if (rest.startsWith('?')) {
    const after = rest.slice(1).trim();
    if (after === '') return { result: { kind: 'unknown' }, duration };
    if (after === UNAVAILABLE_MARK) return { result: { kind: 'unknown', note: 'unavailable' }, duration };
    const err = parseErrno(after, injected);
    return err ? { result: err, duration } : `bad result "${rest}"`;
  }

  // The value runs to the first space, except inside a decoration (`3</a b>`).
  let end = 0;
  while (end < rest.length && rest.charCodeAt(end) !== 0x20) {
    if (rest.charCodeAt(end) === 0x3c && opensDecoration(rest, end)) {
      end = skipDecoration(rest, end);
      if (end < 0) return `unterminated decoration in result "${rest}"`;
    }
    end++;
  }
  let token = rest.slice(0, end);
  const after = rest.slice(end).trim();
  const lt2 = token.indexOf('<');
  const numText = lt2 < 0 ? token : token.slice(0, lt2);
  if (!NUMBER_RE.test(numText)) return `bad return value "${token}"`;
  let value = Number(numText);
  // A pid in the build's PID namespace: the one strace's lines use is the one that counts; the build's is kept.
  const pidns = PIDNS_RE.exec(after);
  if (pidns) {
    const seenAs = value;
    value = Number(pidns[1]);
    token = pidns[1];
    return { result: { kind: 'ok', value, text: token, injected, seenAs }, duration };
  }

  if (after === '') return { result: { kind: 'ok', value, text: token, injected }, duration };
  if (value < 0) {
    const err = parseErrno(after, injected);
    if (err) return { result: err, duration };
  }
  if (after.startsWith('(') && after.endsWith(')')) {
    return { result: { kind: 'ok', value, text: token, detail: after.slice(1, -1), injected }, duration };
  }
  return `unexpected text after the return value: "${after}"`;
}

/**
 * `ENOENT (No such file or directory)` → error; `(errno 18446744073709551359)` (strace
 * could not name it) → error `EUNKNOWN`; anything else → undefined.
 */
function parseErrno(text: string, injected: boolean): SyscallResult | undefined {
  const sp = text.indexOf(' ');
  const name = sp < 0 ? text : text.slice(0, sp);
  const message = sp < 0 ? '' : text.slice(sp + 1).trim();
  if (ERRNO_RE.test(name)) {
    if (message !== '' && !(message.startsWith('(') && message.endsWith(')'))) return undefined;
    return { kind: 'error', errno: name, message: message.slice(1, -1), injected };
  }
  if (text.startsWith('(errno ') && text.endsWith(')')) {
    return { kind: 'error', errno: 'EUNKNOWN', message: text.slice(1, -1), injected };
  }
  return undefined;
}
