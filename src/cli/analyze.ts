/**
 * Reading a strace log through the pipeline's stages: parse → model → graph. The file
 * is the only I/O here; everything else is the stages' pure functions. Events flow
 * from the parser straight into the model: nothing per line is kept.
 */
import { buildGraph, type DataflowGraph } from '../graph/index.js';
import { forEachLine, type ReadProgress } from '../io/lines.js';
import { DataflowModel, type Dataflow } from '../model/index.js';
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

export async function analyzeLog(path: string, opts: AnalyzeOptions = {}): Promise<Analysis> {
  const unparsed: UnparsedEvent[] = [];
  const model = new DataflowModel();
  const parser = new StraceParser((event) => {
    if (event.kind === 'unparsed') {
      if (unparsed.length < MAX_KEPT_UNPARSED) unparsed.push(event);
    } else {
      model.event(event);
    }
  });
  await forEachLine(path, (line) => parser.line(line), opts.onProgress);
  parser.end();
  const dataflow = model.finish();
  return { stats: parser.stats, unparsed, dataflow, graph: buildGraph(dataflow) };
}
