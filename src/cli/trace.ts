/** `ioana trace --out LOG -- COMMAND...`: only run the command under strace and keep the raw log. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeOutcome } from '../pipeline/index.js';
import { assertRoomLeft, preflight, resolveCommand, runTraced } from '../trace/index.js';
import { signalExit, TraceSetupError } from '../vocabulary/errors.js';
import { assertWritable, type Console } from './io.js';
import type { TraceOptions } from './options.js';

export async function traceCommand(opts: TraceOptions, io: Console): Promise<number> {
  assertWritable('out', opts.out);
  resolveCommand(opts.command[0], process.cwd());
  const strace = preflight(undefined, opts.seccomp);
  if (strace.seccompNote) io.err(`ioana: note: ${strace.seccompNote}\n`);
  const outcome = await runTraced({ command: opts.command, logPath: opts.out, strace, probes: opts.probes, detailed: opts.detailed });
  assertRoomLeft(opts.out);
  let size = 0;
  try {
    size = statSync(resolve(opts.out)).size;
  } catch {
    // no log at all: strace could not create it
  }
  if (size === 0) {
    throw new TraceSetupError(
      `strace could not start ${JSON.stringify(opts.command[0])} (strace: ${describeOutcome(outcome)}); its own message is above.`,
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
