/** `ioana trace --out LOG -- COMMAND...`: only run the command under strace and keep the raw log. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { signalExit, TraceSetupError, UsageError } from '../errors.js';
import { assertRoomLeft } from '../pipeline/traced.js';
import { describeOutcome, preflight, resolveCommand, runTraced } from '../trace/index.js';
import type { ParsedArgs } from './args.js';
import { COMMANDS } from './commands.js';
import { assertWritable, STDOUT, type Console } from './io.js';
import { required } from './run.js';

export async function traceCommand(args: ParsedArgs, io: Console): Promise<number> {
  const out = required(args, 'out');
  if (args.run.length === 0) {
    throw new UsageError('"ioana trace" needs a command to run after "--".', { hint: `usage: ${COMMANDS.trace.usage}` });
  }
  if (out === STDOUT) throw new UsageError('--out needs a file: strace writes its log there.', { hint: 'Give a path such as build.strace.' });
  assertWritable('out', out);
  resolveCommand(args.run[0], process.cwd());
  const strace = preflight(undefined, !args.flags.has('no-seccomp'));
  if (strace.seccompNote) io.err(`ioana: note: ${strace.seccompNote}\n`);
  const outcome = await runTraced({
    command: args.run,
    logPath: out,
    strace,
    probes: args.flags.has('probes'),
    detailed: args.flags.has('detailed'),
  });
  assertRoomLeft(out);
  let size = 0;
  try {
    size = statSync(resolve(out)).size;
  } catch {
    // no log at all: strace could not create it
  }
  if (size === 0) {
    throw new TraceSetupError(`strace could not start ${JSON.stringify(args.run[0])} (strace: ${describeOutcome(outcome)}); its own message is above.`, {
      hint: 'Check that the command exists and may be executed here.',
    });
  }
  if (outcome.exitCode !== 0) io.err(`ioana: the traced command failed: ${describeOutcome(outcome)}; the log is in ${out}\n`);
  if (outcome.interrupted) return signalExit(outcome.interrupted);
  if (outcome.signal) return signalExit(outcome.signal);
  return outcome.exitCode ?? 1;
}
