/**
 * The bpftrace program of the eBPF back end (DESIGN §1.1), generated from the one
 * syscall table (src/decode/syscalls.ts) so that it captures exactly strace's set.
 * Pure: builds a string.
 *
 * What it prints (one `printf` per record, read as bpftrace's JSON lines, which escape
 * every byte of a string unambiguously; see records.ts):
 *
 *   B ts                         ready: every probe is attached
 *   F ts parent child flags      the build's process `parent` made `child` (clone flags)
 *   X ts tid exit_code           a followed thread ended (the kernel's exit code)
 *   S ts tid slot text           a string argument, in chunks of 199 bytes (see `chunks`)
 *   A ts tid index text          one execve argument (chunked like S); index -1: more arguments
 *   K ts tid slot family …       a socket address (read at entry: the kernel copies it then)
 *   R ts tid nr ret a0…a5 dev ino d1 d2 d3   a call ended: its result, numeric arguments
 *                                and, for an open, the device and inode of the file and the
 *                                inodes of the three directories above it
 *
 * Only the build's process tree is followed: the root's thread id is `$1`; each fork of
 * a followed thread is followed. Strings are read at the call's exit (a page not yet
 * faulted in at entry reads as empty), except execve's, whose memory is gone by then.
 */
import { DATAFLOW_SYSCALLS, DETAIL_SYSCALLS, PROBE_SYSCALLS, SYSCALLS, type ArgRole } from '../../decode/index.js';

/** bpftrace reads at most this many bytes of a string at once (its strings live on the 512-byte BPF stack). */
export const CHUNK = 199;
/** Chunks per string: enough for PATH_MAX (4096) bytes. */
export const MAX_CHUNKS = 21;
/** execve arguments read; a longer list is marked cut (index -1), as strace marks it. */
export const MAX_ARGS = 256;
/**
 * Chunks per execve argument: 4179 bytes, more than strace's `-s 4096` keeps (the
 * renderer cuts at 4096, as strace does). The flat loop's rounds are bounded by
 * ARGV_CHUNKS, so this costs the verifier nothing.
 */
export const MAX_ARG_CHUNKS = 21;
/** strace's `-s`: the longest argument text strace prints, and so the renderer. */
export const STRING_LIMIT = 4096;
/** Chunks of all execve arguments together. */
export const ARGV_CHUNKS = 200;

/** The x86-64 system call numbers of the calls the table names (from asm/unistd_64.h). */
export const X86_64: Readonly<Record<string, number>> = {
  read: 0,
  write: 1,
  open: 2,
  close: 3,
  stat: 4,
  lstat: 6,
  pread64: 17,
  pwrite64: 18,
  readv: 19,
  writev: 20,
  access: 21,
  pipe: 22,
  dup: 32,
  dup2: 33,
  sendfile: 40,
  socket: 41,
  connect: 42,
  accept: 43,
  sendto: 44,
  recvfrom: 45,
  sendmsg: 46,
  recvmsg: 47,
  bind: 49,
  socketpair: 53,
  clone: 56,
  fork: 57,
  vfork: 58,
  execve: 59,
  fcntl: 72,
  truncate: 76,
  chdir: 80,
  fchdir: 81,
  rename: 82,
  mkdir: 83,
  rmdir: 84,
  creat: 85,
  link: 86,
  unlink: 87,
  symlink: 88,
  readlink: 89,
  exit_group: 231,
  openat: 257,
  mkdirat: 258,
  newfstatat: 262,
  unlinkat: 263,
  renameat: 264,
  linkat: 265,
  symlinkat: 266,
  readlinkat: 267,
  faccessat: 269,
  splice: 275,
  accept4: 288,
  dup3: 292,
  pipe2: 293,
  open_by_handle_at: 304,
  sendmmsg: 307,
  renameat2: 316,
  execveat: 322,
  copy_file_range: 326,
  statx: 332,
  io_uring_setup: 425,
  clone3: 435,
  close_range: 436,
  openat2: 437,
  faccessat2: 439,
};

/** What the kernel side does for a call, as bits of one number (the `@k` map). */
export const KIND = {
  /** Bits 0–5: argument k is a string, read at exit (S records). */
  strings: 0x3f,
  /** execve/execveat: the path and argv are read at entry (S and A records); the path's slot is bit 8. */
  exec: 1 << 6,
  execAt: 1 << 7,
  /** A socket address at entry (K record); its slot in bits 9–11; `msghdr`: through msg_name. */
  sockaddr: 1 << 12,
  msghdr: 1 << 13,
  /** Two descriptors written by the call (pipe's, socketpair's): their slot in bits 9–11. */
  fds: 1 << 14,
  /** The call returns a descriptor of a file: the kernel's dev and inode of it are printed. */
  file: 1 << 15,
  /** clone: flags in arg 0; clone3: flags at *arg 0; fork; vfork. */
  clone: 1 << 16,
  clone3: 1 << 17,
  fork: 1 << 18,
  vfork: 1 << 19,
  /** openat2: the flags of its `struct open_how` (K record). */
  how: 1 << 20,
} as const;

const slotBits = (slot: number): number => slot << 9;

/** The string arguments, by role. */
const STRING_ROLES: readonly ArgRole[] = ['path', 'from', 'to', 'target'];

/** Probe calls whose path argument is read (the other probe and detail calls: numbers only). */
const PROBE_PATH: Readonly<Record<string, number>> = {
  stat: 0,
  lstat: 0,
  newfstatat: 1,
  statx: 1,
  access: 0,
  faccessat: 1,
  faccessat2: 1,
  readlink: 0,
  readlinkat: 1,
};

/** What to trace: strace's `-e trace=` set, by the same options. */
export interface ScriptOptions {
  readonly probes?: boolean;
  readonly detailed?: boolean;
}

/** The calls traced, as strace would trace them with the same options. */
export function tracedCalls(opts: ScriptOptions = {}): string[] {
  const calls = [...DATAFLOW_SYSCALLS];
  if (opts.probes) calls.push(...PROBE_SYSCALLS);
  if (opts.detailed) calls.push(...DETAIL_SYSCALLS);
  return calls;
}

/** The positions of a call's string arguments read at exit. */
export function stringSlots(call: string): number[] {
  const spec = SYSCALLS[call];
  if (!spec) return [];
  if (spec.set !== 'dataflow') return PROBE_PATH[call] === undefined ? [] : [PROBE_PATH[call]];
  if (spec.decodes === 'exec') return [];
  return STRING_ROLES.map((r) => spec.args[r]).filter((i): i is number => i !== undefined);
}

/** The kernel-side kind of one call (see KIND). */
export function kindOf(call: string): number {
  let k = 0;
  for (const s of stringSlots(call)) k |= 1 << s;
  const spec = SYSCALLS[call];
  if (spec?.decodes === 'exec') k |= call === 'execveat' ? KIND.execAt : KIND.exec;
  if (call === 'connect' || call === 'bind') k |= KIND.sockaddr | slotBits(1);
  if (call === 'sendto') k |= KIND.sockaddr | slotBits(4);
  if (call === 'sendmsg' || call === 'sendmmsg') k |= KIND.sockaddr | KIND.msghdr | slotBits(1);
  if (call === 'pipe' || call === 'pipe2') k |= KIND.fds | slotBits(0);
  if (call === 'socketpair') k |= KIND.fds | slotBits(3);
  if (call === 'open' || call === 'openat' || call === 'openat2' || call === 'creat') k |= KIND.file;
  if (call === 'clone') k |= KIND.clone;
  if (call === 'clone3') k |= KIND.clone3;
  if (call === 'fork') k |= KIND.fork;
  if (call === 'vfork') k |= KIND.vfork;
  if (call === 'openat2') k |= KIND.how;
  // exit_group never returns: the thread's end (X) says it all.
  return k === 0 && call === 'exit_group' ? 0 : k | (1 << 24);
}

/**
 * Whether the chunk at `at` may go on past its CHUNK bytes: its last byte is not NUL and
 * no NUL comes before (eight bytes at a time), so a short string is one record, not
 * MAX_CHUNKS records of what lies after it in memory. Sets `$more`.
 */
function goesOn(at: string, indent: string): string {
  const i = indent;
  return [
    `${i}$more = *(uint8 *)uptr(${at} + ${CHUNK - 1}) != 0 ? 1 : 0;`,
    `${i}if ($more) {`,
    `${i}  $w = 0;`,
    `${i}  while ($w < ${Math.floor((CHUNK - 1) / 8) + 1}) {`,
    `${i}    $v = *(uint64 *)uptr(${at} + $w * 8);`,
    `${i}    if ((($v - 0x0101010101010101) & ~$v & 0x8080808080808080) != 0) { $more = 0; break; }`,
    `${i}    $w++;`,
    `${i}  }`,
    `${i}}`,
  ].join('\n');
}

/** Prints the string at user address `ptr` in chunks (a chunk shorter than CHUNK ends it). */
function chunked(head: string, ptr: string, indent: string): string {
  return [
    `${indent}$c = 0;`,
    `${indent}while ($c < ${MAX_CHUNKS}) {`,
    `${indent}  printf("${head} %s\\n", nsecs, tid, str(uptr(${ptr} + $c * ${CHUNK})));`,
    goesOn(`${ptr} + $c * ${CHUNK}`, `${indent}  `),
    `${indent}  if (!$more) { break; }`,
    `${indent}  $c++;`,
    `${indent}}`,
  ].join('\n');
}

/**
 * The whole program: probes on every system call (raw_syscalls), each asking first "is
 * this a traced call?" (most of a build's calls are reads, writes and mmaps: one lookup
 * and out) and then "is this thread the build's?"; one on fork and one on exit. One
 * small program instead of one per call: bpftrace takes about 60 ms to build and load
 * each probe, and ninety would cost seconds before the build starts.

 */
export function bpftraceScript(calls: readonly string[]): string {
  const kinds = calls
    .map((c) => [X86_64[c], kindOf(c)] as const)
    .filter(([nr, k]) => nr !== undefined && k !== 0)
    .map(([nr, k]) => `  @k[${nr}] = ${k};`);
  return `// ioana: the build's process tree and its dataflow system calls (generated by src/trace/ebpf/script.ts)
BEGIN {
  @t[$1] = 1;
${kinds.join('\n')}
  printf("B %llu\\n", nsecs);
}
tracepoint:sched:sched_process_fork /@t[args->parent_pid]/ {
  @t[args->child_pid] = 1;
  printf("F %llu %d %d %llu\\n", nsecs, args->parent_pid, args->child_pid, @cf[args->parent_pid]);
}
tracepoint:sched:sched_process_exit /@t[tid]/ {
  printf("X %llu %d %d\\n", nsecs, tid, curtask->exit_code);
  delete(@t[tid]);
  delete(@cf[tid]);
}
tracepoint:raw_syscalls:sys_enter /@k[args->id] && @t[tid]/ {
  $k = @k[args->id];
  if ($k != 0) {
    // The context is read once, into variables: the verifier refuses a context pointer
    // that was computed on (a conditional choice of argument).
    $a0 = args->args[0]; $a1 = args->args[1]; $a2 = args->args[2];
    $a3 = args->args[3]; $a4 = args->args[4]; $a5 = args->args[5];
    @a[tid, 0] = $a0; @a[tid, 1] = $a1; @a[tid, 2] = $a2;
    @a[tid, 3] = $a3; @a[tid, 4] = $a4; @a[tid, 5] = $a5;
    if ($k & ${KIND.clone}) { @cf[tid] = $a0; }
    if ($k & ${KIND.clone3}) { @cf[tid] = *(uint64 *)uptr($a0); }
    if ($k & ${KIND.fork}) { @cf[tid] = 17; }
    if ($k & ${KIND.vfork}) { @cf[tid] = 0x4111; }
  }
}
tracepoint:raw_syscalls:sys_enter /(@k[args->id] & ${KIND.exec | KIND.execAt}) && @t[tid]/ {
  $k = @k[args->id];
  $path = ($k & ${KIND.execAt}) ? @a[tid, 1] : @a[tid, 0];
${chunked('S %llu %d 9', '$path', '  ')}
}
tracepoint:raw_syscalls:sys_enter /(@k[args->id] & ${KIND.exec | KIND.execAt}) && @t[tid]/ {
  $k = @k[args->id];
  $argv = ($k & ${KIND.execAt}) ? @a[tid, 2] : @a[tid, 1];
  // One flat loop over (argument, chunk) pairs. Which argument and chunk are kept in a
  // map, so that the verifier does not follow every combination of them (it would
  // refuse the program as too large); it then checks each of the loop's rounds once.
  @ai[tid] = 0;
  @ac[tid] = 0;
  $n = 0;
  while ($n < ${ARGV_CHUNKS}) {
    $i = @ai[tid];
    $c = @ac[tid];
    $p = *(uint64 *)uptr($argv + $i * 8);
    if ($p == 0) { break; }
    if ($i >= ${MAX_ARGS}) { printf("A %llu %d -1 \\n", nsecs, tid); break; }
    printf("A %llu %d %d %s\\n", nsecs, tid, $i, str(uptr($p + $c * ${CHUNK})));
${goesOn('$p + $c * ' + CHUNK, '    ')}
    if ($c + 1 < ${MAX_ARG_CHUNKS} && $more) {
      @ac[tid] = $c + 1;
    } else {
      @ai[tid] = $i + 1;
      @ac[tid] = 0;
    }
    $n++;
  }
  if ($n == ${ARGV_CHUNKS}) { printf("A %llu %d -1 \\n", nsecs, tid); }
  delete(@ai[tid]);
  delete(@ac[tid]);
}
tracepoint:raw_syscalls:sys_enter /(@k[args->id] & ${KIND.sockaddr}) && @t[tid]/ {
  $k = @k[args->id];
  $sa = (($k >> 9) & 7) == 4 ? @a[tid, 4] : @a[tid, 1];
  if ($k & ${KIND.msghdr}) { $sa = $sa == 0 ? (uint64)0 : *(uint64 *)uptr($sa); }
  if ($sa != 0) {
    $fam = *(uint16 *)uptr($sa);
    if ($fam == 2) {
      printf("K %llu %d inet %u %u\\n", nsecs, tid, *(uint16 *)uptr($sa + 2), *(uint32 *)uptr($sa + 4));
    } else if ($fam == 10) {
      printf("K %llu %d inet6 %u %u %u %u %u\\n", nsecs, tid, *(uint16 *)uptr($sa + 2), *(uint32 *)uptr($sa + 8), *(uint32 *)uptr($sa + 12), *(uint32 *)uptr($sa + 16), *(uint32 *)uptr($sa + 20));
    } else if ($fam == 1) {
      $abstract = *(uint8 *)uptr($sa + 2) == 0 ? 1 : 0;
      printf("K %llu %d unix %d\\n", nsecs, tid, $abstract);
      $up = $sa + 2 + $abstract;
${chunked('S %llu %d 8', '$up', '      ')}
    } else {
      printf("K %llu %d family %u\\n", nsecs, tid, $fam);
    }
  }
}
tracepoint:raw_syscalls:sys_exit /(@k[args->id] & ${KIND.strings}) && @t[tid]/ {
  $k = @k[args->id];
  // A flat loop over (argument, chunk), its place kept in a map (see execve's arguments).
  @ai[tid] = 0;
  @ac[tid] = 0;
  $n = 0;
  while ($n < ${2 * MAX_CHUNKS + 6}) {
    $s = @ai[tid];
    if ($s >= 6) { break; }
    if (($k & (1 << $s)) == 0) {
      @ai[tid] = $s + 1;
    } else {
      $c = @ac[tid];
      $sp = @a[tid, $s];
      printf("S %llu %d %d %s\\n", nsecs, tid, $s, str(uptr($sp + $c * ${CHUNK})));
${goesOn('$sp + $c * ' + CHUNK, '      ')}
      if ($c + 1 < ${MAX_CHUNKS} && $more) {
        @ac[tid] = $c + 1;
      } else {
        @ai[tid] = $s + 1;
        @ac[tid] = 0;
      }
    }
    $n++;
  }
  delete(@ai[tid]);
  delete(@ac[tid]);
}
tracepoint:raw_syscalls:sys_exit /@k[args->id] && @t[tid]/ {
  $k = @k[args->id];
  $ret = args->ret;
  if ($k != 0) {
    if ($k & ${KIND.how}) { printf("K %llu %d how %llu\\n", nsecs, tid, *(uint64 *)uptr(@a[tid, 2])); }
    if (($k & ${KIND.fds}) && $ret == 0) {
      $fp = @a[tid, ($k >> 9) & 7];
      printf("K %llu %d fds %d %d\\n", nsecs, tid, *(int32 *)uptr($fp), *(int32 *)uptr($fp + 4));
    }
    $dev = (uint64)0;
    $ino = (uint64)0;
    $d1 = (uint64)0;
    $d2 = (uint64)0;
    $d3 = (uint64)0;
    if (($k & ${KIND.file}) && $ret >= 0) {
      $f = *(curtask->files->fdt->fd + $ret);
      $dev = (uint64)$f->f_inode->i_sb->s_dev;
      $ino = (uint64)$f->f_inode->i_ino;
      // The directories the kernel found it in, three levels up: a name is confirmed by
      // them when the file was replaced or removed since (configure's conftest.*, a
      // temporary directory already gone).
      $d = $f->f_path.dentry->d_parent;
      $d1 = (uint64)$d->d_inode->i_ino;
      $d = $d->d_parent;
      $d2 = (uint64)$d->d_inode->i_ino;
      $d = $d->d_parent;
      $d3 = (uint64)$d->d_inode->i_ino;
    }
    printf("R %llu %d %d %lld %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu\\n", nsecs, tid, args->id, $ret,
      @a[tid, 0], @a[tid, 1], @a[tid, 2], @a[tid, 3], @a[tid, 4], @a[tid, 5], $dev, $ino, $d1, $d2, $d3);
  }
}
END {
  clear(@t); clear(@cf); clear(@a); clear(@k); clear(@ai); clear(@ac);
}
`;
}
