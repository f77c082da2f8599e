/**
 * Private scratch directories: one per run, mode 0700, named after the ioana process
 * that made it, removed when the run ends. A run killed with SIGKILL cannot remove its
 * own; the next run removes every scratch directory that is provably ioana's (its name,
 * its owner, its marker file) and whose process is gone.
 */
import { lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NAME = /^ioana-(\d+)-[A-Za-z0-9]{6}$/;
const MARKER = '.ioana-scratch';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the scratch directories of dead ioana processes in `base`; returns their paths. */
export function removeLeftovers(base = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return removed;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    const dir = join(base, name);
    try {
      const st = lstatSync(dir);
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
      lstatSync(join(dir, MARKER));
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // not ours, or gone meanwhile
    }
  }
  return removed;
}

export interface Scratch {
  readonly path: string;
  remove(): void;
}

/** A new private scratch directory in `base` (after removing dead runs' leftovers there). */
export function scratchDir(base = tmpdir()): Scratch {
  removeLeftovers(base);
  const path = mkdtempSync(join(base, `ioana-${process.pid}-`));
  writeFileSync(join(path, MARKER), `${process.pid}\n`, { mode: 0o600 });
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
