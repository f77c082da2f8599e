/**
 * The machine ioana runs on, read once at the edge: the roots that canonicalization
 * replaces by tokens (home, temporary directories, the runner's tool cache, resolved
 * through symlinks as strace reports them) and the secrets of the environment.
 */
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import type { MachineRoots } from '../pipeline/index.js';
import { cacheRoots } from '../vocabulary/caches.js';
import { Redactor } from '../vocabulary/redact.js';
import { isSecretName } from '../vocabulary/secret-names.js';

function real(p: string | undefined): string | undefined {
  if (!p) return undefined;
  try {
    return realpathSync(p);
  } catch {
    return p.replace(/\/+$/, '') || undefined;
  }
}

/**
 * Environment variables whose values are secrets: their names say so (`GITHUB_TOKEN`,
 * `PGPASSWORD`, `MYSQL_PWD`, `AWS_SECRET_ACCESS_KEY`, `NODE_AUTH_TOKEN`, `GH_PAT`…), the same
 * rule as for `NAME=value` arguments. Not `PWD`/`OLDPWD` (the working directory),
 * `XAUTHORITY` and `SSH_AUTH_SOCK` (paths), `GPG_KEY` (a public fingerprint in official
 * Docker images), `GIT_AUTHOR_NAME`, nor names that say where a secret is or what shape it
 * has (`PGPASSFILE`, `ACTIONS_ID_TOKEN_REQUEST_URL`, `AWS_ACCESS_KEY_ID`, `KEY_SIZE`).
 */
const SECRET_NAME = isSecretName;

/**
 * The values of secret-named variables, longest first (so that one containing another is
 * redacted whole), each once; 6 characters or more: shorter ones would redact ordinary words.
 */
export function secretValues(env: NodeJS.ProcessEnv): string[] {
  const values = Object.entries(env)
    .filter(([name, value]) => SECRET_NAME(name) && typeof value === 'string' && value.length >= 6)
    .map(([, value]) => value as string);
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

/**
 * `$HOME`, `/tmp`, `/var/tmp`, `/dev/shm`, `$TMPDIR`, `$RUNNER_TEMP`, `$RUNNER_TOOL_CACHE`, and
 * the build caches the environment points at (`$CCACHE_DIR`, `$GOCACHE`, `~/.npm`…), real paths.
 */
export function machineRoots(env: NodeJS.ProcessEnv = process.env): MachineRoots {
  const tmp = new Set(['/tmp', '/var/tmp', '/dev/shm']);
  for (const t of [env.TMPDIR, env.RUNNER_TEMP]) {
    const r = real(t);
    if (r) tmp.add(r);
  }
  const home = real(env.HOME ?? homedir());
  const caches = cacheRoots(env, env.HOME ?? homedir()).map((c) => ({ ...c, dir: real(c.dir) ?? c.dir }));
  return { home, tmp: [...tmp], toolcache: real(env.RUNNER_TOOL_CACHE), caches };
}

/** Credentials out of everything ioana writes: the known formats, and this environment's secrets. */
export function environmentRedactor(env: NodeJS.ProcessEnv = process.env): Redactor {
  return new Redactor(secretValues(env));
}
