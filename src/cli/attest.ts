/**
 * `ioana attest`: trace (or read) a build and write an in-toto statement of what each
 * output was made from (README, "Attestations"). dpkg's database is read while the
 * build runs; the outputs and their inputs are hashed once the analysis says which.
 */
import { statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { subjectGlobs } from '../attest/index.js';
import { environmentRedactor } from '../host/environment.js';
import { loadDebianIndex } from '../host/packages.js';
import { ioanaVersion } from '../host/version.js';
import { attestRun, describeFigures, type AttestFigures } from '../io/attest-facts.js';
import { describeOutcome, runLog, succeeded } from '../pipeline/index.js';
import { EXIT, signalExit, terminal, UsageError } from '../vocabulary/index.js';
import { assertWritable, STDOUT, writeOutput, type Console } from './io.js';
import type { AttestOptions } from './options.js';
import { loadConfig, noteDetached, preflightRun, runContext, withRun } from './run.js';

/** Before the build: `--out` is a file that can be written (not a directory). */
function assertOutFile(out: string): void {
  assertWritable('out', out);
  if (out === STDOUT) return;
  let isDir = false;
  try {
    isDir = statSync(resolve(out)).isDirectory();
  } catch {
    // not there yet: written after the build
  }
  if (isDir)
    throw new UsageError(`--out ${out} is a directory.`, { hint: 'Give the statement a file name: --out provenance.intoto.json.' });
}

/** Why a statement would have no subject: none planned (none written, none picked), or every one left out. */
function noSubject(f: AttestFigures, globs: readonly string[]): string {
  if (f.subjects > 0) return `the ${f.subjects} subject${f.subjects === 1 ? ' was' : 's were all'} left out (no digest, above)`;
  if (globs.length === 0 || f.notPicked === 0) return 'the build wrote no file in the workspace';
  const n = f.notPicked;
  return `the build wrote ${n} file${n === 1 ? '' : 's'} in the workspace, and --subjects ${terminal(globs.join(','))} picks none of ${n === 1 ? 'it' : 'them'}`;
}

export async function attestCommand(opts: AttestOptions, io: Console): Promise<number> {
  assertOutFile(opts.out);
  // Said now, not as "no subject" after a build that may take an hour.
  const globs = subjectGlobs(opts.subjects, opts.workspace);
  const config = loadConfig(opts);
  preflightRun(opts);
  // Does not depend on the build: read while it runs.
  const packages = loadDebianIndex();
  const redactor = environmentRedactor();
  const result = await withRun(opts, io, async (log) => {
    const context = runContext(opts, log);
    const ran = await runLog({ source: log.source, build: log.build, hooks: log.hooks, context, config });
    const attested = await attestRun(ran.run, context, config, {
      globs,
      limits: opts.limits,
      packages,
      meta: {
        command: log.build ? redactor.argv(log.build.command[0] ?? '', log.build.command) : undefined,
        workingDirectory: relative(opts.workspace, opts.cwd) || '.',
        version: { ioana: ioanaVersion() },
      },
    });
    return { ...ran, attested };
  });
  noteDetached(result, io);
  const { statement, leftOut, figures } = result.attested;
  // The closing line on standard output, unless the statement is there.
  const closing = `ioana: attest: ${describeFigures(figures)}.\n`;
  if (!opts.quiet && opts.out === STDOUT) io.err(closing);
  else if (!opts.quiet) io.out(closing);
  for (const s of leftOut) io.err(`ioana: attest: ${terminal(s.name)} left out of the statement: no digest (${s.why}).\n`);
  if (result.outcome?.interrupted) return signalExit(result.outcome.interrupted);
  // A failed build's outputs are attested as they are, and the status says it failed (3), written or not.
  const failed = result.outcome !== undefined && !succeeded(result.outcome);
  if (failed) io.err(`ioana: attest: the build failed (${describeOutcome(result.outcome!)}).\n`);
  if (statement.subject.length === 0) {
    io.err(`ioana: attest: no subject: ${noSubject(figures, globs)}. Nothing was written.\n`);
    return failed ? EXIT.buildFailed : EXIT.usage;
  }
  writeOutput(opts.out, JSON.stringify(statement, null, 2) + '\n', io);
  return failed ? EXIT.buildFailed : EXIT.ok;
}
