/**
 * `ioana check` and `ioana update`: trace (or read) a build, canonicalize it, and diff
 * it against the baseline or record it into the baseline. The baseline and the
 * configuration are read and checked before the build runs: a mistake there costs
 * nothing and writes nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { graphOf } from '../baseline/index.js';
import type { CanonicalGraph, Canonicalized } from '../canon/index.js';
import type { Config } from '../config/index.js';
import { diff } from '../diff/index.js';
import { EXIT, IoanaError, UsageError } from '../errors.js';
import { writeAtomic } from '../io/files.js';
import type { ReadProgress } from '../io/lines.js';
import { buildReport, renderText } from '../report/index.js';
import { describeOutcome, preflight, succeeded, type TraceOutcome } from '../trace/index.js';
import { canonicalRun, reportStats, type Analysis } from '../pipeline/analyze.js';
import { environmentRedactor } from '../pipeline/context.js';
import { loadBaselineFile, loadConfigFile, recordRuns } from '../pipeline/files.js';
import { DAEMON_GRACE_MS, traceAndAnalyze } from '../pipeline/traced.js';
import { optionValue, type ParsedArgs } from './args.js';
import type { Console } from './main.js';

export interface RunResult {
  readonly canonical: Canonicalized;
  readonly analysis: Analysis;
  readonly outcome?: TraceOutcome;
  readonly logPath: string;
}

/** `--config FILE`, else `.ioana.yml` in the workspace when it exists, else the defaults. */
export function loadConfig(args: ParsedArgs, workspace: string): Config {
  const given = optionValue(args, 'config');
  return loadConfigFile(given ? resolve(given) : join(workspace, '.ioana.yml'), given !== undefined);
}

/** Runs the command under strace (or takes `--trace LOG`) and canonicalizes what it did. */
export async function traceAndCanonicalize(args: ParsedArgs, workspace: string, config: Config, io: Console): Promise<RunResult> {
  const given = optionValue(args, 'trace');
  if (given && args.run.length > 0) throw new UsageError('give either --trace LOG or a command after "--", not both.');
  if (!given && args.run.length === 0) throw new UsageError(`"ioana ${args.command}" needs a command after "--" or --trace LOG.`);
  const progress = progressLine(io);
  const control = optionValue(args, 'provenance') === 'control';
  if (given) {
    const logPath = resolve(given);
    const { analysis, canonical } = await canonicalRun(logPath, workspace, config, control, { onProgress: progress.onProgress });
    progress.done();
    return { canonical, analysis, logPath };
  }
  const cwd = resolve(workspace, optionValue(args, 'cwd') ?? '.');
  if (!existsSync(cwd)) throw new UsageError(`directory not found: ${cwd}`, { hint: 'The command runs in the workspace (or --cwd, relative to it): give an existing directory.' });
  const strace = preflight(undefined, !args.flags.has('no-seccomp'));
  if (strace.seccompNote) io.err(`ioana: note: ${strace.seccompNote}\n`);
  const out = optionValue(args, 'trace-out');
  const scratch = out ? undefined : mkdtempSync(join(tmpdir(), 'ioana-'));
  const logPath = out ? resolve(out) : join(scratch!, 'trace.log');
  rmSync(logPath, { force: true });
  // The analysis reads the log while strace writes it: the check ends soon after the build.
  let traced: Awaited<ReturnType<typeof traceAndAnalyze>>;
  try {
    traced = await traceAndAnalyze({ command: args.run, cwd, logPath, strace, workspace, config, control });
  } finally {
    // The raw log holds every argument unredacted: it stays only where it was asked for.
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
  const { outcome, run } = traced;
  if (outcome.detached) {
    io.err(`ioana: the command exited but ${run.analysis.dataflow.stats.stillRunning} process(es) it started were still running ${DAEMON_GRACE_MS / 1000} s later; tracing stopped and they were left running.\n`);
  }
  return { canonical: run.canonical, analysis: run.analysis, outcome, logPath };
}

export async function checkCommand(args: ParsedArgs, workspace: string, io: Console): Promise<number> {
  const baselinePath = resolve(optionValue(args, 'baseline') ?? '');
  const config = loadConfig(args, workspace);
  const parsed = loadBaselineFile(baselinePath);
  if (!parsed) {
    const cmd = args.run.length > 0 ? `-- ${args.run.join(' ')}` : `--trace ${optionValue(args, 'trace')}`;
    throw new UsageError(`baseline not found: ${baselinePath}`, { hint: `Record one first: ioana update --baseline ${optionValue(args, 'baseline')} ${cmd}` });
  }
  const run = await traceAndCanonicalize(args, workspace, config, io);
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
    baseline: optionValue(args, 'baseline') ?? baselinePath,
    stats: reportStats(run.analysis),
  });
  const json = optionValue(args, 'json');
  if (json) writeAtomic(resolve(json), JSON.stringify(report, null, 2) + '\n');
  io.out(renderText(report, { color: useColor() }));
  if (failed) return EXIT.buildFailed;
  return report.failing > 0 ? EXIT.findings : EXIT.ok;
}

export async function updateCommand(args: ParsedArgs, workspace: string, io: Console): Promise<number> {
  const baselinePath = resolve(optionValue(args, 'baseline') ?? '');
  const config = loadConfig(args, workspace);
  // An unreadable baseline is never overwritten, not even with --fresh: checked now,
  // before the build, and again under the lock before writing.
  loadBaselineFile(baselinePath);
  const runs = Number(optionValue(args, 'runs') ?? '1');
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new UsageError(`--runs must be a whole number from 1 to 100, not "${optionValue(args, 'runs')}".`);
  const clean = optionValue(args, 'clean');
  if (runs > 1 && optionValue(args, 'trace')) throw new UsageError('--runs needs a command to run; a --trace log is one run.');
  if (runs > 1 && !clean) throw new UsageError('--runs N needs --clean CMD, the command that makes the tree clean before each run (e.g. "make clean").');
  const graphs: CanonicalGraph[] = [];
  for (let i = 0; i < runs; i++) {
    if (clean) {
      const r = spawnSync('sh', ['-c', clean], { cwd: workspace, stdio: 'inherit' });
      if (r.status !== 0) throw new IoanaError(`the clean command failed (${r.status ?? r.signal}): ${clean}`, { hint: 'Nothing was written.' });
    }
    const run = await traceAndCanonicalize(args, workspace, config, io);
    if (run.outcome && !succeeded(run.outcome)) {
      io.err(`ioana: the build failed (${describeOutcome(run.outcome)}); the baseline was not changed.\n`);
      return EXIT.buildFailed;
    }
    graphs.push(run.canonical.graph);
  }
  // Merged into what the file holds now: another ioana may have written it meanwhile.
  const baseline = recordRuns(baselinePath, graphs, args.flags.has('fresh'));
  io.err(`ioana: wrote ${optionValue(args, 'baseline')} (${baseline.runs} run${baseline.runs === 1 ? '' : 's'}).\n`);
  return EXIT.ok;
}

/**
 * A progress line on stderr while a long log is analyzed, on a terminal only:
 * `ioana: analyzing the trace… 48 MB, 412,000 lines`, erased when done.
 */
export function progressLine(io: Console): { onProgress?: (p: ReadProgress) => void; done: () => void } {
  if (!process.stderr.isTTY) return { done: () => undefined };
  let last = 0;
  let shown = false;
  return {
    onProgress: (p) => {
      const now = Date.now();
      if (now - last < 250 || p.bytes < 8 * 1024 * 1024) return;
      last = now;
      shown = true;
      io.err(`\rioana: analyzing the trace… ${(p.bytes / 1e6).toFixed(0)} MB, ${p.lines.toLocaleString('en')} lines`);
    },
    done: () => {
      if (shown) io.err('\r\u001b[K');
    },
  };
}

/** Colours only on a terminal, and never with NO_COLOR. */
export function useColor(): boolean {
  return Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
}

/** `ioana diff OLD NEW`: what changed between two baselines, as findings. */
export async function diffCommand(args: ParsedArgs, workspace: string, io: Console): Promise<number> {
  const [oldPath, newPath] = args.positionals.map((p) => resolve(p));
  const config = loadConfig(args, workspace);
  const older = loadBaselineFile(oldPath);
  const newer = loadBaselineFile(newPath);
  if (!older) throw new UsageError(`baseline not found: ${oldPath}`);
  if (!newer) throw new UsageError(`baseline not found: ${newPath}`);
  const findings = diff(older.baseline, graphOf(newer.baseline), config, older.lines);
  const report = buildReport({ findings, failed: false, baseline: args.positionals[0], stats: {} });
  const json = optionValue(args, 'json');
  if (json) writeAtomic(resolve(json), JSON.stringify(report, null, 2) + '\n');
  io.out(renderText(report, { color: useColor() }));
  return report.failing > 0 ? EXIT.findings : EXIT.ok;
}

/** `ioana explain --trace LOG PATH`: the raw forms of PATH and the rules that made it canonical. */
export async function explainCommand(args: ParsedArgs, workspace: string, io: Console): Promise<number> {
  const asked = args.positionals[0];
  const config = loadConfig(args, workspace);
  const run = await traceAndCanonicalize(args, workspace, config, io);
  const rawAsked = resolve(workspace, asked);
  const hits = [...run.canonical.explanations.entries()].filter(([raw, steps]) => {
    const final = steps.length > 0 ? steps[steps.length - 1].after : raw;
    return raw === asked || raw === rawAsked || final === asked;
  });
  if (hits.length === 0) {
    io.err(`ioana: ${asked} is not an input, output, program or endpoint of this trace (neither raw nor canonical).\n`);
    return EXIT.findings;
  }
  for (const [raw, steps] of hits.sort(([a], [b]) => (a < b ? -1 : 1))) {
    const final = steps.length > 0 ? steps[steps.length - 1].after : raw;
    io.out(`${raw}\n`);
    if (steps.length === 0) io.out('  (no rule applies: the raw form is canonical)\n');
    for (const s of steps) io.out(`  ${s.rule.padEnd(16)} ${s.before}  →  ${s.after}\n`);
    io.out(`  = ${final}\n`);
  }
  return EXIT.ok;
}
