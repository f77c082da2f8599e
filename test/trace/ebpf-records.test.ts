/**
 * The eBPF back end's decoding, on records the real collector wrote (test/fixtures/ebpf,
 * see its ORIGIN.md): each record decoded straight into operations gives what strace's
 * decoder gives for the log lines written from the same records, operation for
 * operation; the log is strace's format (the one parser reads all of it); a stream cut
 * anywhere reads the same.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decode, isProcessEvent, type DirRef, type FdArg, type Operation, type PathRef } from '../../src/decode/index.js';
import { parseLines, StraceParser } from '../../src/parse/index.js';
import { recordFileReader } from '../../src/trace/ebpf/replay.js';
import { FIXTURES } from '../helpers/trace.js';

const recordsOf = (name: string): Buffer => gunzipSync(readFileSync(join(FIXTURES, 'ebpf', name)));

interface Decoded {
  readonly steps: { pid: number; op: Operation }[];
  readonly lines: string[];
}

/** The records of `buf`, fed in chunks of `chunk` bytes: the operations, and the log lines. */
function decodeRecords(buf: Buffer, chunk = buf.length): Decoded {
  const steps: { pid: number; op: Operation }[] = [];
  const lines: string[] = [];
  const file = recordFileReader(
    'fixture',
    (pid, op) => steps.push({ pid, op }),
    (line) => lines.push(line),
  );
  for (let at = 0; at < buf.length; at += chunk) file.reader.push(buf.subarray(at, at + chunk));
  expect(file.reader.end()).toBe(0);
  return { steps, lines };
}

/** The operations strace's decoder makes of log lines. */
function decodeLines(lines: readonly string[]): { pid: number; op: Operation }[] {
  const steps: { pid: number; op: Operation }[] = [];
  const parser = new StraceParser((e) => {
    if (isProcessEvent(e)) steps.push({ pid: e.pid, op: decode(e) });
  });
  for (const line of lines) parser.line(line);
  parser.end();
  return steps;
}

const plainFd = (f: FdArg) => ({ fd: f.fd, target: f.target });
const plainDir = (d: DirRef | undefined) =>
  d === undefined ? undefined : d.kind === 'cwd' ? { kind: 'cwd', path: d.path } : { kind: 'fd', ...plainFd(d) };
const plainPath = (p: PathRef) => ({ dir: plainDir(p.dir), path: p.path });

/** An operation as plain data (lazy fields read), without the byte counts strace's text does not carry. */
function plain(op: Operation): unknown {
  switch (op.kind) {
    case 'open':
      return { kind: op.kind, fd: op.fd, target: op.target, mode: op.mode, path: plainPath(op.path) };
    case 'dup':
      return { ...op, from: plainFd(op.from) };
    case 'set-cloexec':
    case 'fchdir':
      return op.kind === 'fchdir' ? { kind: op.kind, dir: plainFd(op.dir) } : { ...op, fd: plainFd(op.fd) };
    case 'pipe':
      return { ...op, ends: op.ends.map(plainFd) };
    case 'connect':
    case 'send':
    case 'bind':
      return { ...op, socket: plainFd(op.socket) };
    case 'accept':
      return { ...op, listener: plainFd(op.listener) };
    case 'exec':
      return { ...op, path: plainPath(op.path) };
    case 'chdir':
    case 'unlink':
    case 'rmdir':
    case 'mkdir':
    case 'truncate':
    case 'symlink':
      return { ...op, path: plainPath(op.path) };
    case 'rename':
    case 'link':
      return { ...op, from: plainPath(op.from), to: plainPath(op.to) };
    case 'close':
    case 'exit':
    case 'killed': {
      const { bytes: _bytes, ...rest } = op;
      return rest;
    }
    default:
      return op;
  }
}

describe.each([
  'varied.records.gz',
  'cproject-make-j2.records.gz',
  'walled.records.gz',
  'docker-run.records.gz',
  'docker-build.records.gz',
])('records the collector wrote: %s', (name) => {
  const buf = recordsOf(name);
  const direct = decodeRecords(buf);

  test('decoded straight into operations = strace’s decoder on the log written from them, operation for operation', () => {
    const fromLog = decodeLines(direct.lines);
    expect(direct.steps.length).toBeGreaterThan(100);
    expect(direct.steps.map((s) => ({ pid: s.pid, op: plain(s.op) }))).toEqual(fromLog.map((s) => ({ pid: s.pid, op: plain(s.op) })));
  });

  test('the log is strace’s format: every line parses, none is left over', () => {
    const { events, stats } = parseLines(direct.lines);
    expect({ unparsed: stats.unparsed, lines: stats.lines }).toEqual({ unparsed: 0, lines: direct.lines.length });
    expect(events.filter((e) => e.kind === 'syscall').length).toBeGreaterThan(50);
  });

  test('a stream cut anywhere reads the same (records split between chunks)', () => {
    for (const chunk of [1, 7, 64, 4093]) {
      const cut = decodeRecords(buf, chunk);
      expect(cut.lines).toEqual(direct.lines);
      expect(cut.steps.length).toBe(direct.steps.length);
    }
  });
});

describe('what the varied script did, as the records say it', () => {
  const { steps, lines } = decodeRecords(recordsOf('varied.records.gz'));
  const ops = steps.map((s) => s.op);

  test('names resolved by the kernel: the symlinked library by its real name, /dev/null with its device', () => {
    const opens = ops.flatMap((op) => (op.kind === 'open' && op.target?.kind === 'path' ? [op.target] : []));
    expect(opens).toContainEqual(expect.objectContaining({ path: '/usr/lib/x86_64-linux-gnu/libc.so.6' }));
    expect(opens).toContainEqual(expect.objectContaining({ path: '/dev/null', device: 'char 1:3' }));
    // O_TMPFILE: the kernel names it `#ino` in its directory, unlinked.
    expect(opens.some((t) => /^\/.*\/out\/#\d+$/.test(t.path) && t.deleted)).toBe(true);
  });

  test('connection attempts, a datagram and a unix socket, with how each ended', () => {
    const connects = ops.flatMap((op) => (op.kind === 'connect' ? [[op.address, op.result, op.errno]] : []));
    expect(connects).toContainEqual([{ family: 'inet', address: '127.0.0.1', port: 9 }, 'failed', 'ECONNREFUSED']);
    expect(connects).toContainEqual([{ family: 'inet', address: '[::1]', port: 9 }, 'failed', 'ECONNREFUSED']);
    expect(connects).toContainEqual([{ family: 'unix', path: '/nonexistent/ioana.sock', abstract: false }, 'failed', 'ENOENT']);
    expect(ops).toContainEqual(expect.objectContaining({ kind: 'send', addresses: [{ family: 'inet', address: '127.0.0.1', port: 9 }] }));
  });

  test('processes: spawns, threads (clone3), a failed exec, a process killed by SIGKILL, exits with their status', () => {
    expect(ops.filter((op) => op.kind === 'spawn' && op.thread).length).toBeGreaterThanOrEqual(3);
    expect(ops).toContainEqual({ kind: 'exec-failed' });
    expect(ops).toContainEqual(expect.objectContaining({ kind: 'killed', signal: 'SIGKILL' }));
    expect(ops.filter((op) => op.kind === 'exit' && op.status === 0).length).toBeGreaterThan(10);
    expect(lines.some((l) => / \+\+\+ killed by SIGKILL \+\+\+$/.test(l))).toBe(true);
  });

  test('byte counts summed in the kernel: a close carries what went through its descriptor', () => {
    const closes = ops.flatMap((op) => (op.kind === 'close' && op.bytes ? [op.bytes] : []));
    // Every ELF library a program loads is read 832 bytes at a time before it is mapped.
    expect(closes).toContainEqual({ fd: expect.any(Number), read: 832, written: 0 });
    const ends = ops.flatMap((op) => ((op.kind === 'exit' || op.kind === 'killed') && op.bytes ? op.bytes : []));
    expect(ends.some((b) => b.written > 0)).toBe(true);
  });
});

describe('behind the wall: the build’s own pids (walled.records.gz)', () => {
  const { steps, lines } = decodeRecords(recordsOf('walled.records.gz'));

  test('each child is numbered as the build’s PID namespace numbered it (as strace behind the same wall saw them: 100002–100006)', () => {
    const seen = steps.flatMap((s) => (s.op.kind === 'spawn' ? [s.op.seenAs] : []));
    expect(seen).toEqual([100002, 100003, 100004, 100005, 100006]);
  });

  test('the log writes them as strace does (`= 100002 /* 32599 in strace’s PID NS */`)', () => {
    const forks = lines.filter((l) => / = 1000\d\d \/\* \d+ in strace's PID NS \*\/$/.test(l));
    expect(forks).toHaveLength(5);
  });
});

describe('containers the build’s docker client started (docker-run.records.gz, docker-build.records.gz)', () => {
  test('docker run -v /tmp/dk:/src: the container’s first process is a child of the client; the image’s files by /{container:IMAGE}, the mounted directory’s by their own names', () => {
    const { steps } = decodeRecords(recordsOf('docker-run.records.gz'));
    const client = steps.find((s) => s.op.kind === 'exec' && s.op.argv[0] === 'docker')!;
    const adopted = steps.find(
      (s) =>
        s.pid === client.pid &&
        s.op.kind === 'spawn' &&
        !s.op.thread &&
        steps.some((t) => t.op.kind === 'exec' && t.pid === (s.op as { child: number }).child && t.op.argv[0] === 'make'),
    );
    expect(adopted).toBeDefined();
    const execs = steps.flatMap((s) => (s.op.kind === 'exec' ? [s.op.path.path] : []));
    expect(execs).toEqual(
      expect.arrayContaining([
        '/usr/local/bin/docker',
        '/{container:ioana-test/cc:1}/usr/bin/make',
        '/{container:ioana-test/cc:1}/usr/bin/cc',
      ]),
    );
    const opened = steps.flatMap((s) => (s.op.kind === 'open' && s.op.target?.kind === 'path' ? [s.op.target.path] : []));
    expect(opened).toEqual(
      expect.arrayContaining(['/tmp/dk/Makefile', '/tmp/dk/a.c', '/tmp/dk/a', '/{container:ioana-test/cc:1}/usr/include/stdc-predef.h']),
    );
    // Kernel pseudo-files keep their names; nothing of the container is named as this machine's /usr.
    expect(opened.filter((p) => p.startsWith('/usr/') && !p.startsWith('/usr/local/bin/docker'))).toEqual([]);
  });

  test('docker build: each RUN step is a container of the client, `/bin/sh -c` and what it ran, all under {container:build}', () => {
    const { steps } = decodeRecords(recordsOf('docker-build.records.gz'));
    const shells = steps.flatMap((s) =>
      s.op.kind === 'exec' && s.op.argv[0] === '/bin/sh' ? [[s.op.path.path, ...s.op.argv.slice(1)]] : [],
    );
    expect(shells).toEqual([
      ['/{container:build}/bin/sh', '-c', 'cc -c -o /src/hello.o /src/hello.c'],
      ['/{container:build}/bin/sh', '-c', 'cc -o /src/hello /src/hello.o'],
    ]);
    // Each step starts in its own working directory with none of the client's descriptors.
    const firsts = steps.filter(
      (s) =>
        s.op.kind === 'spawn' &&
        shells.length > 0 &&
        steps.some((t) => t.pid === (s.op as { child: number }).child && t.op.kind === 'exec' && t.op.argv[0] === '/bin/sh'),
    );
    for (const f of firsts) {
      const child = (f.op as { child: number }).child;
      const own = steps.filter((s) => s.pid === child).map((s) => s.op);
      expect(own.slice(0, 2)).toEqual([
        { kind: 'close-range', first: 0, last: Infinity, cloexecOnly: false },
        { kind: 'chdir', path: { dir: undefined, path: '/{container:build}' } },
      ]);
    }
    expect(firsts).toHaveLength(2);
    const written = steps.flatMap((s) =>
      s.op.kind === 'open' && s.op.target?.kind === 'path' && s.op.mode.write ? [s.op.target.path] : [],
    );
    expect(written).toEqual(expect.arrayContaining(['/{container:build}/src/hello.o', '/{container:build}/src/hello']));
  });
});
