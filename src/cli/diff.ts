/** `ioana diff OLD NEW`: what changed between two baselines, as findings. */
import { resolve } from 'node:path';
import { graphOf } from '../baseline/index.js';
import { diff } from '../diff/index.js';
import { EXIT, UsageError } from '../errors.js';
import { loadBaselineFile } from '../pipeline/files.js';
import { buildReport } from '../report/index.js';
import type { ParsedArgs } from './args.js';
import { emitReport, reportFormat } from './check.js';
import { assertWritable, type Console } from './io.js';
import { loadConfig } from './run.js';
import { optionValue } from './args.js';

export async function diffCommand(args: ParsedArgs, workspace: string, io: Console): Promise<number> {
  const [oldPath, newPath] = args.positionals.map((p) => resolve(p));
  reportFormat(args);
  assertWritable('json', optionValue(args, 'json'));
  const config = loadConfig(args, workspace);
  const older = loadBaselineFile(oldPath);
  const newer = loadBaselineFile(newPath);
  if (!older) throw new UsageError(`baseline not found: ${oldPath}`);
  if (!newer) throw new UsageError(`baseline not found: ${newPath}`);
  const findings = diff(older.baseline, graphOf(newer.baseline), config, older.lines);
  const report = buildReport({ findings, failed: false, baseline: args.positionals[0], stats: {} });
  emitReport(report, args, io);
  return report.failing > 0 ? EXIT.findings : EXIT.ok;
}
