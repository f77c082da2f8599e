/**
 * What a killed ioana leaves behind (a scratch directory, a half-written temporary
 * baseline) is removed by the next run, and only what is provably ioana's: a name of
 * ioana's own pattern that carries the pid of a process that is gone, and an entry that
 * `ours` accepts (its owner, its kind, its marker). Anything else is never touched.
 */
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';

/** Whether process `pid` exists (one we may not signal exists too). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes (with `remove`) the entries of `dir` whose name matches `pattern` (its first
 * group the pid that made it), whose process is gone, and that `ours` accepts; returns
 * their paths.
 */
export function removeDeadLeftovers(
  dir: string,
  pattern: RegExp,
  ours: (path: string, stat: Stats) => boolean,
  remove: (path: string) => void,
): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    const path = join(dir, name);
    try {
      if (!ours(path, lstatSync(path))) continue;
      remove(path);
      removed.push(path);
    } catch {
      // not ours, or gone meanwhile
    }
  }
  return removed;
}
