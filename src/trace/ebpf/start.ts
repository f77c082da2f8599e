/**
 * The build's command, started stopped (the capture edge: it spawns and reads /proc), so
 * that the collector follows it before it does anything: bash runs `kill -STOP $$` and
 * then execs the command with its own argv[0] (`exec -a`), as strace would run it.
 * While it is stopped, its working directory and inherited descriptors are read from
 * /proc: what strace's `-yy` would print for them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { decodeTarget, type FdTarget } from '../../parse/index.js';
import { TraceSetupError } from '../../vocabulary/errors.js';
import { resolveCommand } from '../resolve.js';
import { decoration } from './strings.js';
import type { RootState } from './tables.js';

/** The command, stopped before its first instruction. */
export interface Stopped {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Its state once it is stopped; rejects when it ends first. */
  readonly state: Promise<RootState>;
  /** Lets it run. */
  resume(): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `pid` is stopped (state T); throws when it ends first. */
async function stopped(pid: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 5000; i++) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    try {
      if (/\) T /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) return;
    } catch {
      break;
    }
    await sleep(2);
  }
  throw new TraceSetupError('the command could not be started stopped for tracing (bash exited before it).', {
    hint: 'The eBPF back end starts the command through bash: check that bash is installed.',
  });
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

/** The stopped process's working directory and descriptors. */
function stateOf(pid: number): RootState {
  const cwd = readlinkSync(`/proc/${pid}/cwd`);
  const fds = new Map<number, FdTarget>();
  for (const name of readdirSync(`/proc/${pid}/fd`)) {
    try {
      fds.set(Number(name), targetOf(readlinkSync(`/proc/${pid}/fd/${name}`)));
    } catch {
      // Closed while read: not inherited.
    }
  }
  return { pid, cwd, fds };
}

/** Starts `command` in `cwd` stopped, in a process group of its own. */
export function startStopped(command: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Stopped {
  const resolved = resolveCommand(command[0], cwd, env);
  const child = spawn(
    'bash',
    ['--noprofile', '--norc', '-c', 'kill -STOP $$ && exec -a "$0" "$@"', command[0], resolved, ...command.slice(1)],
    {
      cwd,
      env,
      stdio: 'inherit',
      detached: true,
    },
  );
  const pid = child.pid;
  if (pid === undefined) throw new TraceSetupError('could not start bash to run the command.', { hint: 'Check that bash is installed.' });
  const state = stopped(pid, child).then(() => stateOf(pid));
  return { child, pid, state, resume: () => process.kill(pid, 'SIGCONT') };
}
