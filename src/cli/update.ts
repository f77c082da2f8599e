/**
 * `ioana update`: trace a build (or read a log) and record it into the baseline,
 * merged into what the file holds, under its lock. Every path, the command and the
 * existing baseline are checked before the build runs; a run that would weaken the
 * baseline is refused (`refusal`) unless `--force`.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { EXIT, IoanaError, signalExit, UsageError } from '../errors.js';
import { runFacts } from '../pipeline/analyze.js';
import { describeWrite, loadBaselineFile, recordRuns, type RecordedRun } from '../pipeline/files.js';
import { describeOutcome, succeeded } from '../trace/index.js';
import { optionValue, type ParsedArgs } from './args.js';
import { assertWritable, type Console } from './io.js';
import { loadConfig, preflightRun, required, traceAndCanonicalize } from './run.js';

export async function updateCommand(args: ParsedArgs, workspace: string, io: Console): Promise<number> {
  const baselineArg = required(args, 'baseline');
  const baselinePath = resolve(baselineArg);
  const config = loadConfig(args, workspace);
  // An unreadable baseline is never overwritten, not even with --fresh: checked now,
  // before the build, and again under the lock before writing.
  loadBaselineFile(baselinePath);
  assertWritable('baseline', baselineArg);
  const runs = Number(optionValue(args, 'runs') ?? '1');
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new UsageError(`--runs must be a whole number from 1 to 100, not "${optionValue(args, 'runs')}".`);
  const clean = optionValue(args, 'clean');
  if (runs > 1 && optionValue(args, 'trace')) throw new UsageError('--runs needs a command to run; a --trace log is one run.');
  if (runs > 1 && !clean) throw new UsageError('--runs N needs --clean CMD, the command that makes the tree clean before each run (e.g. "make clean").');
  preflightRun(args, workspace);

  const recorded: RecordedRun[] = [];
  for (let i = 0; i < runs; i++) {
    if (clean) {
      const r = spawnSync('sh', ['-c', clean], { cwd: workspace, stdio: 'inherit' });
      if (r.status !== 0) throw new IoanaError(`the clean command failed (${r.status ?? r.signal}): ${clean}`, { hint: 'Nothing was written.' });
    }
    const run = await traceAndCanonicalize(args, workspace, config, io);
    if (run.outcome?.interrupted) {
      io.err(`ioana: interrupted (${run.outcome.interrupted}); the baseline was not changed.\n`);
      return signalExit(run.outcome.interrupted);
    }
    if (run.outcome && !succeeded(run.outcome)) {
      io.err(`ioana: the build failed (${describeOutcome(run.outcome)}); the baseline was not changed.\n`);
      return EXIT.buildFailed;
    }
    recorded.push({ graph: run.canonical.graph, facts: runFacts(run.analysis) });
  }
  // Merged into what the file holds now: another ioana may have written it meanwhile.
  const result = recordRuns(baselinePath, recorded, { fresh: args.flags.has('fresh'), force: args.flags.has('force'), shown: baselineArg });
  if (!args.flags.has('quiet')) io.err(`ioana: ${describeWrite(baselineArg, result)}.\n`);
  return EXIT.ok;
}
