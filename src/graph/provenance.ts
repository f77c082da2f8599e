/**
 * Provenance (docs/architecture.md §1.4): for each output, the inputs whose data can reach it
 * through read → program → write and pipe edges.
 *
 * Time matters. A program's write can only carry what it had read before the write
 * ended, so the walk goes backwards with a time bound: `sources(P, T)` is what program
 * P could have read before T. Reads count from when the object was acquired (the
 * earliest they could happen), writes until it was released (the latest): the bound
 * errs on the side of a dependency, never of missing one.
 *
 * Spawning is control, not data: a child does not inherit what its parent read,
 * unless `control` is set (print filters, wrapper scripts).
 *
 * Answers are shared, not copied: a generator that writes 100 000 files asks for its
 * own sources 100 000 times, at 100 000 different times, and gets the same set each
 * time (one object, so that the document can turn it into a list once).
 */
import { SELF_PROC } from './sets.js';
import type { DataflowGraph, EdgeAttributes } from './types.js';

export interface ProvenanceOptions {
  /** Include spawn edges: a child inherits what its parent had read before spawning it. Default: false. */
  readonly control?: boolean;
  /**
   * Programs behind a cache launcher (`cacheUse`): what they write is made of what the
   * launcher read to find it in its cache, as on a hit (src/graph/caches.ts).
   */
  readonly behind?: ReadonlyMap<string, { readonly user: string }>;
  /**
   * Files of build caches: nothing flows through them. What a cache hands back stands for
   * the sources its key was made of (which its user read), not for whichever earlier run
   * or process of this one wrote the entry.
   */
  readonly cacheFiles?: ReadonlySet<string>;
}

/** Node kinds whose own (pre-build) content is an input. */
const SOURCE_KINDS = new Set(['file', 'endpoint']);

/** `a` and `b` hold the same keys. */
function sameKeys(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const k of a) if (!b.has(k)) return false;
  return true;
}

const NOTHING: ReadonlySet<string> = new Set();

export class Provenance {
  private readonly memo = new Map<string, ReadonlySet<string>>();
  private readonly active = new Set<string>();
  /** Each program's latest answer: the next one, at a later time, is most often the same set. */
  private readonly latest = new Map<string, ReadonlySet<string>>();

  constructor(
    private readonly g: DataflowGraph,
    private readonly opts: ProvenanceOptions = {},
  ) {}

  /** The input node keys that can reach `object` through the writes into it (a set that may be shared: do not change it). */
  ofObject(object: string, before = Infinity): ReadonlySet<string> {
    let only: ReadonlySet<string> | undefined;
    let out: Set<string> | undefined;
    this.g.forEachInEdge(object, (_e, a: EdgeAttributes, writer) => {
      if (a.kind !== 'write' || a.since > before) return;
      const launcher = this.opts.behind?.get(writer)?.user;
      const from = launcher !== undefined ? this.ofProgram(launcher, Infinity) : this.ofProgram(writer, Math.min(a.until, before));
      // One writer (the common case): its answer as it is.
      if (only === undefined) only = from;
      else {
        out ??= new Set(only);
        for (const s of from) out.add(s);
      }
    });
    return out ?? only ?? NOTHING;
  }

  /** The input node keys program `p` could have read before time `t`. */
  ofProgram(p: string, t: number): ReadonlySet<string> {
    const key = `${p}@${t}`;
    const known = this.memo.get(key);
    if (known) return known;
    if (this.active.has(key)) return new Set();
    this.active.add(key);
    const out = new Set<string>();
    this.g.forEachInEdge(p, (_e, a: EdgeAttributes, source) => {
      // Inclusive: something acquired in the same call as the bound may still count.
      if (a.since > t) return;
      if ((a.kind === 'read' || a.kind === 'exec') && this.opts.cacheFiles?.has(source)) return;
      if (a.kind === 'read' || a.kind === 'exec') {
        const attrs = this.g.getNodeAttributes(source);
        if (
          SOURCE_KINDS.has(attrs.kind) &&
          'existedBefore' in attrs &&
          (attrs.existedBefore || attrs.kind === 'endpoint') &&
          !SELF_PROC.test(attrs.names[0])
        ) {
          out.add(source);
        }
        for (const s of this.ofObject(source, Math.min(a.until, t))) out.add(s);
      } else if (a.kind === 'spawn' && this.opts.control) {
        for (const s of this.ofProgram(source, a.since)) out.add(s);
      }
    });
    this.active.delete(key);
    const previous = this.latest.get(p);
    const shared = previous !== undefined && sameKeys(previous, out) ? previous : out;
    this.latest.set(p, shared);
    this.memo.set(key, shared);
    return shared;
  }
}
