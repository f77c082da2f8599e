/**
 * Reading a strace log through the pipeline's stages: parse → model → graph. The file
 * is the only I/O here; everything else is the stages' pure functions. Events flow
 * from the parser straight into the model: nothing per line is kept.
 */
import type { RunFacts } from '../baseline/index.js';
import { canonicalize, type Canonicalized } from '../canon/index.js';
import type { Config } from '../config/index.js';
import { buildGraph, graphDocument, horizonSets, type DataflowGraph } from '../graph/index.js';
import { canonContext } from './context.js';
import { followLines, forEachLine, type ReadProgress } from '../io/lines.js';
import { collectGarbage } from '../io/memory.js';
import { COUNTED_FAILURES, DataflowModel, type Dataflow } from '../model/index.js';
import { StraceParser, type ParseStats, type UnparsedEvent } from '../parse/index.js';

/** Unparsed lines kept for `--verbose` and the report; the count is always exact. */
export const MAX_KEPT_UNPARSED = 1000;

export interface Analysis {
  readonly stats: ParseStats;
  /** The first MAX_KEPT_UNPARSED unparsed lines. */
  readonly unparsed: readonly UnparsedEvent[];
  readonly dataflow: Dataflow;
  readonly graph: DataflowGraph;
}

export interface AnalyzeOptions {
  readonly onProgress?: (progress: ReadProgress) => void;
  /** See ModelOptions. */
  readonly onRootExit?: (status: { exitCode?: number; signal?: string }) => void;
}

/** Only the parser's statistics and unparsed lines: the first stage alone. */
export async function parseLog(path: string, opts: AnalyzeOptions = {}): Promise<Pick<Analysis, 'stats' | 'unparsed'>> {
  const unparsed: UnparsedEvent[] = [];
  const parser = new StraceParser((event) => {
    if (event.kind === 'unparsed' && unparsed.length < MAX_KEPT_UNPARSED) unparsed.push(event);
  });
  await forEachLine(path, (line) => parser.line(line), opts.onProgress);
  parser.end();
  return { stats: parser.stats, unparsed };
}

/** Where lines come from: a finished log, or one still being written. */
export type LineSource = (onLine: (line: string) => void, onChunk?: (progress: ReadProgress) => void) => Promise<void>;

/** A log file that is complete. */
export const logFile = (path: string): LineSource => (onLine, onChunk) => forEachLine(path, onLine, onChunk);

/** A log strace is writing: read as it grows, until `finished` (strace's end) and the last byte. */
export const growingLog = (path: string, finished: Promise<unknown>): LineSource => (onLine, onChunk) => followLines(path, onLine, finished, onChunk);

export async function analyzeLog(source: string | LineSource, opts: AnalyzeOptions = {}): Promise<Analysis> {
  const unparsed: UnparsedEvent[] = [];
  const model = new DataflowModel({ onRootExit: opts.onRootExit });
  const parser = new StraceParser((event) => {
    if (event.kind === 'unparsed') {
      if (unparsed.length < MAX_KEPT_UNPARSED) unparsed.push(event);
    } else {
      model.event(event);
    }
  }, { countedFailures: COUNTED_FAILURES });
  const read = typeof source === 'string' ? logFile(source) : source;
  await read((line) => parser.line(line), opts.onProgress);
  parser.end();
  const dataflow = model.finish();
  collectGarbage();
  const graph = buildGraph(dataflow);
  // The accesses are the graph's edges now; the rest of the records stay for the report.
  const kept: Dataflow = { ...dataflow, accesses: [] };
  collectGarbage();
  return { stats: parser.stats, unparsed, dataflow: kept, graph };
}

/** The counts a report carries about the trace. */
export function reportStats(a: Analysis): Record<string, number | boolean> {
  const m = a.dataflow.stats;
  return {
    lines: a.stats.lines, unparsed: a.stats.unparsed, syscalls: a.stats.syscalls, processes: m.processes, execs: m.execs, probes: m.probes, ioUring: m.ioUring,
  };
}

/** What the update guard weighs about a trace (`refusal`). */
export function runFacts(a: Analysis): RunFacts {
  return { lines: a.stats.lines - a.stats.blank, unparsed: a.stats.unparsed, execs: a.dataflow.stats.execs };
}

/** A log read through every stage to its canonical graph. */
export interface CanonicalRun {
  readonly analysis: Analysis;
  readonly canonical: Canonicalized;
}

/**
 * parse → model → graph → canonical graph: what `check`, `update` and the action
 * compare. Paths in the document stay raw (absolute); canonicalization turns the
 * workspace into `{workspace}`.
 */
export async function canonicalRun(source: string | LineSource, workspace: string, config: Config, control = false, opts: AnalyzeOptions = {}): Promise<CanonicalRun> {
  const analysis = await analyzeLog(source, opts);
  const sets = horizonSets(analysis.graph, { workspace });
  const doc = graphDocument(analysis.graph, { control }, sets);
  collectGarbage();
  const canonical = canonicalize(doc, canonContext(workspace, analysis.dataflow), config);
  return { analysis, canonical };
}
