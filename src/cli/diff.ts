/** `ioana diff OLD NEW`: what changed between two baselines, as findings. */
import { resolve } from 'node:path';
import { graphOf } from '../baseline/index.js';
import { diff } from '../diff/index.js';
import { loadBaselineFile } from '../io/project-files.js';
import { buildReport } from '../report/index.js';
import { EXIT, UsageError } from '../vocabulary/errors.js';
import { emitReport } from './check.js';
import { assertWritable, type Console } from './io.js';
import type { DiffOptions } from './options.js';
import { loadConfig } from './run.js';

export async function diffCommand(opts: DiffOptions, io: Console): Promise<number> {
  assertWritable('json', opts.json);
  const config = loadConfig(opts);
  const [older, newer] = [opts.older, opts.newer].map((p) => {
    const b = loadBaselineFile(resolve(p));
    if (!b) throw new UsageError(`baseline not found: ${resolve(p)}`);
    return b;
  });
  const findings = diff(older.baseline, graphOf(newer.baseline), config, older.lines);
  const report = buildReport({ findings, failed: false, baseline: opts.older, stats: {} });
  emitReport(report, opts, io);
  return report.failing > 0 ? EXIT.findings : EXIT.ok;
}
