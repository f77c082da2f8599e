/**
 * `ioana check`: trace (or read) a build and compare it with the baseline, through the
 * one pipeline (`check`). The baseline, the configuration and every path are read and
 * checked before the build runs: a mistake there costs nothing and writes nothing.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { ioanaVersion } from '../host/version.js';
import { loadBaselineFile } from '../io/project-files.js';
import { check, type BuildOutcome } from '../pipeline/index.js';
import { inside, renderSarif, renderText, type Report } from '../report/index.js';
import { EXIT, signalExit, UsageError } from '../vocabulary/errors.js';
import { assertWritable, STDOUT, useColor, writeOutput, type Console } from './io.js';
import type { CheckOptions, ReportOptions } from './options.js';
import { acceptFor, loadConfig, noteDetached, preflightRun, runContext, withRun } from './run.js';

/** The report where the options say: a JSON file, and standard output as text or JSON. */
export function emitReport(report: Report, opts: ReportOptions, io: Console, accept?: string): void {
  const json = JSON.stringify(report, null, 2) + '\n';
  if (opts.json !== undefined && opts.json !== STDOUT) writeOutput(opts.json, json, io);
  if (opts.format === 'json') io.out(json);
  else io.out(renderText(report, { color: useColor(), quiet: opts.quiet, accept }));
}

const realPath = (path: string): string => {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
};

/**
 * The findings as SARIF (`--sarif FILE`), written atomically. Locations are relative to
 * the workspace, the repository root: a finding about no file of the repository points
 * at the baseline.
 */
export function writeSarif(report: Report, opts: CheckOptions, io: Console, accept: string): void {
  if (opts.sarif === undefined) return;
  const log = renderSarif(report, {
    // The workspace is a real path (strace reports real paths): so is the baseline's.
    files: { baseline: inside(opts.workspace, realPath(resolve(opts.baseline))) },
    version: ioanaVersion(),
    accept,
  });
  writeOutput(opts.sarif, JSON.stringify(log, null, 2) + '\n', io);
}

/** The exit status of a check: interrupted (130/143), the build failed (3), failing findings (1), or 0. */
export function checkStatus(report: Report, outcome: BuildOutcome | undefined): number {
  if (outcome?.interrupted) return signalExit(outcome.interrupted);
  if (report.status === 'build-failed') return EXIT.buildFailed;
  return report.failing > 0 ? EXIT.findings : EXIT.ok;
}

export async function checkCommand(opts: CheckOptions, io: Console): Promise<number> {
  assertWritable('json', opts.json);
  assertWritable('sarif', opts.sarif);
  const config = loadConfig(opts);
  const baseline = loadBaselineFile(resolve(opts.baseline));
  if (!baseline)
    throw new UsageError(`baseline not found: ${resolve(opts.baseline)}`, {
      hint: `Record one first, from a clean tree: ${acceptFor(opts)}`,
    });
  preflightRun(opts);
  const result = await withRun(opts, io, (run) =>
    check({
      source: run.source,
      build: run.build,
      hooks: run.hooks,
      logName: run.logName,
      context: runContext(opts, run),
      config,
      baseline,
      baselineName: opts.baseline,
    }),
  );
  noteDetached(result, io);
  const accept = acceptFor(opts);
  emitReport(result.report, opts, io, accept);
  writeSarif(result.report, opts, io, accept);
  return checkStatus(result.report, result.outcome);
}
