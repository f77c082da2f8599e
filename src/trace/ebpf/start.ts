/**
 * The build's command, started stopped (the capture edge: it spawns and reads /proc), so
 * that the collector follows it before it does anything: bash runs `kill -STOP $$` and
 * then execs the command with its own argv[0] (`exec -a`), as strace would run it.
 * While it is stopped, its working directory and inherited descriptors are read from
 * /proc: what strace's `-yy` would print for them.
 *
 * Behind ioana's wall (src/trace/separation.ts) bash runs at the end of the launcher (sudo,
 * unshare, the init, setpriv): the process to follow is then the stopped bash among the
 * launcher's descendants, found by its host pid.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { decodeTarget, type FdTarget } from '../../parse/index.js';
import { TraceSetupError } from '../../vocabulary/errors.js';
import { resolveCommand } from '../resolve.js';
import { decoration } from './strings.js';
import type { RootState } from './tables.js';

/** The command, stopped before its first instruction. */
export interface Stopped {
  /** What ioana started: bash itself, or the launcher in front of it (the leader of the build's process group). */
  readonly child: ChildProcess;
  /** Its state once it is stopped (its host pid, working directory and descriptors); rejects when it ends first. */
  readonly state: Promise<RootState>;
  /** Lets it run. */
  resume(): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const ended = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/** `pid`'s state letter and parent, from /proc (undefined: gone). */
function statOf(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ', 2);
    return { state, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** A stopped process among `root`'s descendants (`root` itself included), or undefined. */
function stoppedBelow(root: number): number | undefined {
  const children = new Map<number, number[]>();
  const states = new Map<number, string>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    const st = Number.isInteger(pid) ? statOf(pid) : undefined;
    if (!st) continue;
    states.set(pid, st.state);
    children.set(st.ppid, [...(children.get(st.ppid) ?? []), pid]);
  }
  // Down from root, through the launcher's running processes, to a stopped one (bash).
  const queue = [root];
  for (let at = 0; at < queue.length; at++) {
    if (states.get(queue[at]) === 'T') return queue[at];
    queue.push(...(children.get(queue[at]) ?? []));
  }
  return undefined;
}

/** Waits until bash, `child` or one of its descendants, is stopped (state T); its pid. Throws when `child` ends first. */
async function stopped(child: ChildProcess, launched: boolean): Promise<number> {
  const pid = child.pid!;
  for (let i = 0; i < 2500; i++) {
    if (ended(child)) break;
    const found = launched ? stoppedBelow(pid) : statOf(pid)?.state === 'T' ? pid : undefined;
    if (found !== undefined) return found;
    if (!launched && statOf(pid) === undefined) break;
    await sleep(launched ? 4 : 2);
  }
  throw new TraceSetupError(
    launched
      ? "the command could not be started stopped for tracing behind ioana's wall (the launcher ended first; its message is above)."
      : 'the command could not be started stopped for tracing (bash exited before it).',
    {
      hint: launched
        ? 'Run with --no-separation (action: separation: false) to trace without the wall, and report the message above.'
        : 'The eBPF back end starts the command through bash: check that bash is installed.',
    },
  );
}

/** What a descriptor of the stopped process refers to, as `-yy` writes it: `/dev/null<char 1:3>`, `pipe:[5]`. */
function targetOf(link: string): FdTarget {
  if (!link.startsWith('/')) return decodeTarget(link);
  let device = '';
  try {
    const st = statSync(link);
    const kind = st.isCharacterDevice() ? 'char' : st.isBlockDevice() ? 'block' : undefined;
    // rdev as stat reports it: major in bits 8–19, minor in bits 0–7 and 20–31.
    if (kind) device = `<${kind} ${(st.rdev >> 8) & 0xfff}:${(st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00)}>`;
  } catch {
    // Gone, or not ours to stat: no device decoration.
  }
  return decodeTarget(decoration(link) + device);
}

/** Its pid in the innermost PID namespace it is in, when that is not the host's (`NSpid:\t7942\t100001`). */
function nsPidOf(pid: number): number | undefined {
  const m = /^NSpid:\t([\d\t]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  const levels = m ? m[1].split('\t').map(Number) : [];
  return levels.length > 1 ? levels[levels.length - 1] : undefined;
}

/** The stopped process's working directory and descriptors. */
function stateOf(pid: number): RootState {
  const nsPid = nsPidOf(pid);
  const cwd = readlinkSync(`/proc/${pid}/cwd`);
  const fds = new Map<number, FdTarget>();
  for (const name of readdirSync(`/proc/${pid}/fd`)) {
    try {
      fds.set(Number(name), targetOf(readlinkSync(`/proc/${pid}/fd/${name}`)));
    } catch {
      // Closed while read: not inherited.
    }
  }
  return { pid, cwd, fds, ...(nsPid ? { nsPid } : {}) };
}

/**
 * Starts `command` in `cwd` stopped, in a process group of its own; behind `launcher`
 * (`sudo …`, `unshare …`, the init, `setpriv …`) when one is given.
 */
export function startStopped(
  command: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  launcher: readonly string[] = [],
  stdio: StdioOptions = 'inherit',
): Stopped {
  const resolved = resolveCommand(command[0], cwd, env);
  const bash = ['bash', '--noprofile', '--norc', '-c', 'kill -STOP $$ && exec -a "$0" "$@"', command[0], resolved, ...command.slice(1)];
  const [program, ...args] = [...launcher, ...bash];
  const child = spawn(program, args, { cwd, env, stdio, detached: true });
  if (child.pid === undefined) {
    // spawn reports why with an 'error' event; without a listener it would be thrown later.
    child.on('error', () => undefined);
    throw new TraceSetupError(`could not start ${program} to run the command.`, { hint: `Check that ${program} is installed.` });
  }
  let pid = 0;
  const state = stopped(child, launcher.length > 0).then((p) => {
    pid = p;
    return stateOf(p);
  });
  return { child, state, resume: () => pid > 0 && process.kill(pid, 'SIGCONT') };
}
