/**
 * One line at a time. Every line here was written by strace 6.1 on this project's
 * machines (or comes from the corpus), pasted verbatim.
 */
import { parseLine, type LineRecord } from '../../src/parse/index.js';

const call = (text: string): Extract<LineRecord, { kind: 'syscall' }> => {
  const rec = parseLine(text, 1);
  if (rec.kind !== 'syscall') throw new Error(`expected a call, got ${JSON.stringify(rec)}`);
  return rec;
};

describe('prefixes', () => {
  test('a pid followed by spaces (-f -o FILE)', () => {
    expect(call('1859  close(3</tmp/exp>)                = 0')).toMatchObject({ pid: 1859, name: 'close', args: ['3</tmp/exp>'] });
  });

  test('[pid N] (-f to a terminal)', () => {
    expect(call('[pid   123] execve("bin/test", ["bin/test", "-pvc"], 0x7fffa04e8ba0 /* 71 vars */) = 0')).toMatchObject({
      pid: 123,
      name: 'execve',
    });
  });

  test('no pid at all (a single process)', () => {
    expect(call('exit_group(42)                          = -1 ENOSYS (Function not implemented) (INJECTED)')).toMatchObject({
      pid: 0,
      result: { kind: 'error', errno: 'ENOSYS', message: 'Function not implemented', injected: true },
    });
  });

  test.each([
    ['-t', '230473 02:47:49 vfork( <unfinished ...>', '02:47:49'],
    ['-tt', '13656 10:53:02.442246 execve("/bin/sleep", ["sleep", "1"], [/* 12 vars */]) = 0 <0.000229>', '10:53:02.442246'],
    ['-ttt', '4242 1700000000.123456 close(3) = 0', '1700000000.123456'],
    ['-r', '4242      0.000123 close(3) = 0', '0.000123'],
    ['no pid, -tt', '11:29:49.112721 open("/dev/null", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3</dev/null> <0.000030>', '11:29:49.112721'],
  ])('timestamps: %s', (_flag, text, time) => {
    expect(parseLine(text, 1)).toMatchObject({ time });
  });

  test('a leading space before the pid', () => {
    expect(call(' 16747 11:29:49.112721 open("/dev/null", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3</dev/null> <0.000030>')).toMatchObject({
      pid: 16747,
      duration: 0.00003,
    });
  });
});

describe('results', () => {
  test('a descriptor with its path', () => {
    expect(call('1860  openat(AT_FDCWD</tmp/exp>, "a)b", O_RDONLY) = 3</tmp/exp/a)b>').result).toEqual({
      kind: 'ok',
      value: 3,
      text: '3</tmp/exp/a)b>',
      injected: false,
    });
  });

  test('a path with a space, in the arguments and the result', () => {
    const c = call('1864  openat(AT_FDCWD</tmp/exp>, "sp ace", O_RDONLY) = 3</tmp/exp/sp ace>');
    expect(c.args).toEqual(['AT_FDCWD</tmp/exp>', '"sp ace"', 'O_RDONLY']);
    expect(c.result).toMatchObject({ value: 3, text: '3</tmp/exp/sp ace>' });
  });

  test('a device decoration nested in a path decoration (-yy)', () => {
    const c = call('1859  dup2(3</dev/null<char 1:3>>, 1)   = 1</dev/null<char 1:3>>');
    expect(c.args).toEqual(['3</dev/null<char 1:3>>', '1']);
    expect(c.result).toMatchObject({ value: 1, text: '1</dev/null<char 1:3>>' });
  });

  test('(deleted) after the decoration', () => {
    const c = call('1869  dup2(9</tmp/exp/dele>(deleted), 9</tmp/exp/dele>(deleted)) = 9</tmp/exp/dele>(deleted)');
    expect(c.args).toEqual(['9</tmp/exp/dele>(deleted)', '9</tmp/exp/dele>(deleted)']);
    expect(c.result).toMatchObject({ value: 9 });
  });

  test('a TCP endpoint whose "->" must not close the decoration', () => {
    const c = call(
      '1869  accept4(6<TCP:[127.0.0.1:54917]>, {sa_family=AF_INET, sin_port=htons(34724), sin_addr=inet_addr("127.0.0.1")}, [16], SOCK_CLOEXEC) = 8<TCP:[127.0.0.1:54917->127.0.0.1:34724]>',
    );
    expect(c.args).toHaveLength(4);
    expect(c.result).toMatchObject({ value: 8, text: '8<TCP:[127.0.0.1:54917->127.0.0.1:34724]>' });
  });

  test('errors, with and without a name', () => {
    expect(
      call(
        '1869  connect(3<UNIX-STREAM:[4408]>, {sa_family=AF_UNIX, sun_path="/run/nonexistent.sock"}, 24) = -1 ENOENT (No such file or directory)',
      ).result,
    ).toEqual({ kind: 'error', errno: 'ENOENT', message: 'No such file or directory', injected: false });
    expect(call('2026  execve("/bin/x", ["x"], 0x1 /* 1 vars */) = -1 (errno 18446744073709551359)').result).toEqual({
      kind: 'error',
      errno: 'EUNKNOWN',
      message: 'errno 18446744073709551359',
      injected: false,
    });
  });

  test('"= ?" and its variants', () => {
    expect(call('1860  exit_group(0)                     = ?').result).toEqual({ kind: 'unknown' });
    expect(parseLine('230473 02:47:49 <... futex resumed>)    = ? <unavailable>', 1)).toMatchObject({
      kind: 'resumed',
      tail: ')    = ? <unavailable>',
    });
    expect(call('5082  clone(child_stack=0, flags=SIGCHLD) = ? ERESTARTNOINTR (To be restarted)').result).toEqual({
      kind: 'error',
      errno: 'ERESTARTNOINTR',
      message: 'To be restarted',
      injected: false,
    });
  });

  test('a pid of another PID namespace, translated (--pidns-translation): the one strace numbers the child by', () => {
    // strace 6.1 tracing `unshare --pid --fork` (issue 23): the child sees pid 3, its lines carry 8532.
    expect(
      call(
        "8523  clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f3bafe92a10) = 3 /* 8532 in strace's PID NS */",
      ).result,
    ).toEqual({ kind: 'ok', value: 8532, text: '8532', injected: false, seenAs: 3 });
  });

  test('hex values and an explanation after the value', () => {
    expect(call('24009 09:07:12.773648 brk(NULL)         = 0x137e000 <0.000011>').result).toMatchObject({ value: 0x137e000 });
    expect(call('12 fcntl(3</a>, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)').result).toMatchObject({
      value: 0x8002,
      detail: 'flags O_RDWR|O_LARGEFILE',
    });
  });
});

describe('strings', () => {
  test('escaped quotes, newlines, tabs and octal UTF-8 stay inside their argument', () => {
    expect(call('1863  openat(AT_FDCWD</tmp/exp>, "q\\"uote", O_RDONLY) = 3</tmp/exp/q\\"uote>').args[1]).toBe('"q\\"uote"');
    expect(call('1862  openat(AT_FDCWD</tmp/exp>, "nl\\nx", O_RDONLY) = 3</tmp/exp/nl\\nx>').args[1]).toBe('"nl\\nx"');
    expect(call('1866  openat(AT_FDCWD</tmp/exp>, "\\303\\251", O_RDONLY) = 3</tmp/exp/\\303\\251>').result).toMatchObject({ value: 3 });
  });

  test('a string with ") = " inside does not end the call', () => {
    const c = call('77 execve("/bin/sh", ["sh", "-c", "f() = 1, x"], 0x1 /* 3 vars */) = 0');
    expect(c.args[1]).toBe('["sh", "-c", "f() = 1, x"]');
  });

  test('a truncated string', () => {
    expect(
      call('1859  execve("/usr/bin/sh", ["sh", "-c", "for f in *; do cat \\"$f\\" >/dev/nu"...], 0x7ffd1888d9f8 /* 35 vars */) = 0').args,
    ).toHaveLength(3);
  });

  test('escaped "<" and ">" in a path decoration', () => {
    expect(call('1861  openat(AT_FDCWD</tmp/exp>, "lt<gt>", O_RDONLY) = 3</tmp/exp/lt\\74gt\\76>').result).toMatchObject({
      text: '3</tmp/exp/lt\\74gt\\76>',
    });
  });
});

describe('split calls and special lines', () => {
  test('the start of a split call keeps its argument text', () => {
    expect(parseLine('1859  wait4(-1,  <unfinished ...>', 4)).toEqual({
      kind: 'unfinished',
      line: 4,
      pid: 1859,
      time: undefined,
      name: 'wait4',
      head: '-1, ',
    });
  });

  test("a thread's execve announces the pid the new image takes", () => {
    expect(parseLine('2028  execve("/bin/true", ["/bin/true"], 0x7fff97537948 /* 36 vars */ <pid changed to 2026 ...>', 1)).toMatchObject({
      kind: 'unfinished',
      pid: 2028,
      pidChangedTo: 2026,
      head: '"/bin/true", ["/bin/true"], 0x7fff97537948 /* 36 vars */',
    });
  });

  test('detached in the middle of a call', () => {
    expect(parseLine('execve("../sleep", ["../sleep", "0"], NULL <detached ...>', 1)).toMatchObject({
      kind: 'syscall',
      name: 'execve',
      args: ['"../sleep"', '["../sleep", "0"]', 'NULL'],
      result: { kind: 'missing', why: 'detached' },
    });
  });

  test.each([
    ['13513 01:58:50.823625 +++ exited with 0 +++', { kind: 'exit', pid: 13513, status: 0 }],
    ['13350 01:58:19.443720 +++ killed by SIGTERM +++', { kind: 'killed', signal: 'SIGTERM', coreDumped: false }],
    ['2038  +++ killed by SIGSEGV (core dumped) +++', { kind: 'killed', pid: 2038, signal: 'SIGSEGV', coreDumped: true }],
    ['2026  +++ superseded by execve in pid 2028 +++', { kind: 'superseded', pid: 2026, by: 2028 }],
    [
      '2035  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=2037, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---',
      { kind: 'signal', signal: 'SIGCHLD' },
    ],
    ['--- stopped by SIGSTOP ---', { kind: 'signal', signal: 'SIGSTOP', info: 'stopped' }],
    ['strace: Process 27369 attached', { kind: 'message', text: 'Process 27369 attached' }],
    [' | 00000  61 62 63 64 65 66 67 68  69 6a 6b 6c 6d 6e 6f 70  abcdefghijklmnop |', { kind: 'dump' }],
  ])('%s', (text, expected) => {
    expect(parseLine(text, 1)).toMatchObject(expected);
  });
});

describe('what is not strace', () => {
  test.each([
    ['16aaa 11:29:49.112721 open("/dev/null", O_RDONLY) = 3', 'bad pid'],
    ['27369 42', 'expected a system call after the pid'],
    ['27369 arch_prctl(ARCH_SET_FS, 0x7fef1c205140) = 0 <ha ha>', 'bad duration "<ha ha>"'],
    ['27369 <... no really why am I doin this', 'bad "<... resumed>" line'],
    ['1234  open("unterminated, O_RDONLY) = 3', 'unterminated argument list'],
    ['1234  open("a", O_RDONLY) = 3 trailing', 'unexpected text after the return value: "trailing"'],
    ['1234  open("a", O_RDONLY)', 'no "=" after the argument list'],
    ['+++ something +++', 'bad "+++" line'],
    ['\u0000\u0001binary', 'not a strace line'],
  ])('%s → unparsed (%s)', (text, reason) => {
    expect(parseLine(text, 7)).toMatchObject({ kind: 'unparsed', line: 7, reason });
  });

  test('an unparsed line is cut to 200 characters for the report', () => {
    const rec = parseLine('x'.repeat(5000), 1);
    expect(rec.kind === 'unparsed' && rec.text.length).toBe(201);
  });
});
