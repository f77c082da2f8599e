/**
 * The GitHub Action (DESIGN §2.2): reads the inputs, traces the build, compares it
 * with the baseline and reports through annotations, the job summary, outputs and an
 * artifact. This is the action's only `catch`: it turns an error into a failed step.
 * The stages never import @actions/core.
 */
import * as core from '@actions/core';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { mergeRun, renderBaseline } from './baseline/index.js';
import { DEFAULT_CONFIG_FILE, isFindingKind, type FindingKind } from './config/index.js';
import { diff } from './diff/index.js';
import { describeError, IoanaError, TraceSetupError } from './errors.js';
import { isUnder } from './model/index.js';
import { reportStats, runFacts } from './pipeline/analyze.js';
import { environmentRedactor } from './pipeline/context.js';
import { describeWrite, loadBaselineFile, loadConfigFile, recordRuns } from './pipeline/files.js';
import { DAEMON_GRACE_MS, traceAndAnalyze } from './pipeline/traced.js';
import { ACTION_SHELL, annotationsFor, buildReport, renderSummary } from './report/index.js';
import { describeOutcome, preflight, succeeded, type StraceInfo } from './trace/index.js';
import { uploadResults } from './upload.js';
import { installSpec } from './version.js';

export interface ActionInputs {
  readonly run: string;
  readonly workingDirectory: string;
  readonly baseline: string;
  readonly mode: 'check' | 'update';
  readonly failOn?: readonly FindingKind[];
  readonly config: string;
  /** A configuration file other than the default was named: it must exist. */
  readonly configGiven: boolean;
  readonly uploadArtifact: boolean;
  readonly artifactName: string;
}

/** The inputs, checked: a wrong value fails the step before anything runs. */
export function readInputs(env: NodeJS.ProcessEnv = process.env): ActionInputs {
  const run = core.getInput('run', { required: true });
  const mode = core.getInput('mode') || 'check';
  if (mode !== 'check' && mode !== 'update') throw new IoanaError(`input "mode" must be check or update, not "${mode}".`);
  const failOnText = core.getInput('fail-on').trim();
  let failOn: FindingKind[] | undefined;
  if (failOnText === 'none') failOn = [];
  else if (failOnText !== '') {
    failOn = failOnText.split(/[\s,]+/).filter(Boolean).map((k) => {
      if (!isFindingKind(k)) throw new IoanaError(`input "fail-on" has an unknown finding kind "${k}".`, { hint: 'Use finding kinds such as new-input, vanished-output, new-program, or none.' });
      return k;
    });
  }
  // The runner passes every input's default, so `config` is `.ioana.yml` whether or not
  // the workflow named it: only another file is one the user asked for.
  const config = core.getInput('config').trim() || DEFAULT_CONFIG_FILE;
  const upload = (core.getInput('upload-artifact') || 'true').toLowerCase();
  if (upload !== 'true' && upload !== 'false') throw new IoanaError(`input "upload-artifact" must be true or false, not "${upload}".`);
  return {
    run,
    workingDirectory: core.getInput('working-directory') || '.',
    baseline: core.getInput('baseline') || `baselines/${env.GITHUB_JOB || 'build'}.yml`,
    mode,
    failOn,
    config,
    configGiven: config !== DEFAULT_CONFIG_FILE,
    uploadArtifact: upload === 'true',
    artifactName: core.getInput('artifact-name') || 'ioana',
  };
}

/** On a GitHub-hosted Linux runner a missing strace is installed; elsewhere the error says how. */
function ensureStrace(): StraceInfo {
  try {
    return preflight();
  } catch (error) {
    const onRunner = process.env.GITHUB_ACTIONS === 'true' && process.env.RUNNER_OS === 'Linux';
    if (!(error instanceof TraceSetupError) || !/not found/.test(error.message) || !onRunner) throw error;
    core.info('ioana: strace is not installed; installing it with `sudo apt-get install -y strace`.');
    const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
    const cmd = (args: string[]) => execFileSync(sudo.length ? 'sudo' : args[0], sudo.length ? args : args.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    cmd(['apt-get', 'update', '-qq']);
    cmd(['apt-get', 'install', '-y', '-qq', 'strace']);
    return preflight();
  }
}

function inside(root: string, path: string): string {
  const rel = relative(root, path);
  if (rel.startsWith('..') || isAbsolute(rel)) return path;
  return rel.split('\\').join('/');
}

export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const workspace = realpathSync(process.env.GITHUB_WORKSPACE || process.cwd());
    const cwd = resolve(workspace, inputs.workingDirectory);
    if (!existsSync(cwd)) throw new IoanaError(`working-directory not found: ${cwd}`);
    const baselinePath = resolve(workspace, inputs.baseline);
    const baselineFile = inside(workspace, baselinePath);
    if (inputs.mode === 'update' && !isUnder(baselinePath, workspace)) {
      throw new IoanaError(`mode: update refuses to write a baseline outside the workspace: ${baselinePath}`, { hint: 'Give a path inside the repository, such as baselines/build.yml.' });
    }

    // Configuration and baseline first: a mistake there costs no build.
    const configPath = resolve(workspace, inputs.config);
    let config = loadConfigFile(configPath, inputs.configGiven, inside(workspace, configPath));
    if (inputs.failOn) config = { ...config, failOn: inputs.failOn };
    const existing = loadBaselineFile(baselinePath, baselineFile);

    const strace = ensureStrace();
    if (strace.seccompNote) core.notice(strace.seccompNote);
    const out = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'ioana-'));
    const logPath = join(out, 'trace.log');
    core.startGroup(`ioana: running the build under strace ${strace.version}`);
    // The analysis reads the log while strace writes it.
    const { outcome, run: built } = await traceAndAnalyze({ command: [...ACTION_SHELL, inputs.run], cwd, logPath, strace, workspace, config });
    core.endGroup();
    if (outcome.detached) {
      core.warning(`ioana: the build's command exited but ${built.analysis.dataflow.stats.stillRunning} process(es) it started kept running; tracing stopped after ${DAEMON_GRACE_MS / 1000} s and they were left running. What they do afterwards is not in the report.`);
    }
    const failed = !succeeded(outcome);

    const proposed = mergeRun(existing?.baseline, built.canonical.graph);
    const proposedPath = join(out, 'baseline.yml');
    writeFileSync(proposedPath, renderBaseline(proposed));
    writeFileSync(join(out, 'graph.json'), JSON.stringify(built.canonical.graph, null, 2) + '\n');

    const findings = existing ? diff(existing.baseline, built.canonical.graph, config, existing.lines) : [];
    const redact = environmentRedactor();
    const report = buildReport({
      findings,
      failed,
      build: {
        command: [...ACTION_SHELL, inputs.run].map(redact),
        exitCode: outcome.exitCode,
        signal: outcome.signal,
        interrupted: outcome.interrupted,
        leftRunning: outcome.detached ? built.analysis.dataflow.stats.stillRunning : undefined,
      },
      baseline: baselineFile,
      baselineMissing: !existing,
      stats: reportStats(built.analysis),
    });
    const reportPath = join(out, 'report.json');
    writeFileSync(reportPath, JSON.stringify(report, null, 2) + '\n');

    if (inputs.mode === 'update' && !failed) {
      mkdirSync(resolve(baselinePath, '..'), { recursive: true });
      // Merged into what the file holds now: another writer's run is kept.
      const written = recordRuns(baselinePath, [{ graph: built.canonical.graph, facts: runFacts(built.analysis) }], { shown: baselineFile });
      core.info(`ioana: ${describeWrite(baselineFile, written)}. Commit it to accept the change.`);
    }

    if (inputs.mode === 'check') {
      for (const a of annotationsFor(findings, existing ? baselineFile : undefined)) {
        const props = { title: a.title, file: a.file, startLine: a.line };
        if (a.level === 'error') core.error(a.message, props);
        else if (a.level === 'warning') core.warning(a.message, props);
        else core.notice(a.message, props);
      }
    }
    const summary = renderSummary({
      report,
      run: inputs.run,
      baselineFile,
      figures: built.canonical.figures,
      baselineExists: existing !== undefined,
      workingDirectory: inside(workspace, cwd) || '.',
      config: inputs.configGiven ? inside(workspace, configPath) : undefined,
      installSpec: installSpec(),
      redact,
    });
    await core.summary.addRaw(summary, true).write();

    core.setOutput('findings', String(findings.length));
    core.setOutput('status', report.status);
    core.setOutput('report', reportPath);
    core.setOutput('baseline', proposedPath);

    if (inputs.uploadArtifact) await uploadResults(inputs.artifactName, [proposedPath, reportPath, join(out, 'graph.json')], out);

    if (failed) core.setFailed(`The build failed: ${describeOutcome(outcome)}.`);
    else if (inputs.mode === 'check' && !existing) {
      core.setFailed(`There is no baseline at ${baselineFile}. Commit the proposed baseline (artifact "${inputs.artifactName}", or run with mode: update) to start checking.`);
    } else if (inputs.mode === 'check' && report.failing > 0) {
      core.setFailed(`${report.failing} failing finding${report.failing === 1 ? '' : 's'}: the build's dataflow changed. See the job summary to accept the change.`);
    }
  } catch (error) {
    core.setFailed(`ioana: ${describeError(error)}`);
  }
}
