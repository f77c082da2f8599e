/**
 * Private scratch directories: one per run, mode 0700, named after the ioana process
 * that made it, removed when the run ends. A run killed with SIGKILL cannot remove its
 * own; the next run removes every scratch directory that is provably ioana's (its name,
 * its owner, its marker file) and whose process is gone.
 */
import { lstatSync, mkdtempSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeDeadLeftovers } from './leftovers.js';

const NAME = /^ioana-(\d+)-[A-Za-z0-9]{6}$/;
const MARKER = '.ioana-scratch';

/** Removes the scratch directories of dead ioana processes in `base`; returns their paths. */
export function removeLeftovers(base = tmpdir()): string[] {
  const uid = process.getuid?.();
  const ours = (dir: string, st: Stats) => {
    if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) return false;
    lstatSync(join(dir, MARKER));
    return true;
  };
  return removeDeadLeftovers(base, NAME, ours, (dir) => rmSync(dir, { recursive: true, force: true }));
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
