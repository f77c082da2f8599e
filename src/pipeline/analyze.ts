/**
 * A strace log through the stages: parse → model → graph → canonical graph. Pure: the
 * lines come from a source the edge gives, and events flow from the parser straight
 * into the model, so nothing per line is kept.
 */
import type { RunFacts } from '../baseline/index.js';
import { Canonicalizer, canonicalize, madeNames, type CanonContext, type Canonicalized } from '../canon/index.js';
import { DEFAULT_CONFIG, type Config } from '../config/index.js';
import { byCodeUnit, isUnder, programText } from '../vocabulary/index.js';
import {
  actorsOf,
  buildGraph,
  containerDaemons,
  flows,
  foreignProcesses,
  graphDocument,
  horizonSets,
  modifiedFiles,
  nodePath,
  type ContainerDaemon,
  type DataflowGraph,
  type Flow,
} from '../graph/index.js';
import { COUNTED_FAILURES, decode, isProcessEvent } from '../decode/index.js';
import { DataflowModel, type Dataflow } from '../model/index.js';
import { StraceParser, type ParseStats, type TraceEvent, type UnparsedEvent } from '../parse/index.js';
import { InputError } from '../vocabulary/errors.js';
import {
  givesSteps,
  type AnalyzeHooks,
  type LineSource,
  type RunContext,
  type StepSource,
  type TraceCounts,
  type TraceSource,
} from './types.js';

/** Unparsed lines kept for `--verbose` and the report; the count is always exact. */
export const MAX_KEPT_UNPARSED = 1000;

export interface Analysis {
  readonly stats: ParseStats;
  /** The first MAX_KEPT_UNPARSED unparsed lines. */
  readonly unparsed: readonly UnparsedEvent[];
  readonly dataflow: Dataflow;
  readonly graph: DataflowGraph;
}

/**
 * A log is read to its end only while most of it is strace's: past this many unparsed
 * lines, when they are more than half of the lines, it is not a strace log, and an
 * endless one (`--trace /dev/stdin` fed by `yes`) must still end.
 */
export const GIVE_UP_UNPARSED = 10_000;

/** Keeps the first unparsed lines (in `unparsed`); stops the reading when the log is plainly not strace's. */
function keepUnparsed(unparsed: UnparsedEvent[], event: UnparsedEvent, stats: ParseStats): void {
  if (unparsed.length < MAX_KEPT_UNPARSED) unparsed.push(event);
  if (stats.unparsed > GIVE_UP_UNPARSED && stats.unparsed * 2 > stats.lines) {
    throw new InputError(
      `${stats.unparsed} of the first ${stats.lines} lines of the trace log are not strace output: this is not a strace log.`,
      {
        hint: 'Give --trace a log strace wrote (ioana trace --out LOG -- COMMAND, or --trace-out of check and update).',
      },
    );
  }
}

/**
 * Only the parser's statistics and unparsed lines: the first stage alone (for a trace its
 * back end decodes, the decoding alone).
 */
export async function parseLog(source: TraceSource, hooks: AnalyzeHooks = {}): Promise<Pick<Analysis, 'stats' | 'unparsed'>> {
  if (givesSteps(source)) return { stats: countsAsStats(await source.steps(() => undefined, hooks.onProgress)), unparsed: [] };
  const unparsed: UnparsedEvent[] = [];
  const parser = new StraceParser((event) => {
    if (event.kind === 'unparsed') keepUnparsed(unparsed, event, parser.stats);
  });
  await source((line) => parser.line(line), hooks.onProgress);
  parser.end();
  return { stats: parser.stats, unparsed };
}

/** A log's lines parsed and decoded into the model. */
async function modelLines(source: LineSource, model: DataflowModel, hooks: AnalyzeHooks): Promise<Pick<Analysis, 'stats' | 'unparsed'>> {
  const unparsed: UnparsedEvent[] = [];
  const parser = new StraceParser(
    (event) => {
      if (event.kind === 'unparsed') {
        keepUnparsed(unparsed, event, parser.stats);
        return;
      }
      if (isProcessEvent(event)) model.apply(event.pid, decode(event));
    },
    { countedFailures: COUNTED_FAILURES },
  );
  await source((line) => parser.line(line), hooks.onProgress);
  parser.end();
  return { stats: parser.stats, unparsed };
}

/** The parser's statistics for a trace its back end decoded: records stand for lines. */
export function countsAsStats(c: TraceCounts): ParseStats {
  return {
    lines: c.records,
    blank: 0,
    unparsed: 0,
    syscalls: c.calls,
    pids: c.pids,
    signals: 0,
    messages: 0,
    dumps: 0,
    resumed: 0,
    orphanResumed: 0,
    incomplete: 0,
  };
}

/** Operations decoded by the back end, into the model. */
async function modelSteps(source: StepSource, model: DataflowModel, hooks: AnalyzeHooks): Promise<Pick<Analysis, 'stats' | 'unparsed'>> {
  const counts = await source.steps((pid, op) => model.apply(pid, op), hooks.onProgress);
  const root = source.rootSeenAs?.();
  if (root !== undefined) model.seenAs(root);
  return { stats: countsAsStats(counts), unparsed: [] };
}

/** parse → model → graph (or, for a back end that decodes its own trace, model → graph). */
export async function analyzeLog(source: TraceSource, hooks: AnalyzeHooks = {}): Promise<Analysis> {
  const model = new DataflowModel({ onRootExit: hooks.onRootExit, separated: givesSteps(source) && source.separated === true });
  const { stats, unparsed } = givesSteps(source) ? await modelSteps(source, model, hooks) : await modelLines(source, model, hooks);
  const dataflow = model.finish();
  hooks.betweenPhases?.({
    nodes: dataflow.images.length + dataflow.objects.length,
    edges: dataflow.accesses.length + dataflow.operations.length + dataflow.images.length,
  });
  const graph = buildGraph(dataflow);
  // The accesses are the graph's edges now; the rest of the records stay for the report.
  const kept: Dataflow = { ...dataflow, accesses: [] };
  hooks.betweenPhases?.();
  return { stats, unparsed, dataflow: kept, graph };
}

/** The dataflow of parsed events: each decoded, then applied (tests, and logs already parsed). */
export function modelEvents(events: Iterable<TraceEvent>): Dataflow {
  const model = new DataflowModel();
  for (const e of events) {
    if (isProcessEvent(e)) model.apply(e.pid, decode(e));
  }
  return model.finish();
}

/** What the update guard weighs about a trace (`refusal`). */
export function runFacts(a: Analysis): RunFacts {
  return { lines: a.stats.lines - a.stats.blank, unparsed: a.stats.unparsed, execs: a.dataflow.stats.execs };
}

/** The counts a report carries about the trace. */
export function reportStats(a: Analysis): Record<string, number | boolean> {
  const m = a.dataflow.stats;
  return {
    lines: a.stats.lines,
    unparsed: a.stats.unparsed,
    syscalls: a.stats.syscalls,
    processes: m.processes,
    execs: m.execs,
    probes: m.probes,
    ioUring: m.ioUring,
  };
}

/**
 * The pids the build saw itself as, which its made names (`conf$$`) hold: behind ioana's
 * wall, those of its own PID namespace only. The tracer's pids (the host's) are not the
 * build's there, and after the host's pids wrap (pid_max 32768 is common) they are small
 * numbers that a build's own names hold for other reasons (`out/345/`): folded, distinct
 * outputs became one (seen once under a loaded test run: 100 outputs of 400 gone).
 */
function buildPids(flow: Dataflow): number[] {
  if (flow.separated) return [...(flow.seenPids ?? [])];
  return [...flow.images.map((i) => i.pid), ...(flow.seenPids ?? [])];
}

/**
 * The canonicalization context of one run: the machine's roots, the pids the trace saw,
 * and the build caches: the known ones and those tagged `CACHEDIR.TAG` among the
 * directories the build touched (`RunContext.cacheTags`).
 */
export function canonContext(context: RunContext, flow?: Dataflow): CanonContext {
  const tagged = flow && context.cacheTags ? context.cacheTags(filePaths(flow)) : [];
  return {
    workspace: context.workspace,
    ...context.roots,
    ...(tagged.length > 0 ? { caches: [...(context.roots.caches ?? []), ...tagged] } : {}),
    pids: flow ? new Set(buildPids(flow).filter((p) => p >= 100)) : undefined,
    made: flow ? madeNames(madePaths(flow)) : undefined,
    ownPorts: flow ? new Set(flow.listening ?? []) : undefined,
    redactor: context.redactor,
  };
}

/** Every name of every file and directory the build touched. */
function* filePaths(flow: Dataflow): Generator<string> {
  for (const o of flow.objects) if (o.kind === 'file' || o.kind === 'directory') yield* o.names;
}

/** The paths the build created: every name of a file version it made, every directory it made. */
function* madePaths(flow: Dataflow): Generator<string> {
  for (const o of flow.objects) if (o.kind === 'file' && !o.existedBefore) yield* o.names;
  for (const op of flow.operations) if (op.kind === 'mkdir') yield op.path;
}

/** The paths of ioana's own files (`own`: files, and directories with everything below) that the build touched. */
export function touchedOwn(flow: Dataflow, own: readonly string[]): string[] {
  if (own.length === 0) return [];
  const out: string[] = [];
  for (const o of flow.objects) for (const name of o.names) if (own.some((root) => isUnder(name, root))) out.push(name);
  return out;
}

/** A log read through every stage to its canonical graph. */
export interface CanonicalRun {
  readonly analysis: Analysis;
  readonly canonical: Canonicalized;
  /** Every flow with its calls and bytes, named canonically and redacted (src/graph/flows.ts); worked out when asked. */
  readonly flows: () => readonly Flow[];
  /** Container daemons the build asked to work, whose steps ran outside the trace (src/graph/containers.ts). */
  readonly containers: readonly ContainerDaemon[];
}

/** The run's flows, named as its canonical graph names paths (the same canonicalizer), worked out once when first asked for. */
function flowsOf(analysis: Analysis, canonical: Canonicalized): () => readonly Flow[] {
  let list: readonly Flow[] | undefined;
  return () => (list ??= flows(analysis.graph, { canonical: canonical.path }));
}

/**
 * parse → model → graph → canonical graph: what `check`, `update` and the action
 * compare. Paths in the document stay raw (absolute); canonicalization turns the
 * workspace into `{workspace}`.
 */
export async function canonicalRun(
  source: TraceSource,
  context: RunContext,
  config: Config,
  hooks: AnalyzeHooks = {},
): Promise<CanonicalRun> {
  const analysis = await analyzeLog(source, hooks);
  const ctx = canonContext(context, analysis.dataflow);
  const sets = horizonSets(analysis.graph, { workspace: context.workspace, hideWrappers: true });
  const doc = {
    ...graphDocument(analysis.graph, { control: context.control ?? false, caches: ctx.caches }, sets),
    modified: modifiedFiles(analysis.graph, sets, context.sources),
    actors: [...actorsOf(analysis.graph, [...sets.inputs, ...sets.endpoints])].map(([key, a]) => ({
      path: nodePath(analysis.graph, key),
      ...a,
    })),
  };
  hooks.betweenPhases?.();
  const canonical = canonicalize(doc, ctx, config, context.sources ? 'git' : undefined);
  const touched = touchedOwn(analysis.dataflow, context.own ?? []);
  const interfered = context.interference?.() ?? [];
  // In namespaces of its own, the build's /proc holds only its processes (numbered as it sees them).
  const foreign = analysis.dataflow.separated
    ? []
    : foreignProcesses(analysis.graph, new Set(analysis.dataflow.tids ?? analysis.dataflow.images.map((i) => i.pid)));
  const extra = { flows: flowsOf(analysis, canonical), containers: containerDaemons(analysis.graph, ctx.redactor) };
  if (touched.length === 0 && interfered.length === 0 && foreign.length === 0) return { analysis, canonical, ...extra };
  const c = new Canonicalizer(ctx, DEFAULT_CONFIG);
  const tampered = [...new Set([...touched.map((p) => c.path(p) ?? p), ...interfered])].sort(byCodeUnit);
  const reached = foreign.map((f) => {
    const path = c.path(f.path) ?? f.path;
    return { path: f.call ? `${f.call} ${path}` : path, what: f.what, by: programText(c.program(f.by)) };
  });
  const graph = {
    ...canonical.graph,
    ...(tampered.length > 0 ? { tampered } : {}),
    ...(reached.length > 0 ? { reached } : {}),
  };
  return { analysis, canonical: { ...canonical, graph }, ...extra };
}
