/**
 * `ioana update`: trace a build (or read a log) and record it as the baseline (or, with
 * `--merge`, add it to what the file learned), under its lock. Every path, the command and the
 * existing baseline are checked before the build runs; a run that would weaken the
 * baseline is refused unless `--force`.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { containerNote, followedNote, untracedContainers } from '../report/index.js';
import { loadBaselineFile, recordRuns } from '../io/project-files.js';
import { describeOutcome, describeWrite, runFacts, runLog, succeeded, type RecordedRun } from '../pipeline/index.js';
import { EXIT, IoanaError, signalExit } from '../vocabulary/errors.js';
import { terminal } from '../vocabulary/index.js';
import { assertWritable, type Console } from './io.js';
import type { UpdateOptions } from './options.js';
import { loadConfig, noteDetached, preflightRun, runContext, withRun } from './run.js';

export async function updateCommand(opts: UpdateOptions, io: Console): Promise<number> {
  const config = loadConfig(opts);
  // An unreadable baseline is never overwritten: checked now,
  // before the build, and again under the lock before writing.
  loadBaselineFile(resolve(opts.baseline));
  assertWritable('baseline', opts.baseline);
  preflightRun(opts);

  const recorded: RecordedRun[] = [];
  for (let i = 0; i < opts.runs; i++) {
    if (opts.clean) {
      const r = spawnSync('sh', ['-c', opts.clean], { cwd: opts.workspace, stdio: 'inherit' });
      if (r.status !== 0)
        throw new IoanaError(`the clean command failed (${r.status ?? r.signal}): ${opts.clean}`, { hint: 'Nothing was written.' });
    }
    const result = await withRun(opts, io, (log) =>
      runLog({ source: log.source, build: log.build, hooks: log.hooks, context: runContext(opts, log), config }),
    );
    const { run, outcome } = result;
    noteDetached(result, io);
    if (i === 0 && untracedContainers(run.containers).length > 0)
      io.err(`ioana: warning: ${terminal(containerNote(run.containers))} The baseline holds what was traced.\n`);
    const followed = i === 0 ? followedNote(run.containers) : undefined;
    if (followed) io.err(`ioana: note: ${terminal(followed)}\n`);
    if (outcome?.interrupted) {
      io.err(`ioana: interrupted (${outcome.interrupted}); the baseline was not changed.\n`);
      return signalExit(outcome.interrupted);
    }
    if (outcome && !succeeded(outcome)) {
      io.err(`ioana: the build failed (${describeOutcome(outcome)}); the baseline was not changed.\n`);
      return EXIT.buildFailed;
    }
    recorded.push({ graph: run.canonical.graph, facts: runFacts(run.analysis) });
  }
  // Merged into what the file holds now: another ioana may have written it meanwhile.
  const result = await recordRuns(resolve(opts.baseline), recorded, { merge: opts.merge, force: opts.force, shown: opts.baseline });
  // The closing line on standard output, as check's: what the command did.
  if (!opts.quiet) io.out(`ioana: ${describeWrite(opts.baseline, result)}.\n`);
  return EXIT.ok;
}
