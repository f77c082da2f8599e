/**
 * `ioana attest`: trace (or read) a build and write an in-toto statement of what each
 * output was made from (README, "Attestations"). dpkg's database is read while the
 * build runs; the outputs and their inputs are hashed once the analysis says which.
 */
import { relative } from 'node:path';
import { environmentRedactor } from '../host/environment.js';
import { loadDebianIndex } from '../host/packages.js';
import { ioanaVersion } from '../host/version.js';
import { attestRun, describeFigures } from '../io/attest-facts.js';
import { runLog } from '../pipeline/index.js';
import { EXIT, signalExit, terminal } from '../vocabulary/index.js';
import { assertWritable, writeOutput, type Console } from './io.js';
import type { AttestOptions } from './options.js';
import { loadConfig, noteDetached, preflightRun, runContext, withRun } from './run.js';

export async function attestCommand(opts: AttestOptions, io: Console): Promise<number> {
  assertWritable('out', opts.out);
  const config = loadConfig(opts);
  preflightRun(opts);
  // Does not depend on the build: read while it runs.
  const packages = loadDebianIndex();
  const redactor = environmentRedactor();
  const result = await withRun(opts, io, async (log) => {
    const context = runContext(opts, log);
    const ran = await runLog({ source: log.source, build: log.build, hooks: log.hooks, context, config });
    const attested = await attestRun(ran.run, context, config, {
      globs: opts.subjects,
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
  if (!opts.quiet) io.err(`ioana: attest: ${describeFigures(figures)}.\n`);
  for (const s of leftOut) io.err(`ioana: attest: ${terminal(s.name)} left out of the statement: no digest (${s.why}).\n`);
  if (result.outcome?.interrupted) return signalExit(result.outcome.interrupted);
  if (statement.subject.length === 0) {
    const picked = opts.subjects.length > 0 ? ` that --subjects ${terminal(opts.subjects.join(','))} picks` : '';
    io.err(`ioana: attest: no subject: the build wrote no file in the workspace${picked}. Nothing was written.\n`);
    return EXIT.usage;
  }
  writeOutput(opts.out, JSON.stringify(statement, null, 2) + '\n', io);
  // A failed build's outputs are attested as they are, and the status says it failed.
  if (result.outcome && (result.outcome.exitCode !== 0 || result.outcome.signal !== null)) return EXIT.buildFailed;
  return EXIT.ok;
}
