/**
 * The canonical vocabulary every stage shares: the tokens that stand for what differs
 * between machines and runs, a program's identity, and how a canonical path names a
 * file of the repository.
 */

/** Roots and folded names in canonical paths, arguments and addresses. */
export const TOKEN = {
  /** The repository root (the workspace). */
  workspace: '{workspace}',
  home: '{home}',
  /** `/tmp`, `/var/tmp`, `/dev/shm`, `$TMPDIR`, `$RUNNER_TEMP`. */
  tmp: '{tmp}',
  /** `$RUNNER_TOOL_CACHE`. */
  toolcache: '{toolcache}',
  pid: '{pid}',
  redacted: '{redacted}',
  uuid: '{uuid}',
  hex: '{hex}',
  hash: '{hash}',
  date: '{date}',
  epoch: '{epoch}',
  port: '{port}',
  jobserver: '{jobserver}',
  /** A counter that numbers steps (CMake's `--progress-num`), and parallelism (`-j{n}`). */
  n: '{n}',
  /** A package manager's packages, one entry per package and version: `{cargo}/regex@1.7.1`. */
  cargo: '{cargo}',
  npm: '{npm}',
  pip: '{pip}',
  gomod: '{gomod}',
} as const;

const WORKSPACE_PREFIX = `${TOKEN.workspace}/`;

/**
 * A program's identity in canonical graphs and baselines: its executable and its
 * (canonical) arguments. `{exe: '/usr/bin/cc', argv: ['cc', '-c', 'a.c']}` →
 * `["/usr/bin/cc","cc","-c","a.c"]`.
 */
export const programKey = (p: { readonly exe: string; readonly argv: readonly string[] }): string => JSON.stringify([p.exe, ...p.argv]);

/** `{exe: '/usr/bin/cc', argv: ['cc', '-c', 'a.c']}` → `/usr/bin/cc -c a.c`: a program as findings name it. */
export const programText = (p: { readonly exe: string; readonly argv: readonly string[] }): string => [p.exe, ...p.argv.slice(1)].join(' ');

/** `{workspace}/src/a.c` → `src/a.c`; anything outside the repository → undefined. */
export function repoPath(subject: string): string | undefined {
  if (!subject.startsWith(WORKSPACE_PREFIX)) return undefined;
  const rel = subject
    .slice(WORKSPACE_PREFIX.length)
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
  if (rel === '' || rel.split('/').includes('..')) return undefined;
  return rel;
}

/** Whether a canonical path is in the repository: `{workspace}/…`. */
export const inWorkspace = (subject: string): boolean => subject.startsWith(WORKSPACE_PREFIX);

/** `{workspace}/src/a.c` → `src/a.c` for display; other paths unchanged. */
export const shownPath = (subject: string): string => (inWorkspace(subject) ? subject.slice(WORKSPACE_PREFIX.length) : subject);
