/**
 * Provenance (DESIGN §1.4): for each output, the inputs whose data can reach it
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
 */
import { SELF_PROC } from './sets.js';
import type { DataflowGraph, EdgeAttributes } from './types.js';

export interface ProvenanceOptions {
  /** Include spawn edges: a child inherits what its parent had read before spawning it. Default: false. */
  readonly control?: boolean;
}

/** Node kinds whose own (pre-build) content is an input. */
const SOURCE_KINDS = new Set(['file', 'endpoint']);

export class Provenance {
  private readonly memo = new Map<string, ReadonlySet<string>>();
  private readonly active = new Set<string>();

  constructor(
    private readonly g: DataflowGraph,
    private readonly opts: ProvenanceOptions = {},
  ) {}

  /** The input node keys that can reach `object` through the writes into it. */
  ofObject(object: string, before = Infinity): ReadonlySet<string> {
    const out = new Set<string>();
    this.g.forEachInEdge(object, (_e, a: EdgeAttributes, writer) => {
      if (a.kind !== 'write' || a.since > before) return;
      for (const s of this.ofProgram(writer, Math.min(a.until, before))) out.add(s);
    });
    return out;
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
    this.memo.set(key, out);
    return out;
  }
}
