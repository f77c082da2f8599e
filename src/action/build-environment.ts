/**
 * The build runs like a plain `run:` step, minus the runner's service credentials: no
 * `ACTIONS_*` tokens and URLs (a plain step never gets the runtime token; with it a
 * build could upload artifacts and write caches in the job's name), no `INPUT_*`, and
 * not ioana's step files — it gets throwaway ones, so that ioana's summary, outputs and
 * environment files are written by ioana alone. And in case the build finds ioana's
 * step files anyway (their directory is no secret), they are put back as they were.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The runner's per-step files (file commands). */
export const STEP_FILES = ['GITHUB_STEP_SUMMARY', 'GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STATE'] as const;

/** The environment of the build: ioana's, without credentials and inputs, with throwaway step files in `dir`. */
export function buildEnvironment(env: NodeJS.ProcessEnv, dir: string): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!k.startsWith('ACTIONS_') && !k.startsWith('INPUT_')) out[k] = v;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const name of STEP_FILES) {
    if (!env[name]) continue;
    const path = join(dir, name.toLowerCase());
    writeFileSync(path, '');
    out[name] = path;
  }
  return out;
}

/** ioana's own step files: their paths and directory, a snapshot, and `restore()`, which names the files that had changed. */
export function guardStepFiles(env: NodeJS.ProcessEnv): { readonly own: readonly string[]; restore(): string[] } {
  const files = STEP_FILES.map((name) => env[name]).filter((p): p is string => Boolean(p));
  const snapshot = new Map(files.map((p) => [p, read(p)]));
  return {
    own: [...new Set([...files, ...files.map(dirname)])],
    restore: () => {
      const changed: string[] = [];
      for (const [path, before] of snapshot) {
        if (read(path) === before) continue;
        changed.push(path);
        if (before !== undefined) writeFileSync(path, before);
      }
      return changed;
    },
  };
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
