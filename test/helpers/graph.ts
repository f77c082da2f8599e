import { realpathSync } from 'node:fs';
import type { Analysis } from '../../src/pipeline/index.js';
import { analyzeFile } from './pipeline.js';
import { graphDocument, horizonSets, type GraphDocument, type HorizonSets } from '../../src/graph/index.js';
import { trace } from './trace.js';

export interface TracedGraph {
  readonly analysis: Analysis;
  readonly doc: GraphDocument;
  readonly sets: HorizonSets;
  readonly workspace: string;
  readonly exitCode: number | null;
}

/** Traces `command` in `dir` with the real strace and reads the log through every stage. */
export async function traceGraph(command: string[], dir: string, control = false): Promise<TracedGraph> {
  const t = await trace(command, dir);
  const workspace = realpathSync(dir);
  const analysis = await analyzeFile(t.logPath);
  const sets = horizonSets(analysis.graph, { workspace });
  return { analysis, sets, workspace, doc: graphDocument(analysis.graph, { workspace, control }, sets), exitCode: t.outcome.exitCode };
}

/** The workspace paths in a list of paths, for assertions that ignore system files. */
export const inWorkspace = (paths: readonly string[]): string[] => paths.filter((p) => p.startsWith('{workspace}/')).sort();

export function outputFrom(doc: GraphDocument, path: string): string[] {
  const o = doc.outputs.find((x) => x.path === path);
  if (!o) throw new Error(`no output ${path}; outputs: ${doc.outputs.map((x) => x.path).join(', ')}`);
  return inWorkspace(o.from);
}
