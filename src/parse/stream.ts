/**
 * The streaming parser: lines in, events out, constant memory per line. The only
 * state kept between lines is one pending call per thread (an `<unfinished ...>` whose
 * `<... resumed>` has not come yet) and the set of pids seen, for the statistics.
 */
import type { ParseStats, SyscallEvent, SyscallResult, TraceEvent } from './events.js';
import { isCutOffTail, NO_ARGS, parseLine, unparsed, type UnfinishedRecord } from './line.js';
import { failureAtEnd, parseResult } from './result.js';
import { scanArgs } from './scan.js';

export type EventSink = (event: TraceEvent) => void;

export interface ParserOptions {
  /**
   * Calls whose failures the consumer only counts (the model's `COUNTED_FAILURES`):
   * when one fails the plain way (`= -1 ENOENT (…)`), its arguments are not split and
   * the event says `argsSkipped`. Unset: every call's arguments are split.
   */
  readonly countedFailures?: ReadonlySet<string>;
}

export function emptyStats(): ParseStats {
  return {
    lines: 0,
    blank: 0,
    unparsed: 0,
    syscalls: 0,
    pids: 0,
    signals: 0,
    messages: 0,
    dumps: 0,
    resumed: 0,
    orphanResumed: 0,
    incomplete: 0,
  };
}

/**
 * Feed it lines with `line()`, then call `end()`; every event goes to the sink in log
 * order, except that a split call is emitted when its `<... resumed>` line arrives
 * (that is when its result exists), carrying the line number where it started.
 */
export class StraceParser {
  readonly stats: ParseStats = emptyStats();
  private readonly pending = new Map<number, UnfinishedRecord>();
  /** Pids that will see the `<... execve resumed>` of a thread's execve (`<pid changed to N ...>`). */
  private readonly replaced = new Set<number>();
  private readonly pids = new Set<number>();
  /** The pid of the previous line: runs of lines from one process are the common case. */
  private lastPid = -1;
  private readonly countedFailures: ReadonlySet<string> | undefined;

  constructor(
    private readonly sink: EventSink,
    options: ParserOptions = {},
  ) {
    this.countedFailures = options.countedFailures;
  }

  line(text: string): void {
    const lineNo = ++this.stats.lines;
    if (text.length === 0 || (text.charCodeAt(0) === 0x20 && text.trim() === '')) {
      this.stats.blank++;
      return;
    }
    const rec = parseLine(text, lineNo, this.countedFailures);
    switch (rec.kind) {
      case 'syscall':
        this.see(rec.pid);
        this.syscall(rec);
        return;
      case 'unfinished': {
        this.see(rec.pid);
        const previous = this.pending.get(rec.pid);
        // A thread cannot be in two calls at once: a second start means the log lost
        // the first one's end (strace's doubled markers). Keep what we know of it.
        if (previous) this.flush(previous, 'cut-off');
        if (rec.pidChangedTo !== undefined) {
          // The thread's execve replaced the whole process; its result arrives as
          // `<... execve resumed>` under the leader's pid, after `+++ superseded`.
          this.replaced.add(rec.pidChangedTo);
          this.flush(rec, 'replaced');
          return;
        }
        this.pending.set(rec.pid, rec);
        return;
      }
      case 'resumed':
        this.see(rec.pid);
        this.resume(rec.pid, rec.name, rec.tail, rec.line, text);
        return;
      case 'killed':
      case 'superseded': {
        this.see(rec.pid);
        const open = this.pending.get(rec.pid);
        if (open) this.flush(open, 'cut-off');
        this.sink(rec);
        return;
      }
      case 'exit':
        this.see(rec.pid);
        this.sink(rec);
        return;
      case 'signal':
        this.see(rec.pid);
        this.stats.signals++;
        this.sink(rec);
        return;
      case 'message':
        this.stats.messages++;
        this.sink(rec);
        return;
      case 'dump':
        this.stats.dumps++;
        this.sink(rec);
        return;
      case 'unparsed':
        this.stats.unparsed++;
        this.sink(rec);
        return;
      default: {
        const never: never = rec;
        throw new Error(`parse/StraceParser: unhandled record ${JSON.stringify(never)}`);
      }
    }
  }

  /** The log ended: calls still waiting for their result are emitted without one. */
  end(): void {
    const open = [...this.pending.values()].sort((a, b) => a.line - b.line);
    for (const rec of open) this.flush(rec, 'eof');
    this.stats.pids = this.pids.size;
  }

  private see(pid: number): void {
    if (pid === this.lastPid) return;
    this.lastPid = pid;
    this.pids.add(pid);
  }

  private syscall(event: SyscallEvent): void {
    this.stats.syscalls++;
    this.sink(event);
  }

  private resume(pid: number, name: string, tail: string, lineNo: number, text: string): void {
    const start = this.pending.get(pid);
    if (name === 'execve' && this.replaced.has(pid) && start?.name !== 'execve') {
      // The leader's half of a thread's execve: already emitted at `<pid changed to …>`.
      this.replaced.delete(pid);
      this.stats.resumed++;
      return;
    }
    if (start) this.pending.delete(pid);
    if (start && start.name !== name) this.flush(start, 'cut-off');
    const matched = start?.name === name ? start : undefined;
    if (!matched) this.stats.orphanResumed++;

    // A resumed call cut off again by its process's death has no result.
    if (isCutOffTail(tail)) {
      if (matched) this.stats.resumed++;
      const args = matched ? (scanArgs(matched.head, 0, true)?.args ?? []) : [];
      this.syscall(callEvent(matched, pid, name, lineNo, args, { kind: 'missing', why: 'cut-off' }, undefined));
      return;
    }
    if (matched && this.countedFailures?.has(name)) {
      const failure = failureAtEnd(tail);
      if (failure) {
        this.stats.resumed++;
        this.syscall({
          kind: 'syscall',
          line: matched.line,
          pid,
          time: matched.time,
          name,
          args: NO_ARGS,
          result: failure,
          resumedAt: lineNo,
          argsSkipped: true,
        });
        return;
      }
    }
    // The usual split is at the end of the arguments (`"a", O_RDONLY` + `) = 3`): the
    // start's arguments are all there, and the two halves need not be joined.
    if (matched && closesArgs(tail)) {
      const head = scanArgs(matched.head, 0, true);
      const parsed = head && head.depth === 0 ? parseResult(tail, tail.indexOf(')') + 1) : undefined;
      if (head && parsed !== undefined && typeof parsed !== 'string') {
        this.stats.resumed++;
        this.syscall(callEvent(matched, pid, name, lineNo, head.args, parsed.result, parsed.duration));
        return;
      }
    }
    // Otherwise the start's argument text and the tail are one call: `"a", ` + `3) = 0`.
    const joined = matched ? matched.head + tail : tail;
    const scanned = scanArgs(joined, 0, false);
    const parsed = scanned ? parseResult(joined, scanned.end) : 'unterminated argument list';
    if (!scanned || typeof parsed === 'string') {
      // The start stands as a call without result; the bad second half is reported.
      if (matched) this.flush(matched, 'cut-off');
      this.stats.unparsed++;
      this.sink(unparsed(lineNo, text, `resumed call: ${parsed}`));
      return;
    }
    if (matched) this.stats.resumed++;
    this.syscall(callEvent(matched, pid, name, lineNo, scanned.args, parsed.result, parsed.duration));
  }

  /** A call that never got its result: the start's arguments, and why. */
  private flush(rec: UnfinishedRecord, why: 'eof' | 'cut-off' | 'replaced'): void {
    if (this.pending.get(rec.pid) === rec) this.pending.delete(rec.pid);
    if (why !== 'replaced') this.stats.incomplete++;
    this.syscall({
      kind: 'syscall',
      line: rec.line,
      pid: rec.pid,
      time: rec.time,
      name: rec.name,
      args: scanArgs(rec.head, 0, true)?.args ?? [],
      result: { kind: 'missing', why },
      pidChangedTo: rec.pidChangedTo,
    });
  }
}

/** A resumed line's tail that starts by closing the argument list: `) = 3`, ` ) = 0`. */
function closesArgs(tail: string): boolean {
  let i = 0;
  while (tail.charCodeAt(i) === 0x20) i++;
  return tail.charCodeAt(i) === 0x29; /* ) */
}

/**
 * The event for a call that ended at line `resumedAt`: with its start's line and time
 * when the start was seen, or as an orphan (a `<... resumed>` with no start).
 */
function callEvent(
  start: UnfinishedRecord | undefined,
  pid: number,
  name: string,
  resumedAt: number,
  args: readonly string[],
  result: SyscallResult,
  duration: number | undefined,
): SyscallEvent {
  return start
    ? { kind: 'syscall', line: start.line, pid, time: start.time, name, args, result, duration, resumedAt }
    : { kind: 'syscall', line: resumedAt, pid, name, args, result, duration, orphan: true };
}

/** All events of a finite sequence of lines, with the statistics. For tests and small logs. */
export function parseLines(lines: Iterable<string>, options: ParserOptions = {}): { events: TraceEvent[]; stats: ParseStats } {
  const events: TraceEvent[] = [];
  const parser = new StraceParser((e) => events.push(e), options);
  for (const l of lines) parser.line(l);
  parser.end();
  return { events, stats: parser.stats };
}

/**
 * The streaming form: an async sequence of lines → an async sequence of events.
 * Memory does not grow with the log: events are yielded as their lines are read.
 */
export async function* parseTrace(lines: AsyncIterable<string> | Iterable<string>, stats?: ParseStats): AsyncGenerator<TraceEvent> {
  const queue: TraceEvent[] = [];
  const parser = new StraceParser((e) => queue.push(e));
  for await (const l of lines) {
    parser.line(l);
    while (queue.length > 0) yield queue.shift() as TraceEvent;
  }
  parser.end();
  while (queue.length > 0) yield queue.shift() as TraceEvent;
  if (stats) Object.assign(stats, parser.stats);
}
