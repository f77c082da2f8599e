/**
 * The project's files ioana reads and writes (an edge): the configuration and the
 * baseline, read with errors that name them, and a baseline updated under its lock,
 * written in the layout it has (src/io/baseline-style.ts). Shared by the CLI and the action.
 */
import { parseBaseline, renderBaseline, type ParsedBaseline } from '../baseline/index.js';
import { proposeUpdate, type RecordedRun, type UpdateOptions, type UpdateResult } from '../pipeline/index.js';
import { DEFAULT_CONFIG, parseConfig, type Config } from '../config/index.js';
import { UsageError } from '../vocabulary/errors.js';
import { baselineStyle } from './baseline-style.js';
import { readTextIfExists, removeDeadTemporaries, withLock, writeAtomic } from './files.js';

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

/**
 * Records runs into the baseline file under its lock: they replace what it says, or, with
 * `merge`, are added to what it learned, read again under the lock so that what another
 * ioana wrote while these builds ran is kept (an unreadable file is refused, never
 * overwritten). A run the guard refuses stops
 * the update with nothing written, unless `force`. Temporary files that a killed
 * writer left beside the baseline are removed first.
 */
export function recordRuns(path: string, runs: readonly RecordedRun[], opts: Partial<UpdateOptions> = {}): Promise<UpdateResult> {
  const shown = opts.shown ?? path;
  return withLock(path, () => {
    removeDeadTemporaries(path);
    const text = readTextIfExists(path, 'baseline');
    const current = text === undefined ? undefined : parseBaseline(text, shown);
    const result = proposeUpdate(current?.baseline, runs, { ...opts, shown });
    // Written the way the file is laid out now (its quotes, its formatter's width): the diff is what changed.
    writeAtomic(path, renderBaseline(result.baseline, baselineStyle(path, text)));
    return result;
  });
}
