/**
 * The GitHub Action (docs/architecture.md §2.2), a thin adapter around the pipeline: it reads the
 * inputs and the runner's environment, starts strace, hands the log to `check`, and
 * reports through annotations, the job summary, outputs and an artifact. This is the
 * action's only `catch`: it turns an error into a failed step. The stages never import
 * @actions/core.
 *
 * The build is the pull request's code. It runs with the environment of a plain `run:`
 * step minus the runner's service credentials and ioana's step files; the workflow
 * commands it prints are not interpreted while it runs; whatever it wrote into ioana's
 * step files is undone.
 */
import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { renderBaseline } from '../baseline/index.js';
import { baselineStyle } from '../io/baseline-style.js';
import { environmentRedactor, machineRoots } from '../host/environment.js';
import { trackedFiles } from '../io/sources.js';
import { installSpec, ioanaVersion } from '../host/version.js';
import { writeAtomic } from '../io/files.js';
import { collectGarbage } from '../io/memory.js';
import { attestRun, describeFigures } from '../io/attest-facts.js';
import { loadDebianIndex } from '../host/packages.js';
import { setuidPrograms } from '../host/privileges.js';
import { taggedCaches } from '../host/cache-tags.js';
import { interference } from '../host/inspector.js';
import { recordRuns } from '../io/project-files.js';
import { check, describeOutcome, describeWrite, runFacts, succeeded, type CheckResult } from '../pipeline/index.js';
import { bytesCounted, ioSamples } from '../graph/index.js';
import {
  ACTION_SHELL,
  annotationsFor,
  flameSvg,
  heaviestDirectories,
  renderSarif,
  renderSummary,
  type Reserved,
  type SummaryInput,
} from '../report/index.js';
import {
  chooseSeparation,
  DAEMON_GRACE_MS,
  NO_SEPARATION,
  refuseIncomplete,
  reportedSeparation,
  captureMode,
  startTrace,
  type Separation,
} from '../trace/index.js';
import { describeError } from '../vocabulary/errors.js';
import type { Redactor } from '../vocabulary/redact.js';
import { buildEnvironment, guardStepFiles } from './build-environment.js';
import { inside, prepare, type Setup } from './setup.js';
import { ensureBackend } from './strace.js';
import { uploadResults } from './upload.js';

/** The build under strace (or eBPF), read by the pipeline as the log is written. */
async function traceAndCheck(setup: Setup, redactor: Redactor): Promise<CheckResult> {
  const chosen = ensureBackend(setup.inputs.backend);
  for (const note of chosen.notes) core.notice(`ioana: ${note}`);
  const tracer = chosen.capture.kind === 'strace' ? `strace ${chosen.capture.strace.version}` : `eBPF (ioana's collector)`;
  const throwaway = mkdtempSync(join(tmpdir(), 'ioana-step-files-'));
  const env = buildEnvironment(process.env, throwaway);
  const stepFiles = guardStepFiles(process.env);
  // What the build prints is not read as workflow commands (::set-output, ::error…).
  const resume = randomBytes(16).toString('hex');
  core.startGroup(`ioana: running the build under ${tracer}`);
  process.stdout.write(`::stop-commands::${resume}\n`);
  const sources = trackedFiles(setup.workspace);
  const separation = separationFor(setup);
  const tracing = startTrace(chosen.capture, { command: [...ACTION_SHELL, setup.inputs.run], cwd: setup.cwd, env, separation });
  const roots = machineRoots();
  try {
    const result = await check({
      source: tracing.source,
      build: tracing.build,
      hooks: { ...tracing.hooks, betweenPhases: collectGarbage },
      context: {
        workspace: setup.workspace,
        roots,
        redactor,
        own: [...tracing.own, ...stepFiles.own],
        sources,
        setuid: setuidPrograms,
        cacheTags: (paths) => taggedCaches(paths, setup.workspace, roots.caches),
        interference,
        separation: reportedSeparation(separation, captureMode(chosen.capture)),
      },
      config: setup.config,
      baseline: setup.baseline,
      baselineName: setup.baselineFile,
      edits: setup.edits,
    });
    // A trace with holes is never compared: the step fails with the count.
    refuseIncomplete(tracing.defects());
    return result;
  } finally {
    // On a line of its own: a build whose output ends without a newline would glue the token to its last
    // line, and the runner would never read workflow commands again (ioana's annotations among them).
    process.stdout.write(`\n::${resume}::\n`);
    core.endGroup();
    tracing.done();
    rmSync(throwaway, { recursive: true, force: true });
    const restored = stepFiles.restore();
    if (restored.length > 0) {
      core.error(`ioana: the build wrote into ioana's own step files (${restored.join(', ')}); they were put back as they were.`);
    }
  }
}

/**
 * The wall between the build and ioana (input `separation`, `disable-sudo`); when none
 * could be built the step says so before the build, and the report says the result is advisory.
 */
function separationFor(setup: Setup): Separation {
  if (!setup.inputs.separation) {
    core.warning('ioana: separation: false — the build runs beside ioana and could reach it; the result is advisory.');
    return NO_SEPARATION;
  }
  const separation = chooseSeparation({ buildSudo: !setup.inputs.disableSudo });
  if (separation.advisory) core.warning(`ioana: ${separation.advisory}`);
  return separation;
}

/** The repository's files findings point at: the baseline and the configuration, repository-relative. */
function repositoryFiles(setup: Setup): { baseline: string; config: string } {
  return { baseline: setup.baselineFile, config: inside(setup.workspace, setup.configPath) };
}

/** The I/O flame graph of the run (by bytes where the trace counted them, else by opens) and its heaviest directories. */
function writeFlame(result: CheckResult, out: string): { file: string; summary: NonNullable<SummaryInput['io']> } {
  const list = result.run.flows();
  const weight = bytesCounted(list) ? 'bytes' : 'calls';
  const samples = ioSamples(list, weight);
  const file = join(out, 'io-flame.svg');
  writeFileSync(file, flameSvg(samples, { title: 'Where the build did its I/O', weight }));
  writeFileSync(join(out, 'flows.json'), JSON.stringify(list, null, 2) + '\n');
  return { file, summary: { weight, heaviest: heaviestDirectories(samples, 10), picture: 'io-flame.svg' } };
}

/**
 * The proposed baseline, the canonical graph, the report and its SARIF log, the flows and
 * the I/O flame graph, in a private scratch directory (the artifact); the SARIF log also
 * where the `sarif` input asks, in the workspace.
 */
function writeResults(
  setup: Setup,
  result: CheckResult,
  out: string,
): { proposed: string; report: string; graph: string; sarif: string; flame: string; flows: string; io: NonNullable<SummaryInput['io']> } {
  const flame = writeFlame(result, out);
  const paths = {
    proposed: join(out, 'baseline.yml'),
    report: join(out, 'report.json'),
    graph: join(out, 'graph.json'),
    sarif: join(out, 'ioana.sarif'),
    flame: flame.file,
    flows: join(out, 'flows.json'),
    io: flame.summary,
  };
  // In the layout of the baseline it would replace, so that committing it diffs as what changed.
  const current = existsSync(setup.baselinePath) ? readFileSync(setup.baselinePath, 'utf8') : undefined;
  writeFileSync(paths.proposed, renderBaseline(result.proposed(), baselineStyle(setup.baselinePath, current)));
  writeFileSync(paths.graph, JSON.stringify(result.run.canonical.graph, null, 2) + '\n');
  writeFileSync(paths.report, JSON.stringify(result.report, null, 2) + '\n');
  const sarif = renderSarif(result.report, { files: repositoryFiles(setup), version: ioanaVersion() });
  const sarifText = JSON.stringify(sarif, null, 2) + '\n';
  writeFileSync(paths.sarif, sarifText);
  if (!setup.sarifPath) return paths;
  // Atomically: a link the build left at that path is replaced, never followed.
  mkdirSync(resolve(setup.sarifPath, '..'), { recursive: true });
  writeAtomic(setup.sarifPath, sarifText);
  return { ...paths, sarif: setup.sarifPath };
}

/**
 * The in-toto statement of the outputs the `attest` globs pick (README, "Attestations"),
 * from the run the check analysed, in the results directory; its path, or undefined when
 * no output was picked (said as a warning).
 */
async function writeAttestation(
  setup: Setup,
  result: CheckResult,
  redactor: Redactor,
  packages: ReturnType<typeof loadDebianIndex>,
  out: string,
): Promise<string | undefined> {
  const roots = machineRoots();
  const context = {
    workspace: setup.workspace,
    roots,
    redactor,
    cacheTags: (paths: Iterable<string>) => taggedCaches(paths, setup.workspace, roots.caches),
  };
  const attested = await attestRun(result.run, context, setup.config, {
    globs: setup.inputs.attest,
    packages,
    meta: {
      command: redactor.argv(ACTION_SHELL[0], [...ACTION_SHELL, setup.inputs.run]),
      workingDirectory: inside(setup.workspace, setup.cwd) || '.',
      version: { ioana: ioanaVersion() },
    },
  });
  core.info(`ioana: attest: ${describeFigures(attested.figures)}.`);
  for (const s of attested.leftOut) core.warning(`ioana: ${s.name} was left out of the attestation: no digest (${s.why}).`);
  if (attested.statement.subject.length === 0) {
    core.warning(`ioana: the attest input (${setup.inputs.attest.join(', ')}) picked no output of the build: no attestation was written.`);
    return undefined;
  }
  const path = join(out, 'attestation.intoto.json');
  writeFileSync(path, JSON.stringify(attested.statement, null, 2) + '\n');
  return path;
}

function annotate(setup: Setup, findings: CheckResult['findings'], reserved: Reserved): void {
  const { baseline, config } = repositoryFiles(setup);
  const files = { baseline: setup.baseline || setup.pr ? baseline : undefined, config };
  for (const a of annotationsFor(findings, files, reserved)) {
    const props = { title: a.title, file: a.file, startLine: a.line };
    if (a.level === 'error') core.error(a.message, props);
    else if (a.level === 'warning') core.warning(a.message, props);
    else core.notice(a.message, props);
  }
}

/** Why the step fails, if it does. */
function failure(setup: Setup, result: CheckResult): string | undefined {
  const { inputs, baselineFile, baseline } = setup;
  if (result.outcome && !succeeded(result.outcome)) return `The build failed: ${describeOutcome(result.outcome)}.`;
  if (inputs.mode !== 'check') return undefined;
  if (!baseline) {
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
    // Results outlive the step (later steps read the outputs): not a scratch directory.
    const out = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'ioana-results-'));
    const redactor = environmentRedactor();
    // dpkg's database does not depend on the build: read while it runs.
    const packages = inputs.attest.length > 0 ? loadDebianIndex() : undefined;
    const result = await traceAndCheck(setup, redactor);
    const { report, outcome, findings } = result;
    if (outcome?.detached) {
      core.warning(
        `ioana: the build's command exited but ${report.build.leftRunning} process(es) it started kept running; tracing stopped after ${DAEMON_GRACE_MS / 1000} s and they were left running. What they do afterwards is not in the report.`,
      );
    }
    const paths = writeResults(setup, result, out);
    const attestation = packages && (await writeAttestation(setup, result, redactor, packages, out));

    let wrote: string | undefined;
    if (inputs.mode === 'update' && !(outcome && !succeeded(outcome))) {
      mkdirSync(resolve(setup.baselinePath, '..'), { recursive: true });
      // This run replaces what the file says (accepting means it), written under its lock.
      const written = await recordRuns(setup.baselinePath, [{ graph: result.run.canonical.graph, facts: runFacts(result.run.analysis) }], {
        shown: baselineFile,
      });
      wrote = describeWrite(baselineFile, written);
      core.info(`ioana: ${wrote}. Commit it to accept the change.`);
    }
    const why = failure(setup, result);
    // ioana's own annotations count against GitHub's 10 per level too: the closing
    // error, a warning about daemons or the upload, the notices about seccomp and the artifact.
    if (inputs.mode === 'check') annotate(setup, findings, { error: 1, warning: 2, notice: 2 });
    const summary = renderSummary({
      report,
      run: inputs.run,
      baselineFile,
      figures: result.run.canonical.figures,
      baselineExists: setup.baseline !== undefined,
      workingDirectory: inside(workspace, setup.cwd) || '.',
      config: inputs.configGiven ? inside(workspace, setup.configPath) : undefined,
      installSpec: installSpec(),
      redactor,
      io: paths.io,
      ...(wrote ? { written: wrote } : {}),
    });
    await core.summary.addRaw(summary, true).write();

    core.setOutput('findings', String(findings.length));
    core.setOutput('status', report.status);
    core.setOutput('report', paths.report);
    core.setOutput('baseline', paths.proposed);
    core.setOutput('sarif', paths.sarif);
    if (attestation) core.setOutput('attestation', attestation);
    if (inputs.uploadArtifact)
      await uploadResults(
        inputs.artifactName,
        [
          paths.proposed,
          paths.report,
          paths.graph,
          join(out, 'ioana.sarif'),
          paths.flame,
          paths.flows,
          ...(attestation ? [attestation] : []),
        ],
        out,
      );
    if (why) core.setFailed(why);
  } catch (error) {
    core.setFailed(`ioana: ${describeError(error)}`);
  }
}
