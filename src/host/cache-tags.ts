/**
 * Build caches found by the Cache Directory Tagging convention
 * (https://bford.info/cachedir/): a directory holding a `CACHEDIR.TAG` file that starts
 * with the convention's signature is a cache, whatever tool made it. ccache, sccache,
 * Cargo and many others write one. The edge looks above the paths a build touched, once
 * per directory, after the build (a cold run makes the tag as it goes).
 *
 * Not inside the workspace: Cargo tags its own `target/`, which holds the build's outputs.
 * Not under the system's own trees, which no build keeps a cache in.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { CacheRoot } from '../vocabulary/caches.js';
import { isUnder } from '../vocabulary/paths.js';

const SIGNATURE = 'Signature: 8a477f597d28d172789f06886806bc55';
/** Trees the build does not keep caches in; looking there would cost a stat per system directory. */
const SYSTEM = /^\/(?:usr|lib\d*|bin|sbin|etc|proc|sys|dev|run|boot)(?:\/|$)/;

/** Whether `dir/CACHEDIR.TAG` exists and starts with the signature. */
function tagged(dir: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(`${dir}/CACHEDIR.TAG`, 'r');
    const buf = Buffer.alloc(SIGNATURE.length);
    return readSync(fd, buf, 0, buf.length, 0) === buf.length && buf.toString('latin1') === SIGNATURE;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A cache's name from its directory: `~/.cache/bazel` → `bazel`, `/tmp/ccache` → `ccache`. */
const nameOf = (dir: string): string =>
  basename(dir)
    .replace(/^\.+/, '')
    .replace(/[^A-Za-z0-9_.-]/g, '_') || 'cache';

/** The tagged caches above `paths` that `known` does not already name (real paths, as strace reports them). */
export function taggedCaches(paths: Iterable<string>, workspace: string, known: readonly CacheRoot[] = []): CacheRoot[] {
  const seen = new Map<string, boolean>();
  const found = new Map<string, CacheRoot>();
  for (const path of paths) {
    if (!path.startsWith('/') || SYSTEM.test(path)) continue;
    for (let dir = dirname(path); dir !== '/' && !seen.has(dir); dir = dirname(dir)) {
      const outside = !isUnder(dir, workspace) && !known.some((k) => isUnder(dir, k.dir));
      const is = outside && tagged(dir);
      seen.set(dir, is);
      if (is) found.set(dir, { name: nameOf(dir), dir, launcher: false });
    }
  }
  return [...found.values()].sort((a, b) => (a.dir < b.dir ? -1 : 1));
}
