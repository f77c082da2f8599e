/**
 * Programs that change privileges when they run (set-user-ID or set-group-ID), read
 * from this machine at the edge. Under strace the kernel ignores those bits (a traced
 * process cannot gain privileges), so such a program runs as the build's own user: it
 * may fail under ioana where it works without it. The report says which ran.
 */
import { statSync } from 'node:fs';

const S_ISUID = 0o4000;
const S_ISGID = 0o2000;

/** Of `exes` (absolute paths of programs the build ran), those with the set-user-ID or set-group-ID bit, sorted. */
export function setuidPrograms(exes: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const exe of exes) {
    if (!exe.startsWith('/')) continue;
    try {
      if (statSync(exe).mode & (S_ISUID | S_ISGID)) out.add(exe);
    } catch {
      // gone since, or not ours to read: nothing to say about it
    }
  }
  return [...out].sort();
}
