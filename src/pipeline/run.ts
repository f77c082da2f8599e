/**
 * The one pipeline (docs/architecture.md §1): a log's lines, with the baseline, the configuration and
 * the run's context, in; the canonical graph, the findings and the report out. The
 * action and every CLI command are thin adapters around these functions: they read
 * files and the environment, start strace, and write what comes back.
 */
import { mergeRun, untrustedTrace, type Baseline, type ParsedBaseline } from '../baseline/index.js';
import type { Config } from '../config/index.js';
import { diff, orderFindings, type Finding } from '../diff/index.js';
import { endpointTraffic, formatBytes } from '../graph/index.js';
import { buildReport, type Report } from '../report/index.js';
import { InputError, TraceSetupError } from '../vocabulary/errors.js';
import { TOKEN } from '../vocabulary/tokens.js';
import type { Dataflow } from '../model/index.js';
import { canonicalRun, reportStats, runFacts, type CanonicalRun } from './analyze.js';
import { succeeded, type AnalyzeHooks, type BuildOutcome, type RunContext, type TraceSource } from './types.js';

/** A traced build: the command as it was run, and its end, which comes when strace's does. */
export interface TracedBuild {
  readonly command: readonly string[];
  readonly outcome: Promise<BuildOutcome>;
}

export interface RunInput {
  /** The trace: a log's lines, or operations its back end decoded. */
  readonly source: TraceSource;
  readonly context: RunContext;
  readonly config: Config;
  /** Absent when a recorded log is read (`--trace LOG`). */
  readonly build?: TracedBuild;
  readonly hooks?: AnalyzeHooks;
}

export interface RunResult {
  readonly run: CanonicalRun;
  /** How the build ended; absent for a recorded log. */
  readonly outcome?: BuildOutcome;
}

/**
 * The command could not be started at all (it is not there, not executable, its
 * interpreter is missing, or the log could not be created): strace or ioana's launcher
 * printed why on stderr and exited, and the log holds no program of the build's. That is
 * not the build's failure: no finding is made of it.
 */
export function assertStarted(run: CanonicalRun, outcome: BuildOutcome, command: readonly string[]): void {
  // The build's own command, not ioana's launcher in front of it (src/trace/separation.ts), must have started.
  const started = run.analysis.dataflow.images.some((im) => im.origin === 'exec' && !im.launcher);
  if (started || outcome.interrupted) return;
  const how = outcome.signal ? `killed by ${outcome.signal}` : `exit status ${outcome.exitCode}`;
  throw new TraceSetupError(
    `could not start ${JSON.stringify(command[0] ?? '')} (${how}); the message above says why. Nothing was compared or written.`,
    {
      hint: 'Check that the command exists and may be executed here, and that the directory of the trace log exists and is writable.',
    },
  );
}

/** The log read to its canonical graph while the build (if any) runs; a command that could not be started is an error. */
export async function runLog(input: RunInput): Promise<RunResult> {
  const [run, outcome] = await Promise.all([canonicalRun(input.source, input.context, input.config, input.hooks), input.build?.outcome]);
  if (input.build && outcome) assertStarted(run, outcome, input.build.command);
  return { run, outcome };
}

export interface CheckInput extends RunInput {
  /** The baseline to compare with; undefined when there is none yet (every entry is new). */
  readonly baseline?: ParsedBaseline;
  /** How reports name the baseline: as the user gave it, or repository-relative. */
  readonly baselineName: string;
  /** Where `trace` came from, for the error that refuses a log that is not a build's. */
  readonly logName?: string;
  /** Findings about the pull request's own edits of the baseline and the configuration (`baselineEdits`, `configWeakenings`). */
  readonly edits?: readonly Finding[];
}

export interface CheckResult extends RunResult {
  readonly findings: readonly Finding[];
  readonly report: Report;
  /** What accepting the change would record: this run as the baseline (worked out when asked). */
  proposed(): Baseline;
}

/** The check (docs/architecture.md §1.7, §1.8): the run compared with the baseline, as findings and a report. */
export async function check(input: CheckInput): Promise<CheckResult> {
  const { run, outcome } = await runLog(input);
  const untrusted = untrustedTrace(runFacts(run.analysis));
  if (untrusted && !outcome?.interrupted) {
    throw new InputError(`${input.logName ?? 'the trace'}: ${untrusted} Nothing was compared.`, {
      hint: 'Give the log strace wrote for the build (ioana trace --out LOG, or --trace-out).',
    });
  }
  const compared = input.baseline
    ? withTraffic(diff(input.baseline.baseline, run.canonical.graph, input.config, input.baseline.lines), run)
    : [];
  const findings = input.edits?.length ? orderFindings([...compared, ...input.edits]) : compared;
  const report = buildReport({
    findings,
    failed: outcome !== undefined && !succeeded(outcome),
    build: input.build &&
      outcome && {
        command: input.context.redactor.argv(input.build.command[0] ?? '', input.build.command),
        exitCode: outcome.exitCode,
        signal: outcome.signal,
        interrupted: outcome.interrupted,
        leftRunning: outcome.detached ? run.analysis.dataflow.stats.stillRunning : undefined,
        ...(run.analysis.dataflow.separated && run.analysis.dataflow.stats.leftBehind > 0
          ? { stopped: run.analysis.dataflow.stats.leftBehind }
          : {}),
        setuid: setuidRan(input.context, run.analysis.dataflow),
        // A tracer running as root lets setuid programs keep their privileges: nothing to warn about.
        ...(input.context.separation?.privileged ? { tracerPrivileged: true } : {}),
        ...(input.context.separation ? { separation: separationOf(input.context.separation) } : {}),
        ...sudoRan(run),
        ...(run.containers.length > 0 ? { containers: run.containers } : {}),
        ...incremental(input.baseline?.baseline, run),
      },
    baseline: input.baselineName,
    baselineMissing: input.baseline === undefined,
    stats: reportStats(run.analysis),
  });
  // Accepting replaces (src/pipeline/update.ts): the proposed baseline is what this run saw.
  return { run, outcome, findings, report, proposed: () => mergeRun(undefined, run.canonical.graph) };
}

/**
 * A new endpoint with what went through it, where the trace counted bytes: "… (4.2 MB
 * sent, 1.1 kB received)". The baseline holds no sizes (they vary from run to run).
 */
function withTraffic(findings: readonly Finding[], run: CanonicalRun): readonly Finding[] {
  if (!findings.some((f) => f.kind === 'new-endpoint')) return findings;
  const traffic = endpointTraffic(run.flows());
  if (traffic.size === 0) return findings;
  return findings.map((f) => {
    const t = f.kind === 'new-endpoint' ? traffic.get(f.subject) : undefined;
    if (!t) return f;
    const said = `${formatBytes(t.sent)} sent, ${formatBytes(t.received)} received`;
    return { ...f, traffic: { sent: t.sent, received: t.received }, message: `${f.message.replace(/\.$/, '')} (${said}).` };
  });
}

/** `{ incremental }` when the run rewrote fewer than half of the baseline's outputs (at least 2 of them), else nothing. */
function incremental(baseline: Baseline | undefined, run: CanonicalRun): { incremental?: { rewritten: number; outputs: number } } {
  const outputs = baseline?.outputs.length ?? 0;
  if (outputs < 2) return {};
  const written = new Set(run.canonical.graph.outputs.map((o) => o.path));
  const rewritten = baseline!.outputs.filter((o) => written.has(o.path)).length;
  return rewritten * 2 < outputs ? { incremental: { rewritten, outputs } } : {};
}

/** The report's separation: what the edge said, without the setuid flag (`tracerPrivileged` says it). */
function separationOf(s: NonNullable<RunContext['separation']>): { mode: string; description: string; advisory?: string; sudo: boolean } {
  return { mode: s.mode, description: s.description, ...(s.advisory ? { advisory: s.advisory } : {}), sudo: s.sudo };
}

/** The commands the build ran through sudo (`{ sudo: [...] }`), or nothing. */
function sudoRan(run: CanonicalRun): { sudo?: string[] } {
  const sudo = run.canonical.graph.programs.filter((p) => /(?:^|\/)sudo$/.test(p.exe)).map((p) => [p.exe, ...p.argv.slice(1)].join(' '));
  return sudo.length > 0 ? { sudo } : {};
}

/**
 * The set-user-ID and set-group-ID programs the build ran (named as the report names
 * paths: the workspace as `{workspace}`, credentials redacted), or undefined when none.
 */
function setuidRan(context: RunContext, flow: Dataflow): string[] | undefined {
  if (!context.setuid) return undefined;
  const exes = new Set(flow.images.filter((i) => i.origin !== 'fork' && i.exe !== '').map((i) => i.exe));
  const found = context.setuid(exes).map((exe) => context.redactor.text(workspaceName(context.workspace, exe)));
  return found.length > 0 ? found : undefined;
}

function workspaceName(workspace: string, path: string): string {
  return path === workspace || path.startsWith(workspace + '/') ? TOKEN.workspace + path.slice(workspace.length) : path;
}
