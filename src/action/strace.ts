/** strace on the runner: on a GitHub-hosted Linux runner a missing strace is installed; elsewhere the error says how. */
import * as core from '@actions/core';
import { execFileSync } from 'node:child_process';
import { preflight, type StraceInfo } from '../trace/index.js';
import { TraceSetupError } from '../vocabulary/errors.js';

export function ensureStrace(): StraceInfo {
  try {
    return preflight();
  } catch (error) {
    const onRunner = process.env.GITHUB_ACTIONS === 'true' && process.env.RUNNER_OS === 'Linux';
    if (!(error instanceof TraceSetupError) || !/not found/.test(error.message) || !onRunner) throw error;
    core.info('ioana: strace is not installed; installing it with `sudo apt-get install -y strace`.');
    const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
    const cmd = (args: string[]) =>
      execFileSync(sudo.length ? 'sudo' : args[0], sudo.length ? args : args.slice(1), {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    cmd(['apt-get', 'update', '-qq']);
    cmd(['apt-get', 'install', '-y', '-qq', 'strace']);
    return preflight();
  }
}
