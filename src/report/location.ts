/**
 * Where in the repository a finding is shown: the one placement that the annotations
 * and the SARIF export share. A finding about a file of the repository points at that
 * file; an entry that exists only in the baseline (a vanished one), and the pull
 * request's edit of the baseline, point at the baseline, at the entry's line; a
 * weakened configuration points at the configuration file. Pure.
 */
import { isAbsolute, relative } from 'node:path';
import { repoPath } from '../vocabulary/index.js';
import type { Finding } from '../diff/index.js';

/** The repository's files findings can point at (repository-relative, forward slashes). */
export interface RepositoryFiles {
  /** The baseline: entries that exist only there (vanished ones) and the pull request's edits of it, at their line. */
  readonly baseline?: string;
  /** The configuration a pull request weakened. */
  readonly config?: string;
}

/** A file of the repository, and the line in it when there is one. */
export interface Place {
  /** Repository-relative, forward slashes, no `./`; absolute for a file outside the repository. */
  readonly file: string;
  /** 1-based. */
  readonly line?: number;
}

/**
 * The file (and line) a finding is about, or undefined when it is about no file of the
 * repository: outputs are build products, usually not in the repository; programs and
 * endpoints are not files. Inputs read and sources modified are the repository's own
 * files when they are in the workspace.
 */
export function placeOf(f: Finding, files: RepositoryFiles): Place | undefined {
  const inBaseline = f.kind.startsWith('vanished-') || f.kind === 'baseline-edited' || f.kind === 'toolchain-changed';
  if (inBaseline && files.baseline) return { file: files.baseline, ...(f.baselineLine ? { line: f.baselineLine } : {}) };
  if (f.kind === 'config-weakened' && files.config) return { file: files.config };
  const inRepo = repoPath(f.subject);
  if (inRepo && (f.kind === 'new-input' || f.kind === 'source-modified' || f.kind === 'credential-read')) return { file: inRepo };
  return undefined;
}

/** `/w/baselines/b.yml` in `/w` → `baselines/b.yml`; a path outside `root` stays absolute. */
export function inside(root: string, path: string): string {
  const rel = relative(root, path);
  if (rel.startsWith('..') || isAbsolute(rel)) return path;
  return rel.split('\\').join('/');
}
