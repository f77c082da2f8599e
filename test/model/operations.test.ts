/**
 * The model on operations written as literals: no strace notation, only what each
 * process did. The expected answer is stated independently of ioana's output.
 */
import type { Operation } from '../../src/decode/index.js';
import { modelSteps } from '../../src/model/index.js';
import { buildGraph, graphDocument } from '../../src/graph/index.js';
import { exec, fd, open, outputs, READ, step, WRITE } from '../helpers/operations.js';

describe('the model applies operations', () => {
  test('a compiler reads its source and writes its object: the object is made from the source', () => {
    expect(
      outputs([
        step(1, exec('/usr/bin/cc', 'cc', '-c', 'a.c')),
        step(1, open(3, 'a.c', READ)),
        step(1, open(4, 'a.o', WRITE)),
        step(1, { kind: 'close', fd: 3 }),
        step(1, { kind: 'close', fd: 4 }),
        step(1, { kind: 'exit', status: 0 }),
      ]),
    ).toEqual([{ path: '{workspace}/a.o', from: ['/usr/bin/cc', '{workspace}/a.c'] }]);
  });

  test('what a program reads after it closed its output does not reach that output', () => {
    expect(
      outputs([
        step(1, exec('/bin/tool', 'tool')),
        step(1, open(4, 'out', WRITE)),
        step(1, { kind: 'close', fd: 4 }),
        step(1, open(3, 'late.h', READ)),
        step(1, { kind: 'exit', status: 0 }),
      ]),
    ).toEqual([{ path: '{workspace}/out', from: ['/bin/tool'] }]);
  });

  test("a pipe carries what the writer read to what the reader writes; the forked child's setup is not data", () => {
    // dash's order for `cat in | sort > out` (strace of dash 0.5.12): pipe, fork the producer, close the
    // write end, fork the consumer, close the read end. The shell hands each end on: it neither reads nor writes.
    const pipe: Operation = { kind: 'pipe', channel: 'pipe', ends: [fd(5), fd(6)], cloexec: false };
    const from = outputs([
      step(1, exec('/bin/sh', 'sh')),
      step(1, pipe),
      step(1, { kind: 'spawn', child: 2, thread: false, files: false, fs: false, untraced: false }),
      step(1, { kind: 'close', fd: 6 }),
      step(1, { kind: 'spawn', child: 3, thread: false, files: false, fs: false, untraced: false }),
      step(1, { kind: 'close', fd: 5 }),
      // The producer: stdout is the pipe's write end.
      step(2, { kind: 'dup', from: fd(6), fd: 1, cloexec: false }),
      step(2, { kind: 'close', fd: 5 }),
      step(2, { kind: 'close', fd: 6 }),
      step(2, exec('/bin/cat', 'cat', 'in')),
      step(2, open(3, 'in', READ)),
      step(2, { kind: 'exit', status: 0 }),
      // The consumer: stdin is the pipe's read end.
      step(3, { kind: 'dup', from: fd(5), fd: 0, cloexec: false }),
      step(3, { kind: 'close', fd: 5 }),
      step(3, { kind: 'close', fd: 6 }),
      step(3, exec('/bin/sort', 'sort')),
      step(3, open(4, 'out', WRITE)),
      step(3, { kind: 'exit', status: 0 }),
      step(1, { kind: 'exit', status: 0 }),
    ]);
    expect(from).toEqual([{ path: '{workspace}/out', from: ['/bin/cat', '/bin/sort', '{workspace}/in'] }]);
  });

  test('tar -czf: what tar reads reaches the archive through the pipe to the gzip its forked copy became (issue 22)', () => {
    // GNU tar 1.34 (strace of `tar -czf dist/x.tar.gz dist/joined.txt`): it makes a pipe and forks; the copy
    // keeps the read end as stdin, creates the archive as stdout and becomes gzip; tar closes the read end,
    // reads the files and writes them into the pipe, and closes the write end at the end.
    const pipe: Operation = { kind: 'pipe', channel: 'pipe', ends: [fd(3), fd(4)], cloexec: false };
    const from = outputs([
      step(1, exec('/usr/bin/tar', 'tar', '-czf', 'x.tar.gz', 'a.txt')),
      step(1, pipe),
      step(1, { kind: 'spawn', child: 2, thread: false, files: false, fs: false, untraced: false }),
      step(1, { kind: 'close', fd: 3 }),
      step(1, open(5, 'a.txt', READ)),
      step(2, { kind: 'dup', from: fd(3), fd: 0, cloexec: false }),
      step(2, { kind: 'close', fd: 3 }),
      step(2, { kind: 'close', fd: 4 }),
      step(2, open(3, 'x.tar.gz', WRITE)),
      step(2, { kind: 'dup', from: fd(3), fd: 1, cloexec: false }),
      step(2, { kind: 'close', fd: 3 }),
      step(2, exec('/usr/bin/gzip', 'gzip')),
      step(1, { kind: 'close', fd: 5 }),
      step(1, { kind: 'close', fd: 4 }),
      step(2, { kind: 'exit', status: 0 }),
      step(1, { kind: 'exit', status: 0 }),
    ]);
    expect(from).toEqual([{ path: '{workspace}/x.tar.gz', from: ['/usr/bin/gzip', '/usr/bin/tar', '{workspace}/a.txt'] }]);
  });

  test("dash's $(cat f): what cat printed reaches what the shell writes with it (issue 22)", () => {
    // dash 0.5.12, `msg=$(cat a.txt); echo "$msg" > msg.txt`: pipe, fork, close the write end, read (not traced),
    // close the read end, then the redirection.
    const pipe: Operation = { kind: 'pipe', channel: 'pipe', ends: [fd(3), fd(4)], cloexec: false };
    const from = outputs([
      step(1, exec('/bin/sh', 'sh')),
      step(1, pipe),
      step(1, { kind: 'spawn', child: 2, thread: false, files: false, fs: false, untraced: false }),
      step(1, { kind: 'close', fd: 4 }),
      step(2, { kind: 'close', fd: 3 }),
      step(2, { kind: 'dup', from: fd(4), fd: 1, cloexec: false }),
      step(2, { kind: 'close', fd: 4 }),
      step(2, exec('/bin/cat', 'cat', 'a.txt')),
      step(2, open(3, 'a.txt', READ)),
      step(2, { kind: 'exit', status: 0 }),
      step(1, { kind: 'close', fd: 3 }),
      step(1, open(3, 'msg.txt', WRITE)),
      step(1, { kind: 'close', fd: 3 }),
      step(1, { kind: 'exit', status: 0 }),
    ]);
    expect(from).toEqual([{ path: '{workspace}/msg.txt', from: ['/bin/cat', '/bin/sh', '{workspace}/a.txt'] }]);
  });

  test('a close-on-exec descriptor is closed by exec: the next program does not hold it', () => {
    const flow = modelSteps([
      step(1, exec('/bin/a', 'a')),
      step(1, open(3, 'secret', { ...READ, cloexec: true })),
      step(1, exec('/bin/b', 'b')),
      step(1, open(4, 'out', WRITE)),
      step(1, { kind: 'exit', status: 0 }),
    ]);
    const b = flow.images.find((i) => i.exe === '/bin/b')!;
    const secret = flow.objects.find((o) => o.path === '/w/secret')!;
    expect(flow.accesses.filter((a) => a.image === b.id && a.object === secret.id)).toEqual([]);
  });

  test('a failed exec and a failed open are probes, not programs or inputs', () => {
    const flow = modelSteps([
      step(1, exec('/bin/sh', 'sh')),
      step(1, { kind: 'exec-failed' }),
      step(1, { kind: 'probe' }),
      step(1, { kind: 'exit', status: 0 }),
    ]);
    expect(flow.stats).toMatchObject({ execs: 1, failedExecs: 1, probes: 2 });
  });

  test('a descriptor the build never opened is the horizon: inherited, not an input', () => {
    const flow = modelSteps([
      step(1, exec('/bin/sh', 'sh')),
      step(1, { kind: 'dup', from: fd(9), fd: 1, cloexec: false }),
      step(1, { kind: 'exit', status: 0 }),
    ]);
    expect(flow.stats.horizonDescriptors).toBe(1);
    expect(flow.objects.map((o) => o.kind)).toEqual(['file', 'horizon']);
  });
});

describe("ioana's launcher (issue 23)", () => {
  test('the gate, unshare and setpriv are not programs of the build, and nothing they hold is its data', () => {
    const gate = ['/bin/sh', '-c', 'read _ <"$0" && exec "$@"', '/tmp/ioana-1-abcdef/gate.fifo'];
    const launcher = [
      '/usr/bin/unshare',
      '--pid',
      '--fork',
      '--mount-proc',
      '--kill-child',
      '--',
      '/usr/bin/setpriv',
      '--reuid=1001',
      '--regid=118',
      '--init-groups',
      '--',
    ];
    const flow = modelSteps([
      step(1, exec('/bin/sh', ...gate, ...launcher, 'make')),
      // The gate reads its pipe (ioana's), and the launcher loads its libraries.
      step(1, open(3, '/tmp/ioana-1-abcdef/gate.fifo', READ)),
      step(1, { kind: 'close', fd: 3 }),
      step(1, exec('/usr/bin/unshare', 'unshare', ...launcher.slice(1), 'make')),
      step(1, open(3, '/usr/lib/libsmartcols.so.1', READ)),
      step(1, { kind: 'close', fd: 3 }),
      step(1, { kind: 'spawn', child: 2, thread: false, files: false, fs: false, untraced: false }),
      step(2, exec('/usr/bin/setpriv', 'setpriv', ...launcher.slice(7), 'make')),
      step(2, exec('/usr/bin/make', 'make')),
      step(2, open(3, 'Makefile', READ)),
      step(2, open(4, 'out', WRITE)),
      step(2, { kind: 'exit', status: 0 }),
      step(1, { kind: 'exit', status: 0 }),
    ]);
    expect(flow.separated).toBe(true);
    expect(flow.images.filter((i) => i.launcher).map((i) => i.exe)).toEqual(['/bin/sh', '/usr/bin/unshare', '/usr/bin/setpriv']);
    const doc = graphDocument(buildGraph(flow), { workspace: '/w' });
    expect(doc.programs.map((p) => p.exe)).toEqual(['/usr/bin/make']);
    expect(doc.inputs.map((i) => i.path)).toEqual(['/usr/bin/make', '{workspace}/Makefile']);
    expect(doc.outputs).toEqual([{ path: '{workspace}/out', from: ['/usr/bin/make', '{workspace}/Makefile'] }]);
  });
});
