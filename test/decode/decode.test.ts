/**
 * The decoding step on real strace lines: each becomes one operation with typed fields,
 * and the syscall table is the one list the tracer, the parser and the decoder use.
 */
import {
  COUNTED_FAILURES,
  DATAFLOW_SYSCALLS,
  decode,
  decodeCall,
  dirRef,
  isProcessEvent,
  SYSCALLS,
  type Operation,
} from '../../src/decode/index.js';
import { parseLines, type SyscallEvent } from '../../src/parse/index.js';
import { straceArgs } from '../../src/trace/index.js';

/** The operation of one real log line. */
function op(line: string): Operation {
  const [e] = parseLines([line]).events;
  if (!isProcessEvent(e)) throw new Error(`not a process event: ${line}`);
  return decode(e);
}

describe('opens', () => {
  test("a successful openat: the descriptor, strace's resolved path, the mode; the requested path and its directory when asked", () => {
    const o = op('1234  openat(AT_FDCWD</w/src>, "../include/a.h", O_RDONLY|O_NOCTTY) = 3</w/include/a.h>');
    expect(o).toMatchObject({
      kind: 'open',
      fd: 3,
      target: { kind: 'path', path: '/w/include/a.h' },
      mode: { read: true, write: false, cloexec: false },
    });
    if (o.kind !== 'open') throw new Error();
    expect(o.path.path).toBe('../include/a.h');
    expect(o.path.dir).toEqual({ kind: 'cwd', path: '/w/src' });
  });

  test('O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC is a write that starts a new version', () => {
    expect(op('5 openat(AT_FDCWD</w>, "out", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = 4</w/out>')).toMatchObject({
      kind: 'open',
      mode: { read: false, write: true, create: true, truncate: true, cloexec: true },
    });
  });

  test('a failed open is a probe; creat is open(O_CREAT|O_WRONLY|O_TRUNC)', () => {
    expect(op('5 openat(AT_FDCWD</w>, "missing.h", O_RDONLY) = -1 ENOENT (No such file or directory)')).toEqual({ kind: 'probe' });
    expect(op('5 creat("x", 0644) = 3</w/x>')).toMatchObject({ kind: 'open', mode: { write: true, create: true, truncate: true } });
  });

  test('a directory descriptor as the *at directory', () => {
    expect(dirRef('7</w/sub dir>')).toMatchObject({ kind: 'fd', fd: 7, target: { kind: 'path', path: '/w/sub dir' } });
    expect(dirRef('AT_FDCWD')).toEqual({ kind: 'cwd', path: undefined });
    expect(dirRef(undefined)).toBeUndefined();
  });
});

describe('processes', () => {
  test('execve: the program and its decoded arguments; a failed one is only counted', () => {
    expect(op('10 execve("/usr/bin/cc", ["cc", "-c", "caf\\303\\251.c"], 0x7ffd /* 3 vars */) = 0')).toMatchObject({
      kind: 'exec',
      argv: ['cc', '-c', 'café.c'],
      argvTruncated: false,
    });
    expect(op('10 execve("/usr/local/bin/cc", ["cc"], 0x7ffd /* 3 vars */) = -1 ENOENT (No such file or directory)')).toEqual({
      kind: 'exec-failed',
    });
  });

  test('clone3 and vfork: the child and what it shares', () => {
    expect(op('10 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, exit_signal=0}, 88) = 11')).toEqual(
      { kind: 'spawn', child: 11, thread: true, files: true, fs: true, untraced: false },
    );
    expect(op('10 vfork() = 12')).toEqual({ kind: 'spawn', child: 12, thread: false, files: false, fs: false, untraced: false });
  });

  test('clone with CLONE_UNTRACED, and the calls that do I/O out of sight', () => {
    expect(op('10 clone(child_stack=0x55a0, flags=CLONE_UNTRACED|SIGCHLD) = 11')).toMatchObject({ kind: 'spawn', untraced: true });
    expect(op('10 clone3({flags=CLONE_UNTRACED, exit_signal=SIGCHLD, stack=0x1, stack_size=0x10}, 88) = 11')).toMatchObject({
      untraced: true,
    });
    expect(op('10 io_uring_setup(8, 0x7ffd) = 3<anon_inode:[io_uring]>')).toEqual({ kind: 'untraced', what: 'io_uring' });
    expect(op('10 open_by_handle_at(3</w>, 0x55a0, O_RDONLY) = 4</etc/shadow>')).toEqual({ kind: 'untraced', what: 'open_by_handle_at' });
  });

  test("exit_group and strace's +++ lines", () => {
    expect(op('10 exit_group(2) = ?')).toEqual({ kind: 'exit', status: 2 });
    expect(op('10 +++ exited with 2 +++')).toEqual({ kind: 'exit', status: 2 });
    expect(op('10 +++ killed by SIGSEGV (core dumped) +++')).toEqual({ kind: 'killed', signal: 'SIGSEGV' });
  });
});

describe('descriptors and sockets', () => {
  test('close, dup2, fcntl', () => {
    expect(op('3 close(3</w/a>) = 0')).toEqual({ kind: 'close', fd: 3 });
    expect(op('3 dup2(5</w/in>, 0) = 0')).toMatchObject({ kind: 'dup', fd: 0, from: { fd: 5 }, cloexec: false });
    expect(op('3 fcntl(5</w/in>, F_DUPFD_CLOEXEC, 10) = 10')).toMatchObject({ kind: 'dup', fd: 10, cloexec: true });
    expect(op('3 fcntl(5</w/in>, F_SETFD, FD_CLOEXEC) = 0')).toMatchObject({ kind: 'set-cloexec', cloexec: true });
    expect(op('3 fcntl(5</w/in>, F_GETFL) = 0x8000 (flags O_RDONLY|O_LARGEFILE)')).toEqual({ kind: 'other' });
  });

  test('pipe2 and socketpair: both ends', () => {
    const p = op('3 pipe2([4<pipe:[123]>, 5<pipe:[123]>], O_CLOEXEC) = 0');
    expect(p).toMatchObject({ kind: 'pipe', channel: 'pipe', cloexec: true });
    if (p.kind !== 'pipe') throw new Error();
    expect(p.ends.map((e) => [e.fd, e.target])).toEqual([
      [4, { kind: 'pipe', inode: 123 }],
      [5, { kind: 'pipe', inode: 123 }],
    ]);
  });

  test('connect: connected, in progress, refused', () => {
    const addr = '{sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("192.0.2.1")}';
    expect(op(`3 connect(4<TCP:[77]>, ${addr}, 16) = 0`)).toMatchObject({
      kind: 'connect',
      result: 'connected',
      address: { family: 'inet', address: '192.0.2.1', port: 443 },
    });
    expect(op(`3 connect(4<TCP:[77]>, ${addr}, 16) = -1 EINPROGRESS (Operation now in progress)`)).toMatchObject({ result: 'in-progress' });
    expect(op(`3 connect(4<TCP:[77]>, ${addr}, 16) = -1 ECONNREFUSED (Connection refused)`)).toMatchObject({ result: 'failed' });
  });

  test('sendto, sendmsg and sendmmsg name their destinations; a send on a connected socket names none', () => {
    const to = (port: number) => `{sa_family=AF_INET, sin_port=htons(${port}), sin_addr=inet_addr("127.0.0.1")}`;
    const inet = (port: number) => ({ family: 'inet', address: '127.0.0.1', port });
    expect(op(`3 sendto(3<UDP:[1]>, "x", 1, 0, ${to(9)}, 16) = 1`)).toMatchObject({ kind: 'send', result: 'sent', addresses: [inet(9)] });
    expect(op('3 sendto(3<TCP:[1]>, "x", 1, MSG_NOSIGNAL, NULL, 0) = 1')).toEqual({ kind: 'other' });
    expect(op(`3 sendto(3<UDP:[1]>, "x", 1, 0, ${to(9)}, 16) = -1 EPERM (Operation not permitted)`)).toMatchObject({
      result: 'failed',
      errno: 'EPERM',
    });
    const msg = (port: number, data: string) =>
      `{msg_name=${to(port)}, msg_namelen=16, msg_iov=[{iov_base="${data}", iov_len=1}], msg_iovlen=1, msg_controllen=0, msg_flags=0}`;
    expect(op(`3 sendmsg(3<UDP:[1]>, ${msg(10, 'x')}, 0) = 1`)).toMatchObject({ addresses: [inet(10)] });
    // Data that looks like an address is not read as one: only each message's msg_name is.
    const forged = 'sin6_port=htons(1), inet_pton(AF_INET6, \\"::1\\"';
    expect(op(`3 sendmsg(3<UDP:[1]>, ${msg(10, forged)}, 0) = 1`)).toMatchObject({ addresses: [inet(10)] });
    expect(
      op(`3 sendmmsg(3<UDP:[1]>, [{msg_hdr=${msg(11, 'x')}, msg_len=1}, {msg_hdr=${msg(12, 'x')}, msg_len=1}], 2, 0) = 2`),
    ).toMatchObject({ addresses: [inet(11), inet(12)] });
    // A unix path may hold a brace; netlink (the machine talking to itself) is no endpoint.
    expect(op('3 sendto(3<UNIX:[1]>, "x", 1, 0, {sa_family=AF_UNIX, sun_path="/run/a}b"}, 11) = 1')).toMatchObject({
      addresses: [{ family: 'unix', path: '/run/a}b' }],
    });
    expect(op('3 sendto(3<NETLINK:[1]>, "x", 1, 0, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 1')).toEqual({
      kind: 'other',
    });
  });
});

describe('file operations', () => {
  test('renameat2 with RENAME_EXCHANGE, unlinkat with AT_REMOVEDIR, symlink', () => {
    const r = op('3 renameat2(AT_FDCWD</w>, "a.tmp", AT_FDCWD</w>, "a", RENAME_EXCHANGE) = 0');
    expect(r).toMatchObject({ kind: 'rename', exchange: true });
    if (r.kind !== 'rename') throw new Error();
    expect([r.from.path, r.to.path]).toEqual(['a.tmp', 'a']);
    expect(op('3 unlinkat(AT_FDCWD</w>, "d", AT_REMOVEDIR) = 0')).toMatchObject({ kind: 'unlink', directory: true });
    expect(op('3 symlink("lib.so.1", "/w/lib.so") = 0')).toMatchObject({ kind: 'symlink', target: 'lib.so.1' });
    expect(op('3 unlink("gone") = -1 ENOENT (No such file or directory)')).toEqual({ kind: 'probe' });
  });

  test('a call the model does not interpret marks time only', () => {
    expect(op('3 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 12')).toEqual({ kind: 'other' });
    expect(op('3 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=12} ---')).toEqual({ kind: 'other' });
  });
});

describe('the one syscall table', () => {
  test("strace traces exactly the table's dataflow set (and io_uring_setup, which it has)", () => {
    const args = straceArgs({ logPath: 'x.log' }, ['make']);
    const set = args[args.indexOf('-e') + 1].replace(/^trace=/, '').split(',');
    expect(set).toEqual(DATAFLOW_SYSCALLS);
    expect(set).toContain('io_uring_setup');
  });

  test('a failure is skipped by the parser exactly when the model only counts or ignores it', () => {
    for (const [name, spec] of Object.entries(SYSCALLS))
      expect([name, COUNTED_FAILURES.has(name)]).toEqual([name, spec.onFailure !== 'decode']);
    // connect's failure is needed (EINPROGRESS goes on); a failed execve is counted as one.
    expect(COUNTED_FAILURES.has('connect')).toBe(false);
    expect(COUNTED_FAILURES.has('openat')).toBe(true);
  });

  test('a call whose arguments the parser skipped decodes the same as one it split', () => {
    const line = '5 openat(AT_FDCWD</w>, "missing.h", O_RDONLY) = -1 ENOENT (No such file or directory)';
    const skipped = parseLines([line], { countedFailures: COUNTED_FAILURES }).events[0] as SyscallEvent;
    expect(skipped.argsSkipped).toBe(true);
    expect(decodeCall(skipped)).toEqual(decodeCall(parseLines([line]).events[0] as SyscallEvent));
  });
});
