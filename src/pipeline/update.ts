/**
 * Recording runs into a baseline (pure): the guard that refuses a run that would weaken
 * it, the merge, and the line that says what changed. The edge holds the file's lock
 * and reads and writes it around this.
 */
import { baselineOf, describeUpdate, mergeRun, refusal, type Baseline, type RunFacts } from '../baseline/index.js';
import type { CanonicalGraph } from '../canon/index.js';
import { IoanaError } from '../vocabulary/errors.js';

/** One run to record: its canonical graph and the facts the guard weighs. */
export interface RecordedRun {
  readonly graph: CanonicalGraph;
  readonly facts: RunFacts;
}

/** What an update writes: the new baseline, and one line saying what changed. */
export interface UpdateResult {
  readonly baseline: Baseline;
  /** `+1 input, 4 entries now seen in 3 of 4 runs` (`describeUpdate`). */
  readonly change: string;
}

export interface UpdateOptions {
  /**
   * Add these runs to what `current` learned (`runs` + N, `seen: k`), rather than replace
   * it (the default: accepting a run means the baseline says what it saw, every entry of
   * it required from then on; `--runs N` learns over runs of one commit).
   */
  readonly merge?: boolean;
  /** Record even runs the guard refuses. */
  readonly force?: boolean;
  /** How errors name the baseline. */
  readonly shown: string;
}

/**
 * What `runs` say, replacing `current` (what the file holds now, if anything), or merged
 * into it (`merge`). A run the guard refuses (`refusal`) is an error with nothing to
 * write, unless `force`.
 */
export function proposeUpdate(current: Baseline | undefined, runs: readonly RecordedRun[], opts: UpdateOptions): UpdateResult {
  let merged = opts.merge ? current : undefined;
  for (const run of runs) {
    const next = mergeRun(merged, run.graph);
    const why = opts.force ? undefined : refusal(run.graph, run.facts, merged ?? current, next);
    if (why) {
      throw new IoanaError(`refusing to update ${opts.shown}: ${why}`, {
        hint: 'Nothing was written. If this run is what the baseline should say, run the same command with --force.',
      });
    }
    merged = next;
  }
  const baseline = merged ?? baselineOf([]);
  return { baseline, change: describeUpdate(current, baseline) };
}

/** `wrote baselines/b.yml (4 runs): +1 input, 4 entries now seen in 3 of 4 runs` */
export function describeWrite(shown: string, r: UpdateResult): string {
  return `wrote ${shown} (${r.baseline.runs} run${r.baseline.runs === 1 ? '' : 's'}): ${r.change}`;
}
