/**
 * `ioana check`: trace (or read) a build, canonicalize it, and diff it against the
 * baseline. The baseline, the configuration and every path are read and checked before
 * the build runs: a mistake there costs nothing and writes nothing.
 */
import { resolve } from 'node:path';
import { diff } from '../diff/index.js';
import { EXIT, InputError, signalExit, UsageError } from '../errors.js';
import { reportStats, runFacts } from '../pipeline/analyze.js';
import { untrustedTrace } from '../baseline/index.js';
import { environmentRedactor } from '../pipeline/context.js';
import { loadBaselineFile } from '../pipeline/files.js';
import { buildReport, renderText, type Report } from '../report/index.js';
import { succeeded } from '../trace/index.js';
import { optionValue, type ParsedArgs } from './args.js';
import { assertWritable, STDOUT, useColor, writeOutput, type Console } from './io.js';
import { acceptFor, loadConfig, required, traceAndCanonicalize } from './run.js';

const FORMATS = ['text', 'json'] as const;

/** `--format text|json`; `--json -` is the same as `--format json`. */
export function reportFormat(args: ParsedArgs): 'text' | 'json' {
  const format = optionValue(args, 'format') ?? (optionValue(args, 'json') === STDOUT ? 'json' : 'text');
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown --format "${format}".`, { hint: `Formats: ${FORMATS.join(', ')}.` });
  return format as 'text' | 'json';
}

/** The report where the options say: a JSON file, and standard output as text or JSON. */
export function emitReport(report: Report, args: ParsedArgs, io: Console, accept?: string): void {
  const json = JSON.stringify(report, null, 2) + '\n';
  const file = optionValue(args, 'json');
  const format = reportFormat(args);
  if (file !== undefined && file !== STDOUT) writeOutput(file, json, io);
  if (format === 'json') io.out(json);
  else io.out(renderText(report, { color: useColor(), quiet: args.flags.has('quiet'), accept }));
}

export async function checkCommand(args: ParsedArgs, workspace: string, io: Console): Promise<number> {
  const baselineArg = required(args, 'baseline');
  const baselinePath = resolve(baselineArg);
  reportFormat(args);
  assertWritable('json', optionValue(args, 'json'));
  const config = loadConfig(args, workspace);
  const parsed = loadBaselineFile(baselinePath);
  if (!parsed) {
    throw new UsageError(`baseline not found: ${baselinePath}`, { hint: `Record one first, from a clean tree: ${acceptFor(args)}` });
  }
  const run = await traceAndCanonicalize(args, workspace, config, io);
  const untrusted = untrustedTrace(runFacts(run.analysis));
  if (untrusted && !run.outcome?.interrupted) {
    throw new InputError(`${optionValue(args, 'trace') ?? 'the trace'}: ${untrusted} Nothing was compared.`, { hint: 'Give the log strace wrote for the build (ioana trace --out LOG, or --trace-out).' });
  }
  const findings = diff(parsed.baseline, run.canonical.graph, config, parsed.lines);
  const failed = run.outcome !== undefined && !succeeded(run.outcome);
  const report = buildReport({
    findings,
    failed,
    build: run.outcome && {
      command: args.run.map(environmentRedactor()),
      exitCode: run.outcome.exitCode,
      signal: run.outcome.signal,
      interrupted: run.outcome.interrupted,
      leftRunning: run.outcome.detached ? run.analysis.dataflow.stats.stillRunning : undefined,
    },
    baseline: baselineArg,
    stats: reportStats(run.analysis),
  });
  emitReport(report, args, io, acceptFor(args));
  if (run.outcome?.interrupted) return signalExit(run.outcome.interrupted);
  if (failed) return EXIT.buildFailed;
  return report.failing > 0 ? EXIT.findings : EXIT.ok;
}
