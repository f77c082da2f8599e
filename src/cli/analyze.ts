/**
 * Reading a strace log through the pipeline's stages. The file is the only I/O here;
 * everything else is the stages' pure functions.
 */
import type { ParseStats, UnparsedEvent } from '../parse/index.js';
import { StraceParser } from '../parse/index.js';
import { forEachLine, type ReadProgress } from '../io/lines.js';

/** Unparsed lines kept for `--verbose` and the report; the count is always exact. */
export const MAX_KEPT_UNPARSED = 1000;

export interface Analysis {
  readonly stats: ParseStats;
  /** The first MAX_KEPT_UNPARSED unparsed lines. */
  readonly unparsed: readonly UnparsedEvent[];
}

export interface AnalyzeOptions {
  readonly onProgress?: (progress: ReadProgress) => void;
}

export async function analyzeLog(path: string, opts: AnalyzeOptions = {}): Promise<Analysis> {
  const unparsed: UnparsedEvent[] = [];
  const parser = new StraceParser((event) => {
    if (event.kind === 'unparsed' && unparsed.length < MAX_KEPT_UNPARSED) unparsed.push(event);
  });
  await forEachLine(path, (line) => parser.line(line), opts.onProgress);
  parser.end();
  return { stats: parser.stats, unparsed };
}
