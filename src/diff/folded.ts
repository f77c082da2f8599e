/**
 * Folded sets of outputs (`fold-outputs`) in the diff: the baseline's outputs folded as
 * the configuration folds the run's, and what a finding about a set says of it.
 */
import { entryKey, type Baseline, type BaselineLines, type BaselineOutput } from '../baseline/index.js';
import { OutputFolds } from '../canon/index.js';
import type { Config } from '../config/index.js';
import { byCodeUnit } from '../vocabulary/index.js';
import type { SetCount } from './types.js';

/**
 * The baseline's outputs as this configuration compares them: single files that a
 * `fold-outputs` glob matches (a baseline recorded before the glob was added) folded into
 * their set, as the run's are, so that adding the glob changes nothing a check reports.
 * Each such set is on the line of its first file.
 */
export function foldedBaseline(
  base: Baseline,
  config: Config,
  lines: BaselineLines,
): { outputs: readonly BaselineOutput[]; lines: BaselineLines } {
  const folds = new OutputFolds(config.foldOutputs);
  if (!folds.any) return { outputs: base.outputs, lines };
  const read = new Set(base.inputs.map((c) => c.value));
  const sets = new Map<string, { files: number; seen: number; from: Map<string, number>; line?: number }>();
  const out: BaselineOutput[] = [];
  for (const o of base.outputs) {
    const fold = o.files === undefined && !read.has(o.path) ? folds.of(o.path) : undefined;
    if (!fold) {
      out.push(o);
      continue;
    }
    let set = sets.get(fold.set);
    if (!set) sets.set(fold.set, (set = { files: 0, seen: 0, from: new Map(), line: lines.get(entryKey('outputs', o.path)) }));
    set.files++;
    set.seen = Math.max(set.seen, o.seen);
    for (const c of o.from) set.from.set(c.value, Math.max(set.from.get(c.value) ?? 0, c.seen));
  }
  if (sets.size === 0) return { outputs: base.outputs, lines };
  const named = new Set(out.map((o) => o.path));
  const setLines = new Map(lines);
  for (const [path, s] of sets) {
    // A set the baseline already names: it stands, and its files recorded alone are tolerated beside it.
    if (named.has(path)) continue;
    const from = [...s.from].map(([value, seen]) => ({ value, seen })).sort((a, b) => byCodeUnit(a.value, b.value));
    out.push({ path, files: s.files, seen: s.seen, from });
    if (s.line !== undefined && !setLines.has(entryKey('outputs', path))) setLines.set(entryKey('outputs', path), s.line);
  }
  return { outputs: out.sort((a, b) => byCodeUnit(a.path, b.path)), lines: setLines };
}

/** `1 file`, `100000 files`. */
const files = (n: number): string => `${n} file${n === 1 ? '' : 's'}`;

/** What a finding about a folded set says of it: `5 more files in {workspace}/out/gen/** (100005; the baseline has 100000)`. */
export function setText(subject: string, count: SetCount): string {
  const { now, baseline } = count;
  if (now !== undefined && baseline !== undefined) {
    const change = now > baseline ? `${now - baseline} more file${now - baseline === 1 ? '' : 's'}` : `${baseline - now} of the files`;
    return `${change} in ${subject} (${now}; the baseline has ${baseline})`;
  }
  return now !== undefined ? `${subject} (${files(now)})` : `${subject} (${files(baseline ?? 0)} in the baseline)`;
}
