/** Building and learning baselines from canonical graphs. */
import type { CanonicalGraph } from '../canon/index.js';
import { byCodeUnit, programKey } from '../vocabulary/index.js';
import { BASELINE_VERSION, type Baseline, type BaselineOutput, type BaselineProgram, type Counted } from './types.js';

const EMPTY: Baseline = { version: BASELINE_VERSION, runs: 0, inputs: [], outputs: [], programs: [], endpoints: [], modified: [] };

const NONE: readonly Counted[] = [];

function mergeCounted(old: readonly Counted[], oldRuns: number, now: readonly string[]): Counted[] {
  const seen = new Map<string, number>(old.map((c) => [c.value, Math.min(c.seen, oldRuns)]));
  for (const v of now) seen.set(v, (seen.get(v) ?? 0) + 1);
  return [...seen.entries()].map(([value, n]) => ({ value, seen: n })).sort((a, b) => byCodeUnit(a.value, b.value));
}

/**
 * `mergeCounted` of outputs' provenance, each distinct case once: outputs share their
 * lists (a generator's 100 000 outputs, one list of inputs), so the merged lists are
 * shared too, and merging costs the outputs, not the outputs × their inputs.
 */
class ProvenanceMerger {
  private readonly known = new Map<readonly Counted[], Map<number, Map<readonly string[], Counted[]>>>();

  merge(old: readonly Counted[], oldRuns: number, now: readonly string[]): Counted[] {
    let byRuns = this.known.get(old);
    if (!byRuns) this.known.set(old, (byRuns = new Map()));
    let byNow = byRuns.get(oldRuns);
    if (!byNow) byRuns.set(oldRuns, (byNow = new Map()));
    let merged = byNow.get(now);
    if (!merged) byNow.set(now, (merged = mergeCounted(old, oldRuns, now)));
    return merged;
  }
}

/** One more run learned: `runs + 1`, each entry's `seen` + 1 when this run has it; a folded set takes this run's count. */
export function mergeRun(base: Baseline | undefined, g: CanonicalGraph): Baseline {
  const b = base ?? EMPTY;
  const outputs = new Map<string, BaselineOutput>(b.outputs.map((o) => [o.path, o]));
  const provenance = new ProvenanceMerger();
  for (const o of g.outputs) {
    const old = outputs.get(o.path);
    const oldSeen = old ? Math.min(old.seen, b.runs) : 0;
    outputs.set(o.path, {
      path: o.path,
      ...(o.files === undefined ? {} : { files: o.files }),
      seen: oldSeen + 1,
      from: provenance.merge(old?.from ?? NONE, oldSeen, o.from),
    });
  }
  const programs = new Map<string, BaselineProgram>(b.programs.map((p) => [programKey(p), p]));
  for (const p of g.programs) {
    const key = programKey(p);
    const old = programs.get(key);
    programs.set(key, {
      exe: p.exe,
      argv: p.argv,
      count: Math.max(old?.count ?? 0, p.count),
      seen: (old ? Math.min(old.seen, b.runs) : 0) + 1,
    });
  }
  return {
    version: BASELINE_VERSION,
    runs: b.runs + 1,
    inputs: mergeCounted(b.inputs, b.runs, g.inputs),
    outputs: [...outputs.values()].sort((x, y) => byCodeUnit(x.path, y.path)),
    programs: [...programs.values()].sort((x, y) => byCodeUnit(programKey(x), programKey(y))),
    endpoints: mergeCounted(b.endpoints, b.runs, g.endpoints),
    modified: mergeCounted(b.modified, b.runs, g.modified),
  };
}

/** A baseline of these runs alone. */
export function baselineOf(runs: readonly CanonicalGraph[]): Baseline {
  let b: Baseline | undefined;
  for (const g of runs) b = mergeRun(b, g);
  return b ?? EMPTY;
}

/** The baseline as a canonical graph (every entry, whatever its `seen`). */
export function graphOf(b: Baseline): CanonicalGraph {
  // Outputs share their provenance lists: each list once.
  const lists = new Map<readonly Counted[], string[]>();
  const values = (from: readonly Counted[]): string[] => {
    let list = lists.get(from);
    if (!list) lists.set(from, (list = from.map((c) => c.value)));
    return list;
  };
  return {
    inputs: b.inputs.map((c) => c.value),
    outputs: b.outputs.map((o) => ({ path: o.path, from: values(o.from), ...(o.files === undefined ? {} : { files: o.files }) })),
    programs: b.programs.map((p) => ({ exe: p.exe, argv: p.argv, count: p.count })),
    endpoints: b.endpoints.map((c) => c.value),
    modified: b.modified.map((c) => c.value),
  };
}
