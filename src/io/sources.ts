/**
 * The sources of a run: in a git work tree, the files git tracks, listed before the build
 * starts (a build that writes one modifies a source, whatever it did before). Elsewhere
 * there is no list, and a source is a file of the workspace that existed before the
 * build (the model's judgement).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** The absolute paths of the tracked files of the work tree that holds `workspace`; undefined when it is not in one (or git is missing). */
export function trackedFiles(workspace: string): ReadonlySet<string> | undefined {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', workspace, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 30 });
  let top: string;
  try {
    if (git('rev-parse', '--is-inside-work-tree').trim() !== 'true') return undefined;
    top = git('rev-parse', '--show-toplevel').trim();
  } catch {
    return undefined;
  }
  try {
    // -z: names as they are, without quoting; relative to the top of the work tree.
    const names = execFileSync('git', ['-C', top, 'ls-files', '-z'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 1 << 30,
    });
    return new Set(
      names
        .split('\0')
        .filter((n) => n !== '')
        .map((n) => join(top, n)),
    );
  } catch {
    return undefined;
  }
}
