/** `ioana trace --out LOG -- COMMAND...`: only run the command under strace and keep the raw log. */
import { describeOutcome, givesSteps } from '../pipeline/index.js';
import { rmSync } from 'node:fs';
import { BuildRootWatch, chooseBackend, refuseIncomplete, resolveCommand, startTrace } from '../trace/index.js';
import { IoanaError, signalExit, TraceSetupError } from '../vocabulary/errors.js';
import { assertWritable, type Console } from './io.js';
import { separationFor } from './run.js';
import type { TraceOptions } from './options.js';

export async function traceCommand(opts: TraceOptions, io: Console): Promise<number> {
  assertWritable('out', opts.out);
  resolveCommand(opts.command[0], process.cwd());
  const chosen = chooseBackend(opts.backend, { seccomp: opts.seccomp });
  for (const note of chosen.notes) io.err(`ioana: note: ${note}\n`);
  const tracing = startTrace(chosen.capture, {
    command: opts.command,
    cwd: process.cwd(),
    copyTo: opts.out,
    probes: opts.probes,
    detailed: opts.detailed,
    separation: separationFor(opts, io),
  });
  let lines = 0;
  let outcome;
  const source = tracing.source;
  // Behind the wall, how the command itself ended is in the log, not in strace's status (its init's).
  const root = new BuildRootWatch();
  const count = (line: unknown) => {
    lines++;
    if (typeof line === 'string') root.feed(line);
  };
  try {
    [, outcome] = await Promise.all([givesSteps(source) ? source.steps(count) : source(count), tracing.build.outcome]);
  } finally {
    tracing.done();
  }
  if (root.status) outcome = { ...outcome, ...root.status };
  try {
    refuseIncomplete(tracing.defects());
  } catch (error) {
    // A log with holes would be read later as if it were whole: it is not kept.
    rmSync(opts.out, { force: true });
    throw error;
  }
  const problem = tracing.copyProblem();
  if (problem)
    throw new IoanaError(`the log ${opts.out} is incomplete: ${problem}.`, {
      hint: 'Free some space there, or give --out a disk with room.',
    });
  if (lines === 0) {
    throw new TraceSetupError(
      `could not start ${JSON.stringify(opts.command[0])} (${describeOutcome(outcome)}); the message above says why.`,
      {
        hint: 'Check that the command exists and may be executed here.',
      },
    );
  }
  if (outcome.exitCode !== 0) io.err(`ioana: the traced command failed: ${describeOutcome(outcome)}; the log is in ${opts.out}\n`);
  if (outcome.interrupted) return signalExit(outcome.interrupted);
  if (outcome.signal) return signalExit(outcome.signal);
  return outcome.exitCode ?? 1;
}
