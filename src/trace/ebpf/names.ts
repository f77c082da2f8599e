/**
 * x86-64 Linux numbers as strace names them: open flags, clone flags, socket constants,
 * errno and signal names. Pure tables, for writing the eBPF back end's records as
 * strace lines (log.ts).
 */

/** Flag bits → names, highest first where one name covers several bits. */
type Bits = readonly (readonly [number, string])[];

const OPEN_FLAGS: Bits = [
  [0o20200000, 'O_TMPFILE'],
  [0o4010000, 'O_SYNC'],
  [0o100, 'O_CREAT'],
  [0o200, 'O_EXCL'],
  [0o400, 'O_NOCTTY'],
  [0o1000, 'O_TRUNC'],
  [0o2000, 'O_APPEND'],
  [0o4000, 'O_NONBLOCK'],
  [0o10000, 'O_DSYNC'],
  [0o20000, 'O_ASYNC'],
  [0o40000, 'O_DIRECT'],
  [0o100000, 'O_LARGEFILE'],
  [0o200000, 'O_DIRECTORY'],
  [0o400000, 'O_NOFOLLOW'],
  [0o1000000, 'O_NOATIME'],
  [0o2000000, 'O_CLOEXEC'],
  [0o10000000, 'O_PATH'],
];

const CLONE_FLAGS: Bits = [
  [0x100, 'CLONE_VM'],
  [0x200, 'CLONE_FS'],
  [0x400, 'CLONE_FILES'],
  [0x800, 'CLONE_SIGHAND'],
  [0x1000, 'CLONE_PIDFD'],
  [0x2000, 'CLONE_PTRACE'],
  [0x4000, 'CLONE_VFORK'],
  [0x8000, 'CLONE_PARENT'],
  [0x10000, 'CLONE_THREAD'],
  [0x20000, 'CLONE_NEWNS'],
  [0x40000, 'CLONE_SYSVSEM'],
  [0x80000, 'CLONE_SETTLS'],
  [0x100000, 'CLONE_PARENT_SETTID'],
  [0x200000, 'CLONE_CHILD_CLEARTID'],
  [0x400000, 'CLONE_DETACHED'],
  [0x800000, 'CLONE_UNTRACED'],
  [0x1000000, 'CLONE_CHILD_SETTID'],
  [0x2000000, 'CLONE_NEWCGROUP'],
  [0x4000000, 'CLONE_NEWUTS'],
  [0x8000000, 'CLONE_NEWIPC'],
  [0x10000000, 'CLONE_NEWUSER'],
  [0x20000000, 'CLONE_NEWPID'],
  [0x40000000, 'CLONE_NEWNET'],
  [0x80000000, 'CLONE_IO'],
];

/** `bits` as `A|B|0x40` (the bits no name covers in hex, as strace writes them). */
function names(value: number, table: Bits, zero?: string): string {
  const out: string[] = [];
  let rest = value;
  for (const [bits, name] of table) {
    if ((rest & bits) === bits && bits !== 0) {
      out.push(name);
      rest &= ~bits;
    }
  }
  if (rest !== 0) out.push(`0x${(rest >>> 0).toString(16)}`);
  return out.length > 0 ? out.join('|') : (zero ?? '0');
}

/** `0o2000101` → `O_WRONLY|O_CREAT|O_CLOEXEC`. */
export function openFlags(value: number): string {
  const access = value & 3;
  const mode = access === 0 ? 'O_RDONLY' : access === 1 ? 'O_WRONLY' : access === 2 ? 'O_RDWR' : 'O_ACCMODE';
  const rest = names(value & ~3, OPEN_FLAGS, '');
  return rest ? `${mode}|${rest}` : mode;
}

/** Whether open flags ask for O_TMPFILE (an unnamed file in a directory). */
export const isTmpfile = (value: number): boolean => (value & 0o20200000) === 0o20200000;

/** `0x1200011` → `CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD`. */
export function cloneFlags(value: number): string {
  const signal = value & 0xff;
  const flags = names(value & ~0xff, CLONE_FLAGS, '');
  const sig = signal === 0 ? '' : (SIGNALS[signal] ?? String(signal));
  return [flags, sig].filter(Boolean).join('|') || '0';
}

const FAMILIES: Readonly<Record<number, string>> = {
  0: 'AF_UNSPEC',
  1: 'AF_UNIX',
  2: 'AF_INET',
  10: 'AF_INET6',
  16: 'AF_NETLINK',
  17: 'AF_PACKET',
};
export const family = (value: number): string => FAMILIES[value] ?? String(value);

const TYPES: Readonly<Record<number, string>> = { 1: 'SOCK_STREAM', 2: 'SOCK_DGRAM', 3: 'SOCK_RAW', 5: 'SOCK_SEQPACKET' };
/** `0x80001` → `SOCK_STREAM|SOCK_CLOEXEC`. */
export function socketType(value: number): string {
  const out = [TYPES[value & 0xf] ?? String(value & 0xf)];
  if (value & 0o4000) out.push('SOCK_NONBLOCK');
  if (value & 0o2000000) out.push('SOCK_CLOEXEC');
  return out.join('|');
}

const FCNTL: Readonly<Record<number, string>> = {
  0: 'F_DUPFD',
  1: 'F_GETFD',
  2: 'F_SETFD',
  3: 'F_GETFL',
  4: 'F_SETFL',
  1030: 'F_DUPFD_CLOEXEC',
};
export const fcntlCommand = (value: number): string => FCNTL[value] ?? `0x${value.toString(16)} /* F_??? */`;

/** The errno names strace prints, by number (x86-64). */
export const ERRNO: Readonly<Record<number, string>> = {
  1: 'EPERM',
  2: 'ENOENT',
  3: 'ESRCH',
  4: 'EINTR',
  5: 'EIO',
  6: 'ENXIO',
  7: 'E2BIG',
  8: 'ENOEXEC',
  9: 'EBADF',
  10: 'ECHILD',
  11: 'EAGAIN',
  12: 'ENOMEM',
  13: 'EACCES',
  14: 'EFAULT',
  16: 'EBUSY',
  17: 'EEXIST',
  18: 'EXDEV',
  19: 'ENODEV',
  20: 'ENOTDIR',
  21: 'EISDIR',
  22: 'EINVAL',
  23: 'ENFILE',
  24: 'EMFILE',
  25: 'ENOTTY',
  26: 'ETXTBSY',
  27: 'EFBIG',
  28: 'ENOSPC',
  30: 'EROFS',
  31: 'EMLINK',
  32: 'EPIPE',
  36: 'ENAMETOOLONG',
  38: 'ENOSYS',
  39: 'ENOTEMPTY',
  40: 'ELOOP',
  88: 'ENOTSOCK',
  91: 'EPROTOTYPE',
  93: 'EPROTONOSUPPORT',
  95: 'EOPNOTSUPP',
  97: 'EAFNOSUPPORT',
  98: 'EADDRINUSE',
  99: 'EADDRNOTAVAIL',
  100: 'ENETDOWN',
  101: 'ENETUNREACH',
  103: 'ECONNABORTED',
  104: 'ECONNRESET',
  106: 'EISCONN',
  107: 'ENOTCONN',
  110: 'ETIMEDOUT',
  111: 'ECONNREFUSED',
  113: 'EHOSTUNREACH',
  114: 'EALREADY',
  115: 'EINPROGRESS',
  116: 'ESTALE',
  122: 'EDQUOT',
  512: 'ERESTARTSYS',
  513: 'ERESTARTNOINTR',
  514: 'ERESTARTNOHAND',
  516: 'ERESTART_RESTARTBLOCK',
};

/** Signal names by number (x86-64). */
export const SIGNALS: Readonly<Record<number, string>> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  4: 'SIGILL',
  5: 'SIGTRAP',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  10: 'SIGUSR1',
  11: 'SIGSEGV',
  12: 'SIGUSR2',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
  16: 'SIGSTKFLT',
  17: 'SIGCHLD',
  18: 'SIGCONT',
  19: 'SIGSTOP',
  20: 'SIGTSTP',
  21: 'SIGTTIN',
  22: 'SIGTTOU',
  23: 'SIGURG',
  24: 'SIGXCPU',
  25: 'SIGXFSZ',
  26: 'SIGVTALRM',
  27: 'SIGPROF',
  28: 'SIGWINCH',
  29: 'SIGIO',
  30: 'SIGPWR',
  31: 'SIGSYS',
};
