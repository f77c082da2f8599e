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
    readonly setuid?: readonly string[];
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

/** What the reports say about the setuid and setgid programs the build ran (`build.setuid`). */
export function setuidNote(programs: readonly string[]): string {
  const shown = programs.slice(0, 5).join(', ') + (programs.length > 5 ? ` and ${programs.length - 5} more` : '');
  const what = programs.length === 1 ? 'a setuid or setgid program' : `${programs.length} setuid or setgid programs`;
  return `the build ran ${what} (${shown}). Under strace they run without those privileges: one that needs them fails here, though it works untraced.`;
}
