/**
 * The model on handcrafted event sequences, for what real traces rarely show, and on
 * the real log of a thread's execve.
 */
import { buildGraph, graphDocument } from '../../src/graph/index.js';
import { modelEvents } from '../../src/pipeline/index.js';
import { parseLines } from '../../src/parse/index.js';
import { fileLines } from '../helpers/corpus.js';

const model = (lines: string[]) => modelEvents(parseLines(lines).events);
const doc = (lines: string[]) => graphDocument(buildGraph(model(lines)), { workspace: '/w' });

describe('process identity', () => {
  test('a pid reused by a later process is a new process, with its own program', () => {
    const flow = model([
      '100 execve("/bin/make", ["make"], 0x1 /* 1 vars */) = 0',
      '100 clone(child_stack=NULL, flags=SIGCHLD) = 200',
      '200 execve("/bin/x", ["x"], 0x1 /* 1 vars */) = 0',
      '200 openat(AT_FDCWD</w>, "a", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3</w/a>',
      '200 exit_group(0) = ?',
      '100 clone(child_stack=NULL, flags=SIGCHLD) = 200',
      '200 execve("/bin/y", ["y"], 0x1 /* 1 vars */) = 0',
      '200 openat(AT_FDCWD</w>, "b", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3</w/b>',
      '200 exit_group(0) = ?',
    ]);
    expect(flow.stats.processes).toBe(3);
    const execs = flow.images.filter((i) => i.origin === 'exec');
    expect(execs.map((i) => [i.pid, i.exe, i.process])).toEqual([
      [100, '/bin/make', 0],
      [200, '/bin/x', 1],
      [200, '/bin/y', 2],
    ]);
    const writer = (path: string) => {
      const o = flow.objects.find((x) => x.path === path)!;
      return flow.images[flow.accesses.find((a) => a.object === o.id && a.mode === 'write')!.image].exe;
    };
    expect(writer('/w/a')).toBe('/bin/x');
    expect(writer('/w/b')).toBe('/bin/y');
  });

  test("a child's calls printed before its parent's clone() returns still inherit the parent's descriptors", () => {
    const lines = [
      '100 execve("/bin/sh", ["sh"], 0x1 /* 1 vars */) = 0',
      '100 openat(AT_FDCWD</w>, "in", O_RDONLY) = 5</w/in>',
      '100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD <unfinished ...>',
      '200 execve("/bin/filter", ["filter"], 0x1 /* 1 vars */) = 0',
      '200 openat(AT_FDCWD</w>, "out", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3</w/out>',
      '200 close(3</w/out>) = 0',
      '200 exit_group(0) = ?',
      '100 <... clone resumed>, child_tidptr=0x7f00) = 200',
    ];
    const flow = model(lines);
    expect(flow.stats.orphanProcesses).toBe(0);
    const filter = flow.images.find((i) => i.exe === '/bin/filter')!;
    expect(flow.images[flow.images[filter.parent!].parent!].exe).toBe('/bin/sh');
    // The filter holds fd 5 ("in") from its parent: out depends on it.
    expect(doc(lines).outputs).toEqual([{ path: '{workspace}/out', from: ['{workspace}/in', '/bin/filter'].sort() }]);
  });

  test('the same events in another order give the same document', () => {
    const a = [
      '1 execve("/bin/sh", ["sh"], 0x1 /* 1 vars */) = 0',
      '1 clone(child_stack=NULL, flags=SIGCHLD) = 2',
      '1 clone(child_stack=NULL, flags=SIGCHLD) = 3',
      '2 execve("/bin/cp", ["cp", "x", "y"], 0x1 /* 1 vars */) = 0',
      '3 execve("/bin/cp", ["cp", "p", "q"], 0x1 /* 1 vars */) = 0',
      '2 openat(AT_FDCWD</w>, "x", O_RDONLY) = 3</w/x>',
      '3 openat(AT_FDCWD</w>, "p", O_RDONLY) = 3</w/p>',
      '2 openat(AT_FDCWD</w>, "y", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 4</w/y>',
      '3 openat(AT_FDCWD</w>, "q", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 4</w/q>',
      '2 exit_group(0) = ?',
      '3 exit_group(0) = ?',
    ];
    const b = [a[0], a[1], a[2], a[4], a[3], a[6], a[5], a[8], a[7], a[10], a[9]];
    expect(doc(b)).toEqual(doc(a));
  });

  test("a thread's execve replaces the whole process, under the leader's pid (real log)", () => {
    const flow = model(fileLines(new URL('../fixtures/strace/thread-execve.log', import.meta.url).pathname));
    expect(flow.stats.processes).toBe(1);
    const execs = flow.images.filter((i) => i.origin === 'exec');
    expect(execs.map((i) => [i.exe, i.pid, i.process])).toEqual([
      ['/tmp/exp/thr', 2026, 0],
      ['/bin/true', 2026, 0],
    ]);
    // The file the threads wrote is an output of the first program, not of /bin/true.
    const out = flow.objects.find((o) => o.path === '/tmp/exp/thr.out')!;
    const writers = flow.accesses.filter((a) => a.object === out.id && a.mode === 'write').map((a) => flow.images[a.image].exe);
    expect(new Set(writers)).toEqual(new Set(['/tmp/exp/thr']));
  });

  test('a failed execve (PATH search) is a probe, not a program', () => {
    const flow = model([
      '1 execve("/usr/local/bin/cc", ["cc"], 0x1 /* 1 vars */) = -1 ENOENT (No such file or directory)',
      '1 execve("/usr/bin/cc", ["cc"], 0x1 /* 1 vars */) = 0',
    ]);
    expect(flow.images.filter((i) => i.origin === 'exec').map((i) => i.exe)).toEqual(['/usr/bin/cc']);
    expect(flow.stats).toMatchObject({ execs: 1, failedExecs: 1, probes: 1 });
  });
});

describe('descriptors', () => {
  test('threads share the table: a file opened by one thread is closed by another', () => {
    const flow = model([
      '1 execve("/bin/p", ["p"], 0x1 /* 1 vars */) = 0',
      '1 clone(child_stack=0x7f, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM) = 2',
      '2 openat(AT_FDCWD</w>, "o", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3</w/o>',
      '1 close(3</w/o>) = 0',
      '1 exit_group(0) = ?',
    ]);
    expect(flow.stats.processes).toBe(1);
    const o = flow.objects.find((x) => x.path === '/w/o')!;
    const access = flow.accesses.find((a) => a.object === o.id)!;
    expect(flow.images[access.image].exe).toBe('/bin/p');
    expect(access.until).toBeLessThan(flow.images[access.image].end);
  });

  test("a pipe whose both ends one program holds is a token (make's jobserver), not data", () => {
    const lines = [
      '1 execve("/bin/make", ["make"], 0x1 /* 1 vars */) = 0',
      '1 openat(AT_FDCWD</w>, "Makefile", O_RDONLY) = 3</w/Makefile>',
      '1 close(3</w/Makefile>) = 0',
      '1 pipe2([3<pipe:[9]>, 4<pipe:[9]>], 0) = 0',
      '1 clone(child_stack=NULL, flags=SIGCHLD) = 2',
      '2 execve("/bin/cc", ["cc"], 0x1 /* 1 vars */) = 0',
      '2 openat(AT_FDCWD</w>, "a.c", O_RDONLY) = 5</w/a.c>',
      '2 openat(AT_FDCWD</w>, "a.o", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 6</w/a.o>',
      '2 exit_group(0) = ?',
      '1 clone(child_stack=NULL, flags=SIGCHLD) = 3',
      '3 execve("/bin/cc", ["cc", "b"], 0x1 /* 1 vars */) = 0',
      '3 openat(AT_FDCWD</w>, "b.c", O_RDONLY) = 5</w/b.c>',
      '3 openat(AT_FDCWD</w>, "b.o", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 6</w/b.o>',
      '3 exit_group(0) = ?',
    ];
    expect(doc(lines).outputs).toEqual([
      { path: '{workspace}/a.o', from: ['/bin/cc', '{workspace}/a.c'].sort() },
      { path: '{workspace}/b.o', from: ['/bin/cc', '{workspace}/b.c'].sort() },
    ]);
  });

  test('dup2 onto a descriptor closes what it held', () => {
    const flow = model([
      '1 execve("/bin/p", ["p"], 0x1 /* 1 vars */) = 0',
      '1 openat(AT_FDCWD</w>, "first", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 1</w/first>',
      '1 openat(AT_FDCWD</w>, "second", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3</w/second>',
      '1 dup2(3</w/second>, 1</w/first>) = 1</w/second>',
      '1 close(3</w/second>) = 0',
      '1 openat(AT_FDCWD</w>, "late", O_RDONLY) = 3</w/late>',
      '1 exit_group(0) = ?',
    ]);
    const access = (path: string) => flow.accesses.find((a) => a.object === flow.objects.find((o) => o.path === path)!.id)!;
    // "first" was released at the dup2, before "late" was opened: it cannot contain it.
    expect(access('/w/first').until).toBeLessThan(access('/w/late').since);
    expect(access('/w/second').until).toBeGreaterThan(access('/w/late').since);
  });

  test('rename and link keep one version under new names; unlink detaches it', () => {
    const flow = model([
      '1 execve("/bin/p", ["p"], 0x1 /* 1 vars */) = 0',
      '1 openat(AT_FDCWD</w>, "t", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3</w/t>',
      '1 close(3</w/t>) = 0',
      '1 rename("t", "f") = 0',
      '1 link("f", "g") = 0',
      '1 unlink("f") = 0',
      '1 exit_group(0) = ?',
    ]);
    // The relative names resolve against the cwd the AT_FDCWD decoration taught.
    const v = flow.objects.find((o) => o.names.includes('/w/t'))!;
    expect(v).toMatchObject({ path: '/w/g', names: ['/w/t', '/w/f', '/w/g'], detached: undefined });
  });
});
