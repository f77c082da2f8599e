/**
 * What a forked child holds without having done anything yet (docs/architecture.md §1.3): its
 * parent's files at the fork, shared with the parent's table rather than copied. A child
 * that only exits, runs another program, or moves and closes descriptors (setting up
 * `cmd < in > out`) never takes them up one by one; one that does anything else takes
 * them up as its own holdings, held since the fork.
 *
 * A lazy child that ends adds no record when its parent's own holds cover everything it
 * inherited: the parent image is still the one that forked, is not itself a forked copy
 * (whose holdings may yet turn out to be setup, and dropped), held each file since
 * before the fork and holds it still — so each of its accesses spans the child's — and
 * none is a pipe (whose accesses the jobserver rule may drop for the parent, but not for
 * the child). Then every flow through the child is a flow through the parent. Otherwise
 * everything it inherited is recorded as before.
 */
import type { Holdings } from './holdings.js';
import { PIPE_KINDS, type Image, type Inherited, type OpenFile } from './state.js';

export class Inheritance {
  constructor(
    private readonly holdings: Holdings,
    /** The model's time (its seq). */
    private readonly now: () => number,
  ) {}

  /** Whether the parent image's own access to `file` spans the child's inherited hold. */
  private covered(inherited: Inherited, file: OpenFile): boolean {
    const { parent, parentImage, since } = inherited;
    if (parent.image !== parentImage || parent.ended || parentImage.record.origin === 'fork') return false;
    if (PIPE_KINDS.has(file.object.kind)) return false;
    const from = parentImage.held.get(file);
    return from !== undefined && from <= since;
  }

  /** A lazy child closed its last descriptor of an inherited `file`: when, kept for its end. */
  closed(image: Image, file: OpenFile): void {
    const inherited = image.inherited!;
    if (!inherited.table.refers(file) || inherited.closed?.has(file)) return;
    (inherited.closed ??= new Map()).set(file, this.now());
  }

  /** The child does something of its own: its inheritance becomes its holdings, since the fork. */
  activate(image: Image): void {
    const inherited = image.inherited;
    if (!inherited) return;
    image.inherited = undefined;
    this.takeUp(image, inherited);
    inherited.table.release();
  }

  /**
   * A lazy child ends (or runs another program). When the parent's holds cover every file
   * it inherited, it adds no flow and no record; otherwise (it read a pipe the parent
   * did not count, say) all of them are its holdings, released with the rest.
   */
  end(image: Image): void {
    const inherited = image.inherited;
    if (!inherited) return;
    image.inherited = undefined;
    // A forked copy that went on to exec: what it held was setup, never data.
    if (!this.holdings.isSetup(image.record.id) && !this.allCovered(inherited)) this.takeUp(image, inherited);
    inherited.table.release();
  }

  private allCovered(inherited: Inherited): boolean {
    for (const file of inherited.table.files()) if (!this.covered(inherited, file)) return false;
    return true;
  }

  /** Every inherited file as the image's own hold since the fork; those it closed while lazy, released then. */
  private takeUp(image: Image, inherited: Inherited): void {
    const { since, closed } = inherited;
    for (const file of inherited.table.files()) {
      const at = closed?.get(file);
      // A descriptor it moved while lazy (`dup2`) was held since the fork, not since the move.
      const moved = image.held.get(file);
      if (moved !== undefined && moved > since) image.held.delete(file);
      this.holdings.acquire(image, file, since);
      if (at !== undefined) {
        this.holdings.release(image, file, since, at);
        image.held.delete(file);
      }
    }
  }
}
