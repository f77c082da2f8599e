/**
 * One strace log line → one record. Pure and stateless: pairing `<unfinished ...>`
 * with `<... resumed>` is the stream's job (stream.ts).
 */
import type {
  DumpEvent,
  ExitEvent,
  KilledEvent,
  MessageEvent,
  SignalEvent,
  SupersededEvent,
  SyscallEvent,
  UnparsedEvent,
} from './events.js';
import {
  CUT_OFF_TAIL,
  DETACHED_SUFFIX,
  DUMP_RE,
  EXITED_RE,
  KILLED_RE,
  PID_BRACKET_PREFIX,
  PID_CHANGED_RE,
  RESUMED_MARK,
  RESUMED_PREFIX,
  SIGNAL_RE,
  STOPPED_RE,
  STRACE_MESSAGE_PREFIX,
  SUPERSEDED_RE,
  UNFINISHED_SUFFIX,
} from './grammar.js';
import { own } from '../vocabulary/collections.js';
import { failureAtEnd, parseResult } from './result.js';
import { scanArgs } from './scan.js';

/** The prefix every line may carry: `[pid  12] `, `12  `, `11:29:49.112721 `. */
interface Prefix {
  readonly pid: number;
  readonly time?: string;
}

/** `open("a", O_RDONLY <unfinished ...>`: `head` is `"a", O_RDONLY`. */
export interface UnfinishedRecord extends Prefix {
  readonly kind: 'unfinished';
  readonly line: number;
  readonly name: string;
  readonly head: string;
  /** Set by `<pid changed to N ...>` (a thread's execve) instead of `<unfinished ...>`. */
  readonly pidChangedTo?: number;
}

/** `<... open resumed>, O_CREAT) = 3`: `tail` is `, O_CREAT) = 3`. */
export interface ResumedRecord extends Prefix {
  readonly kind: 'resumed';
  readonly line: number;
  readonly name: string;
  readonly tail: string;
}

/** A complete call on one line is already the event the stream emits. */
export type LineRecord =
  | SyscallEvent
  | UnfinishedRecord
  | ResumedRecord
  | ExitEvent
  | KilledEvent
  | SupersededEvent
  | SignalEvent
  | MessageEvent
  | DumpEvent
  | UnparsedEvent;

const SPACE = 0x20;
const MAX_UNPARSED_TEXT = 200;

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isNameChar = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || isDigit(c) || c === 0x5f;

export function unparsed(line: number, text: string, reason: string): UnparsedEvent {
  // A copy of its own: a slice would keep the whole line (up to 16 MiB) alive with it.
  return { kind: 'unparsed', line, text: text.length > MAX_UNPARSED_TEXT ? own(text.slice(0, MAX_UNPARSED_TEXT) + '…') : text, reason };
}

/** No arguments: the `args` of a call whose arguments were not split. */
export const NO_ARGS: readonly string[] = Object.freeze([]);

/**
 * `12  11:29:49.1 open("a", O_RDONLY) = 3</a> <0.000030>` → a `syscall` event;
 * `Hello` → an `unparsed` record with the reason. Never throws.
 *
 * `countedFailures`: calls whose failures the consumer only counts; when such a call
 * failed, its arguments are not split (`argsSkipped`). A header search is mostly
 * failed `openat`s: a third of a C build's log.
 */
export function parseLine(text: string, line: number, countedFailures?: ReadonlySet<string>): LineRecord {
  const n = text.length;
  let i = 0;
  while (i < n && text.charCodeAt(i) === SPACE) i++;
  if (i === n) return unparsed(line, text, 'empty line');

  if (text.startsWith(STRACE_MESSAGE_PREFIX, i)) {
    return { kind: 'message', line, text: text.slice(i + STRACE_MESSAGE_PREFIX.length) };
  }
  if (text.charCodeAt(i) === 0x7c /* | */) {
    return DUMP_RE.test(text.slice(i).trimEnd()) ? { kind: 'dump', line } : unparsed(line, text, 'not a hex dump line');
  }

  // The pid: `[pid  1234] ` or `1234 ` (a number followed by a space; `11:29:49` and
  // `1700000000.5` are timestamps of a log without pids).
  let pid = 0;
  if (text.startsWith(PID_BRACKET_PREFIX, i)) {
    let j = i + PID_BRACKET_PREFIX.length;
    while (text.charCodeAt(j) === SPACE) j++;
    const from = j;
    while (isDigit(text.charCodeAt(j))) j++;
    if (j === from || text.charCodeAt(j) !== 0x5d /* ] */) return unparsed(line, text, 'bad [pid N] prefix');
    pid = Number(text.slice(from, j));
    i = j + 1;
    while (text.charCodeAt(i) === SPACE) i++;
  } else if (isDigit(text.charCodeAt(i))) {
    let j = i;
    while (isDigit(text.charCodeAt(j))) j++;
    const c = text.charCodeAt(j);
    if (c === SPACE) {
      for (let k = i; k < j; k++) pid = pid * 10 + (text.charCodeAt(k) - 0x30);
      i = j;
      while (text.charCodeAt(i) === SPACE) i++;
    } else if (c !== 0x3a /* : */ && c !== 0x2e /* . */) {
      return unparsed(line, text, 'bad pid');
    }
  }

  // The timestamp (-t, -tt, -ttt, -r): digits with ':' or '.', then a space.
  let time: string | undefined;
  if (isDigit(text.charCodeAt(i))) {
    let j = i;
    let c = text.charCodeAt(j);
    while (isDigit(c) || c === 0x3a || c === 0x2e) c = text.charCodeAt(++j);
    const token = text.slice(i, j);
    if (c !== SPACE || (token.indexOf(':') < 0 && token.indexOf('.') < 0)) {
      return unparsed(line, text, 'expected a system call after the pid');
    }
    time = token;
    i = j;
    while (text.charCodeAt(i) === SPACE) i++;
  }

  // -i: `[00007f3a8e2c1234] ` instruction pointer.
  if (text.charCodeAt(i) === 0x5b /* [ */) {
    const close = text.indexOf('] ', i);
    if (close > 0 && /^\[[0-9a-f?]+$/.test(text.slice(i, close))) {
      i = close + 2;
      while (text.charCodeAt(i) === SPACE) i++;
    }
  }

  const c = text.charCodeAt(i);
  if (isNameChar(c) && !isDigit(c)) return parseCall(text, i, line, pid, time, countedFailures);
  const body = text.slice(i).trimEnd();
  if (c === 0x3c /* < */) return parseResumed(body, line, pid, time) ?? unparsed(line, text, 'bad "<... resumed>" line');
  if (c === 0x2b /* + */) return parseExit(body, line, pid, time) ?? unparsed(line, text, 'bad "+++" line');
  if (c === 0x2d /* - */) return parseSignal(body, line, pid, time) ?? unparsed(line, text, 'bad "---" line');
  return unparsed(line, text, 'not a strace line');
}

function parseCall(
  text: string,
  i: number,
  line: number,
  pid: number,
  time: string | undefined,
  countedFailures: ReadonlySet<string> | undefined,
): LineRecord {
  let j = i;
  while (isNameChar(text.charCodeAt(j))) j++;
  if (text.charCodeAt(j) !== 0x28 /* ( */) return unparsed(line, text, 'expected "(" after the system call name');
  const name = text.slice(i, j);
  const argsStart = j + 1;
  let end = text.length;
  while (end > argsStart && text.charCodeAt(end - 1) === SPACE) end--;

  if (text.endsWith(UNFINISHED_SUFFIX, end)) {
    return { kind: 'unfinished', line, pid, time, name, head: text.slice(argsStart, end - UNFINISHED_SUFFIX.length) };
  }
  // Both `<detached ...>` and `<pid changed to N ...>` end in "...>"; a decorated result does not.
  if (text.endsWith(' ...>', end)) {
    if (text.endsWith(DETACHED_SUFFIX, end)) {
      const scanned = scanArgs(text.slice(argsStart, end - DETACHED_SUFFIX.length), 0, true);
      if (!scanned) return unparsed(line, text, 'bad argument list');
      return { kind: 'syscall', line, pid, time, name, args: scanned.args, result: { kind: 'missing', why: 'detached' } };
    }
    const changed = PID_CHANGED_RE.exec(text.slice(argsStart, end));
    if (changed) {
      return {
        kind: 'unfinished',
        line,
        pid,
        time,
        name,
        head: text.slice(argsStart, end - changed[0].length),
        pidChangedTo: Number(changed[1]),
      };
    }
  }

  if (countedFailures?.has(name) && end === text.length) {
    const failure = failureAtEnd(text);
    if (failure) return { kind: 'syscall', line, pid, time, name, args: NO_ARGS, result: failure, argsSkipped: true };
  }
  const scanned = scanArgs(text, argsStart, false);
  if (!scanned) return unparsed(line, text, 'unterminated argument list');
  const parsed = parseResult(text, scanned.end);
  if (typeof parsed === 'string') return unparsed(line, text, parsed);
  return { kind: 'syscall', line, pid, time, name, args: scanned.args, result: parsed.result, duration: parsed.duration };
}

/** `<... open resumed>, O_RDONLY) = 3` → `{ name: 'open', tail: ', O_RDONLY) = 3' }`. */
function parseResumed(body: string, line: number, pid: number, time: string | undefined): ResumedRecord | undefined {
  if (!body.startsWith(RESUMED_PREFIX)) return undefined;
  const mark = body.indexOf(RESUMED_MARK, RESUMED_PREFIX.length);
  if (mark < 0) return undefined;
  for (let k = RESUMED_PREFIX.length; k < mark; k++) if (!isNameChar(body.charCodeAt(k))) return undefined;
  if (mark === RESUMED_PREFIX.length) return undefined;
  const name = body.slice(RESUMED_PREFIX.length, mark);
  return { kind: 'resumed', line, pid, time, name, tail: body.slice(mark + RESUMED_MARK.length) };
}

function parseExit(body: string, line: number, pid: number, time: string | undefined): LineRecord | undefined {
  let m = EXITED_RE.exec(body);
  if (m) return { kind: 'exit', line, pid, time, status: Number(m[1]) };
  m = KILLED_RE.exec(body);
  if (m) return { kind: 'killed', line, pid, time, signal: m[1], coreDumped: m[2] !== undefined };
  m = SUPERSEDED_RE.exec(body);
  if (m) return { kind: 'superseded', line, pid, time, by: Number(m[1]) };
  return undefined;
}

function parseSignal(body: string, line: number, pid: number, time: string | undefined): LineRecord | undefined {
  let m = SIGNAL_RE.exec(body);
  if (m) return { kind: 'signal', line, pid, time, signal: m[1], info: m[2] };
  m = STOPPED_RE.exec(body);
  if (m) return { kind: 'signal', line, pid, time, signal: m[1], info: 'stopped' };
  return undefined;
}

/** The tail of a resumed call that died again: ` <unfinished ...>) = ?`. */
export function isCutOffTail(tail: string): boolean {
  let i = 0;
  while (tail.charCodeAt(i) === SPACE) i++;
  return tail.charCodeAt(i) === 0x3c /* < */ && tail.startsWith(CUT_OFF_TAIL, i);
}
