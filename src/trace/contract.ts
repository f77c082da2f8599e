/**
 * The capture contract (docs/architecture.md §1.1): what every back end is given to trace a build, what
 * it gives the pipeline back, and what a trace's defects are. A back end (strace/,
 * ebpf/) implements `Tracing` for a `BuildToTrace`; nothing else of it is seen outside its
 * folder but through backend.ts, and no back end imports another.
 *
 * Options and back ends (as tracexec documents per option which back end ignores it):
 *
 *   option     strace                               eBPF
 *   probes     adds the stat/access/readlink calls  the same calls, recorded in the kernel
 *   detailed   adds read/write… as calls            ignored: bytes are always summed in the
 *                                                   kernel per descriptor (DescriptorBytes)
 *   copyTo     strace's own log                     the records written as strace's log
 *   seccomp    --seccomp-bpf (preflight)            ignored: nothing stops the build
 *   graceMs    both: how long processes may outlive the command before tracing stops
 */
import type { AnalyzeHooks, TraceSource, TracedBuild } from '../pipeline/index.js';
import { TraceSetupError } from '../vocabulary/errors.js';
import type { Separation } from './separation.js';

/** How long processes may outlive the build's command before tracing stops. */
export const DAEMON_GRACE_MS = 2000;

/** A build to trace, whichever back end traces it. */
export interface BuildToTrace {
  readonly command: readonly string[];
  readonly cwd: string;
  /** The build's environment. Default: ioana's. */
  readonly env?: NodeJS.ProcessEnv;
  /** Keep a copy of the trace here, in strace's log format (`--trace-out`). */
  readonly copyTo?: string;
  /** How long processes may outlive the command before tracing stops. Default: DAEMON_GRACE_MS. */
  readonly graceMs?: number;
  /** Trace the probes too (stat, access, readlink). Default: false. */
  readonly probes?: boolean;
  /** strace: trace read/write too. Default: false. */
  readonly detailed?: boolean;
  /** The wall between the build and ioana (src/trace/separation.ts). Default: none (the gate only). */
  readonly separation?: Separation;
  /** Where the build's standard output goes: ioana's (default), or ioana's standard error. */
  readonly stdout?: 'stdout' | 'stderr';
}

/** The build's standard input, output and error, for spawn: ioana's, its output on ioana's standard error if asked. */
export const buildStdio = (stdout: BuildToTrace['stdout']): ['inherit', 'inherit' | 2, 'inherit'] => [
  'inherit',
  stdout === 'stderr' ? 2 : 'inherit',
  'inherit',
];

/** A build being traced. */
export interface Tracing {
  /** The trace as it comes: strace's lines, or operations the back end decoded. */
  readonly source: TraceSource;
  readonly build: TracedBuild;
  /** The hook that stops a tracer waiting on daemons. */
  readonly hooks: Pick<AnalyzeHooks, 'onRootExit'>;
  /** ioana's own files the build has no business touching (the log pipe, the scratch directory). */
  readonly own: readonly string[];
  /** Why the copy of the trace (`copyTo`) is incomplete, once the trace has ended. */
  copyProblem(): string | undefined;
  /**
   * What the capture could not see or read, once the trace has ended. strace stops the
   * build rather than lose an event, and has none; eBPF counts what it lost.
   */
  defects(): Defects;
  /** Stops what still runs and removes the scratch directory (call when the analysis is done). */
  done(): void;
}

/** What a trace could not see or read; any of it refuses the trace (`refuseIncomplete`). */
export interface Defects {
  /** Records the kernel had no room for (its ring buffer was full), or program runs it skipped. */
  readonly lost: number;
  /** Strings (paths, arguments, addresses) that could not be read. */
  readonly unreadable: number;
  /** Names of files the kernel could not resolve to the root (deeper than 1024 directories, longer than PATH_MAX). */
  readonly unresolved: number;
  /** Processes the build started that could not be followed (the table of followed processes was full). */
  readonly unfollowed: number;
  /** 32-bit system calls, which the collector does not decode. */
  readonly foreign: number;
  /** A few of the names or calls concerned. */
  readonly examples: readonly string[];
}

export const NO_DEFECTS: Defects = { lost: 0, unreadable: 0, unresolved: 0, unfollowed: 0, foreign: 0, examples: [] };

export const noDefects = (d: Defects): boolean => d.lost + d.unreadable + d.unresolved + d.unfollowed + d.foreign === 0;

/** Defects as one phrase: `12 event(s) lost by the kernel's buffers, 1 path(s) could not be read (e.g. …)`. */
export function describeDefects(d: Defects): string {
  const parts: string[] = [];
  if (d.lost) parts.push(`${d.lost} event(s) lost by the kernel's buffers`);
  if (d.unreadable) parts.push(`${d.unreadable} string(s) could not be read`);
  if (d.unresolved) parts.push(`${d.unresolved} file name(s) could not be resolved`);
  if (d.unfollowed) parts.push(`${d.unfollowed} process(es) could not be followed`);
  if (d.foreign) parts.push(`${d.foreign} 32-bit system call(s) not decoded`);
  const ex = d.examples.length > 0 ? ` (e.g. ${d.examples.slice(0, 3).join(', ')})` : '';
  return parts.join(', ') + ex;
}

/** A trace that missed something is refused, with the count and what to do. */
export function refuseIncomplete(defects: Defects): void {
  if (noDefects(defects)) return;
  throw new TraceSetupError(`the eBPF trace is incomplete: ${describeDefects(defects)}. Nothing was compared or written.`, {
    hint: 'Run it again, or trace with strace (--backend strace), which stops the build rather than lose an event.',
  });
}
