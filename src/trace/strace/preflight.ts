/**
 * Before a build is traced: is strace there, which version, may it trace, can it
 * install its seccomp filter? Each failure becomes a TraceSetupError that names the
 * cause and the fix.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { TraceSetupError } from '../../vocabulary/errors.js';

export interface StraceInfo {
  /** The executable that was run (`strace` or `$IOANA_STRACE`). */
  readonly path: string;
  /** `6.1`, from `strace -V`. */
  readonly version: string;
  /** Whether `--seccomp-bpf` works here. */
  readonly seccomp: boolean;
  /** Why it does not, when it does not. */
  readonly seccompNote?: string;
  /** Whether it translates pids of another PID namespace (`--pidns-translation`, 5.9): a separated build needs it. Default: true. */
  readonly pidns?: boolean;
}

export const INSTALL_HINT =
  'Install strace: `sudo apt-get install -y strace` (Debian, Ubuntu, GitHub runners), `sudo dnf install strace` (Fedora), `apk add strace` (Alpine).';

export const PTRACE_HINT =
  'strace needs ptrace. In a container, run it with `--cap-add=SYS_PTRACE` (Docker) or `securityContext.capabilities.add: [SYS_PTRACE]` (Kubernetes); ' +
  'on a host with Yama, `kernel.yama.ptrace_scope` must be 0 or 1 (`sudo sysctl kernel.yama.ptrace_scope=1`).';

/** `strace -- version 6.1` → `6.1`; `strace version 4.26` → `4.26`. */
export function parseStraceVersion(text: string): string | undefined {
  return /strace\s+(?:--\s+)?version\s+(\d+(?:\.\d+)+)/.exec(text)?.[1];
}

/** `('5.2', '5.3')` → -1. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** `--seccomp-bpf` arrived in strace 5.3. Older versions trace without it, more slowly. */
export const SECCOMP_MIN_VERSION = '5.3';
/** `--pidns-translation` (pids of a build in its own PID namespace) arrived in strace 5.9. */
export const PIDNS_MIN_VERSION = '5.9';
/** `-yy` socket endpoints and `-qq` need at least this version. */
export const MIN_VERSION = '4.22';

function yamaScope(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/yama/ptrace_scope', 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * Runs `strace -V`, then traces `true` once with the flags ioana uses. Throws a
 * TraceSetupError when strace is missing, too old or cannot trace.
 */
export function preflight(strace = process.env.IOANA_STRACE || 'strace', wantSeccomp = true): StraceInfo {
  const v = spawnSync(strace, ['-V'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  if (v.error) {
    const code = (v.error as NodeJS.ErrnoException).code;
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

  const probe = (flags: string[]) =>
    spawnSync(strace, ['-f', '-qq', ...flags, '-e', 'trace=execve', '-o', '/dev/null', '--', 'true'], {
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: 'C' },
      timeout: 30_000,
    });

  let seccomp = false;
  let seccompNote: string | undefined;
  if (wantSeccomp && compareVersions(version, SECCOMP_MIN_VERSION) >= 0) {
    const r = probe(['--seccomp-bpf']);
    if (r.status === 0 && !/seccomp/i.test(r.stderr)) seccomp = true;
    else
      seccompNote = `strace ${version} could not install its seccomp filter (${firstLine(r.stderr) || `exit ${r.status}`}); tracing without it is slower.`;
  } else if (wantSeccomp) {
    seccompNote = `strace ${version} has no --seccomp-bpf (it needs ${SECCOMP_MIN_VERSION}); tracing without it is slower.`;
  }

  const r = seccomp ? { status: 0, stderr: '' } : probe([]);
  if (r.status !== 0) {
    const message = firstLine(r.stderr);
    if (/ptrace|Operation not permitted|EPERM/i.test(r.stderr)) {
      const scope = yamaScope();
      const cause =
        scope === '2' || scope === '3'
          ? `kernel.yama.ptrace_scope is ${scope}`
          : 'the process lacks CAP_SYS_PTRACE or a seccomp/AppArmor profile forbids ptrace (common in containers)';
      throw new TraceSetupError(`strace is not permitted to trace here: ${message} (${cause}).`, { hint: PTRACE_HINT });
    }
    throw new TraceSetupError(`strace could not trace a test command: ${message || `exit status ${r.status}`}.`, { hint: PTRACE_HINT });
  }
  return { path: strace, version, seccomp, seccompNote, pidns: compareVersions(version, PIDNS_MIN_VERSION) >= 0 };
}

function firstLine(text: string | undefined): string {
  return (
    (text ?? '')
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? ''
  );
}
