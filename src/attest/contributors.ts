/**
 * The programs whose work reaches an output: the ones that wrote it, and, backwards
 * through what each had read before that write, the ones that wrote those files. The
 * walk is Provenance's (src/graph/provenance.ts) with the same time bounds, collecting
 * programs where Provenance collects inputs, so that the programs a statement names for
 * a subject are the ones on the paths its inputs took.
 *
 * `gcc -c a.c -o a.o` then `gcc a.o -o app`: app's programs are the linker's image and
 * the compiler's (cc1, as), not `make`, which only spawned them (spawning is control,
 * not data, unless `control` is set).
 */
import type { DataflowGraph, EdgeAttributes } from '../graph/index.js';

export class Contributors {
  private readonly memo = new Map<string, ReadonlySet<string>>();
  private readonly active = new Set<string>();

  constructor(
    private readonly g: DataflowGraph,
    private readonly control = false,
  ) {}

  /** The program node keys whose writes can reach `object` before `before`. */
  ofObject(object: string, before = Infinity): ReadonlySet<string> {
    const out = new Set<string>();
    this.g.forEachInEdge(object, (_e, a: EdgeAttributes, writer) => {
      if (a.kind !== 'write' || a.since > before) return;
      for (const p of this.ofProgram(writer, Math.min(a.until, before))) out.add(p);
    });
    return out;
  }

  /** `p` itself and the programs that wrote what `p` had read (or ran) before time `t`. */
  ofProgram(p: string, t: number): ReadonlySet<string> {
    const key = `${p}@${t}`;
    const known = this.memo.get(key);
    if (known) return known;
    // A cycle (a program reading what it wrote): the answer so far is the answer.
    if (this.active.has(key)) return new Set([p]);
    this.active.add(key);
    const out = new Set<string>([p]);
    this.g.forEachInEdge(p, (_e, a: EdgeAttributes, source) => {
      if (a.since > t) return;
      if (a.kind === 'read' || a.kind === 'exec') {
        for (const s of this.ofObject(source, Math.min(a.until, t))) out.add(s);
      } else if (a.kind === 'spawn' && this.control) {
        for (const s of this.ofProgram(source, a.since)) out.add(s);
      }
    });
    this.active.delete(key);
    this.memo.set(key, out);
    return out;
  }
}
