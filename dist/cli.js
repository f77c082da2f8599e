#!/usr/bin/env node
import { readFileSync, createReadStream } from 'node:fs';
import { spawnSync, spawn } from 'node:child_process';

/**
 * Typed errors that carry what the user needs: where, what, and what to do. Only the
 * edges (cli.ts, main.ts) turn them into exit statuses or a failed step.
 */
/** Exit statuses of the CLI (DESIGN §2.1). */
const EXIT = {
    /** No failing findings. */
    ok: 0,
    /** Failing findings. */
    findings: 1,
    /** Usage, configuration, baseline or environment error: nothing was written. */
    usage: 2,
    /** The traced command itself failed; the report is still produced. */
    buildFailed: 3,
};
class IoanaError extends Error {
    /** The exit status the CLI uses for this error. */
    exitCode;
    /** What to do about it, one sentence. */
    hint;
    constructor(message, options = {}) {
        super(message, { cause: options.cause });
        this.name = new.target.name;
        this.exitCode = options.exitCode ?? EXIT.usage;
        this.hint = options.hint;
    }
}
/** Bad command line. */
class UsageError extends IoanaError {
}
/** strace is missing, too old, or not allowed to trace. */
class TraceSetupError extends IoanaError {
}
/** A file we were asked to read could not be read. */
class InputError extends IoanaError {
}
/** `message` plus the hint, as printed by the CLI: `ioana: … \n  hint: …`. */
function describeError(error) {
    if (error instanceof IoanaError)
        return error.hint ? `${error.message}\n  ${error.hint}` : error.message;
    if (error instanceof Error)
        return `internal error: ${error.message}`;
    return `internal error: ${String(error)}`;
}

/**
 * The strace command line ioana runs (DESIGN §1.1). Pure: builds arrays of strings.
 */
/**
 * The system calls that carry dataflow. Not `%file`: its stat/access/readlink probes
 * were more than half of all stops on a real `make -j2` build, and every stop costs
 * (strace serializes all tracees through one tracer). Not `read`/`write`: the
 * descriptor's open mode already says which way data can flow.
 */
const DATAFLOW_SYSCALLS = [
    // processes
    'execve', 'execveat', 'clone', 'clone3', 'fork', 'vfork', 'exit_group',
    // files
    'open', 'openat', 'openat2', 'creat',
    'rename', 'renameat', 'renameat2', 'link', 'linkat', 'symlink', 'symlinkat',
    'unlink', 'unlinkat', 'mkdir', 'mkdirat', 'rmdir', 'truncate', 'chdir', 'fchdir',
    // descriptors
    'dup', 'dup2', 'dup3', 'fcntl', 'close', 'close_range', 'pipe', 'pipe2',
    // sockets
    'socketpair', 'socket', 'connect', 'bind', 'accept', 'accept4',
    // a blind spot we must notice: I/O submitted through io_uring bypasses the calls above
    'io_uring_setup',
];
/** `read`/`write` and friends, added by the detailed mode for byte counts. */
const DETAIL_SYSCALLS = [
    'read', 'write', 'pread64', 'pwrite64', 'readv', 'writev', 'sendfile', 'splice', 'copy_file_range',
    'sendto', 'recvfrom', 'sendmsg', 'recvmsg',
];
/** The failed-lookup probes, added by the probe mode: what the build looked for and did not find. */
const PROBE_SYSCALLS = [
    'stat', 'lstat', 'newfstatat', 'statx', 'access', 'faccessat', 'faccessat2', 'readlink', 'readlinkat',
];
/**
 * `(opts, ['make', '-j2'])` → `['-f', '-yy', '-qq', …, '-o', LOG, '--', 'make', '-j2']`,
 * the arguments that follow `strace`.
 */
function straceArgs(opts, command) {
    const calls = [...DATAFLOW_SYSCALLS];
    if (opts.probes)
        calls.push(...PROBE_SYSCALLS);
    if (opts.detailed)
        calls.push(...DETAIL_SYSCALLS);
    const args = ['-f', '-yy', '-qq', '-s', String(opts.stringLimit ?? 4096)];
    if (opts.seccomp ?? true)
        args.push('--seccomp-bpf');
    args.push('-E', opts.callerLocale === undefined ? 'LC_ALL' : `LC_ALL=${opts.callerLocale}`);
    args.push('-e', `trace=${calls.join(',')}`, '-o', opts.logPath, '--', ...command);
    return args;
}
/**
 * The environment strace starts with: the caller's, in the C locale (the command gets
 * the caller's locale back through `-E`, see `callerLocale`) and with libuv's io_uring
 * off (its I/O would bypass the traced calls).
 */
function traceEnv(base) {
    return { ...base, LC_ALL: 'C', UV_USE_IO_URING: '0' };
}

/**
 * Before a build is traced: is strace there, which version, may it trace, can it
 * install its seccomp filter? Each failure becomes a TraceSetupError that names the
 * cause and the fix.
 */
const INSTALL_HINT = 'Install strace: `sudo apt-get install -y strace` (Debian, Ubuntu, GitHub runners), `sudo dnf install strace` (Fedora), `apk add strace` (Alpine).';
const PTRACE_HINT = 'strace needs ptrace. In a container, run it with `--cap-add=SYS_PTRACE` (Docker) or `securityContext.capabilities.add: [SYS_PTRACE]` (Kubernetes); ' +
    'on a host with Yama, `kernel.yama.ptrace_scope` must be 0 or 1 (`sudo sysctl kernel.yama.ptrace_scope=1`).';
/** `strace -- version 6.1` → `6.1`; `strace version 4.26` → `4.26`. */
function parseStraceVersion(text) {
    return /strace\s+(?:--\s+)?version\s+(\d+(?:\.\d+)+)/.exec(text)?.[1];
}
/** `('5.2', '5.3')` → -1. */
function compareVersions(a, b) {
    const pa = a.split('.').map(Number);
    const pb = b.split('.').map(Number);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const d = (pa[i] ?? 0) - (pb[i] ?? 0);
        if (d !== 0)
            return Math.sign(d);
    }
    return 0;
}
/** `--seccomp-bpf` arrived in strace 5.3. Older versions trace without it, more slowly. */
const SECCOMP_MIN_VERSION = '5.3';
/** `-yy` socket endpoints and `-qq` need at least this version. */
const MIN_VERSION = '4.22';
function yamaScope() {
    try {
        return readFileSync('/proc/sys/kernel/yama/ptrace_scope', 'utf8').trim();
    }
    catch {
        return undefined;
    }
}
/**
 * Runs `strace -V`, then traces `true` once with the flags ioana uses. Throws a
 * TraceSetupError when strace is missing, too old or cannot trace.
 */
function preflight(strace = process.env.IOANA_STRACE || 'strace', wantSeccomp = true) {
    const v = spawnSync(strace, ['-V'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    if (v.error) {
        const code = v.error.code;
        if (code === 'ENOENT') {
            throw new TraceSetupError(`strace was not found (looked for "${strace}" on PATH); ioana runs your build under strace.`, {
                hint: INSTALL_HINT,
            });
        }
        throw new TraceSetupError(`could not run ${strace}: ${v.error.message}`, { hint: INSTALL_HINT });
    }
    const version = parseStraceVersion(v.stdout + v.stderr);
    if (!version) {
        throw new TraceSetupError(`"${strace} -V" did not print a strace version; is "${strace}" really strace?`, { hint: INSTALL_HINT });
    }
    if (compareVersions(version, MIN_VERSION) < 0) {
        throw new TraceSetupError(`strace ${version} is too old: ioana needs strace ${MIN_VERSION} or newer (for -yy and -qq).`, {
            hint: INSTALL_HINT,
        });
    }
    const probe = (flags) => spawnSync(strace, ['-f', '-qq', ...flags, '-e', 'trace=execve', '-o', '/dev/null', '--', 'true'], {
        encoding: 'utf8',
        env: { ...process.env, LC_ALL: 'C' },
        timeout: 30_000,
    });
    let seccomp = false;
    let seccompNote;
    if (wantSeccomp && compareVersions(version, SECCOMP_MIN_VERSION) >= 0) {
        const r = probe(['--seccomp-bpf']);
        if (r.status === 0 && !/seccomp/i.test(r.stderr))
            seccomp = true;
        else
            seccompNote = `strace ${version} could not install its seccomp filter (${firstLine(r.stderr) || `exit ${r.status}`}); tracing without it is slower.`;
    }
    else if (wantSeccomp) {
        seccompNote = `strace ${version} has no --seccomp-bpf (it needs ${SECCOMP_MIN_VERSION}); tracing without it is slower.`;
    }
    const r = seccomp ? { status: 0, stderr: '' } : probe([]);
    if (r.status !== 0) {
        const message = firstLine(r.stderr);
        if (/ptrace|Operation not permitted|EPERM/i.test(r.stderr)) {
            const scope = yamaScope();
            const cause = scope === '2' || scope === '3'
                ? `kernel.yama.ptrace_scope is ${scope}`
                : 'the process lacks CAP_SYS_PTRACE or a seccomp/AppArmor profile forbids ptrace (common in containers)';
            throw new TraceSetupError(`strace is not permitted to trace here: ${message} (${cause}).`, { hint: PTRACE_HINT });
        }
        throw new TraceSetupError(`strace could not trace a test command: ${message || `exit status ${r.status}`}.`, { hint: PTRACE_HINT });
    }
    return { path: strace, version, seccomp, seccompNote };
}
function firstLine(text) {
    return (text ?? '').split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
}

/**
 * Runs a command under strace (the capture edge: it spawns processes). The build keeps
 * its terminal output; strace writes its log to a file, never to the build's stderr.
 */
/** `{exitCode: 2}` → `exit status 2`; `{signal: 'SIGSEGV'}` → `killed by SIGSEGV`. */
function describeOutcome(outcome) {
    const how = outcome.signal ? `killed by ${outcome.signal}` : `exit status ${outcome.exitCode}`;
    return outcome.interrupted ? `${how} (interrupted by ${outcome.interrupted})` : how;
}
const FORWARDED = ['SIGINT', 'SIGTERM'];
/**
 * Runs `strace … -- command` and resolves when it ends. strace exits with the
 * command's status, or dies of the command's signal, so its end is the command's end.
 * SIGINT and SIGTERM sent to ioana are passed on to the whole traced process group.
 */
function runTraced(opts) {
    const env = opts.env ?? process.env;
    const args = straceArgs({ ...opts, seccomp: opts.strace.seccomp, callerLocale: env.LC_ALL }, opts.command);
    return new Promise((resolve, reject) => {
        let interrupted;
        // Its own process group, so that one kill() reaches strace and every tracee; strace
        // run on a command blocks fatal signals itself (-I3) and reports the tracees' ends.
        const child = spawn(opts.strace.path, args, {
            cwd: opts.cwd,
            env: traceEnv(env),
            stdio: opts.stdio ?? 'inherit',
            detached: true,
        });
        const forward = (signal) => {
            interrupted = signal;
            try {
                if (child.pid !== undefined)
                    process.kill(-child.pid, signal);
            }
            catch {
                // The group is already gone: the build ended on its own.
            }
        };
        const handlers = FORWARDED.map((s) => [s, () => forward(s)]);
        for (const [s, h] of handlers)
            process.on(s, h);
        const cleanup = () => {
            for (const [s, h] of handlers)
                process.off(s, h);
        };
        child.on('error', (error) => {
            cleanup();
            reject(error.code === 'ENOENT'
                ? new TraceSetupError(`strace was not found ("${opts.strace.path}").`, { hint: INSTALL_HINT })
                : new TraceSetupError(`could not start strace: ${error.message}`));
        });
        child.on('exit', (exitCode, signal) => {
            cleanup();
            resolve({ exitCode, signal, interrupted });
        });
    });
}

/**
 * The grammar of strace's log, as named constants. Every marker the parser looks for
 * is here, with the strace output that shows it.
 */
/** `1234  open("a", O_RDONLY <unfinished ...>` — the call continues on a later line. */
const UNFINISHED_SUFFIX = ' <unfinished ...>';
/** `execve("../sleep", ["../sleep", "0"], NULL <detached ...>` — strace let go of the tracee mid-call. */
const DETACHED_SUFFIX = ' <detached ...>';
/**
 * `2028  execve("/bin/true", ["/bin/true"], 0x7ff… <pid changed to 2026 ...>` — a thread
 * called execve; the kernel gives the new image the thread group leader's pid.
 */
const PID_CHANGED_RE = / <pid changed to (\d+) \.\.\.>$/;
/** `1234  <... open resumed> ) = 3` (old strace puts a space before the rest). */
const RESUMED_PREFIX = '<... ';
const RESUMED_MARK = ' resumed>';
/**
 * `<... read resumed> <unfinished ...>) = ?` — a resumed call cut off again because its
 * process died before the kernel returned from it.
 */
const CUT_OFF_TAIL = '<unfinished ...>)';
/** `[pid  1234] …` — the prefix strace uses when writing to a terminal or with -o and -f. */
const PID_BRACKET_PREFIX = '[pid';
/** `+++ exited with 0 +++` */
const EXITED_RE = /^\+\+\+ exited with (-?\d+) \+\+\+$/;
/** `+++ killed by SIGSEGV (core dumped) +++` */
const KILLED_RE = /^\+\+\+ killed by (SIG[A-Z0-9]+|[0-9]+)( \(core dumped\))? \+\+\+$/;
/** `+++ superseded by execve in pid 2028 +++` — the leader is replaced by the thread that exec'd. */
const SUPERSEDED_RE = /^\+\+\+ superseded by execve in pid (\d+) \+\+\+$/;
/** `--- SIGCHLD {si_signo=SIGCHLD, …} ---` */
const SIGNAL_RE = /^--- (SIG[A-Z0-9]+|SIGRT_?\d+|\d+) (.*) ---$/;
/** `--- stopped by SIGSTOP ---` */
const STOPPED_RE = /^--- stopped by (SIG[A-Z0-9]+) ---$/;
/** strace's own messages: `strace: Process 27369 attached`. */
const STRACE_MESSAGE_PREFIX = 'strace: ';
/** ` | 00000  61 62 63 …  abc… |` — hex dump of a buffer (`-e read=`, `-e write=`, `-X`). */
const DUMP_RE = /^\| [0-9a-f]{5,} {2}.* \|$/;
/** `<0.000123>` — the `-T` duration that ends a line. */
const DURATION_RE = /^<(\d+\.\d+)>$/;
/** An errno name after `= -1 `: `ENOENT`, `ERESTARTSYS`. */
const ERRNO_RE = /^E[A-Z0-9_]+$/;
/** `(INJECTED)` — strace's fault injection (`-e inject=`) produced this result. */
const INJECTED_MARK = '(INJECTED)';
/** `? <unavailable>` — the result could not be fetched (the process vanished). */
const UNAVAILABLE_MARK = '<unavailable>';

/**
 * Character-level scanning of a system call's argument list. One pass, no regular
 * expressions: this is the parser's hot path, run on every line of the log.
 *
 * What makes it more than `split(',')`: strings (`"a, b"`), nesting (`[{…}, {…}]`),
 * and `-y` decorations, which hold paths strace does not quote
 * (`3</tmp/a)b>`, `1</dev/null<char 1:3>>`, `8<TCP:[127.0.0.1:1->127.0.0.1:2]>`).
 */
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c;
const LPAREN = 0x28;
const RPAREN = 0x29;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LT = 0x3c;
const GT = 0x3e;
const COMMA = 0x2c;
const SLASH = 0x2f;
/** `"a\"b"…` at `i` (the opening quote) → index of the closing quote, or -1. */
function skipString(text, i) {
    for (let j = i + 1; j < text.length; j++) {
        const c = text.charCodeAt(j);
        if (c === BACKSLASH)
            j++;
        else if (c === QUOTE)
            return j;
    }
    return -1;
}
/** A `<` that follows a descriptor number or `AT_FDCWD` opens a decoration: `3<`, `AT_FDCWD<`. */
function opensDecoration(text, i) {
    if (i === 0)
        return false;
    const p = text.charCodeAt(i - 1);
    return (p >= 0x30 && p <= 0x39) || (p >= 0x41 && p <= 0x5a) || (p >= 0x61 && p <= 0x7a);
}
/**
 * `<…>` at `i` → index of its closing `>`, or -1.
 * A path decoration (`</a/b>`) ends at the first `>` that closes it: strace escapes `<`
 * and `>` inside paths (`\74`, `\76`) but nothing else, so `)` or `[` in a path is text.
 * Any other decoration (`<pipe:[1]>`, `<TCP:[a->b]>`, `<TCPv6:[[::1]:80->[::1]:9]>`)
 * has brackets, and a `>` inside them (`->`) does not close it.
 */
function skipDecoration(text, i) {
    const n = text.length;
    if (text.charCodeAt(i + 1) === SLASH) {
        let depth = 0;
        for (let j = i; j < n; j++) {
            const c = text.charCodeAt(j);
            if (c === BACKSLASH)
                j++;
            else if (c === LT)
                depth++;
            else if (c === GT && --depth === 0)
                return j;
        }
        return -1;
    }
    let depth = 0;
    let brackets = 0;
    for (let j = i; j < n; j++) {
        const c = text.charCodeAt(j);
        if (c === BACKSLASH)
            j++;
        else if (c === QUOTE) {
            j = skipString(text, j);
            if (j < 0)
                return -1;
        }
        else if (c === LBRACKET)
            brackets++;
        else if (c === RBRACKET)
            brackets--;
        else if (brackets === 0) {
            if (c === LT)
                depth++;
            else if (c === GT && --depth === 0)
                return j;
        }
    }
    return -1;
}
/**
 * `3</a>, "x, y", [1, 2]) = 0` from `start` → `{ args: ['3</a>', '"x, y"', '[1, 2]'], end }`.
 * With `openEnd`, a list that runs to the end of the text without `)` is accepted
 * (the head of an `<unfinished ...>` call). Returns undefined when the text is not an
 * argument list: an unterminated string or decoration, or no closing `)`.
 */
function scanArgs(text, start, openEnd) {
    const args = [];
    const n = text.length;
    let depth = 0;
    let argStart = start;
    for (let i = start; i < n; i++) {
        const c = text.charCodeAt(i);
        switch (c) {
            case QUOTE:
                i = skipString(text, i);
                if (i < 0)
                    return undefined;
                break;
            case BACKSLASH:
                i++;
                break;
            case LPAREN:
            case LBRACKET:
            case LBRACE:
                depth++;
                break;
            case RBRACKET:
            case RBRACE:
                depth--;
                break;
            case RPAREN:
                if (depth === 0) {
                    pushArg(args, text, argStart, i, true);
                    return { args, end: i + 1 };
                }
                depth--;
                break;
            case COMMA:
                if (depth === 0) {
                    pushArg(args, text, argStart, i, false);
                    argStart = i + 1;
                }
                break;
            case LT:
                if (opensDecoration(text, i)) {
                    i = skipDecoration(text, i);
                    if (i < 0)
                        return undefined;
                }
                break;
        }
    }
    if (!openEnd)
        return undefined;
    pushArg(args, text, argStart, n, true);
    return { args, end: n };
}
/**
 * Adds `text[from, to)` trimmed. An empty last slot is not an argument: `f()` has none,
 * and the head of `wait4(-1,  <unfinished ...>` has one.
 */
function pushArg(args, text, from, to, last) {
    const arg = text.slice(from, to).trim();
    if (arg === '' && last)
        return;
    args.push(arg);
}

const NUMBER_RE = /^(?:-?\d+|0x[0-9a-f]+)$/;
/**
 * `  = -1 ENOENT (No such file or directory) <0.000012>` from `pos` → the result.
 * Returns a string (the reason) when the text after `)` is not a strace result.
 */
function parseResult(text, pos) {
    let i = pos;
    while (text.charCodeAt(i) === 0x20)
        i++;
    if (text.charCodeAt(i) !== 0x3d /* = */)
        return 'no "=" after the argument list';
    let rest = text.slice(i + 1).trim();
    let duration;
    const lt = rest.lastIndexOf(' <');
    if (lt >= 0 && rest.endsWith('>')) {
        const tail = rest.slice(lt + 1);
        const m = DURATION_RE.exec(tail);
        if (m) {
            duration = Number(m[1]);
            rest = rest.slice(0, lt).trimEnd();
        }
        else if (tail !== UNAVAILABLE_MARK) {
            return `bad duration "${tail}"`;
        }
    }
    let injected = false;
    if (rest.endsWith(INJECTED_MARK)) {
        injected = true;
        rest = rest.slice(0, -INJECTED_MARK.length).trimEnd();
    }
    if (rest.startsWith('?')) {
        const after = rest.slice(1).trim();
        if (after === '')
            return { result: { kind: 'unknown' }, duration };
        if (after === UNAVAILABLE_MARK)
            return { result: { kind: 'unknown', note: 'unavailable' }, duration };
        const err = parseErrno(after, injected);
        return err ? { result: err, duration } : `bad result "${rest}"`;
    }
    // The value runs to the first space, except inside a decoration (`3</a b>`).
    let end = 0;
    while (end < rest.length && rest.charCodeAt(end) !== 0x20) {
        if (rest.charCodeAt(end) === 0x3c && opensDecoration(rest, end)) {
            end = skipDecoration(rest, end);
            if (end < 0)
                return `unterminated decoration in result "${rest}"`;
        }
        end++;
    }
    const token = rest.slice(0, end);
    const after = rest.slice(end).trim();
    const lt2 = token.indexOf('<');
    const numText = lt2 < 0 ? token : token.slice(0, lt2);
    if (!NUMBER_RE.test(numText))
        return `bad return value "${token}"`;
    const value = Number(numText);
    if (after === '')
        return { result: { kind: 'ok', value, text: token, injected }, duration };
    if (value < 0) {
        const err = parseErrno(after, injected);
        if (err)
            return { result: err, duration };
    }
    if (after.startsWith('(') && after.endsWith(')')) {
        return { result: { kind: 'ok', value, text: token, detail: after.slice(1, -1), injected }, duration };
    }
    return `unexpected text after the return value: "${after}"`;
}
/**
 * `ENOENT (No such file or directory)` → error; `(errno 18446744073709551359)` (strace
 * could not name it) → error `EUNKNOWN`; anything else → undefined.
 */
function parseErrno(text, injected) {
    const sp = text.indexOf(' ');
    const name = sp < 0 ? text : text.slice(0, sp);
    const message = sp < 0 ? '' : text.slice(sp + 1).trim();
    if (ERRNO_RE.test(name)) {
        if (message !== '' && !(message.startsWith('(') && message.endsWith(')')))
            return undefined;
        return { kind: 'error', errno: name, message: message.slice(1, -1), injected };
    }
    if (text.startsWith('(errno ') && text.endsWith(')')) {
        return { kind: 'error', errno: 'EUNKNOWN', message: text.slice(1, -1), injected };
    }
    return undefined;
}

const SPACE = 0x20;
const MAX_UNPARSED_TEXT = 200;
const isDigit = (c) => c >= 0x30 && c <= 0x39;
const isNameChar = (c) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || isDigit(c) || c === 0x5f;
function unparsed(line, text, reason) {
    return { kind: 'unparsed', line, text: text.length > MAX_UNPARSED_TEXT ? text.slice(0, MAX_UNPARSED_TEXT) + '…' : text, reason };
}
/**
 * `12  11:29:49.1 open("a", O_RDONLY) = 3</a> <0.000030>` → a `syscall` event;
 * `Hello` → an `unparsed` record with the reason. Never throws.
 */
function parseLine(text, line) {
    const n = text.length;
    let i = 0;
    while (i < n && text.charCodeAt(i) === SPACE)
        i++;
    if (i === n)
        return unparsed(line, text, 'empty line');
    if (text.startsWith(STRACE_MESSAGE_PREFIX, i)) {
        return { kind: 'message', line, text: text.slice(i + STRACE_MESSAGE_PREFIX.length) };
    }
    if (text.charCodeAt(i) === 0x7c /* | */) {
        return DUMP_RE.test(text.slice(i).trimEnd()) ? { kind: 'dump', line } : unparsed(line, text, 'not a hex dump line');
    }
    // The pid: `[pid  1234] ` or `1234 ` (a number followed by a space; `11:29:49` and
    // `1700000000.5` are timestamps of a log without pids).
    let pid = 0;
    if (text.startsWith(PID_BRACKET_PREFIX, i)) {
        let j = i + PID_BRACKET_PREFIX.length;
        while (text.charCodeAt(j) === SPACE)
            j++;
        const from = j;
        while (isDigit(text.charCodeAt(j)))
            j++;
        if (j === from || text.charCodeAt(j) !== 0x5d /* ] */)
            return unparsed(line, text, 'bad [pid N] prefix');
        pid = Number(text.slice(from, j));
        i = j + 1;
        while (text.charCodeAt(i) === SPACE)
            i++;
    }
    else if (isDigit(text.charCodeAt(i))) {
        let j = i;
        while (isDigit(text.charCodeAt(j)))
            j++;
        const c = text.charCodeAt(j);
        if (c === SPACE) {
            pid = Number(text.slice(i, j));
            i = j;
            while (text.charCodeAt(i) === SPACE)
                i++;
        }
        else if (c !== 0x3a /* : */ && c !== 0x2e /* . */) {
            return unparsed(line, text, 'bad pid');
        }
    }
    // The timestamp (-t, -tt, -ttt, -r): digits with ':' or '.', then a space.
    let time;
    if (isDigit(text.charCodeAt(i))) {
        let j = i;
        let c = text.charCodeAt(j);
        while (isDigit(c) || c === 0x3a || c === 0x2e)
            c = text.charCodeAt(++j);
        const token = text.slice(i, j);
        if (c !== SPACE || (token.indexOf(':') < 0 && token.indexOf('.') < 0)) {
            return unparsed(line, text, 'expected a system call after the pid');
        }
        time = token;
        i = j;
        while (text.charCodeAt(i) === SPACE)
            i++;
    }
    // -i: `[00007f3a8e2c1234] ` instruction pointer.
    if (text.charCodeAt(i) === 0x5b /* [ */) {
        const close = text.indexOf('] ', i);
        if (close > 0 && /^\[[0-9a-f?]+$/.test(text.slice(i, close))) {
            i = close + 2;
            while (text.charCodeAt(i) === SPACE)
                i++;
        }
    }
    const c = text.charCodeAt(i);
    if (isNameChar(c) && !isDigit(c))
        return parseCall(text, i, line, pid, time);
    const body = text.slice(i).trimEnd();
    if (c === 0x3c /* < */)
        return parseResumed(body, line, pid, time) ?? unparsed(line, text, 'bad "<... resumed>" line');
    if (c === 0x2b /* + */)
        return parseExit(body, line, pid, time) ?? unparsed(line, text, 'bad "+++" line');
    if (c === 0x2d /* - */)
        return parseSignal(body, line, pid, time) ?? unparsed(line, text, 'bad "---" line');
    return unparsed(line, text, 'not a strace line');
}
function parseCall(text, i, line, pid, time) {
    let j = i;
    while (isNameChar(text.charCodeAt(j)))
        j++;
    if (text.charCodeAt(j) !== 0x28 /* ( */)
        return unparsed(line, text, 'expected "(" after the system call name');
    const name = text.slice(i, j);
    const argsStart = j + 1;
    let end = text.length;
    while (end > argsStart && text.charCodeAt(end - 1) === SPACE)
        end--;
    if (text.endsWith(UNFINISHED_SUFFIX, end)) {
        return { kind: 'unfinished', line, pid, time, name, head: text.slice(argsStart, end - UNFINISHED_SUFFIX.length) };
    }
    if (text.charCodeAt(end - 1) === 0x3e /* > */) {
        if (text.endsWith(DETACHED_SUFFIX, end)) {
            const scanned = scanArgs(text.slice(argsStart, end - DETACHED_SUFFIX.length), 0, true);
            if (!scanned)
                return unparsed(line, text, 'bad argument list');
            return { kind: 'syscall', line, pid, time, name, args: scanned.args, result: { kind: 'missing', why: 'detached' } };
        }
        const changed = PID_CHANGED_RE.exec(text.slice(argsStart, end));
        if (changed) {
            return {
                kind: 'unfinished',
                line,
                pid,
                time,
                name,
                head: text.slice(argsStart, end - changed[0].length),
                pidChangedTo: Number(changed[1]),
            };
        }
    }
    const scanned = scanArgs(text, argsStart, false);
    if (!scanned)
        return unparsed(line, text, 'unterminated argument list');
    const parsed = parseResult(text, scanned.end);
    if (typeof parsed === 'string')
        return unparsed(line, text, parsed);
    return { kind: 'syscall', line, pid, time, name, args: scanned.args, result: parsed.result, duration: parsed.duration };
}
/** `<... open resumed>, O_RDONLY) = 3` → `{ name: 'open', tail: ', O_RDONLY) = 3' }`. */
function parseResumed(body, line, pid, time) {
    if (!body.startsWith(RESUMED_PREFIX))
        return undefined;
    const mark = body.indexOf(RESUMED_MARK, RESUMED_PREFIX.length);
    if (mark < 0)
        return undefined;
    const name = body.slice(RESUMED_PREFIX.length, mark);
    for (let k = 0; k < name.length; k++)
        if (!isNameChar(name.charCodeAt(k)))
            return undefined;
    if (name === '')
        return undefined;
    return { kind: 'resumed', line, pid, time, name, tail: body.slice(mark + RESUMED_MARK.length) };
}
function parseExit(body, line, pid, time) {
    let m = EXITED_RE.exec(body);
    if (m)
        return { kind: 'exit', line, pid, time, status: Number(m[1]) };
    m = KILLED_RE.exec(body);
    if (m)
        return { kind: 'killed', line, pid, time, signal: m[1], coreDumped: m[2] !== undefined };
    m = SUPERSEDED_RE.exec(body);
    if (m)
        return { kind: 'superseded', line, pid, time, by: Number(m[1]) };
    return undefined;
}
function parseSignal(body, line, pid, time) {
    let m = SIGNAL_RE.exec(body);
    if (m)
        return { kind: 'signal', line, pid, time, signal: m[1], info: m[2] };
    m = STOPPED_RE.exec(body);
    if (m)
        return { kind: 'signal', line, pid, time, signal: m[1], info: 'stopped' };
    return undefined;
}
/** The tail of a resumed call that died again: ` <unfinished ...>) = ?`. */
function isCutOffTail(tail) {
    let i = 0;
    while (tail.charCodeAt(i) === SPACE)
        i++;
    return tail.charCodeAt(i) === 0x3c /* < */ && tail.startsWith(CUT_OFF_TAIL, i);
}

function emptyStats() {
    return {
        lines: 0,
        blank: 0,
        unparsed: 0,
        syscalls: 0,
        processes: 0,
        signals: 0,
        messages: 0,
        dumps: 0,
        resumed: 0,
        orphanResumed: 0,
        incomplete: 0,
    };
}
/**
 * Feed it lines with `line()`, then call `end()`; every event goes to the sink in log
 * order, except that a split call is emitted when its `<... resumed>` line arrives
 * (that is when its result exists), carrying the line number where it started.
 */
class StraceParser {
    sink;
    stats = emptyStats();
    pending = new Map();
    /** Pids that will see the `<... execve resumed>` of a thread's execve (`<pid changed to N ...>`). */
    replaced = new Set();
    pids = new Set();
    constructor(sink) {
        this.sink = sink;
    }
    line(text) {
        const lineNo = ++this.stats.lines;
        if (text.length === 0 || (text.charCodeAt(0) === 0x20 && text.trim() === '')) {
            this.stats.blank++;
            return;
        }
        const rec = parseLine(text, lineNo);
        switch (rec.kind) {
            case 'syscall':
                this.see(rec.pid);
                this.syscall(rec);
                return;
            case 'unfinished': {
                this.see(rec.pid);
                const previous = this.pending.get(rec.pid);
                // A thread cannot be in two calls at once: a second start means the log lost
                // the first one's end (strace's doubled markers). Keep what we know of it.
                if (previous)
                    this.flush(previous, 'cut-off');
                if (rec.pidChangedTo !== undefined) {
                    // The thread's execve replaced the whole process; its result arrives as
                    // `<... execve resumed>` under the leader's pid, after `+++ superseded`.
                    this.replaced.add(rec.pidChangedTo);
                    this.flush(rec, 'replaced');
                    return;
                }
                this.pending.set(rec.pid, rec);
                return;
            }
            case 'resumed':
                this.see(rec.pid);
                this.resume(rec.pid, rec.name, rec.tail, rec.line, text);
                return;
            case 'killed':
            case 'superseded': {
                this.see(rec.pid);
                const open = this.pending.get(rec.pid);
                if (open)
                    this.flush(open, 'cut-off');
                this.sink(rec.kind === 'killed'
                    ? { kind: 'killed', line: rec.line, pid: rec.pid, signal: rec.signal, coreDumped: rec.coreDumped }
                    : { kind: 'superseded', line: rec.line, pid: rec.pid, by: rec.by });
                return;
            }
            case 'exit':
                this.see(rec.pid);
                this.sink({ kind: 'exit', line: rec.line, pid: rec.pid, status: rec.status });
                return;
            case 'signal':
                this.see(rec.pid);
                this.stats.signals++;
                this.sink({ kind: 'signal', line: rec.line, pid: rec.pid, signal: rec.signal, info: rec.info });
                return;
            case 'message':
                this.stats.messages++;
                this.sink(rec);
                return;
            case 'dump':
                this.stats.dumps++;
                this.sink(rec);
                return;
            case 'unparsed':
                this.stats.unparsed++;
                this.sink(rec);
                return;
            default: {
                const never = rec;
                throw new Error(`parse/StraceParser: unhandled record ${JSON.stringify(never)}`);
            }
        }
    }
    /** The log ended: calls still waiting for their result are emitted without one. */
    end() {
        const open = [...this.pending.values()].sort((a, b) => a.line - b.line);
        for (const rec of open)
            this.flush(rec, 'eof');
        this.stats.processes = this.pids.size;
    }
    see(pid) {
        this.pids.add(pid);
    }
    syscall(event) {
        this.stats.syscalls++;
        this.sink(event);
    }
    resume(pid, name, tail, lineNo, text) {
        const start = this.pending.get(pid);
        if (name === 'execve' && this.replaced.has(pid) && start?.name !== 'execve') {
            // The leader's half of a thread's execve: already emitted at `<pid changed to …>`.
            this.replaced.delete(pid);
            this.stats.resumed++;
            return;
        }
        if (!start || start.name !== name) {
            if (start)
                this.flush(start, 'cut-off');
            this.orphan(pid, name, tail, lineNo, text);
            return;
        }
        this.pending.delete(pid);
        this.stats.resumed++;
        if (isCutOffTail(tail)) {
            const head = scanArgs(start.head, 0, true);
            this.syscall(splitCall(start, lineNo, head ? head.args : [], { kind: 'missing', why: 'cut-off' }, undefined));
            return;
        }
        const joined = start.head + tail;
        const scanned = scanArgs(joined, 0, false);
        const parsed = scanned ? parseResult(joined, scanned.end) : 'unterminated argument list';
        if (!scanned || typeof parsed === 'string') {
            // The start stands as a call without result; the bad second half is reported.
            this.stats.resumed--;
            this.pending.set(pid, start);
            this.flush(start, 'cut-off');
            this.stats.unparsed++;
            this.sink(unparsed(lineNo, text, `resumed call: ${parsed}`));
            return;
        }
        this.syscall(splitCall(start, lineNo, scanned.args, parsed.result, parsed.duration));
    }
    /** A `<... resumed>` with no start: its arguments are only the tail's. */
    orphan(pid, name, tail, lineNo, text) {
        this.stats.orphanResumed++;
        if (isCutOffTail(tail)) {
            this.syscall({ kind: 'syscall', line: lineNo, pid, name, args: [], result: { kind: 'missing', why: 'cut-off' }, orphan: true });
            return;
        }
        const scanned = scanArgs(tail, 0, false);
        const parsed = scanned ? parseResult(tail, scanned.end) : 'unterminated argument list';
        if (!scanned || typeof parsed === 'string') {
            this.stats.unparsed++;
            this.sink(unparsed(lineNo, text, `resumed call: ${parsed}`));
            return;
        }
        this.syscall({
            kind: 'syscall',
            line: lineNo,
            pid,
            name,
            args: scanned.args,
            result: parsed.result,
            duration: parsed.duration,
            orphan: true,
        });
    }
    flush(rec, why) {
        if (this.pending.get(rec.pid) === rec)
            this.pending.delete(rec.pid);
        if (why !== 'replaced')
            this.stats.incomplete++;
        const head = scanArgs(rec.head, 0, true);
        const result = { kind: 'missing', why };
        this.syscall({
            kind: 'syscall',
            line: rec.line,
            pid: rec.pid,
            time: rec.time,
            name: rec.name,
            args: head ? head.args : [],
            result,
            pidChangedTo: rec.pidChangedTo,
        });
    }
}
/** The event for a call whose start is `start` and whose end came at line `resumedAt`. */
function splitCall(start, resumedAt, args, result, duration) {
    return { kind: 'syscall', line: start.line, pid: start.pid, time: start.time, name: start.name, args, result, duration, resumedAt };
}

new TextDecoder('utf-8', { fatal: true });

/**
 * Reading a log file as lines, at the edge. Chunks of 1 MiB are split by hand: this
 * is faster than node's readline and lets the parser run synchronously per chunk
 * instead of awaiting once per line.
 */
/** A line longer than this (no newline in 16 MiB: not a strace log) is cut and passed on. */
const MAX_LINE = 16 * 1024 * 1024;
const CHUNK = 1024 * 1024;
/**
 * Calls `onLine` for every line of the file, without the newline; a last line without
 * a newline is a line too. `onChunk` is called after each chunk (for a progress line).
 */
async function forEachLine(path, onLine, onChunk) {
    let partial = '';
    let bytes = 0;
    let lines = 0;
    const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK });
    try {
        for await (const chunk of stream) {
            bytes += Buffer.byteLength(chunk);
            let from = 0;
            let nl = chunk.indexOf('\n');
            if (nl >= 0 && partial !== '') {
                onLine(partial + chunk.slice(0, nl));
                lines++;
                partial = '';
                from = nl + 1;
                nl = chunk.indexOf('\n', from);
            }
            while (nl >= 0) {
                onLine(chunk.slice(from, nl));
                lines++;
                from = nl + 1;
                nl = chunk.indexOf('\n', from);
            }
            partial += chunk.slice(from);
            if (partial.length > MAX_LINE) {
                onLine(partial.slice(0, MAX_LINE));
                lines++;
                partial = '';
            }
            onChunk?.({ bytes, lines });
        }
    }
    catch (error) {
        throw readError(path, error);
    }
    if (partial !== '')
        onLine(partial);
}
function readError(path, error) {
    const code = error.code;
    if (code === 'ENOENT')
        return new InputError(`trace log not found: ${path}`, { hint: 'Check the path given to --trace.' });
    if (code === 'EISDIR')
        return new InputError(`trace log is a directory: ${path}`, { hint: 'Give the path of a strace log file.' });
    if (code === 'EACCES')
        return new InputError(`trace log is not readable: ${path}`, { hint: 'Check the file\'s permissions.' });
    return new InputError(`could not read trace log ${path}: ${error.message}`);
}

/** Unparsed lines kept for `--verbose` and the report; the count is always exact. */
const MAX_KEPT_UNPARSED = 1000;
async function analyzeLog(path, opts = {}) {
    const unparsed = [];
    const parser = new StraceParser((event) => {
        if (event.kind === 'unparsed' && unparsed.length < MAX_KEPT_UNPARSED)
            unparsed.push(event);
    });
    await forEachLine(path, (line) => parser.line(line), opts.onProgress);
    parser.end();
    return { stats: parser.stats, unparsed };
}

/**
 * Command-line parsing for `ioana`: `ioana COMMAND [options] [-- COMMAND...]`.
 * Pure: argv in, a typed result or a UsageError out.
 */
/** `parsed.values.get('trace')?.[0]` as a function: the last value of an option. */
function optionValue(args, name) {
    const v = args.values.get(name);
    return v?.[v.length - 1];
}
/**
 * `['graph', '--trace', 'a.log', '--format=json']` → `{ command: 'graph', values: {trace:
 * ['a.log'], format: ['json']}, … }`. Unknown commands and options, missing values and
 * stray arguments are UsageErrors that name the culprit.
 */
function parseArgs(argv, commands) {
    const [command, ...rest] = argv;
    if (command === undefined)
        throw new UsageError('no command given.', { hint: 'Run `ioana --help` for the commands.' });
    const spec = commands[command];
    if (!spec) {
        throw new UsageError(`unknown command "${command}".`, { hint: `Commands: ${Object.keys(commands).join(', ')}. Run \`ioana --help\`.` });
    }
    const values = new Map();
    const flags = new Set();
    const positionals = [];
    let run = [];
    for (let i = 0; i < rest.length; i++) {
        const arg = rest[i];
        if (arg === '--') {
            if (!spec.takesCommand)
                throw new UsageError(`"ioana ${command}" does not run a command (unexpected "--").`, { hint: spec.usage });
            run = rest.slice(i + 1);
            break;
        }
        if (arg.startsWith('--') && arg.length > 2) {
            const eq = arg.indexOf('=');
            const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
            const opt = spec.options[name];
            if (!opt)
                throw new UsageError(`unknown option "--${name}" for "ioana ${command}".`, { hint: spec.usage });
            if (!opt.takesValue) {
                if (eq >= 0)
                    throw new UsageError(`option "--${name}" takes no value.`, { hint: spec.usage });
                flags.add(name);
                continue;
            }
            let value;
            if (eq >= 0)
                value = arg.slice(eq + 1);
            else {
                value = rest[i + 1];
                if (value === undefined || value === '--')
                    throw new UsageError(`option "--${name}" needs a value (${opt.valueName ?? 'VALUE'}).`, { hint: spec.usage });
                i++;
            }
            if (values.has(name) && !opt.repeatable)
                throw new UsageError(`option "--${name}" given twice.`, { hint: spec.usage });
            values.set(name, [...(values.get(name) ?? []), value]);
            continue;
        }
        if (arg.startsWith('-') && arg !== '-')
            throw new UsageError(`unknown option "${arg}" for "ioana ${command}".`, { hint: spec.usage });
        positionals.push(arg);
    }
    const pos = spec.positionals ?? { min: 0, max: 0, names: '' };
    if (positionals.length > pos.max) {
        throw new UsageError(`unexpected argument "${positionals[pos.max]}" for "ioana ${command}".`, {
            hint: spec.takesCommand ? `Put the command to trace after "--". ${spec.usage}` : spec.usage,
        });
    }
    if (positionals.length < pos.min)
        throw new UsageError(`"ioana ${command}" needs ${pos.names}.`, { hint: spec.usage });
    return { command, values, flags, positionals, run };
}
/** The help text of one command. */
function commandHelp(name, spec) {
    const lines = [`ioana ${name} — ${spec.summary}`, '', `usage: ${spec.usage}`, ''];
    const width = Math.max(0, ...Object.entries(spec.options).map(([k, o]) => k.length + (o.valueName ? o.valueName.length + 1 : 0)));
    for (const [k, o] of Object.entries(spec.options)) {
        const left = `--${k}${o.valueName ? ' ' + o.valueName : ''}`;
        lines.push(`  ${left.padEnd(width + 4)}${o.help}`);
    }
    return lines.join('\n');
}

const traceOptions = {
    'no-seccomp': { takesValue: false, help: 'trace without --seccomp-bpf (slower; keeps daemons the build leaves running alive)' },
    probes: { takesValue: false, help: 'also trace stat/access probes (what the build looked for)' },
    detailed: { takesValue: false, help: 'also trace read/write calls (slower)' },
};
const COMMANDS = {
    trace: {
        summary: 'run a command under strace and keep the raw log',
        usage: 'ioana trace --out LOG [--no-seccomp] [--probes] [--detailed] -- COMMAND...',
        takesCommand: true,
        options: {
            out: { takesValue: true, valueName: 'LOG', help: 'where strace writes its log (required)' },
            ...traceOptions,
        },
    },
    graph: {
        summary: 'print the dataflow graph of a strace log',
        usage: 'ioana graph --trace LOG [--workspace DIR] [--format json|yaml|mermaid|dot] [--verbose]',
        takesCommand: false,
        options: {
            trace: { takesValue: true, valueName: 'LOG', help: 'the strace log to read (required)' },
            workspace: { takesValue: true, valueName: 'DIR', help: 'the repository root (default: the current directory)' },
            format: { takesValue: true, valueName: 'FORMAT', help: 'json (default), yaml, mermaid or dot' },
            provenance: { takesValue: true, valueName: 'MODE', help: 'data (default) or control: whether spawning passes inputs on' },
            verbose: { takesValue: false, help: 'list unparsed lines, with their numbers, on stderr' },
        },
    },
};

/**
 * The `ioana` command line: parses arguments, runs one command, and is the one place
 * that turns errors into messages and exit statuses.
 */
const processConsole = {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
};
const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15 };
function usageText() {
    const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
    return [
        'ioana — what your build reads, writes, runs and connects to, and what changed',
        '',
        'usage: ioana COMMAND [options] [-- COMMAND...]',
        '',
        ...Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(width + 2)}${c.summary}`),
        '',
        'Run `ioana COMMAND --help` for a command\'s options.',
        'Exit status: 0 clean, 1 failing findings, 2 usage/configuration/baseline error, 3 the traced command failed.',
        '',
    ].join('\n');
}
async function main(argv, io = processConsole) {
    try {
        if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
            io.out(usageText());
            return argv.length === 0 ? EXIT.usage : EXIT.ok;
        }
        if (argv[0] === '--version') {
            io.out(`ioana ${version()}\n`);
            return EXIT.ok;
        }
        const spec = COMMANDS[argv[0]];
        const dashes = argv.indexOf('--');
        const ours = dashes < 0 ? argv.slice(1) : argv.slice(1, dashes);
        if (spec && ours.some((a) => a === '--help' || a === '-h')) {
            io.out(commandHelp(argv[0], spec) + '\n');
            return EXIT.ok;
        }
        const args = parseArgs(argv, COMMANDS);
        switch (args.command) {
            case 'trace':
                return await traceCommand(args, io);
            case 'graph':
                return await graphCommand(args, io);
            default:
                throw new UsageError(`unknown command "${args.command}".`);
        }
    }
    catch (error) {
        io.err(`ioana: ${describeError(error)}\n`);
        return error instanceof IoanaError ? error.exitCode : EXIT.usage;
    }
}
/** The version in package.json, found from dist/cli.js or src/cli/main.ts. */
function version() {
    for (const rel of ['../package.json', '../../package.json']) {
        try {
            const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8'));
            if (pkg.name === 'ioana')
                return String(pkg.version);
        }
        catch {
            // not there: try the next place
        }
    }
    return 'unknown';
}
function required(args, name) {
    const value = optionValue(args, name);
    if (value === undefined || value === '') {
        throw new UsageError(`"ioana ${args.command}" needs --${name}.`, { hint: `usage: ${COMMANDS[args.command].usage}` });
    }
    return value;
}
async function traceCommand(args, io) {
    const out = required(args, 'out');
    if (args.run.length === 0) {
        throw new UsageError('"ioana trace" needs a command to run after "--".', { hint: `usage: ${COMMANDS.trace.usage}` });
    }
    const strace = preflight(undefined, !args.flags.has('no-seccomp'));
    if (strace.seccompNote)
        io.err(`ioana: note: ${strace.seccompNote}\n`);
    const outcome = await runTraced({
        command: args.run,
        logPath: out,
        strace,
        probes: args.flags.has('probes'),
        detailed: args.flags.has('detailed'),
    });
    if (outcome.exitCode !== 0)
        io.err(`ioana: the traced command failed: ${describeOutcome(outcome)}; the log is in ${out}\n`);
    if (outcome.signal)
        return 128 + (SIGNAL_NUMBERS[outcome.signal] ?? 0);
    return outcome.exitCode ?? 1;
}
async function graphCommand(args, io) {
    const trace = required(args, 'trace');
    const format = optionValue(args, 'format') ?? 'json';
    if (format !== 'json')
        throw new UsageError(`unknown --format "${format}".`, { hint: 'Formats: json.' });
    const analysis = await analyzeLog(trace);
    if (args.flags.has('verbose')) {
        for (const u of analysis.unparsed)
            io.err(`${trace}:${u.line}: unparsed (${u.reason}): ${u.text}\n`);
        if (analysis.stats.unparsed > analysis.unparsed.length) {
            io.err(`${trace}: … and ${analysis.stats.unparsed - analysis.unparsed.length} more unparsed lines\n`);
        }
    }
    const doc = { stats: analysis.stats, inputs: [], outputs: [], programs: [], endpoints: [] };
    io.out(JSON.stringify(doc, null, 2) + '\n');
    return EXIT.ok;
}

/** The `ioana` executable (dist/cli.js). */
main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
}, (error) => {
    process.stderr.write(`ioana: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
});
