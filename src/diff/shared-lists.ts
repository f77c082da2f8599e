/**
 * Outputs share their lists of inputs (a generator's 100 000 outputs, one list: see
 * graphDocument and the baseline's reader), so what the diff works out from a list it
 * works out once per distinct list: which outputs an input reaches, what changed in an
 * output's inputs, a list's values. The cost is the outputs plus the distinct lists,
 * not the outputs × their inputs.
 */
import type { Counted } from '../baseline/index.js';
import { append } from '../vocabulary/collections.js';

/** The strings of `a` that `b` does not hold, in `a`'s order. */
export const minus = (a: Iterable<string>, b: ReadonlySet<string>): string[] => [...a].filter((x) => !b.has(x));

/**
 * Which outputs each input reaches, worked out for the inputs a finding is about. Outputs
 * share their lists of inputs (a generator's 100 000 outputs, one list), so it is the
 * distinct lists that are indexed, not every output × its inputs. The outputs come in
 * their order, once for each time an output lists the input.
 */
export class Reach<T> {
  private readonly holders = new Map<readonly T[], number[]>();
  private index?: Map<string, (readonly T[])[]>;
  private readonly known = new Map<string, string[]>();

  constructor(
    private readonly outputs: readonly { readonly path: string; readonly from: readonly T[] }[],
    private readonly value: (x: T) => string,
  ) {
    outputs.forEach((o, i) => append(this.holders, o.from, i));
  }

  get(input: string): string[] {
    const known = this.known.get(input);
    if (known) return known;
    if (!this.index) {
      this.index = new Map();
      for (const list of this.holders.keys()) for (const x of list) append(this.index, this.value(x), list);
    }
    const lists = this.index.get(input) ?? [];
    const at = lists.length === 1 ? this.holders.get(lists[0])! : lists.flatMap((l) => this.holders.get(l)!).sort((a, b) => a - b);
    const out = at.map((i) => this.outputs[i].path);
    this.known.set(input, out);
    return out;
  }
}

/**
 * What changed in an output's inputs, each distinct pair of lists once (outputs share
 * their lists): inputs now and not in the baseline, inputs of every baseline run (of the
 * `seen` the output was in) and not now.
 */
export class ProvenanceChanges {
  private readonly known = new Map<readonly string[], Map<readonly Counted[], Map<number, { added: string[]; removed: string[] }>>>();

  /** `missed`: inputs only a cache miss needs, in the baseline or now: a hit may take them out of a list, a miss put them in. */
  constructor(private readonly missed: ReadonlySet<string> = new Set()) {}

  of(now: readonly string[], before: readonly Counted[], seen: number): { added: string[]; removed: string[] } {
    let byBefore = this.known.get(now);
    if (!byBefore) this.known.set(now, (byBefore = new Map()));
    let bySeen = byBefore.get(before);
    if (!bySeen) byBefore.set(before, (bySeen = new Map()));
    let change = bySeen.get(seen);
    if (!change) {
      const was = new Set(before.map((c) => c.value));
      const is = new Set(now);
      change = {
        added: minus(now, was).filter((x) => !this.missed.has(x)),
        removed: before.filter((c) => c.seen >= seen && !is.has(c.value) && !this.missed.has(c.value)).map((c) => c.value),
      };
      bySeen.set(seen, change);
    }
    return change;
  }
}

/** Each list of counted entries as a list of values, once (outputs share their lists). */
export class Values {
  private readonly known = new Map<readonly Counted[], string[]>();

  of(list: readonly Counted[]): string[] {
    let values = this.known.get(list);
    if (!values) this.known.set(list, (values = list.map((c) => c.value)));
    return values;
  }
}
