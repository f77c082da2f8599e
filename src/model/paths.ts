/** Path arithmetic on strings (POSIX), for resolving what the traced calls name. */
import { posix } from 'node:path';

/** `('/w/src', '../a//b/./c')` → `/w/a/b/c`; an absolute `p` ignores `base`. */
export function resolvePath(base: string, p: string): string {
  return posix.resolve(base || '/', p);
}

/** `/w/a/b` under `/w` → true; `/w2/x` under `/w` → false. */
export function isUnder(path: string, root: string): boolean {
  if (root === '/') return path.startsWith('/');
  return path === root || path.startsWith(root.endsWith('/') ? root : root + '/');
}
