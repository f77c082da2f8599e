/** Building and learning baselines from canonical graphs. */
import type { CanonicalGraph } from '../canon/index.js';
import { byCodeUnit, programKey } from '../vocabulary/index.js';
import { BASELINE_VERSION, type Baseline, type BaselineOutput, type BaselineProgram, type Counted } from './types.js';

const EMPTY: Baseline = { version: BASELINE_VERSION, runs: 0, inputs: [], outputs: [], programs: [], endpoints: [], modified: [] };

const NONE: readonly Counted[] = [];

/**
 * Entries of `old` (over `oldRuns`) and of one more run (`now`): each `seen` + 1 where the
 * run has it. A cache-miss mark is the latest run's for what it has, the old one's for
 * what it did not see (a warm run does not unlearn what a cold one needed).
 */
function mergeCounted(
  old: readonly Counted[],
  oldRuns: number,
  now: readonly string[],
  miss: Readonly<Record<string, string>> = {},
): Counted[] {
  const seen = new Map<string, number>(old.map((c) => [c.value, Math.min(c.seen, oldRuns)]));
  const marks = new Map(old.filter((c) => c.miss !== undefined).map((c) => [c.value, c.miss!]));
  for (const v of now) {
    seen.set(v, (seen.get(v) ?? 0) + 1);
    if (miss[v] !== undefined) marks.set(v, miss[v]);
    else marks.delete(v);
  }
  return [...seen.entries()]
    .map(([value, n]) => {
      const m = marks.get(value);
      return m === undefined ? { value, seen: n } : { value, seen: n, miss: m };
    })
    .sort((a, b) => byCodeUnit(a.value, b.value));
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
      ...(p.miss !== undefined ? { miss: p.miss } : {}),
    });
  }
  const caches = mergeCounted(b.caches ?? [], b.runs, g.caches ?? []);
  const toolchains = { ...b.toolchains, ...g.toolchains };
  return {
    version: BASELINE_VERSION,
    runs: b.runs + 1,
    inputs: mergeCounted(b.inputs, b.runs, g.inputs, g.miss),
    outputs: [...outputs.values()].sort((x, y) => byCodeUnit(x.path, y.path)),
    programs: [...programs.values()].sort((x, y) => byCodeUnit(programKey(x), programKey(y))),
    endpoints: mergeCounted(b.endpoints, b.runs, g.endpoints),
    modified: mergeCounted(b.modified, b.runs, g.modified),
    ...(caches.length > 0 ? { caches } : {}),
    ...(Object.keys(toolchains).length > 0 ? { toolchains } : {}),
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
    programs: b.programs.map((p) => ({ exe: p.exe, argv: p.argv, count: p.count, ...(p.miss !== undefined ? { miss: p.miss } : {}) })),
    endpoints: b.endpoints.map((c) => c.value),
    modified: b.modified.map((c) => c.value),
    ...(b.caches && b.caches.length > 0 ? { caches: b.caches.map((c) => c.value) } : {}),
    ...(b.toolchains ? { toolchains: b.toolchains } : {}),
    ...(b.inputs.some((c) => c.miss !== undefined)
      ? { miss: Object.fromEntries(b.inputs.filter((c) => c.miss !== undefined).map((c) => [c.value, c.miss!])) }
      : {}),
  };
}
