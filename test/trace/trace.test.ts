/**
 * The real strace, run through src/trace on real programs; the parsed events must say
 * what each program did.
 */
import { createServer, type AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeArgv, decodeCString, decodeFd, decodeSockaddr, splitArray, type SyscallEvent } from '../../src/parse/index.js';
import { compile, tempDir, trace, type Traced } from '../helpers/trace.js';

const ok = (c: SyscallEvent): boolean => c.result.kind === 'ok';
const value = (c: SyscallEvent): number => (c.result.kind === 'ok' ? c.result.value : NaN);
const str = (raw: string | undefined): string | undefined => (raw === undefined ? undefined : decodeCString(raw)?.value);

/** Successful execve calls, as [pid, program path, argv]. */
function execs(t: Traced): [number, string | undefined, readonly string[]][] {
  return t.calls
    .filter((c) => (c.name === 'execve' && ok(c)) || c.pidChangedTo !== undefined)
    .map((c) => [c.pid, str(c.args[0]), decodeArgv(c.args[1])?.argv ?? []]);
}

/** pid → the pid whose clone/fork/vfork returned it. */
function parents(t: Traced): Map<number, number> {
  const map = new Map<number, number>();
  for (const c of t.calls) if (/^(clone3?|v?fork)$/.test(c.name) && ok(c)) map.set(value(c), c.pid);
  return map;
}

/** Paths opened successfully, as the decorated result says. */
function opened(t: Traced, pid?: number): string[] {
  return t.calls
    .filter((c) => (c.name === 'openat' || c.name === 'open') && ok(c) && (pid === undefined || c.pid === pid))
    .map((c) => (c.result.kind === 'ok' ? decodeFd(c.result.text)?.target : undefined))
    .flatMap((t) => (t?.kind === 'path' ? [t.path] : []));
}

describe('tracing real programs', () => {
  test('a shell pipeline: cat f | tr a b > g', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'f'), 'banana\n');
    const t = await trace(['sh', '-c', 'cat f | tr a b > g'], dir);
    expect(t.outcome).toMatchObject({ exitCode: 0, signal: null });
    expect(readFileSync(join(dir, 'g'), 'utf8')).toBe('bbnbnb\n');
    expect(t.stats.unparsed).toBe(0);

    const programs = execs(t);
    const cat = programs.find(([, , argv]) => argv[0] === 'cat');
    const tr = programs.find(([, , argv]) => argv[0] === 'tr');
    expect(cat?.[2]).toEqual(['cat', 'f']);
    expect(tr?.[2]).toEqual(['tr', 'a', 'b']);
    // Both are children of the shell, which made the pipe.
    const shell = programs.find(([, , argv]) => argv[0] === 'sh')?.[0];
    const parent = parents(t);
    expect(parent.get(cat![0])).toBe(shell);
    expect(parent.get(tr![0])).toBe(shell);
    const pipe = t.calls.find((c) => c.name === 'pipe2' || c.name === 'pipe');
    const ends = splitArray(pipe!.args[0])!.map(decodeFd);
    expect(ends.map((e) => e?.target?.kind)).toEqual(['pipe', 'pipe']);
    // cat reads f; g is created for tr's output.
    expect(opened(t, cat![0])).toContain(join(dir, 'f'));
    const creat = t.calls.find((c) => c.name === 'openat' && str(c.args[1]) === 'g');
    expect(creat?.args[2]).toMatch(/O_WRONLY\|O_CREAT\|O_TRUNC/);
  });

  test('a chain of fork and exec: each program is the child of the one before', async () => {
    const dir = tempDir();
    const t = await trace(['sh', '-c', 'sh -c "sh -c \'echo hi > out; exit 0\'"; true'], dir);
    expect(t.outcome.exitCode).toBe(0);
    const shells = execs(t).filter(([, , argv]) => argv[0] === 'sh');
    expect(shells).toHaveLength(3);
    const parent = parents(t);
    expect(parent.get(shells[1][0])).toBe(shells[0][0]);
    expect(parent.get(shells[2][0])).toBe(shells[1][0]);
  });

  test('posix_spawn (vfork-style clone) of cat', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'in.txt'), 'spawned\n');
    const exe = compile('spawn', dir);
    const t = await trace([exe], dir);
    expect(t.outcome.exitCode).toBe(0);
    const spawner = t.calls.find((c) => /^(clone3?|vfork)$/.test(c.name) && ok(c));
    expect(spawner?.name === 'vfork' || /CLONE_VFORK/.test(spawner!.args.join(','))).toBe(true);
    const cat = execs(t).find(([, , argv]) => argv[0] === 'cat');
    expect(cat?.[2]).toEqual(['cat', 'in.txt']);
    expect(parents(t).get(cat![0])).toBe(execs(t)[0][0]);
    expect(opened(t, cat![0])).toContain(join(dir, 'in.txt'));
  });

  test('a multi-threaded C program: each thread opens its file under its own tid', async () => {
    const dir = tempDir();
    const exe = compile('threads', dir, ['-pthread']);
    const t = await trace([exe], dir);
    expect(t.outcome.exitCode).toBe(0);
    const threads = t.calls.filter((c) => /^clone3?$/.test(c.name) && /CLONE_THREAD/.test(c.args.join(',')));
    expect(threads).toHaveLength(2);
    const tids = threads.map(value);
    const writes = t.calls.filter((c) => c.name === 'openat' && /thread-[ab]\.out/.test(c.args[1] ?? ''));
    expect(writes.map((c) => c.pid).sort()).toEqual([...tids].sort());
    expect(writes.every((c) => /O_WRONLY\|O_CREAT\|O_TRUNC/.test(c.args[2]))).toBe(true);
  });

  test('a program killed by a signal: the outcome and the log name the signal', async () => {
    const t = await trace(['sh', '-c', 'kill -SEGV $$'], tempDir());
    expect(t.outcome).toMatchObject({ exitCode: null, signal: 'SIGSEGV' });
    expect(t.events.find((e) => e.kind === 'killed')).toMatchObject({ signal: 'SIGSEGV' });
  });

  test('a program that exits non-zero', async () => {
    const t = await trace(['sh', '-c', 'exit 7'], tempDir());
    expect(t.outcome).toMatchObject({ exitCode: 7, signal: null });
    expect(t.calls.find((c) => c.name === 'exit_group')?.args).toEqual(['7']);
  });

  test('a TCP connection to a loopback port', async () => {
    const server = createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const t = await trace(['bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${port}; exec 3>&-`], tempDir());
      expect(t.outcome.exitCode).toBe(0);
      const connect = t.calls.find((c) => c.name === 'connect' && ok(c));
      expect(decodeSockaddr(connect!.args[1])).toEqual({ family: 'inet', address: '127.0.0.1', port });
      expect(decodeFd(connect!.args[0])?.target).toMatchObject({ kind: 'socket', protocol: 'TCP' });
    } finally {
      server.close();
    }
  });

  test('rename, link, symlink, unlink, mkdir and rmdir', async () => {
    const dir = tempDir();
    const t = await trace(['sh', '-c', 'echo x > a; mv a b; ln b c; ln -s b d; rm c; mkdir e; rmdir e'], dir);
    expect(t.outcome.exitCode).toBe(0);
    const named = (re: RegExp) => t.calls.filter((c) => re.test(c.name) && ok(c));
    const [rename] = named(/^rename/);
    expect(rename.args.filter((a) => a.startsWith('"')).map(str)).toEqual(['a', 'b']);
    expect(
      named(/^link/)[0]
        .args.filter((a) => a.startsWith('"'))
        .map(str),
    ).toEqual(['b', 'c']);
    expect(
      named(/^symlink/)[0]
        .args.filter((a) => a.startsWith('"'))
        .map(str),
    ).toEqual(['b', 'd']);
    expect(named(/^unlink/).map((c) => str(c.args.find((a) => a.startsWith('"'))))).toEqual(['c']);
    expect(named(/^mkdir/).map((c) => str(c.args.find((a) => a.startsWith('"'))))).toEqual(['e']);
    expect(named(/^(rmdir|unlinkat)$/).some((c) => /AT_REMOVEDIR/.test(c.args.join()) || c.name === 'rmdir')).toBe(true);
  });

  test('openat with a directory descriptor, and fchdir', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'one.txt'), '1');
    writeFileSync(join(dir, 'sub', 'two.txt'), '2');
    const exe = compile('dirfd', dir);
    const t = await trace([exe], dir);
    expect(t.outcome.exitCode).toBe(0);
    const one = t.calls.find((c) => c.name === 'openat' && str(c.args[1]) === 'one.txt');
    expect(decodeFd(one!.args[0])).toEqual({ fd: 3, target: { kind: 'path', path: join(dir, 'sub'), deleted: false } });
    expect(t.calls.find((c) => c.name === 'fchdir')?.args).toEqual([`3<${join(dir, 'sub')}>`]);
    const two = t.calls.find((c) => c.name === 'openat' && str(c.args[1]) === 'two.txt');
    expect(decodeFd(two!.args[0])?.target).toMatchObject({ path: join(dir, 'sub') });
    expect(two!.result.kind === 'ok' && decodeFd(two!.result.text)?.target).toMatchObject({ path: join(dir, 'sub', 'two.txt') });
  });

  test('file names with spaces, quotes, a newline, a tab and UTF-8 come back exactly', async () => {
    const dir = tempDir();
    const names = ['with space', 'dq"uote', "sq'uote", 'new\nline', 'tab\tbed', 'café', 'a)b', 'lt<gt>', 'back\\slash'];
    for (const n of names) writeFileSync(join(dir, n), n);
    const t = await trace(['cat', '--', ...names], dir);
    expect(t.outcome.exitCode).toBe(0);
    expect(t.stats.unparsed).toBe(0);
    expect(execs(t)[0][2]).toEqual(['cat', '--', ...names]);
    const fromArgs = t.calls
      .filter((c) => c.name === 'openat' && ok(c))
      .map((c) => str(c.args[1]))
      .filter((p) => names.includes(p!));
    expect(fromArgs).toEqual(names);
    expect(opened(t).filter((p) => p.startsWith(dir + '/'))).toEqual(names.map((n) => join(dir, n)));
  });

  test('the log is the only thing strace writes: the build keeps its stdout and stderr', async () => {
    const dir = tempDir();
    const t = await trace(['sh', '-c', 'echo out; echo err >&2; exit 0'], dir);
    expect(t.outcome.exitCode).toBe(0);
    expect(readFileSync(t.logPath, 'utf8')).not.toMatch(/^out$/m);
    expect(t.stats.unparsed).toBe(0);
  });
});
