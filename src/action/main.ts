/**
 * The GitHub Action (DESIGN §2.2), a thin adapter around the pipeline: it reads the
 * inputs and the runner's environment, starts strace, hands the log to `check`, and
 * reports through annotations, the job summary, outputs and an artifact. This is the
 * action's only `catch`: it turns an error into a failed step. The stages never import
 * @actions/core.
 */
import * as core from '@actions/core';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { renderBaseline, type ParsedBaseline } from '../baseline/index.js';
import type { Config } from '../config/index.js';
import { environmentRedactor, machineRoots } from '../host/environment.js';
import { installSpec } from '../host/version.js';
import { collectGarbage } from '../io/memory.js';
import { loadBaselineFile, loadConfigFile, recordRuns } from '../io/project-files.js';
import { check, describeOutcome, describeWrite, runFacts, succeeded, type CheckResult } from '../pipeline/index.js';
import { ACTION_SHELL, annotationsFor, renderSummary } from '../report/index.js';
import { DAEMON_GRACE_MS, preflight, traceBuild, type StraceInfo } from '../trace/index.js';
import { describeError, IoanaError, TraceSetupError } from '../vocabulary/errors.js';
import { isUnder } from '../vocabulary/paths.js';
import type { Redactor } from '../vocabulary/redact.js';
import { readInputs, type ActionInputs } from './inputs.js';
import { uploadResults } from './upload.js';

/** On a GitHub-hosted Linux runner a missing strace is installed; elsewhere the error says how. */
function ensureStrace(): StraceInfo {
  try {
    return preflight();
  } catch (error) {
    const onRunner = process.env.GITHUB_ACTIONS === 'true' && process.env.RUNNER_OS === 'Linux';
    if (!(error instanceof TraceSetupError) || !/not found/.test(error.message) || !onRunner) throw error;
    core.info('ioana: strace is not installed; installing it with `sudo apt-get install -y strace`.');
    const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
    const cmd = (args: string[]) =>
      execFileSync(sudo.length ? 'sudo' : args[0], sudo.length ? args : args.slice(1), {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    cmd(['apt-get', 'update', '-qq']);
    cmd(['apt-get', 'install', '-y', '-qq', 'strace']);
    return preflight();
  }
}

/** `/w/baselines/b.yml` in `/w` → `baselines/b.yml`; a path outside stays absolute. */
function inside(root: string, path: string): string {
  const rel = relative(root, path);
  if (rel.startsWith('..') || isAbsolute(rel)) return path;
  return rel.split('\\').join('/');
}

/** Where the run happens and what it compares with, read and checked before the build. */
interface Setup {
  readonly inputs: ActionInputs;
  readonly workspace: string;
  readonly cwd: string;
  readonly baselinePath: string;
  /** Repository-relative, as reports name it. */
  readonly baselineFile: string;
  readonly configPath: string;
  readonly config: Config;
  readonly existing?: ParsedBaseline;
}

/** The inputs, the workspace, the configuration and the baseline: a mistake there costs no build. */
function prepare(): Setup {
  const inputs = readInputs();
  const workspace = realpathSync(process.env.GITHUB_WORKSPACE || process.cwd());
  const cwd = resolve(workspace, inputs.workingDirectory);
  if (!existsSync(cwd)) throw new IoanaError(`working-directory not found: ${cwd}`);
  const baselinePath = resolve(workspace, inputs.baseline);
  const baselineFile = inside(workspace, baselinePath);
  if (inputs.mode === 'update' && !isUnder(baselinePath, workspace)) {
    throw new IoanaError(`mode: update refuses to write a baseline outside the workspace: ${baselinePath}`, {
      hint: 'Give a path inside the repository, such as baselines/build.yml.',
    });
  }
  const configPath = resolve(workspace, inputs.config);
  const config = loadConfigFile(configPath, inputs.configGiven, inside(workspace, configPath));
  const existing = loadBaselineFile(baselinePath, baselineFile);
  return {
    inputs,
    workspace,
    cwd,
    baselinePath,
    baselineFile,
    configPath,
    config: inputs.failOn ? { ...config, failOn: inputs.failOn } : config,
    existing,
  };
}

/** The build under strace, read by the pipeline as strace writes the log. */
async function traceAndCheck(setup: Setup, out: string, redactor: Redactor): Promise<CheckResult> {
  const strace = ensureStrace();
  if (strace.seccompNote) core.notice(strace.seccompNote);
  core.startGroup(`ioana: running the build under strace ${strace.version}`);
  try {
    const tracing = traceBuild({ command: [...ACTION_SHELL, setup.inputs.run], cwd: setup.cwd, logPath: join(out, 'trace.log'), strace });
    return await check({
      source: tracing.source,
      build: tracing.build,
      hooks: { ...tracing.hooks, betweenPhases: collectGarbage },
      context: { workspace: setup.workspace, roots: machineRoots(), redactor },
      config: setup.config,
      baseline: setup.existing,
      baselineName: setup.baselineFile,
    });
  } finally {
    core.endGroup();
  }
}

/** The proposed baseline, the canonical graph and the report, in the step's scratch directory. */
function writeResults(result: CheckResult, out: string): { proposed: string; report: string; graph: string } {
  const paths = { proposed: join(out, 'baseline.yml'), report: join(out, 'report.json'), graph: join(out, 'graph.json') };
  writeFileSync(paths.proposed, renderBaseline(result.proposed()));
  writeFileSync(paths.graph, JSON.stringify(result.run.canonical.graph, null, 2) + '\n');
  writeFileSync(paths.report, JSON.stringify(result.report, null, 2) + '\n');
  return paths;
}

function annotate(setup: Setup, findings: CheckResult['findings']): void {
  for (const a of annotationsFor(findings, setup.existing ? setup.baselineFile : undefined)) {
    const props = { title: a.title, file: a.file, startLine: a.line };
    if (a.level === 'error') core.error(a.message, props);
    else if (a.level === 'warning') core.warning(a.message, props);
    else core.notice(a.message, props);
  }
}

/** Why the step fails, if it does. */
function failure(setup: Setup, result: CheckResult): string | undefined {
  const { inputs, baselineFile, existing } = setup;
  if (result.outcome && !succeeded(result.outcome)) return `The build failed: ${describeOutcome(result.outcome)}.`;
  if (inputs.mode !== 'check') return undefined;
  if (!existing) {
    return `There is no baseline at ${baselineFile}. Commit the proposed baseline (artifact "${inputs.artifactName}", or run with mode: update) to start checking.`;
  }
  const n = result.report.failing;
  return n > 0
    ? `${n} failing finding${n === 1 ? '' : 's'}: the build's dataflow changed. See the job summary to accept the change.`
    : undefined;
}

export async function run(): Promise<void> {
  try {
    const setup = prepare();
    const { inputs, workspace, baselineFile } = setup;
    const out = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'ioana-'));
    const redactor = environmentRedactor();
    const result = await traceAndCheck(setup, out, redactor);
    const { report, outcome, findings } = result;
    if (outcome?.detached) {
      core.warning(
        `ioana: the build's command exited but ${report.build.leftRunning} process(es) it started kept running; tracing stopped after ${DAEMON_GRACE_MS / 1000} s and they were left running. What they do afterwards is not in the report.`,
      );
    }
    const paths = writeResults(result, out);

    if (inputs.mode === 'update' && !(outcome && !succeeded(outcome))) {
      mkdirSync(resolve(setup.baselinePath, '..'), { recursive: true });
      // Merged into what the file holds now: another writer's run is kept.
      const written = recordRuns(setup.baselinePath, [{ graph: result.run.canonical.graph, facts: runFacts(result.run.analysis) }], {
        shown: baselineFile,
      });
      core.info(`ioana: ${describeWrite(baselineFile, written)}. Commit it to accept the change.`);
    }
    if (inputs.mode === 'check') annotate(setup, findings);
    const summary = renderSummary({
      report,
      run: inputs.run,
      baselineFile,
      figures: result.run.canonical.figures,
      baselineExists: setup.existing !== undefined,
      workingDirectory: inside(workspace, setup.cwd) || '.',
      config: inputs.configGiven ? inside(workspace, setup.configPath) : undefined,
      installSpec: installSpec(),
      redactor,
    });
    await core.summary.addRaw(summary, true).write();

    core.setOutput('findings', String(findings.length));
    core.setOutput('status', report.status);
    core.setOutput('report', paths.report);
    core.setOutput('baseline', paths.proposed);
    if (inputs.uploadArtifact) await uploadResults(inputs.artifactName, [paths.proposed, paths.report, paths.graph], out);

    const why = failure(setup, result);
    if (why) core.setFailed(why);
  } catch (error) {
    core.setFailed(`ioana: ${describeError(error)}`);
  }
}
