/**
 * The configuration and the baseline as files: read with errors that name them, and a
 * baseline updated under its lock, merged into what it holds at that moment. Shared by
 * the CLI and the action.
 */
import { baselineOf, describeUpdate, mergeRun, parseBaseline, refusal, renderBaseline, type Baseline, type ParsedBaseline, type RunFacts } from '../baseline/index.js';
import type { CanonicalGraph } from '../canon/index.js';
import { DEFAULT_CONFIG, parseConfig, type Config } from '../config/index.js';
import { IoanaError, UsageError } from '../errors.js';
import { readTextIfExists, withLock, writeAtomic } from '../io/files.js';

/**
 * The configuration at `path`; the defaults when it does not exist, unless it was given
 * explicitly. `shown` is how errors name the file (repository-relative in the action).
 */
export function loadConfigFile(path: string, given: boolean, shown = path): Config {
  const text = readTextIfExists(path, 'configuration');
  if (text === undefined) {
    if (given) throw new UsageError(`configuration file not found: ${shown}`, { hint: 'Check the path of the configuration.' });
    return DEFAULT_CONFIG;
  }
  return parseConfig(text, shown);
}

/** The baseline at `path`, or undefined when there is none; an invalid one is an error. */
export function loadBaselineFile(path: string, shown = path): ParsedBaseline | undefined {
  const text = readTextIfExists(path, 'baseline');
  return text === undefined ? undefined : parseBaseline(text, shown);
}

/** One run to record: its canonical graph and the facts the guard weighs. */
export interface RecordedRun {
  readonly graph: CanonicalGraph;
  readonly facts: RunFacts;
}

/** What an update wrote: the new baseline, and one line saying what changed. */
export interface UpdateResult {
  readonly baseline: Baseline;
  /** `+1 input, 4 entries now seen in 3 of 4 runs` (`describeUpdate`). */
  readonly change: string;
}

/** `wrote baselines/b.yml (4 runs): +1 input, 4 entries now seen in 3 of 4 runs` */
export function describeWrite(shown: string, r: UpdateResult): string {
  return `wrote ${shown} (${r.baseline.runs} run${r.baseline.runs === 1 ? '' : 's'}): ${r.change}`;
}

/**
 * Merges runs into the baseline file under its lock: what another ioana wrote while
 * these builds ran is read again and kept. `fresh` starts over from these runs (an
 * unreadable file is still refused, never overwritten). A run the guard refuses
 * (`refusal`) stops the update with nothing written, unless `force`.
 */
export function recordRuns(path: string, runs: readonly RecordedRun[], opts: { fresh?: boolean; force?: boolean; shown?: string } = {}): UpdateResult {
  const shown = opts.shown ?? path;
  return withLock(path, () => {
    const current = loadBaselineFile(path, shown);
    let merged = opts.fresh ? undefined : current?.baseline;
    for (const run of runs) {
      const next = mergeRun(merged, run.graph);
      const why = opts.force ? undefined : refusal(run.graph, run.facts, merged ?? (opts.fresh ? current?.baseline : undefined), next);
      if (why) {
        throw new IoanaError(`refusing to update ${shown}: ${why}`, {
          hint: 'Nothing was written. If this run is what the baseline should say, run the same command with --force.',
        });
      }
      merged = next;
    }
    const result = merged ?? baselineOf([]);
    writeAtomic(path, renderBaseline(result));
    return { baseline: result, change: describeUpdate(current?.baseline, result) };
  });
}
