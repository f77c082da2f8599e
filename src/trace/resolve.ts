/**
 * Before anything runs: does the command exist and may it be executed? Looked up the
 * way bash looks a command up (a name with a slash is a path, relative to where it
 * runs; any other name is searched along PATH, an empty entry meaning the current
 * directory), so that a typo is one clear line before the build, not strace's
 * message after it.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';
import { UsageError } from '../vocabulary/errors.js';

function executable(path: string): 'ok' | 'missing' | 'directory' | 'not-executable' {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 'missing';
  }
  if (st.isDirectory()) return 'directory';
  try {
    accessSync(path, constants.X_OK);
    return 'ok';
  } catch {
    return 'not-executable';
  }
}

/** `make` → `/usr/bin/make`; `./build.sh` → `/w/build.sh`. Throws a UsageError naming the problem. */
export function resolveCommand(name: string, cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  if (name === '') throw new UsageError('the command to run is empty.', { hint: 'Give the command after "--", e.g. `-- make -j2`.' });
  if (name.includes('/')) {
    const path = resolve(cwd, name);
    const state = executable(path);
    if (state === 'ok') return path;
    const why = state === 'missing' ? 'does not exist' : state === 'directory' ? 'is a directory' : 'is not executable (no x permission)';
    throw new UsageError(`cannot run ${name}: ${path} ${why}.`, {
      hint:
        state === 'not-executable'
          ? `Make it executable (chmod +x ${name}) or run it through its interpreter (e.g. -- bash ${name}).`
          : 'Check the path of the command after "--".',
    });
  }
  let found: string | undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const path = resolve(cwd, dir || '.', name);
    const state = executable(path);
    if (state === 'ok') return path;
    if (state === 'not-executable') found ??= path;
  }
  if (found)
    throw new UsageError(`cannot run ${name}: ${found} is not executable.`, {
      hint: `Make it executable (chmod +x ${found}), or fix PATH.`,
    });
  throw new UsageError(`command not found: ${name} (looked along PATH).`, {
    hint: 'Check the spelling, install it, or give its path (e.g. -- ./build.sh).',
  });
}

/** A program's absolute path along PATH (the tools ioana itself runs: `unshare`, `sudo`), or undefined; no process started. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir.startsWith('/')) continue;
    const path = resolve(dir, name);
    if (executable(path) === 'ok') return path;
  }
  return undefined;
}
