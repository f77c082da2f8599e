/**
 * What a build cache changes between a cold run and a warm one (issue 22), read off the
 * graph. A *cache user* is a program that read or wrote a file in a build cache. Behind
 * a launcher's user (ccache, sccache, `go build`) are the programs it started: the
 * compiler, the assembler, the linker, which a hit skips. What only they and the cache
 * users read is what a miss needs (`miss`): a hit may leave it unread, and that is no
 * change.
 *
 * Provenance goes through the launcher instead of the programs behind it: an object file
 * written by `as` on a miss and by ccache on a hit is made, either way, of what ccache
 * read to find it (the source and its headers, hashed), not of the compiler's own files.
 * So a cold run and a warm one give the same provenance.
 */
import { isUnder } from '../vocabulary/paths.js';
import type { CacheRoot } from '../vocabulary/caches.js';
import type { DataflowGraph, ObjectNode } from './types.js';

export interface CacheUse {
  /** File and directory nodes in a cache: what flows through them is the cache's business, not the build's. */
  readonly files: ReadonlySet<string>;
  /** Program node → the cache it used (the first, by name, when it used several). */
  readonly users: ReadonlyMap<string, string>;
  /** Program node behind a launcher → that launcher's user node and its cache. */
  readonly behind: ReadonlyMap<string, { readonly user: string; readonly cache: string }>;
}

export const NO_CACHE_USE: CacheUse = { files: new Set(), users: new Map(), behind: new Map() };

/** The cache root a path is in, if any (not its `except` subdirectories). */
function cacheOf(path: string, caches: readonly CacheRoot[]): CacheRoot | undefined {
  for (const c of caches) {
    if (!isUnder(path, c.dir)) continue;
    const rest = path.slice(c.dir.length + 1);
    if (!(c.except ?? []).some((e) => rest === e || rest.startsWith(`${e}/`))) return c;
  }
  return undefined;
}

/** The users of each cache, and the programs behind the launchers among them. */
export function cacheUse(g: DataflowGraph, caches: readonly CacheRoot[] | undefined): CacheUse {
  if (!caches || caches.length === 0) return NO_CACHE_USE;
  const files = new Set<string>();
  const users = new Map<string, string>();
  const launchers = new Map<string, string>();
  // One test for every cache at once: most of a build's files are in none.
  const any = new RegExp(`^(?:${caches.map((c) => c.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?:/|$)`);
  g.forEachNode((key, a) => {
    if (a.kind !== 'file' && a.kind !== 'directory') return;
    const names = (a as ObjectNode).names;
    if (!names.some((n) => any.test(n))) return;
    const cache = names.map((n) => cacheOf(n, caches)).find((c) => c !== undefined);
    if (!cache) return;
    files.add(key);
    g.forEachEdge(key, (_e, attrs, source, target) => {
      if (attrs.kind === 'spawn') return;
      const program = source === key ? target : source;
      if (g.getNodeAttributes(program).kind !== 'program') return;
      const known = users.get(program);
      if (known === undefined || cache.name < known) users.set(program, cache.name);
      if (cache.launcher && !launchers.has(program)) launchers.set(program, cache.name);
    });
  });
  // A program a launcher ran is behind it even when it writes into the cache itself (ccache's
  // `gcc -E -o <cache>/tmp/…`): only the outermost users are launchers.
  const behind = new Map<string, { user: string; cache: string }>();
  for (const [user, cache] of launchers) {
    if (hasAncestor(g, user, launchers)) continue;
    const stack: string[] = [];
    g.forEachOutEdge(user, (_e, a, _s, t) => void (a.kind === 'spawn' && stack.push(t)));
    while (stack.length > 0) {
      const p = stack.pop()!;
      if (behind.has(p)) continue;
      behind.set(p, { user, cache });
      g.forEachOutEdge(p, (_e, a, _s, t) => void (a.kind === 'spawn' && stack.push(t)));
    }
  }
  return { files, users, behind };
}

/** Whether a program was started (spawned or exec'd into), at any remove, by one of `among`. */
function hasAncestor(g: DataflowGraph, key: string, among: ReadonlyMap<string, unknown>): boolean {
  const seen = new Set<string>();
  const stack = [key];
  while (stack.length > 0) {
    const p = stack.pop()!;
    let found = false;
    g.forEachInEdge(p, (_e, a, parent) => {
      if (a.kind !== 'spawn' || seen.has(parent)) return;
      if (among.has(parent)) found = true;
      seen.add(parent);
      stack.push(parent);
    });
    if (found) return true;
  }
  return false;
}

/**
 * The cache a node depends on for being there at all: a program behind a launcher; an
 * input that only cache users and programs behind them read. Undefined otherwise.
 */
export function missOf(g: DataflowGraph, key: string, use: CacheUse): string | undefined {
  if (use.users.size === 0) return undefined;
  const a = g.getNodeAttributes(key);
  if (a.kind === 'program') return use.behind.get(key)?.cache;
  let cache: string | undefined;
  let all = true;
  g.forEachOutEdge(key, (_e, e, _s, reader) => {
    if (!all || (e.kind !== 'read' && e.kind !== 'exec')) return;
    const c = use.behind.get(reader)?.cache ?? use.users.get(reader);
    if (c === undefined) all = false;
    else cache ??= c;
  });
  return all ? cache : undefined;
}
