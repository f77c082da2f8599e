/**
 * What program images hold, and when: every object an image held open (or executed)
 * becomes an access with the interval in which data could flow. Two patterns are not
 * data and are dropped at the end: what a forked child held between fork and exec (it
 * was setting up the descriptors of the program it was about to run), and the ends of a
 * pipe that one image held both of, as far as they were only set-up or a token:
 *
 * - held both to its end (released together): a token, not data — make's jobserver;
 * - let go of one end first: that end was set up for a child (`pipe(); fork();
 *   close(r)`), and a write end it kept is data — tar writes the archive's contents into
 *   the pipe to the gzip it started. A read end it kept is data when the image is a
 *   shell: dash reads what `$(cat f)` printed and writes it on. Other programs that read
 *   their children's output (cargo, ninja) do so while they run many children at once,
 *   and what they write next would depend on which child finished first: run-to-run
 *   noise, for the rare file (a version stamp) it would find;
 * - unless, between letting go of the first end and the last, it started another
 *   process: then it handed the rest on (bash's `a | b` gives the read end to b).
 */
import type { AccessRecord } from './types.js';
import { PIPE_KINDS, type Image, type OpenFile } from './state.js';

interface MutableAccess {
  image: number;
  object: number;
  mode: AccessRecord['mode'];
  since: number;
  until: number;
  /** The image's open calls of the object (counted as it lets them go), and its bytes where counted (set by `all`). */
  calls?: number;
  bytes?: number;
}

/** An image that held both ends of a pipe (or socketpair) at once, and how it let them go. */
interface BothEnds {
  /** The first end it let go of, and when. */
  first?: { readonly file: OpenFile; readonly at: number };
  /** It started a process after letting go of the first end: the end it kept went to that process. */
  handedOn: boolean;
  /** Decided at the last end: which of its accesses of the pipe were data. */
  keep?: { readonly read: boolean; readonly write: boolean };
}

const NONE = { read: false, write: false } as const;

/** Shells, whose `$(…)` reads a child's output: `/bin/sh`, `/usr/bin/bash`, busybox's. */
const SHELL = /(?:^|\/)(?:sh|bash|dash|zsh|ksh|mksh|ash|busybox)$/;

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
  /** (image, pipe) pairs (`pairKey`) where the image held both ends at once: how it let them go. */
  private readonly bothEnds = new Map<number, BothEnds>();
  /** Per image (by id), its pairs that have let go of one end and not yet of the last. */
  private readonly halfGone = new Map<number, Set<BothEnds>>();
  /**
   * (image, object) pairs (`pairKey`): the bytes the image read and wrote where the trace
   * counted them (eBPF; strace with --detailed). Numbers only, no object per pair. Opens
   * are counted on the accesses themselves (`opener`), without a map that would grow
   * with every pair of a plain trace.
   */
  private readonly bytesRead = new Map<number, number>();
  private readonly bytesWritten = new Map<number, number>();

  /** `image` holds `file` from `now` on (a second hold of the same file changes nothing). */
  acquire(image: Image, file: OpenFile, now: number): void {
    if (image.held.has(file)) return;
    image.held.set(file, now);
    if (PIPE_KINDS.has(file.object.kind)) {
      for (const other of image.held.keys()) {
        if (other !== file && other.object === file.object)
          this.bothEnds.set(pairKey(image.record.id, file.object.id), { handedOn: false });
      }
    }
  }

  /** `image` moved bytes through `file`: read from it, written to it. */
  moved(image: Image, file: OpenFile, read: number, written: number): void {
    if (file.object.kind === 'horizon' || file.object.kind === 'other') return;
    const key = pairKey(image.record.id, file.object.id);
    this.bytesRead.set(key, (this.bytesRead.get(key) ?? 0) + read);
    this.bytesWritten.set(key, (this.bytesWritten.get(key) ?? 0) + written);
  }

  /** The process running `image` started another: the pipe ends it still holds alone, it hands on. */
  spawned(image: Image): void {
    const pending = this.halfGone.get(image.record.id);
    if (pending) for (const pair of pending) pair.handedOn = true;
  }

  /** `image` lets go of `file`, one end of a pipe whose both ends it held: decides, at the last end, what was data. */
  private letGo(image: Image, file: OpenFile, now: number): void {
    const pair = this.bothEnds.get(pairKey(image.record.id, file.object.id));
    if (!pair || pair.keep !== undefined) return;
    if (pair.first === undefined) {
      pair.first = { file, at: now };
      const pending = this.halfGone.get(image.record.id) ?? new Set<BothEnds>();
      pending.add(pair);
      this.halfGone.set(image.record.id, pending);
      return;
    }
    if (pair.first.file === file) return;
    this.halfGone.get(image.record.id)?.delete(pair);
    const together = pair.first.at === now;
    if (together || pair.handedOn) pair.keep = NONE;
    else if (file.read && !SHELL.test(image.record.exe)) pair.keep = { read: false, write: file.write && !file.read };
    else pair.keep = { read: file.read, write: file.write };
  }

  /** `image` let go of `file` at `now`, having held it since `since`. */
  release(image: Image, file: OpenFile, since: number, now: number): void {
    // What a forked copy held before it ran another program is setup, never data: not kept.
    if (this.setupImages.has(image.record.id)) return;
    const o = file.object;
    if (PIPE_KINDS.has(o.kind)) this.letGo(image, file, now);
    if (o.kind === 'horizon' || o.kind === 'other') return;
    // The open call counts once, on the access of the first way it was opened (read, else write).
    const opened = file.opener === image.record.id ? 1 : 0;
    if (file.read) this.record(image.record.id, o.id, 'read', since, now, opened);
    if (file.write) this.record(image.record.id, o.id, 'write', since, now, file.read ? 0 : opened);
  }

  /** An access of `object` by `image` between `since` and `until`, merged with earlier ones of the same mode. */
  record(image: number, object: number, mode: AccessRecord['mode'], since: number, until: number, calls = 0): void {
    const key = object * 4 + (mode === 'read' ? 0 : mode === 'write' ? 1 : mode === 'exec' ? 2 : 3);
    const ofImage = (this.accesses[image] ??= new Map());
    const a = ofImage.get(key);
    if (a) {
      a.since = Math.min(a.since, since);
      a.until = Math.max(a.until, until);
      if (calls > 0) a.calls = (a.calls ?? 0) + calls;
    } else {
      ofImage.set(key, calls > 0 ? { image, object, mode, since, until, calls } : { image, object, mode, since, until });
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

  /** Whether an access is data as far as the both-ends rule goes (undecided pairs, whose log ended first, are tokens). */
  private pipeData(a: MutableAccess): boolean {
    const pair = this.bothEnds.get(pairKey(a.image, a.object));
    if (!pair) return true;
    const keep = pair.keep ?? NONE;
    return a.mode === 'read' ? keep.read : a.mode === 'write' ? keep.write : true;
  }

  /** Every access that is data, with its flow's calls and bytes (a read access the bytes read, a write the bytes written). */
  all(): AccessRecord[] {
    const out: AccessRecord[] = [];
    for (const ofImage of this.accesses) {
      if (!ofImage) continue;
      for (const a of ofImage.values()) {
        // An attempt at an endpoint is never setup: a subshell's `exec 3<>/dev/tcp/…` counts.
        if (a.mode === 'connect') out.push(a);
        else if (a.mode !== 'exec' && !this.pipeData(a)) continue;
        else if (!this.setupImages.has(a.image)) out.push(this.withTraffic(a));
      }
    }
    return out;
  }

  /** The access with its flow's bytes where they were counted, set in place (no copy of every access). */
  private withTraffic(a: MutableAccess): AccessRecord {
    if (this.bytesRead.size === 0 || (a.mode !== 'read' && a.mode !== 'write')) return a;
    const bytes = (a.mode === 'read' ? this.bytesRead : this.bytesWritten).get(pairKey(a.image, a.object));
    if (bytes !== undefined) a.bytes = bytes;
    return a;
  }
}
