/**
 * A GitHub-hosted runner's user (test edge): the job runs as `runner`, who has
 * passwordless sudo. When these tests run as root on a machine with such a user (.ci/run
 * makes one: `runner`, or the one IOANA_TEST_USER names), ioana is run as that user, so
 * that the separation under test is the hosted runner's (the tracer root through sudo,
 * the build as the user); elsewhere ioana runs as whoever runs the tests.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { ACTION, CLI } from './bundle.js';

function probeUser(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const name = process.env.IOANA_TEST_USER ?? 'runner';
  try {
    execFileSync('sudo', ['-n', '-u', name, '--', 'sudo', '-n', 'true'], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    return undefined;
  }
  try {
    // The user must be able to run the bundles (a clone under /root is not theirs to read).
    execFileSync('sudo', ['-n', '-u', name, '--', 'test', '-r', CLI, '-a', '-r', ACTION], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    console.warn(`runner-user: ${name} cannot read ${CLI} or ${ACTION}: ioana runs as root in these tests (the 'root' wall).`);
    return undefined;
  }
  return name;
}

/** The runner-like user ioana runs as in these tests, or undefined (ioana runs as this process's user). */
export const RUNNER_USER = probeUser();

/** Hands files and directories over to the runner user (when there is one). */
export function giveToRunner(...paths: string[]): void {
  if (RUNNER_USER) execFileSync('chown', ['-R', RUNNER_USER, ...paths]);
}

/**
 * `[file, args]` that run `argv` with exactly `env`, as the runner user when there is one
 * (through `sudo -u USER env -i …`, which keeps nothing of root's environment).
 */
export function asRunner(argv: readonly string[], env: NodeJS.ProcessEnv): [string, string[]] {
  if (!RUNNER_USER) return [argv[0], argv.slice(1)];
  const pairs = Object.entries(env)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${v}`);
  return ['sudo', ['-n', '-u', RUNNER_USER, '--', 'env', '-i', ...pairs, ...argv]];
}

/** Runs a command as root, whoever ioana runs as (cleaning up what an attack left in /usr/local or /etc). */
export function asRoot(argv: readonly string[]): void {
  const cmd: [string, string[]] = process.getuid?.() === 0 ? [argv[0], argv.slice(1)] : ['sudo', ['-n', ...argv]];
  spawnSync(cmd[0], cmd[1], { stdio: 'ignore' });
}
