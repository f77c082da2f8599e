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
import { renderBaseline } from '../baseline/index.js';
import { environmentRedactor, machineRoots } from '../host/environment.js';
import { installSpec } from '../host/version.js';
import { collectGarbage } from '../io/memory.js';
import { loadBaselineFile, loadConfigFile, recordRuns } from '../io/project-files.js';
import { check, describeOutcome, describeWrite, runFacts, succeeded } from '../pipeline/index.js';
import { ACTION_SHELL, annotationsFor, renderSummary } from '../report/index.js';
import { DAEMON_GRACE_MS, preflight, traceBuild, type StraceInfo } from '../trace/index.js';
import { describeError, IoanaError, TraceSetupError } from '../vocabulary/errors.js';
import { isUnder } from '../vocabulary/paths.js';
import { readInputs } from './inputs.js';
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

export async function run(): Promise<void> {
  try {
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

    // Configuration and baseline first: a mistake there costs no build.
    const configPath = resolve(workspace, inputs.config);
    let config = loadConfigFile(configPath, inputs.configGiven, inside(workspace, configPath));
    if (inputs.failOn) config = { ...config, failOn: inputs.failOn };
    const existing = loadBaselineFile(baselinePath, baselineFile);

    const strace = ensureStrace();
    if (strace.seccompNote) core.notice(strace.seccompNote);
    const out = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'ioana-'));
    const redactor = environmentRedactor();
    core.startGroup(`ioana: running the build under strace ${strace.version}`);
    // The analysis reads the log while strace writes it.
    const tracing = traceBuild({ command: [...ACTION_SHELL, inputs.run], cwd, logPath: join(out, 'trace.log'), strace });
    const result = await check({
      source: tracing.source,
      build: tracing.build,
      hooks: { ...tracing.hooks, betweenPhases: collectGarbage },
      context: { workspace, roots: machineRoots(), redactor },
      config,
      baseline: existing,
      baselineName: baselineFile,
    });
    core.endGroup();
    const { report, outcome, findings } = result;
    if (outcome?.detached) {
      core.warning(
        `ioana: the build's command exited but ${report.build.leftRunning} process(es) it started kept running; tracing stopped after ${DAEMON_GRACE_MS / 1000} s and they were left running. What they do afterwards is not in the report.`,
      );
    }
    const failed = outcome !== undefined && !succeeded(outcome);

    const proposedPath = join(out, 'baseline.yml');
    writeFileSync(proposedPath, renderBaseline(result.proposed()));
    writeFileSync(join(out, 'graph.json'), JSON.stringify(result.run.canonical.graph, null, 2) + '\n');
    const reportPath = join(out, 'report.json');
    writeFileSync(reportPath, JSON.stringify(report, null, 2) + '\n');

    if (inputs.mode === 'update' && !failed) {
      mkdirSync(resolve(baselinePath, '..'), { recursive: true });
      // Merged into what the file holds now: another writer's run is kept.
      const written = recordRuns(baselinePath, [{ graph: result.run.canonical.graph, facts: runFacts(result.run.analysis) }], {
        shown: baselineFile,
      });
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
      figures: result.run.canonical.figures,
      baselineExists: existing !== undefined,
      workingDirectory: inside(workspace, cwd) || '.',
      config: inputs.configGiven ? inside(workspace, configPath) : undefined,
      installSpec: installSpec(),
      redactor,
    });
    await core.summary.addRaw(summary, true).write();

    core.setOutput('findings', String(findings.length));
    core.setOutput('status', report.status);
    core.setOutput('report', reportPath);
    core.setOutput('baseline', proposedPath);

    if (inputs.uploadArtifact) await uploadResults(inputs.artifactName, [proposedPath, reportPath, join(out, 'graph.json')], out);

    if (failed) core.setFailed(`The build failed: ${describeOutcome(outcome!)}.`);
    else if (inputs.mode === 'check' && !existing) {
      core.setFailed(
        `There is no baseline at ${baselineFile}. Commit the proposed baseline (artifact "${inputs.artifactName}", or run with mode: update) to start checking.`,
      );
    } else if (inputs.mode === 'check' && report.failing > 0) {
      core.setFailed(
        `${report.failing} failing finding${report.failing === 1 ? '' : 's'}: the build's dataflow changed. See the job summary to accept the change.`,
      );
    }
  } catch (error) {
    core.setFailed(`ioana: ${describeError(error)}`);
  }
}
