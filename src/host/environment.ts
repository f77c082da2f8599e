/**
 * The machine ioana runs on, read once at the edge: the roots that canonicalization
 * replaces by tokens (home, temporary directories, the runner's tool cache, resolved
 * through symlinks as strace reports them) and the secrets of the environment.
 */
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import type { MachineRoots } from '../pipeline/index.js';
import { Redactor } from '../vocabulary/redact.js';

function real(p: string | undefined): string | undefined {
  if (!p) return undefined;
  try {
    return realpathSync(p);
  } catch {
    return p.replace(/\/+$/, '') || undefined;
  }
}

/** Environment variables whose values are secrets: their names say so. */
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL/i;

/** The values of secret-named variables (6 characters or more: shorter ones would redact ordinary words). */
export function secretValues(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && typeof value === 'string' && value.length >= 6)
    .map(([, value]) => value as string)
    .sort((a, b) => b.length - a.length);
}

/** `$HOME`, `/tmp`, `/var/tmp`, `/dev/shm`, `$TMPDIR`, `$RUNNER_TEMP`, `$RUNNER_TOOL_CACHE`, real paths. */
export function machineRoots(env: NodeJS.ProcessEnv = process.env): MachineRoots {
  const tmp = new Set(['/tmp', '/var/tmp', '/dev/shm']);
  for (const t of [env.TMPDIR, env.RUNNER_TEMP]) {
    const r = real(t);
    if (r) tmp.add(r);
  }
  return { home: real(env.HOME ?? homedir()), tmp: [...tmp], toolcache: real(env.RUNNER_TOOL_CACHE) };
}

/** Credentials out of everything ioana writes: the known formats, and this environment's secrets. */
export function environmentRedactor(env: NodeJS.ProcessEnv = process.env): Redactor {
  return new Redactor(secretValues(env));
}
