/**
 * The grammar of strace's log, as named constants. Every marker the parser looks for
 * is here, with the strace output that shows it.
 */

/** `1234  open("a", O_RDONLY <unfinished ...>` — the call continues on a later line. */
export const UNFINISHED_SUFFIX = ' <unfinished ...>';
/** `execve("../sleep", ["../sleep", "0"], NULL <detached ...>` — strace let go of the tracee mid-call. */
export const DETACHED_SUFFIX = ' <detached ...>';
/**
 * `2028  execve("/bin/true", ["/bin/true"], 0x7ff… <pid changed to 2026 ...>` — a thread
 * called execve; the kernel gives the new image the thread group leader's pid.
 */
export const PID_CHANGED_RE = / <pid changed to (\d+) \.\.\.>$/;
/** `1234  <... open resumed> ) = 3` (old strace puts a space before the rest). */
export const RESUMED_PREFIX = '<... ';
export const RESUMED_MARK = ' resumed>';
/**
 * `<... read resumed> <unfinished ...>) = ?` — a resumed call cut off again because its
 * process died before the kernel returned from it.
 */
export const CUT_OFF_TAIL = '<unfinished ...>)';
/** `[pid  1234] …` — the prefix strace uses when writing to a terminal or with -o and -f. */
export const PID_BRACKET_PREFIX = '[pid';
/** `+++ exited with 0 +++` */
export const EXITED_RE = /^\+\+\+ exited with (-?\d+) \+\+\+$/;
/** `+++ killed by SIGSEGV (core dumped) +++` */
export const KILLED_RE = /^\+\+\+ killed by (SIG[A-Z0-9]+|[0-9]+)( \(core dumped\))? \+\+\+$/;
/** `+++ superseded by execve in pid 2028 +++` — the leader is replaced by the thread that exec'd. */
export const SUPERSEDED_RE = /^\+\+\+ superseded by execve in pid (\d+) \+\+\+$/;
/** `--- SIGCHLD {si_signo=SIGCHLD, …} ---` */
export const SIGNAL_RE = /^--- (SIG[A-Z0-9]+|SIGRT_?\d+|\d+) (.*) ---$/;
/** `--- stopped by SIGSTOP ---` */
export const STOPPED_RE = /^--- stopped by (SIG[A-Z0-9]+) ---$/;
/** strace's own messages: `strace: Process 27369 attached`. */
export const STRACE_MESSAGE_PREFIX = 'strace: ';
/** ` | 00000  61 62 63 …  abc… |` — hex dump of a buffer (`-e read=`, `-e write=`, `-X`). */
export const DUMP_RE = /^\| [0-9a-f]{5,} {2}.* \|$/;
/**
 * `clone(…) = 3 /* 8532 in strace's PID NS *\/` — with `--pidns-translation`, a pid the tracee
 * sees in its own PID namespace, and the same process as strace numbers it (the pid its
 * lines carry).
 */
export const PIDNS_RE = /^\/\* (\d+) in strace's PID NS \*\/$/;
/** `<0.000123>` — the `-T` duration that ends a line. */
export const DURATION_RE = /^<(\d+\.\d+)>$/;
/** An errno name after `= -1 `: `ENOENT`, `ERESTARTSYS`. */
export const ERRNO_RE = /^E[A-Z0-9_]+$/;
/** `(INJECTED)` — strace's fault injection (`-e inject=`) produced this result. */
export const INJECTED_MARK = '(INJECTED)';
/** `? <unavailable>` — the result could not be fetched (the process vanished). */
export const UNAVAILABLE_MARK = '<unavailable>';
