/**
 * The GitHub Action: reads the inputs, traces the build, reports. The one `catch` that
 * turns an error into a failed step is here; the stages never import @actions/core.
 */
import * as core from '@actions/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeLog } from './cli/analyze.js';
import { describeError } from './errors.js';
import { describeOutcome, preflight, runTraced, succeeded } from './trace/index.js';

export async function run(): Promise<void> {
  try {
    const command = core.getInput('run', { required: true });
    const cwd = core.getInput('working-directory') || process.env.GITHUB_WORKSPACE || process.cwd();
    const strace = preflight();
    if (strace.seccompNote) core.notice(strace.seccompNote);
    const dir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'ioana-'));
    const logPath = join(dir, 'trace.log');
    const outcome = await runTraced({ command: ['bash', '-e', '-c', command], logPath, strace, cwd });
    const analysis = await analyzeLog(logPath);
    core.info(`ioana: traced ${analysis.stats.processes} processes, ${analysis.stats.syscalls} system calls, ${analysis.stats.unparsed} unparsed lines`);
    core.setOutput('trace', logPath);
    if (!succeeded(outcome)) core.setFailed(`The build failed: ${describeOutcome(outcome)}.`);
  } catch (error) {
    core.setFailed(`ioana: ${describeError(error)}`);
  }
}
