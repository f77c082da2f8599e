/**
 * A build traced with eBPF (the capture edge: it spawns processes and reads /proc).
 *
 * 1. The command starts stopped: bash runs `kill -STOP $$` and then execs it, with its
 *    own argv[0], as strace would (`exec -a`).
 * 2. While it is stopped, its working directory and inherited descriptors are read
 *    from /proc (what strace's `-yy` would print for them).
 * 3. bpftrace loads the program (script.ts) with the stopped process's pid as the root
 *    of the tree to follow; once every probe is attached it prints its first record,
 *    and the command is continued. Nothing it does happens before tracing starts.
 * 4. Records are put back in time order (records.ts) and written as strace lines
 *    (render.ts), which the pipeline reads like strace's log.
 * 5. When every followed process has ended (or the daemon grace after the command's own
 *    end has passed), bpftrace is stopped with SIGINT, its last records read, and the
 *    programs unloaded (the kernel frees them with bpftrace in any case, even killed).
 *
 * What could not be seen is counted (`defects()`): the caller refuses such a trace.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineSplitter } from '../../io/lines.js';
import { logCopy } from '../../io/log-copy.js';
import { scratchDir } from '../../io/scratch.js';
import type { BuildOutcome, LineSource } from '../../pipeline/index.js';
import { TraceSetupError } from '../../vocabulary/errors.js';
import { DAEMON_GRACE_MS, type BuildToTrace, type Tracing } from '../build.js';
import { resolveCommand } from '../resolve.js';
import { asRoot, bpftraceErrors, releaseTracefs, type EbpfInfo } from './preflight.js';
import { parseBpfLine, Reorder, type BpfRecord } from './records.js';
import { Renderer, describeDefects, noDefects, type Defects, type Host } from './render.js';
import { bpftraceScript, tracedCalls } from './script.js';

/** How long records are held to be put in time order (kernel time). */
const REORDER_NS = 200_000_000;
/** Per-CPU buffer of bpftrace, in 4 KiB pages (`$IOANA_EBPF_BUFFER_PAGES`). */
const BUFFER_PAGES = 1024;
/** Quiet time after the last process ended before bpftrace is stopped (its buffers drain). */
const DRAIN_MS = 150;

export interface EbpfTracing extends Tracing {
  /** What the trace could not see or confirm (complete once `source` has ended). */
  defects(): Defects;
}

/** What the machine answers, for the renderer: names resolved now, identities by stat. */
const host: Host = {
  realpath: (path) => {
    try {
      return realpathSync.native(path);
    } catch {
      return undefined;
    }
  },
  identity: (path) => {
    try {
      const st = statSync(path);
      const kind = st.isCharacterDevice() ? 'char' : st.isBlockDevice() ? 'block' : undefined;
      // rdev as stat reports it: major in bits 8–19, minor in bits 0–7 and 20–31.
      const device = kind && `${kind} ${(st.rdev >> 8) & 0xfff}:${(st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00)}`;
      return { dev: st.dev, ino: st.ino, device };
    } catch {
      return undefined;
    }
  },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `pid` is stopped (state T); throws when it ends first. */
async function stopped(pid: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 5000; i++) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (/\) T /.test(stat)) return;
    } catch {
      break;
    }
    await sleep(2);
  }
  throw new TraceSetupError('the command could not be started stopped for tracing (bash exited before it).', {
    hint: 'The eBPF back end starts the command through bash: check that bash is installed.',
  });
}

function procState(pid: number): { cwd: string; fds: Map<number, string> } {
  const cwd = readlinkSync(`/proc/${pid}/cwd`);
  const fds = new Map<number, string>();
  for (const name of readdirSync(`/proc/${pid}/fd`)) {
    try {
      fds.set(Number(name), readlinkSync(`/proc/${pid}/fd/${name}`));
    } catch {
      // Closed while read: not inherited.
    }
  }
  return { cwd, fds };
}

/** Starts `command` under eBPF; the same contract as `traceBuild` (strace), plus `defects()`. */
export function traceBuildEbpf(opts: BuildToTrace & { readonly ebpf: EbpfInfo }): EbpfTracing {
  const env = { ...(opts.env ?? process.env), UV_USE_IO_URING: '0' };
  const scratch = scratchDir();
  const script = join(scratch.path, 'trace.bt');
  writeFileSync(script, bpftraceScript(tracedCalls({ probes: opts.probes, detailed: opts.detailed })), { mode: 0o600 });
  const copy = logCopy(opts.copyTo);

  // Lines made before the pipeline asked for them wait here.
  let deliver: ((line: string) => void) | undefined;
  const queued: string[] = [];
  let finish!: () => void;
  let fail!: (e: unknown) => void;
  const ended = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const emit = (line: string) => {
    copy.write(line + '\n');
    if (deliver) deliver(line);
    else queued.push(line);
  };
  const source: LineSource = (onLine) => {
    for (const line of queued.splice(0)) onLine(line);
    deliver = onLine;
    return ended;
  };

  const resolved = resolveCommand(opts.command[0], opts.cwd, env);
  const root = spawn(
    'bash',
    ['--noprofile', '--norc', '-c', 'kill -STOP $$ && exec -a "$0" "$@"', opts.command[0], resolved, ...opts.command.slice(1)],
    {
      cwd: opts.cwd,
      env,
      stdio: 'inherit',
      detached: true,
    },
  );
  let renderer: Renderer | undefined;
  /** Threads followed and not yet ended, as records arrive (the renderer sees them later, in order). */
  const alive = new Set<number>();
  const reorder = new Reorder(REORDER_NS);
  let lost = 0;
  let stderr = '';
  let tracer: ChildProcess | undefined;
  let rootEnded = false;
  let interrupted: NodeJS.Signals | undefined;
  let detached = false;

  const forward = (signal: NodeJS.Signals) => {
    interrupted = signal;
    try {
      if (root.pid !== undefined) process.kill(-root.pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((s) => [s, () => forward(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);

  const put = (records: BpfRecord[]) => {
    if (!renderer) return;
    for (const r of records) for (const line of renderer.render(r)) emit(line);
  };

  let stopTimer: NodeJS.Timeout | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  let stopping = false;
  const stopTracer = () => {
    if (stopping || !tracer || tracer.exitCode !== null) return;
    stopping = true;
    tracer.kill('SIGINT');
    // Through sudo, only signals sudo can pass on reach bpftrace: SIGTERM before SIGKILL.
    setTimeout(() => tracer?.exitCode === null && tracer.kill('SIGTERM'), 5000).unref();
    setTimeout(() => tracer?.exitCode === null && tracer.kill('SIGKILL'), 10_000).unref();
  };
  /** Stop once nothing followed is alive and the buffers have had time to drain. */
  const maybeStop = () => {
    if (!rootEnded || alive.size > 0) return;
    clearTimeout(stopTimer);
    stopTimer = setTimeout(stopTracer, DRAIN_MS);
  };

  const outcome = new Promise<BuildOutcome>((resolveOutcome, rejectOutcome) => {
    root.on('error', (error) => {
      rejectOutcome(new TraceSetupError(`could not start bash to run the command: ${error.message}`));
      finish();
    });
    const start = async () => {
      await stopped(root.pid!, root);
      const state = procState(root.pid!);
      renderer = new Renderer(host, { pid: root.pid!, cwd: state.cwd, fds: state.fds });
      alive.add(root.pid!);
      const pages = process.env.IOANA_EBPF_BUFFER_PAGES || String(BUFFER_PAGES);
      const c = asRoot(opts.ebpf.sudo, 'env', [
        'BPFTRACE_STRLEN=200',
        'BPFTRACE_MAP_KEYS_MAX=65536',
        `BPFTRACE_PERF_RB_PAGES=${pages}`,
        opts.ebpf.bpftrace,
        '-f',
        'json',
        script,
        String(root.pid),
      ]);
      tracer = spawn(c.file, c.args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      tracer.stderr!.setEncoding('utf8');
      tracer.stderr!.on('data', (d: string) => (stderr = (stderr + d).slice(-64 * 1024)));
      const splitter = new LineSplitter((line) => {
        const l = parseBpfLine(line);
        if (l.kind === 'lost') lost += l.count;
        else if (l.kind === 'message') {
          // bpftrace's own lines (attached_probes…): nothing the trace needs.
        } else if (l.record.kind === 'ready') {
          // Every probe is attached: the command may go on.
          process.kill(root.pid!, 'SIGCONT');
        } else {
          const r = l.record;
          if (r.kind === 'fork') alive.add(r.child);
          put(reorder.push(r));
          if (r.kind === 'exit') {
            alive.delete(r.tid);
            maybeStop();
          }
        }
      });
      tracer.stdout!.setEncoding('latin1');
      tracer.stdout!.on('data', (chunk: string) => {
        try {
          splitter.push(chunk);
        } catch (error) {
          fail(error);
        }
      });
      tracer.on('exit', () => {
        splitter.end();
        put(reorder.flush());
        if (!rootEnded) {
          // bpftrace ended before the build: it could not load, or was killed.
          try {
            process.kill(-root.pid!, 'SIGKILL');
          } catch {
            // Gone already.
          }
          fail(
            new TraceSetupError(
              `bpftrace stopped before the build ended: ${bpftraceErrors(stderr) || stderr.trim().split('\n').pop() || 'no message'}.`,
              {
                hint: 'Trace with strace: --backend strace.',
              },
            ),
          );
          return;
        }
        finish();
      });
    };
    start().catch((error) => {
      try {
        process.kill(-root.pid!, 'SIGKILL');
      } catch {
        // Gone already.
      }
      rejectOutcome(error);
      fail(error);
    });
    root.on('exit', (exitCode, signal) => {
      rootEnded = true;
      for (const [s, h] of handlers) process.off(s, h);
      graceTimer = setTimeout(() => {
        if (alive.size > 0) detached = true;
        stopTracer();
      }, opts.graceMs ?? DAEMON_GRACE_MS);
      graceTimer.unref();
      maybeStop();
      resolveOutcome({ exitCode, signal, interrupted });
    });
  });
  const finalOutcome = ended.then(
    () => outcome.then((o) => (detached ? { ...o, detached: true } : o)),
    () => outcome,
  );
  const defects = (): Defects => {
    const d = renderer?.defects ?? { lost: 0, late: 0, unreadable: 0, unconfirmed: 0, examples: [] };
    return { ...d, lost: d.lost + lost, late: d.late + reorder.late };
  };
  return {
    source,
    build: { command: opts.command, outcome: finalOutcome },
    hooks: {},
    own: [scratch.path],
    copyProblem: () => copy.problem(),
    defects,
    done: () => {
      clearTimeout(graceTimer);
      clearTimeout(stopTimer);
      // SIGTERM, which sudo passes on (a SIGKILL would leave bpftrace running under it).
      if (tracer && tracer.exitCode === null) tracer.kill('SIGTERM');
      copy.close();
      scratch.remove();
      releaseTracefs(opts.ebpf);
    },
  };
}

export { describeDefects, noDefects };
