/**
 * The eBPF back end's pure parts: the program generated from the syscall table, the
 * records read from bpftrace's JSON lines and put back in time order, and the strace
 * lines written from them — read back by the one parser and decoder, so that what the
 * model gets is stated here independently of how the lines look.
 */
import { decode, isProcessEvent } from '../../src/decode/index.js';
import { parseLines } from '../../src/parse/index.js';
import { openFlags, cloneFlags, socketType } from '../../src/trace/ebpf/names.js';
import { parseBpfLine, parseRecord, Reorder, type BpfRecord } from '../../src/trace/ebpf/records.js';
import { describeDefects, ipv6, normalize, noDefects, quote, Renderer, userDev, type Host } from '../../src/trace/ebpf/render.js';
import { bpftraceScript, CHUNK, kindOf, KIND, stringSlots, tracedCalls, X86_64 } from '../../src/trace/ebpf/script.js';
import { DATAFLOW_SYSCALLS, PROBE_SYSCALLS } from '../../src/decode/index.js';

describe('the bpftrace program', () => {
  test('traces exactly the calls strace traces with the same options, by their x86-64 numbers', () => {
    expect(tracedCalls()).toEqual([...DATAFLOW_SYSCALLS]);
    expect(tracedCalls({ probes: true })).toEqual([...DATAFLOW_SYSCALLS, ...PROBE_SYSCALLS]);
    const script = bpftraceScript(tracedCalls());
    for (const call of DATAFLOW_SYSCALLS) {
      if (call === 'exit_group') continue;
      expect({ call, listed: script.includes(`@k[${X86_64[call]}] = `) }).toEqual({ call, listed: true });
    }
    // A probe call is not in the dataflow program.
    expect(script).not.toContain(`@k[${X86_64.newfstatat}] = `);
    expect(bpftraceScript(tracedCalls({ probes: true }))).toContain(`@k[${X86_64.newfstatat}] = `);
  });

  test('x86-64 numbers are the kernel’s (a few spot checks against asm/unistd_64.h)', () => {
    expect([X86_64.read, X86_64.open, X86_64.execve, X86_64.openat, X86_64.clone3]).toEqual([0, 2, 59, 257, 435]);
  });

  test('the kind of each call says which arguments are strings and what else is read', () => {
    expect(stringSlots('openat')).toEqual([1]);
    expect(stringSlots('renameat2')).toEqual([1, 3]);
    expect(stringSlots('symlinkat')).toEqual([2, 0]);
    expect(stringSlots('execve')).toEqual([]);
    expect(kindOf('openat') & KIND.strings).toBe(0b10);
    expect(kindOf('openat') & KIND.file).toBeTruthy();
    expect(kindOf('execve') & KIND.exec).toBeTruthy();
    expect(kindOf('connect') & KIND.sockaddr).toBeTruthy();
    expect((kindOf('sendto') >> 9) & 7).toBe(4);
    expect(kindOf('sendmsg') & KIND.msghdr).toBeTruthy();
    expect((kindOf('socketpair') >> 9) & 7).toBe(3);
    expect(kindOf('close')).not.toBe(0);
  });
});

describe('bpftrace records', () => {
  test('each kind of record', () => {
    expect(parseRecord('B 100\n')).toEqual({ kind: 'ready', ts: 100 });
    expect(parseRecord('F 5 10 11 16657\n')).toEqual({ kind: 'fork', ts: 5, parent: 10, child: 11, flags: 16657 });
    expect(parseRecord('X 6 11 256\n')).toEqual({ kind: 'exit', ts: 6, tid: 11, code: 256 });
    expect(parseRecord('S 7 11 1 /a b/c\n')).toEqual({ kind: 'string', ts: 7, tid: 11, slot: 1, text: '/a b/c' });
    expect(parseRecord('S 7 11 1 \n')).toEqual({ kind: 'string', ts: 7, tid: 11, slot: 1, text: '' });
    expect(parseRecord('A 8 11 0 cc\n')).toEqual({ kind: 'arg', ts: 8, tid: 11, index: 0, text: 'cc' });
    expect(parseRecord('K 9 11 inet 256 16777343\n')).toEqual({ kind: 'extra', ts: 9, tid: 11, fields: ['inet', '256', '16777343'] });
    const r = parseRecord('R 10 11 257 3 4294967196 140 524288 0 0 0 266338304 612\n');
    expect(r).toEqual({
      kind: 'return',
      ts: 10,
      tid: 11,
      nr: 257,
      ret: 3,
      args: [4294967196n, 140n, 524288n, 0n, 0n, 0n],
      dev: 266338304,
      ino: 612,
      dirs: [],
    });
    expect(parseRecord('R 10 11 257 3 4294967196 140 524288 0 0 0 266338304 612 33 34 35\n')).toMatchObject({
      ino: 612,
      dirs: [33, 34, 35],
    });
    expect(parseRecord('R 10 11 3 -9 5 0 0 0 0 0 0 0\n')).toMatchObject({ ret: -9, args: [5n, 0n, 0n, 0n, 0n, 0n] });
  });

  test('JSON lines: escaped strings come back byte for byte; lost events are counted; the rest is a message', () => {
    expect(parseBpfLine('{"type": "printf", "data": "S 1 2 1 /tmp/a\\\\x41\\nname\\n"}')).toEqual({
      kind: 'record',
      record: { kind: 'string', ts: 1, tid: 2, slot: 1, text: '/tmp/a\\x41\nname' },
    });
    expect(parseBpfLine('{"type": "lost_events", "data": {"events": 17}}')).toEqual({ kind: 'lost', count: 17 });
    expect(parseBpfLine('{"type": "attached_probes", "data": {"probes": 10}}').kind).toBe('message');
    expect(parseBpfLine('not json').kind).toBe('message');
  });

  test('records are released in time order after the window; a record later than one released is counted late', () => {
    const at = (ts: number): BpfRecord => ({ kind: 'ready', ts });
    const q = new Reorder(100);
    expect(q.push(at(50))).toEqual([]);
    expect(q.push(at(10))).toEqual([]);
    expect(q.push(at(130)).map((r) => r.ts)).toEqual([10]);
    expect(q.push(at(200)).map((r) => r.ts)).toEqual([50]);
    expect(q.late).toBe(0);
    // Older than 50, which was released already: it goes out at once, counted late.
    expect(q.push(at(20)).map((r) => r.ts)).toEqual([20]);
    expect(q.late).toBe(1);
    expect(q.flush().map((r) => r.ts)).toEqual([130, 200]);
  });
});

test('records shuffled within the window come out complete and in time order, none late (3 000 records, 50 seeds)', () => {
  for (let seed = 1; seed <= 50; seed++) {
    let x = seed;
    const rand = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    // Times 0, 10, 20…; each arrives up to 90 ns late: inside a 100 ns window.
    const records: BpfRecord[] = Array.from({ length: 3000 }, (_, i) => ({ kind: 'ready', ts: i * 10 }));
    const arrival = records.map((r) => ({ r, at: r.ts + rand() * 90 })).sort((a, b) => a.at - b.at);
    const q = new Reorder(100);
    const out = [...arrival.flatMap((a) => q.push(a.r)), ...q.flush()].map((r) => r.ts);
    expect(out).toEqual(records.map((r) => r.ts));
    expect(q.late).toBe(0);
  }
});

describe('names and texts', () => {
  test('flags as strace writes them', () => {
    expect(openFlags(0)).toBe('O_RDONLY');
    expect(openFlags(0o2000101)).toBe('O_WRONLY|O_CREAT|O_CLOEXEC');
    expect(openFlags(0o20200002)).toBe('O_RDWR|O_TMPFILE');
    expect(cloneFlags(0x1200011)).toBe('CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD');
    expect(cloneFlags(0x3d0f00)).toBe(
      'CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID',
    );
    expect(socketType(0x80001)).toBe('SOCK_STREAM|SOCK_CLOEXEC');
  });

  test('quoting, normalizing, devices and IPv6', () => {
    expect(quote('a"b\\c\nd\x01é')).toBe('"a\\"b\\\\c\\nd\\x01\\xe9"');
    expect(normalize('/a/./b/../c//d/')).toBe('/a/c/d');
    expect(normalize('/../x')).toBe('/x');
    expect(userDev((254 << 20) | 0)).toBe(0xfe00);
    expect(userDev((8 << 20) | 300)).toBe((300 & 0xff) | (8 << 8) | ((300 & ~0xff) << 12));
    expect(ipv6([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])).toBe('::1');
    expect(ipv6([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5])).toBe('2001:db8::5');
    expect(ipv6([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1])).toBe('::ffff:127.0.0.1');
  });
});

/** A machine where `links` are symlinks (prefix → target) and `files` exist with inodes. */
function fakeHost(files: Record<string, number>, links: Record<string, string> = {}, devices: Record<string, string> = {}): Host {
  const resolve = (path: string): string => {
    for (const [from, to] of Object.entries(links))
      if (path === from || path.startsWith(from + '/')) return resolve(to + path.slice(from.length));
    return path;
  };
  return {
    realpath: (path) => {
      const real = resolve(path);
      return real in files || Object.values(files).length === 0 || Object.keys(files).some((f) => f.startsWith(real + '/'))
        ? real
        : undefined;
    },
    identity: (path) => (path in files ? { dev: 0xfe00, ino: files[path], device: devices[path] } : undefined),
  };
}

const KDEV = 254 << 20;
let clock = 0;
const t = () => ++clock;
const str = (tid: number, slot: number, text: string): BpfRecord => ({ kind: 'string', ts: t(), tid, slot, text });
const ret = (tid: number, call: string, r: number, args: (number | bigint)[], ino = 0, ...dirs: number[]): BpfRecord => ({
  kind: 'return',
  ts: t(),
  tid,
  nr: X86_64[call],
  ret: r,
  args: [...args, 0, 0, 0, 0, 0, 0].slice(0, 6).map((a) => BigInt.asUintN(64, BigInt(a))),
  dev: ino ? KDEV : 0,
  ino,
  dirs,
});
const AT_FDCWD = 4294967196;

/** Renders the records, then parses and decodes the lines: what the model would get. */
function through(renderer: Renderer, records: BpfRecord[]) {
  const lines = records.flatMap((r) => renderer.render(r));
  const { events, stats } = parseLines(lines);
  expect(stats.unparsed).toBe(0);
  return { lines, ops: events.filter(isProcessEvent).map((e) => ({ pid: e.pid, op: decode(e) })) };
}

describe('records → strace lines → operations', () => {
  test('an open through a symlinked directory names the real file, relative to the working directory', () => {
    const host = fakeHost({ '/usr/lib/libc.so.6': 7, '/w/src/a.c': 9, '/w': 1 }, { '/lib': '/usr/lib' });
    const r = new Renderer(host, { pid: 100, cwd: '/w', fds: new Map([[1, '/dev/pts/0']]) });
    const { lines, ops } = through(r, [
      str(100, 1, '/lib/libc.so.6'),
      ret(100, 'openat', 3, [AT_FDCWD, 1, 0o2000000], 7),
      str(100, 1, 'src/a.c'),
      ret(100, 'openat', 4, [AT_FDCWD, 1, 0], 9),
      ret(100, 'close', 0, [3]),
    ]);
    expect(lines).toEqual([
      '100 openat(AT_FDCWD</w>, "/lib/libc.so.6", O_RDONLY|O_CLOEXEC) = 3</usr/lib/libc.so.6>',
      '100 openat(AT_FDCWD</w>, "src/a.c", O_RDONLY) = 4</w/src/a.c>',
      '100 close(3</usr/lib/libc.so.6>) = 0',
    ]);
    expect(ops.map((o) => o.op.kind)).toEqual(['open', 'open', 'close']);
    expect(noDefects(r.defects)).toBe(true);
  });

  test('fork, exec with arguments, a pipeline’s pipe, dup2 and the exits', () => {
    const host = fakeHost({ '/usr/bin/sort': 2 });
    const r = new Renderer(host, { pid: 1, cwd: '/w', fds: new Map() });
    const { lines, ops } = through(r, [
      { kind: 'extra', ts: t(), tid: 1, fields: ['fds', '3', '4'] },
      ret(1, 'pipe2', 0, [0x7ff0, 0o2000000]),
      { kind: 'fork', ts: t(), parent: 1, child: 2, flags: 0x1200011 },
      ret(2, 'dup2', 1, [4, 1]),
      str(2, 9, '/usr/bin/sort'),
      { kind: 'arg', ts: t(), tid: 2, index: 0, text: 'sort' },
      { kind: 'arg', ts: t(), tid: 2, index: 1, text: '-u' },
      ret(2, 'execve', 0, [0, 0, 0]),
      // The O_CLOEXEC ends were closed by the exec: fd 3 is nothing in the new image.
      ret(2, 'close', -9, [3]),
      { kind: 'exit', ts: t(), tid: 2, code: 2 << 8 },
      { kind: 'exit', ts: t(), tid: 1, code: 9 },
    ]);
    expect(lines).toEqual([
      '1 pipe2([3<pipe:[1]>, 4<pipe:[1]>], O_CLOEXEC) = 0',
      '1 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD) = 2',
      '2 dup2(4<pipe:[1]>, 1) = 1<pipe:[1]>',
      '2 execve("/usr/bin/sort", ["sort", "-u"], 0x1 /* ? vars */) = 0',
      '2 close(3) = -1 EBADF (errno 9)',
      '2 +++ exited with 2 +++',
      '1 +++ killed by SIGKILL +++',
    ]);
    expect(ops.map((o) => `${o.pid}:${o.op.kind}`)).toEqual(['1:pipe', '1:spawn', '2:dup', '2:exec', '2:other', '2:exit', '1:killed']);
    const exec = ops[3].op as Extract<(typeof ops)[number]['op'], { kind: 'exec' }>;
    expect(exec.argv).toEqual(['sort', '-u']);
  });

  test('a connect attempt to 127.0.0.1:9 that was refused, and a unix socket', () => {
    const r = new Renderer(fakeHost({}), { pid: 1, cwd: '/w', fds: new Map() });
    const { lines, ops } = through(r, [
      ret(1, 'socket', 3, [2, 0x80001, 0]),
      { kind: 'extra', ts: t(), tid: 1, fields: ['inet', String(9 << 8), String(0x0100007f)] },
      ret(1, 'connect', -111, [3, 0x1000, 16]),
      ret(1, 'socket', 4, [1, 1, 0]),
      { kind: 'extra', ts: t(), tid: 1, fields: ['unix', '0'] },
      str(1, 8, '/run/x.sock'),
      ret(1, 'connect', 0, [4, 0x1000, 110]),
    ]);
    expect(lines[1]).toBe(
      '1 connect(3<TCP:[1]>, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 ECONNREFUSED (errno 111)',
    );
    expect(ops[1].op).toMatchObject({ kind: 'connect', address: { family: 'inet', address: '127.0.0.1', port: 9 }, result: 'failed' });
    expect(ops[3].op).toMatchObject({ kind: 'connect', address: { family: 'unix', path: '/run/x.sock' }, result: 'connected' });
  });

  test('a rename keeps the paths as given, with the working directory the decoder joins them to', () => {
    const r = new Renderer(fakeHost({ '/w': 1 }), { pid: 1, cwd: '/w', fds: new Map() });
    const { lines } = through(r, [
      str(1, 0, '/tmp'),
      ret(1, 'chdir', 0, [0]),
      str(1, 1, 'a.tmp'),
      str(1, 3, 'a'),
      ret(1, 'renameat2', 0, [AT_FDCWD, 0, AT_FDCWD, 0, 1]),
    ]);
    expect(lines).toEqual(['1 chdir("/tmp") = 0', '1 renameat2(AT_FDCWD</tmp>, "a.tmp", AT_FDCWD</tmp>, "a", RENAME_NOREPLACE) = 0']);
  });

  test('a long path comes in chunks and is joined; a chunk shorter than CHUNK ends it', () => {
    const long = '/w/' + 'd'.repeat(300) + '/f.c';
    const r = new Renderer(fakeHost({ [long]: 5 }), { pid: 1, cwd: '/w', fds: new Map() });
    const { lines } = through(r, [str(1, 1, long.slice(0, CHUNK)), str(1, 1, long.slice(CHUNK)), ret(1, 'openat', 3, [AT_FDCWD, 0, 0], 5)]);
    expect(lines[0]).toBe(`1 openat(AT_FDCWD</w>, "${long}", O_RDONLY) = 3<${long}>`);
  });

  test('device files carry their kind and number, as -yy writes them', () => {
    const r = new Renderer(fakeHost({ '/dev/null': 4 }, {}, { '/dev/null': 'char 1:3' }), {
      pid: 1,
      cwd: '/',
      fds: new Map([[0, '/dev/null']]),
    });
    const { lines } = through(r, [ret(1, 'fcntl', 0, [0, 1])]);
    expect(lines).toEqual(['1 fcntl(0</dev/null<char 1:3>>, F_GETFD) = 0']);
  });

  test('fail closed: a name swapped after the call through a symlink, a file gone from another directory, an unreadable path', () => {
    // /w/link → /w/elsewhere now; at the call it led to the directory with inode 50 (say ~/.aws).
    const host = fakeHost({ '/w': 1, '/w/elsewhere': 3, '/w/elsewhere/secret': 8 }, { '/w/link': '/w/elsewhere' });
    const r = new Renderer(host, { pid: 1, cwd: '/w', fds: new Map() });
    r.render(str(1, 1, 'link/secret'));
    r.render(ret(1, 'openat', 3, [AT_FDCWD, 0, 0], 7, 50));
    // Gone by the time the name is read, and its directory is not the one the kernel found it in.
    r.render(str(1, 1, 'link/gone'));
    r.render(ret(1, 'openat', 4, [AT_FDCWD, 0, 0], 9, 50));
    // A rename that succeeded with paths that read as empty.
    r.render(ret(1, 'rename', 0, [0, 0]));
    expect(r.defects).toMatchObject({ unconfirmed: 2, unreadable: 2, lost: 0 });
    expect(r.defects.examples).toEqual(['/w/elsewhere/secret', '/w/elsewhere/gone']);
    expect(noDefects(r.defects)).toBe(false);
    expect(describeDefects(r.defects)).toBe(
      '2 path(s) could not be read, 2 file name(s) could not be confirmed (e.g. /w/elsewhere/secret, /w/elsewhere/gone)',
    );
  });

  test('a file replaced since in the directory the kernel found it in (configure’s conftest.*) is confirmed by its directory', () => {
    const r = new Renderer(fakeHost({ '/w': 1, '/w/conftest.o': 8 }), { pid: 1, cwd: '/w', fds: new Map() });
    r.render(str(1, 1, 'conftest.o'));
    expect(r.render(ret(1, 'openat', 3, [AT_FDCWD, 0, 0], 7, 1))).toEqual([
      '1 openat(AT_FDCWD</w>, "conftest.o", O_RDONLY) = 3</w/conftest.o>',
    ]);
    expect(noDefects(r.defects)).toBe(true);
  });

  test('a temporary file that is gone is named as opened when its directory is the kernel’s', () => {
    const r = new Renderer(fakeHost({ '/tmp': 4 }), { pid: 1, cwd: '/w', fds: new Map() });
    const { lines } = through(r, [str(1, 1, '/tmp/cc123.s'), ret(1, 'openat', 3, [AT_FDCWD, 0, 0o1101], 42, 4)]);
    expect(lines[0]).toBe('1 openat(AT_FDCWD</w>, "/tmp/cc123.s", O_WRONLY|O_CREAT|O_TRUNC, 000) = 3</tmp/cc123.s>');
    expect(noDefects(r.defects)).toBe(true);
  });

  test('a file in a temporary directory that is gone: confirmed by the nearest directory left, at its level', () => {
    const r = new Renderer(fakeHost({ '/tmp': 4, '/w': 1 }), { pid: 1, cwd: '/w', fds: new Map() });
    r.render(str(1, 1, '/tmp/cgXYZ/dummy.c'));
    r.render(ret(1, 'openat', 3, [AT_FDCWD, 0, 0], 42, 77, 4, 2));
    expect(noDefects(r.defects)).toBe(true);
    // The same, but the directory two levels up is not the one the kernel walked through:
    // a symlink removed since (w/link → a home directory) is not confirmed by /w.
    r.render(str(1, 1, 'link/sub/secret'));
    r.render(ret(1, 'openat', 4, [AT_FDCWD, 0, 0], 43, 78, 50, 2));
    expect(r.defects.unconfirmed).toBe(1);
  });

  test('an execve argument longer than 4 096 bytes is cut there and marked, as strace -s 4096 does', () => {
    const r = new Renderer(fakeHost({}), { pid: 1, cwd: '/w', fds: new Map() });
    const long = 'x'.repeat(5000);
    const chunks = Array.from({ length: Math.ceil(long.length / CHUNK) }, (_, i) => long.slice(i * CHUNK, (i + 1) * CHUNK)).slice(0, 21);
    const { lines, ops } = through(r, [
      str(1, 9, '/bin/sh'),
      { kind: 'arg', ts: t(), tid: 1, index: 0, text: 'sh' },
      ...chunks.map((text): BpfRecord => ({ kind: 'arg', ts: t(), tid: 1, index: 1, text })),
      ret(1, 'execve', 0, [0, 0, 0]),
    ]);
    expect(lines[0]).toBe(`1 execve("/bin/sh", ["sh", "${'x'.repeat(4096)}"...], 0x1 /* ? vars */) = 0`);
    expect(ops[0].op).toMatchObject({ kind: 'exec', argv: ['sh', 'x'.repeat(4096)] });
  });
});
