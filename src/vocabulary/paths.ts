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

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Where `root` starts a path inside a text (`-I/w/include`, `--root=/w:extra`), not
 * inside a longer name (`/w2`): the root followed by `/`, the end, or a character that
 * cannot continue a file name's word (`:`, `=`, `,`, a quote…). Global.
 */
export function rootPattern(root: string): RegExp {
  return new RegExp(`${escapeRe(root)}(?=/|$|[^A-Za-z0-9._-])`, 'g');
}
