/**
 * What program images hold, and when: every object an image held open (or executed)
 * becomes an access with the interval in which data could flow. Two patterns are not
 * data and are dropped at the end: a pipe both of whose ends one image held (make's
 * jobserver token), and what a forked child held between fork and exec (it was setting
 * up the descriptors of the program it was about to run).
 */
import type { AccessRecord } from './types.js';
import { PIPE_KINDS, type Image, type OpenFile } from './state.js';

interface MutableAccess {
  image: number;
  object: number;
  mode: AccessRecord['mode'];
  since: number;
  until: number;
}

/** (image, object) as one number: below 2^53 (×4 for the mode) up to 2^24 images and 2^27 objects. */
function pairKey(image: number, object: number): number {
  return image * 134_217_728 + object;
}

export class Holdings {
  /**
   * Per image (by id), its accesses keyed by object and mode (`object * 4 + mode`): small
   * integer keys, in insertion order.
   */
  private readonly accesses: Map<number, MutableAccess>[] = [];
  /**
   * Forked copies that went on to exec: between fork and exec a child only sets up
   * descriptors for the program it is about to run (`cmd < in > out`), so what it held
   * is not data it read or wrote. Forks that never exec (subshells) keep their accesses.
   */
  private readonly setupImages = new Set<number>();
  /** (image, pipe) pairs (`pairKey`) where the image held both ends: a token, not data (make's jobserver). */
  private readonly selfPipes = new Set<number>();

  /** `image` holds `file` from `now` on (a second hold of the same file changes nothing). */
  acquire(image: Image, file: OpenFile, now: number): void {
    if (image.held.has(file)) return;
    image.held.set(file, now);
    if (PIPE_KINDS.has(file.object.kind)) {
      for (const other of image.held.keys()) {
        if (other !== file && other.object === file.object) this.selfPipes.add(pairKey(image.record.id, file.object.id));
      }
    }
  }

  /** `image` let go of `file` at `now`, having held it since `since`. */
  release(image: Image, file: OpenFile, since: number, now: number): void {
    // What a forked copy held before it ran another program is setup, never data: not kept.
    if (this.setupImages.has(image.record.id)) return;
    const o = file.object;
    if (o.kind === 'horizon' || o.kind === 'other') return;
    if (file.read) this.record(image.record.id, o.id, 'read', since, now);
    if (file.write) this.record(image.record.id, o.id, 'write', since, now);
  }

  /** An access of `object` by `image` between `since` and `until`, merged with earlier ones of the same mode. */
  record(image: number, object: number, mode: AccessRecord['mode'], since: number, until: number): void {
    const key = object * 4 + (mode === 'read' ? 0 : mode === 'write' ? 1 : mode === 'exec' ? 2 : 3);
    const ofImage = (this.accesses[image] ??= new Map());
    const a = ofImage.get(key);
    if (a) {
      a.since = Math.min(a.since, since);
      a.until = Math.max(a.until, until);
    } else {
      ofImage.set(key, { image, object, mode, since, until });
    }
  }

  /** A forked copy that went on to exec: what it held was setup, not data. */
  setup(image: number): void {
    this.setupImages.add(image);
  }

  /** Whether `image` was a forked copy that went on to exec. */
  isSetup(image: number): boolean {
    return this.setupImages.has(image);
  }

  /** Every access that is data. */
  all(): AccessRecord[] {
    const out: AccessRecord[] = [];
    for (const ofImage of this.accesses) {
      if (!ofImage) continue;
      for (const a of ofImage.values()) {
        // An attempt at an endpoint is never setup: a subshell's `exec 3<>/dev/tcp/…` counts.
        if (a.mode === 'connect') out.push(a);
        else if (a.mode !== 'exec' && this.selfPipes.has(pairKey(a.image, a.object))) continue;
        else if (!this.setupImages.has(a.image)) out.push(a);
      }
    }
    return out;
  }
}
