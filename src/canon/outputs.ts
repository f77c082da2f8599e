/**
 * The canonical graph's outputs: each output's path and its inputs canonical, and the
 * outputs that a `fold-outputs` glob matches folded into one entry per set, with their
 * count (`OutputFolds`, which the diff also uses to fold a baseline recorded without it).
 */
import type { GraphDocument } from '../graph/index.js';
import type { Config } from '../config/index.js';
import { collapseWith, globToRegExp } from '../vocabulary/glob.js';
import { byCodeUnit } from '../vocabulary/collections.js';
import type { CanonicalOutput } from './canonicalize.js';
import type { RewriteStep } from './rules.js';

/** Outputs whose canonical path a `fold-outputs` glob matches → the set they fold into, named as `collapse` names it. */
export class OutputFolds {
  private readonly globs: readonly { glob: string; re: RegExp }[];

  constructor(globs: readonly string[]) {
    this.globs = globs.map((glob) => ({ glob, re: globToRegExp(glob) }));
  }

  get any(): boolean {
    return this.globs.length > 0;
  }

  /** `{workspace}/out/gen/f1.txt` with `{workspace}/out/gen/**` → that glob and `{workspace}/out/gen/**`; the first glob that matches wins. */
  of(path: string): { glob: string; set: string } | undefined {
    for (const { glob, re } of this.globs) {
      if (!re.test(path)) continue;
      const set = collapseWith(glob, path);
      if (set !== undefined) return { glob, set };
    }
    return undefined;
  }
}

/** Sorted, without duplicates. */
const sortedUnion = (lists: Iterable<readonly string[]>): string[] => {
  const all = new Set<string>();
  for (const list of lists) for (const x of list) all.add(x);
  return [...all].sort(byCodeUnit);
};

/**
 * The outputs, canonical, each with its canonical inputs. Provenance lists come shared
 * (outputs made from the same inputs share one list, see graphDocument) and each is
 * canonicalized once, so a generator's 100 000 outputs cost 100 000 paths, not
 * 100 000 × their inputs. Outputs under a `fold-outputs` glob become one entry per set,
 * with their count and the inputs of any of them; an output that is also an input
 * (a source the build rewrote) keeps its own entry.
 */
export function canonicalOutputs(
  doc: GraphDocument,
  config: Config,
  seen: (raw: string) => string | undefined,
  inputs: readonly string[],
  /** Raw output → the step that folded it, for `explain`. */
  folded: Map<string, RewriteStep>,
  /** The canonical name of an input in a provenance list (undefined: not an input). Default: `seen`. */
  seenFrom: (raw: string) => string | undefined = seen,
): CanonicalOutput[] {
  const canonicalFrom = new Map<readonly string[], readonly string[]>();
  const fromOf = (raw: readonly string[]): readonly string[] => {
    let list = canonicalFrom.get(raw);
    if (list === undefined) {
      list = sortedUnion([raw.map(seenFrom).filter((x): x is string => x !== undefined)]);
      canonicalFrom.set(raw, list);
    }
    return list;
  };
  const folds = new OutputFolds(config.foldOutputs);
  const read = folds.any ? new Set(inputs) : undefined;
  /** Each output → its inputs' list, or lists when several raw outputs have one canonical path. */
  const outputs = new Map<string, readonly string[] | Set<readonly string[]>>();
  const sets = new Map<string, { members: Set<string>; from: Set<readonly string[]> }>();
  for (const o of doc.outputs) {
    const path = seen(o.path);
    if (path === undefined) continue;
    const from = fromOf(o.from);
    const fold = read && !read.has(path) ? folds.of(path) : undefined;
    if (fold) {
      folded.set(o.path, { rule: `fold-outputs ${fold.glob}`, before: path, after: fold.set });
      const s = sets.get(fold.set) ?? sets.set(fold.set, { members: new Set(), from: new Set() }).get(fold.set)!;
      s.members.add(path);
      s.from.add(from);
      continue;
    }
    const known = outputs.get(path);
    if (known === undefined) outputs.set(path, from);
    else if (known instanceof Set) known.add(from);
    else if (known !== from) outputs.set(path, new Set([known, from]));
  }
  const out: CanonicalOutput[] = [];
  for (const [path, known] of outputs) {
    const lists = known instanceof Set ? [...known] : [known];
    // A set's name that is also a file's (a `collapse` made it): the file goes into the set.
    const set = sets.get(path);
    if (set) for (const l of lists) set.from.add(l);
    else out.push({ path, from: lists.length === 1 ? lists[0] : sortedUnion(lists) });
  }
  for (const [path, s] of sets) out.push({ path, from: sortedUnion(s.from), files: s.members.size + (outputs.has(path) ? 1 : 0) });
  return out.sort((a, b) => byCodeUnit(a.path, b.path));
}
