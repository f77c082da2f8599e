/** The machine's roots for canonicalization, read from the environment at the edge. */
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { redactor, type CanonContext } from '../canon/index.js';
import type { Dataflow } from '../model/index.js';

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

export function canonContext(workspace: string, flow?: Dataflow, env: NodeJS.ProcessEnv = process.env): CanonContext {
  const tmp = new Set(['/tmp', '/var/tmp', '/dev/shm']);
  for (const t of [env.TMPDIR, env.RUNNER_TEMP]) {
    const r = real(t);
    if (r) tmp.add(r);
  }
  return {
    workspace,
    home: real(env.HOME ?? homedir()),
    tmp: [...tmp],
    toolcache: real(env.RUNNER_TOOL_CACHE),
    pids: flow ? new Set(flow.images.map((i) => i.pid).filter((p) => p >= 100)) : undefined,
    secrets: secretValues(env),
  };
}

/** Credentials out of arguments and commands that are reported: the rules, and this environment's secrets. */
export function environmentRedactor(env: NodeJS.ProcessEnv = process.env): (text: string) => string {
  return redactor({ secrets: secretValues(env) });
}
