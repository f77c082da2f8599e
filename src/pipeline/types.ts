/**
 * What the pipeline is given by the edges and what it hands back: where the log's lines
 * come from, how the traced build ended, and the machine's roots. Plain data: the edges
 * (src/trace, src/io, src/host) fill them in.
 */
import type { CacheRoot } from '../vocabulary/caches.js';
import type { Operation } from '../decode/index.js';
import type { Redactor } from '../vocabulary/redact.js';

/** How far reading a log has come: `bytes` read, `lines` split. */
export interface ReadProgress {
  readonly bytes: number;
  readonly lines: number;
}

/**
 * Where lines come from: a function that calls `onLine` for every line of a log (a
 * finished file, or one strace is still writing) and resolves after the last one.
 */
export type LineSource = (onLine: (line: string) => void, onChunk?: (progress: ReadProgress) => void) => Promise<void>;

/** How much a trace decoded by its back end held (what the parser's statistics say of a log). */
export interface TraceCounts {
  /** Records read (the lines of a log, near enough). */
  readonly records: number;
  /** System calls among them. */
  readonly calls: number;
  /** Distinct threads that did something. */
  readonly pids: number;
}

/**
 * Where operations come from when the back end decodes its trace itself (the eBPF back
 * end's binary records, which never pass through strace's text): `steps` calls `onStep`
 * for every operation of every thread, in order, and resolves after the last one.
 */
export interface StepSource {
  /**
   * The back end started the build behind ioana's wall (src/trace/separation.ts): its /proc
   * is its own. (strace's log says so itself: its first program is ioana's launcher.)
   */
  readonly separated?: boolean;
  /** The build's first process's pid in its own PID namespace (known once the trace has ended; strace's log says it in the launcher's clone). */
  readonly rootSeenAs?: () => number | undefined;
  readonly steps: (onStep: (pid: number, op: Operation) => void, onChunk?: (progress: ReadProgress) => void) => Promise<TraceCounts>;
}

/** What the pipeline reads: a log's lines (strace's format), or operations decoded by the back end. */
export type TraceSource = LineSource | StepSource;

/** Whether a source gives operations rather than lines. */
export const givesSteps = (source: TraceSource): source is StepSource => typeof source !== 'function';

/** How the traced command ended. */
export interface BuildOutcome {
  /** The command's exit status; null when a signal ended it. */
  readonly exitCode: number | null;
  /** The signal that ended it: `SIGSEGV`. */
  readonly signal: string | null;
  /** A SIGINT/SIGTERM that ioana received and passed on to the build. */
  readonly interrupted?: string;
  /** Tracing stopped while processes the build started were still running. */
  readonly detached?: boolean;
}

/** `{exitCode: 0}` → true; any other status or a signal → false. */
export function succeeded(outcome: BuildOutcome): boolean {
  return outcome.exitCode === 0 && outcome.signal === null;
}

/** `{exitCode: 2}` → `exit status 2`; `{signal: 'SIGSEGV'}` → `killed by SIGSEGV`. */
export function describeOutcome(outcome: BuildOutcome): string {
  const how = outcome.signal ? `killed by ${outcome.signal}` : `exit status ${outcome.exitCode}`;
  return outcome.interrupted ? `${how} (interrupted by ${outcome.interrupted})` : how;
}

/** The roots of the machine the build ran on, replaced by tokens in canonical paths. */
export interface MachineRoots {
  /** `$HOME`. */
  readonly home?: string;
  /** `/tmp`, `/var/tmp`, `/dev/shm`, `$TMPDIR`, `$RUNNER_TEMP`. */
  readonly tmp: readonly string[];
  /** `$RUNNER_TOOL_CACHE`. */
  readonly toolcache?: string;
  /** Build caches (ccache, Go's, npm's…), each `{cache:NAME}` in canonical paths (src/vocabulary/caches.ts). */
  readonly caches?: readonly CacheRoot[];
}

/** Everything about where a run happened that the pipeline needs, read once at the edge. */
export interface RunContext {
  /** The repository root (real path): `{workspace}`. */
  readonly workspace: string;
  readonly roots: MachineRoots;
  /** Credentials out of everything written. */
  readonly redactor: Redactor;
  /**
   * The sources, when known: the tracked files of the git work tree (absolute paths),
   * listed before the build started. Without it a source is a workspace file that
   * existed before the build.
   */
  readonly sources?: ReadonlySet<string>;
  /** Spawning passes inputs on (`--provenance control`). Default: false. */
  readonly control?: boolean;
  /**
   * ioana's own files and directories of this run (the trace pipe, the runner's step
   * files): the build has no business touching them, and doing so is `tampering`.
   */
  readonly own?: readonly string[];
  /**
   * The wall between the build and ioana the edge put up (src/trace/separation.ts), for the
   * report; `privileged`: setuid programs keep their privileges under the tracer; `sudo`:
   * the build could use sudo (false: `--disable-sudo`, or no sudo to keep).
   */
  readonly separation?: {
    readonly mode: string;
    readonly description: string;
    readonly advisory?: string;
    readonly privileged: boolean;
    readonly sudo: boolean;
  };
  /**
   * What the build did to ioana itself that the trace does not show, asked once the build
   * has ended: `SIGUSR1 to ioana (an attempt to open its debugger)`. Each is `tampering`.
   */
  readonly interference?: () => readonly string[];
  /**
   * Which directories among (and above) these paths are build caches by the Cache Directory
   * Tagging convention (a `CACHEDIR.TAG` in them); the edge looks. Default: none.
   */
  readonly cacheTags?: (paths: Iterable<string>) => readonly CacheRoot[];
  /**
   * Which of the programs the build ran are set-user-ID or set-group-ID on this machine
   * (the edge reads their modes): under strace they ran without those privileges.
   */
  readonly setuid?: (exes: Iterable<string>) => readonly string[];
}

/** Hooks the edges give the analysis. */
export interface AnalyzeHooks {
  readonly onProgress?: (progress: ReadProgress) => void;
  /** The traced command (the first process) ended: daemons it left may keep the tracer waiting. */
  readonly onRootExit?: (status: { exitCode?: number; signal?: string }) => void;

  /**
   * Called between the analysis's phases, when memory held by the previous one can go;
   * `next` is the size of the graph about to be built (its nodes and edges), so that the
   * edge can refuse one that will not fit in memory before building it.
   */
  readonly betweenPhases?: (next?: { nodes: number; edges: number }) => void;
}
