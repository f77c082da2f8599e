/** Path arithmetic on strings (POSIX), for resolving what the traced calls name. */
import { posix } from 'node:path';

/** `//`, `/./` or `/../` somewhere, or a `.`/`..` at the end: needs the general resolver. */
const NEEDS_NORMALIZING = /\/\/|\/\.\.?(?:\/|$)/;

/**
 * `('/w/src', '../a//b/./c')` → `/w/a/b/c`; an absolute `p` ignores `base`. Most paths
 * in a trace are already normal: those are joined without the general resolver.
 */
export function resolvePath(base: string, p: string): string {
  const joined = p.startsWith('/') ? p : `${base || ''}/${p}`;
  if (!NEEDS_NORMALIZING.test(joined) && !joined.startsWith('./') && joined.startsWith('/')) {
    return joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined;
  }
  return posix.resolve(base || '/', p);
}

/** `/w/a/b` under `/w` → true; `/w2/x` under `/w` → false. */
export function isUnder(path: string, root: string): boolean {
  if (root === '/') return path.startsWith('/');
  return path === root || path.startsWith(root.endsWith('/') ? root : root + '/');
}
