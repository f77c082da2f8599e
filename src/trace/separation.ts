/**
 * Privilege separation between the traced build and ioana (issue 23). The build is the
 * pull request's code, running as the same user beside ioana and its tracer: without a
 * wall it can signal them, read their environment and memory through /proc, drain the
 * trace's pipe or attach to them. So the build runs behind one:
 *
 * - `sudo` (GitHub's hosted runners: passwordless sudo) and `root`: the tracer runs as
 *   root, the build in a PID namespace and a mount namespace of its own (with its own
 *   /proc), as the runner's user (setpriv), so that `kill`, `ptrace`, `/proc/<pid>/…` and
 *   the tracer's files are out of its reach. Its environment, working directory and user
 *   are what they would be; it keeps sudo unless told not to (`--no-new-privs`).
 * - `userns` (no sudo): an unprivileged user namespace (mapping the user to itself) with
 *   the same PID and mount namespaces. Ubuntu 24.04 restricts these; then:
 * - `none`: no wall could be built; the result is advisory and the report says why.
 *
 * The build's command is the namespace's first process: when it exits, the kernel ends
 * every process the build left behind, so nothing outlives the step (a daemon writing a
 * step file after ioana restored it, say).
 *
 * Pure, but for `chooseSeparation`, which asks the machine what works.
 */
import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import type { RunContext } from '../pipeline/index.js';
import { findOnPath } from './resolve.js';

export type SeparationMode = 'sudo' | 'root' | 'userns' | 'none';

export interface Separation {
  readonly mode: SeparationMode;
  /** What runs the tracer: `sudo -n -E`, or nothing. */
  readonly tracer: readonly string[];
  /** What runs the build, between the gate and its command: `unshare …`, `setpriv …`. */
  readonly launcher: readonly string[];
  /**
   * The launcher's programs in the order the build's first line of processes runs them
   * (the gate's shell first): their images are ioana's, not the build's.
   */
  readonly images: readonly string[];
  /** The user the build runs as, and whether it may use sudo. */
  readonly user: { readonly name: string; readonly uid: number };
  readonly buildSudo: boolean;
  /** One sentence for the report: who runs as what, or why the result is advisory. */
  readonly description: string;
  /** Why no wall could be built (mode `none`). */
  readonly advisory?: string;
}

/** No wall (`--no-separation`): the gate only, and an advisory result. */
export const NO_SEPARATION: Separation = {
  mode: 'none',
  tracer: [],
  launcher: [],
  images: ['sh'],
  user: { name: '', uid: -1 },
  buildSudo: true,
  description: 'the build ran beside ioana, as the same user (--no-separation)',
  advisory:
    'no separation between the build and ioana (--no-separation): the build could signal ioana, read its environment and its trace.',
};

/** The gate: waits for one line on the FIFO it is given, then becomes the rest of its arguments. */
export const GATE = ['/bin/sh', '-c', 'read _ <"$0" && exec "$@"'];

/** The namespaces every mode but `none` gives the build. */
const NAMESPACES = ['--pid', '--fork', '--mount-proc', '--kill-child'];

/**
 * The namespace's first process (pid 1), ioana's: it numbers the build's processes from
 * PID_BASE up (so that a name made of `$$` holds a number no smaller than a host's pids,
 * which canonicalization folds), runs the build's command as a child — pid 1 ignores
 * signals it has no handler for, so a build that kills itself would not die; `exec`, so
 * that a command that is also a shell builtin, `true` say, is the program and not the
 * shell's — keeps its standard input, ends with its status without a word of its own
 * (`Terminated`) (128+N when a signal killed it: `ioana trace` reads how from the log,
 * src/trace/strace/build-root.ts). When it ends, the kernel ends every process the build
 * left behind.
 *
 * SIGINT and SIGTERM sent to ioana reach the build's processes directly (they share the
 * tracer's process group); the init only outlives them: it catches both (and waits on),
 * and `env --default-signal` gives the command back the SIGINT and SIGQUIT a shell's
 * background command ignores, so that the build ends by the signal, as it would unwalled.
 */
export const INIT = (base: number, env = '/usr/bin/env'): string[] => [
  '/bin/sh',
  '-c',
  `trap : INT TERM; echo ${base} >/proc/sys/kernel/ns_last_pid 2>/dev/null; exec ${env} --default-signal=INT,QUIT "$@" <&0 & ` +
    'while :; do wait "$!" 2>/dev/null; s=$?; [ "$s" -gt 128 ] && kill -0 "$!" 2>/dev/null && continue; exit "$s"; done',
  'ioana-init',
];

/** Where the build's pids start in its namespace (a root launcher can set it; an unprivileged one cannot). */
export const PID_BASE = 100000;

/** Where the launcher's programs are: found once, at the edge, so that the build's PATH cannot put its own in their place. */
export interface LauncherPrograms {
  readonly unshare: string;
  readonly setpriv: string;
  readonly env?: string;
}

const DEFAULT_PROGRAMS: LauncherPrograms = { unshare: '/usr/bin/unshare', setpriv: '/usr/bin/setpriv', env: '/usr/bin/env' };

/** What a mode's launcher is, given who the build runs as. */
export function launcherFor(
  mode: SeparationMode,
  user: { readonly uid: number; readonly gid: number },
  opts: { readonly buildSudo: boolean; readonly dropTo: boolean; readonly programs?: LauncherPrograms; readonly pidBase?: number },
): { launcher: string[]; images: string[] } {
  const { unshare, setpriv: setprivPath, env } = opts.programs ?? DEFAULT_PROGRAMS;
  const gate = ['sh'];
  const init = INIT(opts.pidBase ?? PID_BASE, env);
  switch (mode) {
    case 'none':
      return { launcher: [], images: gate };
    case 'userns':
      return { launcher: [unshare, '--map-current-user', ...NAMESPACES, '--', ...init], images: [...gate, 'unshare', 'sh', 'env'] };
    case 'sudo':
    case 'root': {
      const drop = opts.dropTo || !opts.buildSudo;
      const setpriv = drop
        ? [
            setprivPath,
            ...(opts.dropTo ? [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups'] : []),
            ...(opts.buildSudo ? [] : ['--no-new-privs']),
            '--',
          ]
        : [];
      return {
        launcher: [unshare, ...NAMESPACES, '--', ...init, ...setpriv],
        images: [...gate, 'unshare', 'sh', 'env', ...(drop ? ['setpriv'] : [])],
      };
    }
    default: {
      const never: never = mode;
      throw new Error(`trace/launcherFor: unknown mode ${String(never)}`);
    }
  }
}

/** Variables sudo sets or changes on the way to root: the build gets its own back. */
const SUDO_VARIABLES = ['SUDO_USER', 'SUDO_UID', 'SUDO_GID', 'SUDO_COMMAND', 'SUDO_HOME'];
const RESTORED = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL'];

/**
 * What gives the build its environment back after the separation's `sudo` (its
 * secure_path, its SUDO_* variables): the variables to set again, and those to unset.
 * Nothing without sudo.
 */
export function restoredEnv(s: Separation | undefined, env: NodeJS.ProcessEnv): { set: string[]; unset: string[] } {
  if (!s || s.tracer.length === 0) return { set: [], unset: [] };
  return {
    set: RESTORED.filter((k) => env[k] !== undefined).map((k) => `${k}=${env[k]}`),
    unset: SUDO_VARIABLES.filter((k) => env[k] === undefined),
  };
}

/**
 * The whole launcher for a back end that does not run a tracer of its own (eBPF): the
 * separation's sudo, env giving the build its variables back, then the launcher.
 */
export function launchBehind(s: Separation | undefined, env: NodeJS.ProcessEnv, envPath = '/usr/bin/env'): string[] {
  if (!s || s.mode === 'none') return [];
  const { set, unset } = restoredEnv(s, env);
  const restore = s.tracer.length > 0 ? [envPath, ...unset.flatMap((k) => ['-u', k]), ...set] : [];
  return [...s.tracer, ...restore, ...s.launcher];
}

/** Runs `cmd` quietly; whether it exited 0. */
function works(cmd: readonly string[]): boolean {
  try {
    execFileSync(cmd[0], cmd.slice(1), { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

export interface SeparationOptions {
  /** Let the build use sudo (default true: many builds `sudo apt-get install`). */
  readonly buildSudo?: boolean;
  /** Probe the machine; tests give their own. */
  readonly works?: (cmd: readonly string[]) => boolean;
  /** ioana's user (uid 0: root) and, when ioana itself runs under sudo, the user who ran it. */
  readonly uid?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Where unshare, setpriv and sudo are (default: found on ioana's PATH). */
  readonly which?: (program: string) => string | undefined;
}

/** A program's absolute path on ioana's PATH. */
/** Looked up along PATH in this process: four `sh -c 'command -v …'` cost 37 ms of every run's start. */
const which = (program: string): string | undefined => findOnPath(program);

/**
 * The strongest wall this machine allows: root or passwordless sudo first (the tracer
 * privileged, the build as the user), an unprivileged user namespace next, else none.
 */
export function chooseSeparation(opts: SeparationOptions = {}): Separation {
  const probe = opts.works ?? works;
  const env = opts.env ?? process.env;
  const buildSudo = opts.buildSudo ?? true;
  const uid = opts.uid ?? process.getuid?.() ?? 0;
  const me = userInfo();
  const find = opts.which ?? which;
  const unshare = find('unshare');
  const setpriv = find('setpriv');
  const sudo = find('sudo');
  const envPath = find('env');
  // env's --default-signal is coreutils 8.31 (2019): the init gives the command its signals back with it.
  const programs =
    unshare && setpriv && envPath && probe([envPath, '--default-signal=INT', 'true']) ? { unshare, setpriv, env: envPath } : undefined;
  const ns = [unshare ?? 'unshare', '--pid', '--fork', '--mount-proc', 'true'];
  const withMode = (
    mode: SeparationMode,
    tracer: string[],
    user: { name: string; uid: number; gid: number },
    dropTo: boolean,
    why: string,
    advisory?: string,
  ): Separation => {
    const { launcher, images } = launcherFor(mode, user, { buildSudo, dropTo, programs });
    return {
      mode,
      tracer,
      launcher,
      images,
      user: { name: user.name, uid: user.uid },
      buildSudo,
      description: why,
      ...(advisory ? { advisory } : {}),
    };
  };
  const self = { name: me.username, uid, gid: process.getgid?.() ?? 0 };
  if (uid === 0) {
    // ioana run by sudo: the build goes back to the user who ran it.
    const sudoUid = Number(env.SUDO_UID);
    const runner =
      Number.isInteger(sudoUid) && sudoUid > 0
        ? { name: env.SUDO_USER ?? String(sudoUid), uid: sudoUid, gid: Number(env.SUDO_GID) || sudoUid }
        : undefined;
    if (programs && probe(ns)) {
      const who = runner ? `as ${runner.name}` : 'as root';
      return withMode(
        'root',
        [],
        runner ?? self,
        runner !== undefined,
        `the build ran in PID and mount namespaces of its own ${who}, the tracer as root outside them${buildSudo ? '' : ', without sudo'}`,
      );
    }
  } else if (programs && sudo && probe([sudo, '-n', 'true']) && probe([sudo, '-n', ...ns])) {
    return withMode(
      'sudo',
      [sudo, '-n', '-E'],
      self,
      true,
      `the build ran in PID and mount namespaces of its own as ${self.name}, the tracer as root through sudo${buildSudo ? ' (the build kept sudo: with it, it could reach ioana)' : ', without sudo'}`,
    );
  }
  if (uid !== 0 && programs && probe([programs.unshare, '--map-current-user', '--pid', '--fork', '--mount-proc', 'true'])) {
    return withMode('userns', [], self, false, `the build ran in user, PID and mount namespaces of its own as ${self.name} (no sudo here)`);
  }
  const why = !programs
    ? 'unshare and setpriv (util-linux 2.32 or later) or env with --default-signal (coreutils 8.31 or later) are not installed'
    : uid === 0
      ? 'PID namespaces cannot be made here (a container without CAP_SYS_ADMIN?)'
      : 'there is no passwordless sudo, and unprivileged user namespaces are not allowed here (Ubuntu 24.04 restricts them)';
  return withMode(
    'none',
    [],
    self,
    false,
    `the build ran beside ioana, as the same user: ${why}`,
    `no separation between the build and ioana: ${why}. The build could signal ioana, read its environment and its trace; the result is advisory.`,
  );
}

/**
 * What the report says of a separation; `privileged`: setuid programs the build runs keep
 * their privileges. Under eBPF they do (nothing ptraces the build); under strace only when
 * the tracer is root (sudo, or ioana run as root) and `--seccomp-bpf` is off: strace sets
 * no_new_privs for its seccomp filter, and the kernel then grants a setuid program nothing.
 */
export function reportedSeparation(
  s: Separation,
  capture: { readonly kind: 'strace' | 'ebpf'; readonly seccomp?: boolean },
  uid = process.getuid?.(),
): NonNullable<RunContext['separation']> {
  const rootTracer = s.mode === 'sudo' || s.mode === 'root' || uid === 0;
  return {
    mode: s.mode,
    description: s.description,
    ...(s.advisory ? { advisory: s.advisory } : {}),
    privileged: capture.kind === 'ebpf' || (rootTracer && capture.seccomp === false),
    sudo: s.buildSudo && s.mode !== 'userns',
  };
}

/** How a capture runs, as `reportedSeparation` needs it: strace with or without its seccomp filter, or eBPF. */
export function captureMode(capture: { readonly kind: string; readonly strace?: { readonly seccomp: boolean } }): {
  readonly kind: 'strace' | 'ebpf';
  readonly seccomp?: boolean;
} {
  return capture.kind === 'ebpf' ? { kind: 'ebpf' } : { kind: 'strace', seccomp: capture.strace?.seccomp ?? true };
}
