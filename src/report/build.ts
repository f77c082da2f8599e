/** The report of a check, from its parts. Pure: the CLI and the action both use it. */
import type { Finding } from '../diff/index.js';
import type { Report } from './types.js';

export interface ReportParts {
  readonly findings: readonly Finding[];
  /** The traced command (already redacted), and how it ended; absent for a given log. */
  readonly build?: {
    readonly command: readonly string[];
    readonly exitCode: number | null;
    readonly signal: string | null;
    readonly interrupted?: string;
    readonly leftRunning?: number;
  };
  readonly failed: boolean;
  readonly baseline: string;
  /** No baseline existed: everything is a change. */
  readonly baselineMissing?: boolean;
  readonly stats: Readonly<Record<string, number | boolean>>;
}

export function buildReport(p: ReportParts): Report {
  return {
    version: 1,
    status: p.failed ? 'build-failed' : p.findings.length > 0 || p.baselineMissing ? 'changed' : 'clean',
    findings: p.findings,
    failing: p.findings.filter((f) => f.failing).length,
    build: p.build ?? { command: [], exitCode: null, signal: null },
    partial: p.build?.interrupted !== undefined,
    baseline: p.baseline,
    stats: p.stats,
  };
}
