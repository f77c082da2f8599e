/** Building and learning baselines from canonical graphs. */
import type { CanonicalGraph } from '../canon/index.js';
import { byCodeUnit, programKey } from '../vocabulary/index.js';
import { BASELINE_VERSION, type Baseline, type BaselineOutput, type BaselineProgram, type Counted } from './types.js';

const EMPTY: Baseline = { version: BASELINE_VERSION, runs: 0, inputs: [], outputs: [], programs: [], endpoints: [], modified: [] };

function mergeCounted(old: readonly Counted[], oldRuns: number, now: readonly string[]): Counted[] {
  const seen = new Map<string, number>(old.map((c) => [c.value, Math.min(c.seen, oldRuns)]));
  for (const v of now) seen.set(v, (seen.get(v) ?? 0) + 1);
  return [...seen.entries()].map(([value, n]) => ({ value, seen: n })).sort((a, b) => byCodeUnit(a.value, b.value));
}

/** One more run learned: `runs + 1`, each entry's `seen` + 1 when this run has it. */
export function mergeRun(base: Baseline | undefined, g: CanonicalGraph): Baseline {
  const b = base ?? EMPTY;
  const outputs = new Map<string, BaselineOutput>(b.outputs.map((o) => [o.path, o]));
  for (const o of g.outputs) {
    const old = outputs.get(o.path);
    outputs.set(o.path, {
      path: o.path,
      seen: (old ? Math.min(old.seen, b.runs) : 0) + 1,
      from: mergeCounted(old?.from ?? [], old ? Math.min(old.seen, b.runs) : 0, o.from),
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
  return {
    inputs: b.inputs.map((c) => c.value),
    outputs: b.outputs.map((o) => ({ path: o.path, from: o.from.map((c) => c.value) })),
    programs: b.programs.map((p) => ({ exe: p.exe, argv: p.argv, count: p.count })),
    endpoints: b.endpoints.map((c) => c.value),
    modified: b.modified.map((c) => c.value),
  };
}
