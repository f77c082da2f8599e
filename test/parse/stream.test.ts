import { parseLines, parseTrace, StraceParser, type SyscallEvent, type TraceEvent } from '../../src/parse/index.js';
import { fileLines } from '../helpers/corpus.js';
import { seededBytes } from '../helpers/random.js';

const syscalls = (events: TraceEvent[]): SyscallEvent[] => events.flatMap((e) => (e.kind === 'syscall' ? [e] : []));

describe('pairing <unfinished ...> with <... resumed>', () => {
  test('the two halves become one call, with the start line and the resume line', () => {
    const { events } = parseLines([
      '1859  wait4(-1,  <unfinished ...>',
      '1860  exit_group(0)                     = ?',
      '1859  <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 1860',
    ]);
    expect(syscalls(events).map((c) => [c.name, c.line, c.resumedAt, c.args])).toEqual([
      ['exit_group', 2, undefined, ['0']],
      ['wait4', 1, 3, ['-1', '[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]', '0', 'NULL']],
    ]);
  });

  test("old strace's space before the rest, and clone's empty start", () => {
    const { events } = parseLines([
      '27369 13:53:27.213383 clone( <unfinished ...>',
      '27370 13:53:27.214709 execve("/bin/sh", ["sh", "-c", "uname -p 2> /dev/null"], 0x55842eb789e0 /* 72 vars */ <unfinished ...>',
      '27369 13:53:27.214872 <... clone resumed> child_stack=0x7fbb371faff0, flags=CLONE_VM|CLONE_VFORK|SIGCHLD) = 27370 <0.001466>',
      '27370 13:53:27.214899 <... execve resumed> ) = 0 <0.000132>',
    ]);
    const [clone, execve] = syscalls(events);
    expect(clone).toMatchObject({
      name: 'clone',
      args: ['child_stack=0x7fbb371faff0', 'flags=CLONE_VM|CLONE_VFORK|SIGCHLD'],
      result: { value: 27370 },
      duration: 0.001466,
    });
    expect(execve).toMatchObject({
      name: 'execve',
      pid: 27370,
      args: ['"/bin/sh"', '["sh", "-c", "uname -p 2> /dev/null"]', '0x55842eb789e0 /* 72 vars */'],
      result: { value: 0 },
    });
  });

  test("a resumed call cut off again by its process's death has no result", () => {
    const { events, stats } = parseLines([
      '11 read(3<pipe:[24017]>,  <unfinished ...>',
      '11 <... read resumed> <unfinished ...>) = ?',
      '11 +++ killed by SIGKILL +++',
    ]);
    expect(events.map((e) => e.kind)).toEqual(['syscall', 'killed']);
    expect(events[0]).toMatchObject({ name: 'read', args: ['3<pipe:[24017]>'], result: { kind: 'missing', why: 'cut-off' }, resumedAt: 2 });
    expect(stats.unparsed).toBe(0);
  });

  test('a process killed in the middle of a call keeps the call, without a result', () => {
    const { events } = parseLines(['7 openat(AT_FDCWD</w>, "a", O_RDONLY <unfinished ...>', '7 +++ killed by SIGKILL +++']);
    expect(events).toMatchObject([
      { kind: 'syscall', name: 'openat', result: { kind: 'missing', why: 'cut-off' } },
      { kind: 'killed', pid: 7, signal: 'SIGKILL' },
    ]);
  });

  test("a thread's execve: one call, the leader's half swallowed, the supersede kept (real log)", () => {
    const { events, stats } = parseLines(fileLines(new URL('../fixtures/strace/thread-execve.log', import.meta.url).pathname));
    const execs = syscalls(events).filter((c) => c.name === 'execve');
    expect(execs.map((c) => [c.pid, c.result.kind, c.pidChangedTo])).toEqual([
      [2026, 'ok', undefined],
      [2028, 'missing', 2026],
    ]);
    expect(events.find((e) => e.kind === 'superseded')).toMatchObject({ pid: 2026, by: 2028 });
    expect(stats).toMatchObject({ unparsed: 0, orphanResumed: 0, incomplete: 0 });
  });

  test('the same events whichever thread is printed first', () => {
    const a = [
      '5 open("x", O_RDONLY <unfinished ...>',
      '6 open("y", O_RDONLY <unfinished ...>',
      '5 <... open resumed>) = 3',
      '6 <... open resumed>) = 4',
    ];
    const b = [
      '6 open("y", O_RDONLY <unfinished ...>',
      '5 open("x", O_RDONLY <unfinished ...>',
      '6 <... open resumed>) = 4',
      '5 <... open resumed>) = 3',
    ];
    const shape = (lines: string[]) =>
      syscalls(parseLines(lines).events)
        .map((c) => `${c.pid} ${c.args.join(' ')} = ${c.result.kind === 'ok' ? c.result.value : '?'}`)
        .sort();
    expect(shape(a)).toEqual(shape(b));
  });
});

describe('logs that are not whole', () => {
  test('an empty log', () => {
    expect(parseLines([])).toEqual({ events: [], stats: expect.objectContaining({ lines: 0, unparsed: 0, syscalls: 0, pids: 0 }) });
  });

  test('a log cut in the middle of a line: the cut line is unparsed, the rest stands', () => {
    const { events, stats } = parseLines(['1 openat(AT_FDCWD</w>, "a.c", O_RDONLY) = 3</w/a.c>', '1 openat(AT_FDCWD</w>, "b.c", O_RD']);
    expect(stats).toMatchObject({ lines: 2, syscalls: 1, unparsed: 1 });
    expect(events[1]).toMatchObject({ kind: 'unparsed', line: 2 });
  });

  test('random bytes never throw', () => {
    const byte = seededBytes(42);
    const lines = Array.from({ length: 2000 }, () => String.fromCharCode(...Array.from({ length: byte() % 120 }, byte)));
    const { stats } = parseLines(lines);
    expect(stats.lines).toBe(2000);
    expect(stats.unparsed + stats.blank + stats.syscalls).toBeGreaterThan(1900);
  });

  test('blank lines are counted, not reported', () => {
    expect(parseLines(['', '   ', '1 close(3) = 0']).stats).toMatchObject({ lines: 3, blank: 2, unparsed: 0, syscalls: 1 });
  });
});

describe('streaming', () => {
  test('parseTrace yields the same events as parseLines, from an async source', async () => {
    const lines = fileLines(new URL('../fixtures/strace/killed-core-dumped.log', import.meta.url).pathname);
    async function* source() {
      for (const l of lines) yield l;
    }
    const streamed: TraceEvent[] = [];
    const stats = parseLines([]).stats;
    for await (const e of parseTrace(source(), stats)) streamed.push(e);
    const whole = parseLines(lines);
    expect(streamed).toEqual(whole.events);
    expect(stats).toEqual(whole.stats);
    expect(whole.events.filter((e) => e.kind === 'killed')).toMatchObject([
      { signal: 'SIGKILL', coreDumped: false },
      { signal: 'SIGSEGV', coreDumped: true },
    ]);
  });

  test('the parser holds nothing per line once a call is complete', () => {
    let count = 0;
    const parser = new StraceParser(() => count++);
    for (let i = 0; i < 100_000; i++) {
      parser.line(`${1000 + (i % 7)}  openat(AT_FDCWD</w>, "f${i}.c", O_RDONLY <unfinished ...>`);
      parser.line(`${1000 + (i % 7)}  <... openat resumed>) = 3</w/f${i}.c>`);
    }
    parser.end();
    expect(count).toBe(100_000);
    expect(parser.stats).toMatchObject({ resumed: 100_000, pids: 7, incomplete: 0 });
    // Only one pending slot per thread: nothing of the 100 000 calls is kept.
    expect((parser as unknown as { pending: Map<number, unknown> }).pending.size).toBe(0);
  });
});

describe('failed calls whose arguments the consumer does not need (countedFailures)', () => {
  const counted = new Set(['openat', 'unlink']);
  const parse = (lines: string[], on = true) => {
    const events: TraceEvent[] = [];
    const parser = new StraceParser((e) => events.push(e), on ? { countedFailures: counted } : {});
    for (const l of lines) parser.line(l);
    parser.end();
    return { calls: syscalls(events), stats: parser.stats };
  };

  test('a plain failure: no arguments split, the error read from the end of the line', () => {
    const line = '7 openat(AT_FDCWD</w>, "/usr/include/x.h", O_RDONLY|O_NOCTTY) = -1 ENOENT (No such file or directory)';
    const [call] = parse([line]).calls;
    expect(call).toEqual({
      kind: 'syscall',
      line: 1,
      pid: 7,
      time: undefined,
      name: 'openat',
      args: [],
      argsSkipped: true,
      result: { kind: 'error', errno: 'ENOENT', message: 'No such file or directory', injected: false },
    });
    // Without the option, the same line is split as always.
    expect(parse([line], false).calls[0]).toMatchObject({
      args: ['AT_FDCWD</w>', '"/usr/include/x.h"', 'O_RDONLY|O_NOCTTY'],
      result: { errno: 'ENOENT' },
    });
    expect(parse([line], false).calls[0].argsSkipped).toBeUndefined();
  });

  test('a split call whose result strace padded into its column', () => {
    const { calls, stats } = parse([
      '7 openat(AT_FDCWD</w>, "a.h", O_RDONLY <unfinished ...>',
      '8 close(3</w/b>)                    = 0',
      '7 <... openat resumed>)             = -1 EACCES (Permission denied)',
    ]);
    expect(calls[1]).toMatchObject({
      name: 'openat',
      line: 1,
      resumedAt: 3,
      args: [],
      argsSkipped: true,
      result: { errno: 'EACCES', message: 'Permission denied' },
    });
    expect(stats).toMatchObject({ resumed: 1, syscalls: 2, unparsed: 0 });
  });

  test.each([
    [
      'a success whose arguments hold the failure text',
      '7 openat(AT_FDCWD</w>, "a) = -1 ENOENT (x)", O_RDONLY) = 3</w/a) = -1 ENOENT (x)>',
      'ok',
    ],
    ['a deleted file whose path holds it', '7 openat(AT_FDCWD</w>, "b", O_RDONLY) = 3</w/b = -1 EX (y)>(deleted)', 'ok'],
    ['an injected failure', '7 openat(AT_FDCWD</w>, "c", O_RDONLY) = -1 ENOENT (No such file or directory) (INJECTED)', 'error'],
    ['a failure with a duration', '7 openat(AT_FDCWD</w>, "d", O_RDONLY) = -1 ENOENT (No such file or directory) <0.000012>', 'error'],
    ['a call not in the set', '7 execve("/usr/local/bin/cc", ["cc"], 0x1 /* 1 vars */) = -1 ENOENT (No such file or directory)', 'error'],
  ])('%s is parsed in full', (_what, line, kind) => {
    const on = parse([line]).calls[0];
    const off = parse([line], false).calls[0];
    expect(on.argsSkipped).toBeUndefined();
    expect(on.result.kind).toBe(kind);
    expect(on).toEqual(off);
  });
});
