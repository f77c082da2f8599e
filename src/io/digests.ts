/**
 * sha256 of files, each file once, several at a time, within limits on how many files
 * and how many bytes are read (`ioana attest`). The budget is spent in the order the
 * paths are given (subjects first), so that which files a limit leaves unhashed does not
 * depend on which read finished first.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

export interface HashLimits {
  /** At most this many files are read. Default 20 000. */
  readonly files: number;
  /** At most this many bytes are read. Default 4 GiB. */
  readonly bytes: number;
  /** Files read at once. Default 4 (libuv's thread pool). */
  readonly concurrency?: number;
}

export const DEFAULT_HASH_LIMITS: HashLimits = { files: 20_000, bytes: 4 * 1024 ** 3 };

export type FileHash =
  | { readonly kind: 'digest'; readonly sha256: string; readonly size: number }
  | { readonly kind: 'unhashed'; readonly why: 'limit' | 'missing' | 'not a regular file' | 'unreadable' };

/** One file's sha256, streamed. */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Hashes files once each, within the limits; remembers every answer. */
export class FileHasher {
  private readonly known = new Map<string, Promise<FileHash>>();
  private files = 0;
  private bytes = 0;
  private limited = false;

  constructor(private readonly limits: HashLimits = DEFAULT_HASH_LIMITS) {}

  /** What was read so far, and whether a limit left a file unhashed. */
  get figures(): { files: number; bytes: number; reached: boolean } {
    return { files: this.files, bytes: this.bytes, reached: this.limited };
  }

  /** Every path's hash (or why it has none); the budget goes to the paths in the order given. */
  async hash(paths: readonly string[]): Promise<Map<string, FileHash>> {
    const fresh = [...new Set(paths)].filter((p) => !this.known.has(p));
    // Sizes first (cheap, and all at once), then the budget in order, then the reads.
    const sizes = await Promise.all(
      fresh.map((p) =>
        stat(p).then(
          (s) => (s.isFile() ? s.size : -1),
          () => undefined,
        ),
      ),
    );
    const queue: { path: string; done: (h: FileHash) => void }[] = [];
    fresh.forEach((path, i) => {
      const size = sizes[i];
      let settle!: (h: FileHash) => void;
      this.known.set(path, new Promise<FileHash>((r) => (settle = r)));
      if (size === undefined) return settle({ kind: 'unhashed', why: 'missing' });
      if (size < 0) return settle({ kind: 'unhashed', why: 'not a regular file' });
      if (this.files + 1 > this.limits.files || this.bytes + size > this.limits.bytes) {
        this.limited = true;
        return settle({ kind: 'unhashed', why: 'limit' });
      }
      this.files++;
      this.bytes += size;
      queue.push({
        path,
        done: (h) => settle(h.kind === 'digest' ? { ...h, size } : h),
      });
    });
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const { path, done } = job;
        await sha256File(path).then(
          (sha256) => done({ kind: 'digest', sha256, size: 0 }),
          () => done({ kind: 'unhashed', why: 'unreadable' }),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.limits.concurrency ?? 4) }, worker));
    const out = new Map<string, FileHash>();
    for (const p of new Set(paths)) out.set(p, await this.known.get(p)!);
    return out;
  }
}
