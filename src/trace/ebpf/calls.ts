/**
 * What the kernel side of the eBPF collector does for each system call, worked out from
 * the one syscall table (src/decode/syscalls.ts) and handed to the loader as `NR=KIND`
 * arguments (native/ebpf/record.h, K_*). Pure.
 *
 * The traced set is strace's `-e trace=` set with the same options; on top of it every
 * call that moves data (the table's `bytes`) has its result summed per descriptor in the
 * kernel, without a record of its own.
 */
import { DATAFLOW_SYSCALLS, PROBE_SYSCALLS, SYSCALLS, type ArgRole } from '../../decode/index.js';

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
  ptrace: 101,
  pivot_root: 155,
  chroot: 161,
  mount: 165,
  umount2: 166,
  unshare: 272,
  setns: 308,
  process_vm_readv: 310,
  process_vm_writev: 311,
  open_tree: 428,
  move_mount: 429,
  fsopen: 430,
  fsmount: 432,
  fspick: 433,
};

/** The call named by a number (the inverse of X86_64). */
export const CALL_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(X86_64).map(([name, nr]) => [nr, name]));

/** record.h's K_* bits. */
export const K = {
  /** Bit k: argument k is a string, read at the call's exit. */
  strings: 0x3f,
  record: 1 << 6,
  exec: 1 << 7,
  execAt: 1 << 8,
  sockaddr: 1 << 9,
  msghdr: 1 << 10,
  fds: 1 << 11,
  file: 1 << 12,
  cwd: 1 << 13,
  how: 1 << 14,
  close: 1 << 15,
  dup: 1 << 16,
  sweep: 1 << 17,
  lean: 1 << 18,
  atEntry: 1 << 19,
} as const;

/** No argument (the read and written slots' "none"). */
const NONE = 7;
/** Argument A of a call (a socket address, the descriptors pipe writes): bits 20–22. */
const slotA = (k: number): number => k * 2 ** 20;
const reads = (k: number): number => k * 2 ** 24;
const writes = (k: number): number => k * 2 ** 28;

/** The string arguments, by role. */
const STRING_ROLES: readonly ArgRole[] = ['path', 'from', 'to', 'target', 'fstype'];

/** Probe calls whose path argument is read (the other probe calls: numbers only). */
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
export interface CallOptions {
  readonly probes?: boolean;
  /** strace adds read/write calls; here they are counted in the kernel either way, and this is ignored. */
  readonly detailed?: boolean;
  /** Strings of failed calls that are only counted (a header search's ENOENT) are read too: a log is kept. Default: false. */
  readonly failedStrings?: boolean;
}

/** The calls that get a record, as strace would trace them with the same options. */
export function tracedCalls(opts: CallOptions = {}): string[] {
  const calls = [...DATAFLOW_SYSCALLS];
  if (opts.probes) calls.push(...PROBE_SYSCALLS);
  return calls;
}

/** The positions of a call's string arguments read at its exit (execve's are read at entry). */
export function stringSlots(call: string): number[] {
  const spec = SYSCALLS[call];
  if (!spec) return [];
  if (spec.set !== 'dataflow') return PROBE_PATH[call] === undefined ? [] : [PROBE_PATH[call]];
  if (spec.decodes === 'exec') return [];
  return STRING_ROLES.map((r) => spec.args[r]).filter((i): i is number => i !== undefined);
}

/** What else the kernel reads for a traced call, beyond its strings. */
function extras(call: string): number {
  switch (call) {
    case 'execve':
      return K.exec;
    case 'execveat':
      return K.exec | K.execAt;
    case 'connect':
    case 'bind':
      return K.sockaddr | slotA(1);
    case 'sendto':
      return K.sockaddr | slotA(4);
    case 'sendmsg':
    case 'sendmmsg':
      return K.sockaddr | K.msghdr | slotA(1);
    case 'pipe':
    case 'pipe2':
      return K.fds | slotA(0);
    case 'socketpair':
      return K.fds | slotA(3);
    case 'open':
    case 'openat':
    case 'creat':
      return K.file;
    case 'openat2':
      return K.file | K.how;
    case 'chdir':
    case 'fchdir':
      return K.cwd;
    case 'close':
      return K.close;
    case 'dup2':
    case 'dup3':
      return K.dup;
    case 'close_range':
      return K.sweep;
    case 'exit_group':
      return K.atEntry;
    default:
      return 0;
  }
}

/** The kind of one call (0: the kernel side passes over it). */
export function kindOf(call: string, traced: boolean, opts: CallOptions = {}): number {
  const spec = SYSCALLS[call];
  if (!spec) return 0;
  const bytes = reads(spec.bytes?.read ?? NONE) + writes(spec.bytes?.written ?? NONE);
  // clone, fork and vfork: the kernel's fork record (with the child's pid) says it all.
  if (!traced || spec.decodes === 'spawn') return spec.bytes ? bytes : 0;
  let k = K.record | extras(call);
  for (const s of stringSlots(call)) k |= 1 << s;
  if (spec.onFailure !== 'decode' && !opts.failedStrings) k |= K.lean;
  return k + bytes;
}

/** `NR=KIND` for the loader, for every call the kernel side looks at. */
export function loaderCalls(opts: CallOptions = {}): string[] {
  const traced = new Set(tracedCalls(opts));
  const out: string[] = [];
  for (const call of Object.keys(SYSCALLS)) {
    const nr = X86_64[call];
    const kind = nr === undefined ? 0 : kindOf(call, traced.has(call), opts);
    if (kind !== 0) out.push(`${nr}=${kind.toString(16)}`);
  }
  return out;
}
