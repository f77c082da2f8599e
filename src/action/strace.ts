/**
 * The capture back end on the runner: on a GitHub-hosted Linux runner a missing strace is
 * installed with apt; elsewhere the error says how. The eBPF back end needs nothing
 * installed: its collector ships in dist/ beside the action's bundle.
 */
import * as core from '@actions/core';
import { execFileSync } from 'node:child_process';
import { chooseBackend, preflight, preflightEbpf, type Backend, type Chosen, type StraceInfo } from '../trace/index.js';
import { TraceSetupError } from '../vocabulary/errors.js';

const onRunner = () => process.env.GITHUB_ACTIONS === 'true' && process.env.RUNNER_OS === 'Linux';

/** `apt-get install -y PACKAGE`, through sudo unless ioana is root. */
function aptInstall(pkg: string): void {
  core.info(`ioana: ${pkg} is not installed; installing it with \`sudo apt-get install -y ${pkg}\`.`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const cmd = (args: string[]) =>
    execFileSync(sudo.length ? 'sudo' : args[0], sudo.length ? args : args.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  cmd(['apt-get', 'update', '-qq']);
  cmd(['apt-get', 'install', '-y', '-qq', pkg]);
}

/** Runs `check`; on a runner, installs `pkg` and checks again when the first says it is missing. */
function installing<T>(pkg: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof TraceSetupError) || !/not found/.test(error.message) || !onRunner()) throw error;
    aptInstall(pkg);
    return check();
  }
}

export function ensureStrace(): StraceInfo {
  return installing('strace', () => preflight());
}

/** The back end the `backend` input names; strace is installed when missing on a runner. */
export function ensureBackend(want: Backend): Chosen {
  return chooseBackend(want, { strace: ensureStrace, ebpf: (tryLoad) => preflightEbpf({ tryLoad }) });
}
