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
 * What may stand right before a path that starts in a text: the text's start, a
 * separator of words or values (`cd /w`, `--prefix=/w`, `-Wl,-rpath,/w`, `@/w/rsp`,
 * `>/w/log`), or an option's letters (`-I/w/include`, `--sysroot/w`). Never a name's
 * character: `/home/u/zz/tmp/f` and `{workspace}/tmp/g` hold `/tmp`, but not as a root.
 */
const PATH_START = String.raw`(?<=^|[\s=:,;'"()<>|&@]|(?:^|[\s'"=])--?[A-Za-z][A-Za-z0-9_-]*)`;

/**
 * Where `root` starts a path inside a text (`-I/w/include`, `--root=/w:extra`), at a
 * path component's boundary on both sides: not inside a longer name (`/w2`), and not as
 * the tail of another path (`/home/u/cache/tmp` is not `/tmp`). Global.
 */
export function rootPattern(root: string): RegExp {
  return new RegExp(`${PATH_START}${escapeRe(root)}(?=/|$|[^A-Za-z0-9._-])`, 'g');
}
