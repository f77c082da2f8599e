/**
 * What a run of the action compares with (docs/architecture.md §2.2), read before the build: the
 * inputs, the workspace, the configuration and the baseline. On a pull request the
 * base commit's baseline and configuration decide; what the pull request's own edits
 * of them accept is reported, failing for forks and authors without write access
 * (`pr-edits: auto`), or as the input says.
 */
import { subjectGlobs } from '../attest/subjects.js';
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseBaseline, type ParsedBaseline } from '../baseline/index.js';
import { DEFAULT_CONFIG, parseConfig, type Config } from '../config/index.js';
import { baselineEdits, configWeakenings, type EditPolicy, type Finding } from '../diff/index.js';
import { loadBaselineFile, loadConfigFile } from '../io/project-files.js';
import { inside } from '../report/location.js';
import { IoanaError } from '../vocabulary/errors.js';
import { isUnder } from '../vocabulary/paths.js';
import { readInputs, type ActionInputs } from './inputs.js';
import { ensureCommit, fileAtCommit, pullRequestOf, trustedAuthor, type PullRequest } from './pull-request.js';

export interface Setup {
  readonly inputs: ActionInputs;
  readonly workspace: string;
  readonly cwd: string;
  readonly baselinePath: string;
  /** Repository-relative, as reports name it. */
  readonly baselineFile: string;
  readonly configPath: string;
  /** Where the `sarif` input asks for the SARIF log (absolute, inside the workspace); undefined when it is empty. */
  readonly sarifPath?: string;
  /** The configuration the check uses (the base commit's on a pull request whose edits fail). */
  readonly config: Config;
  /** The baseline the check compares with. */
  readonly baseline?: ParsedBaseline;
  /** The pull request, when the event is one. */
  readonly pr?: { readonly event: PullRequest; readonly policy: EditPolicy };
  /** What the pull request's own edits of the baseline and the configuration accept. */
  readonly edits: readonly Finding[];
}

/** `/w/baselines/b.yml` in `/w` → `baselines/b.yml`; a path outside stays absolute (shared with the reports). */
export { inside };

/** The inputs, the workspace, the configuration and the baseline: a mistake there costs no build. */
export function prepare(env: NodeJS.ProcessEnv = process.env): Setup {
  const inputs = readInputs(env);
  const workspace = realpathSync(env.GITHUB_WORKSPACE || process.cwd());
  const cwd = resolve(workspace, inputs.workingDirectory);
  if (!existsSync(cwd)) throw new IoanaError(`working-directory not found: ${cwd}`);
  const baselinePath = resolve(workspace, inputs.baseline);
  const baselineFile = inside(workspace, baselinePath);
  if (inputs.mode === 'update' && !isUnder(baselinePath, workspace)) {
    throw new IoanaError(`mode: update refuses to write a baseline outside the workspace: ${baselinePath}`, {
      hint: 'Give a path inside the repository, such as baselines/build.yml.',
    });
  }
  const sarifPath = inputs.sarif ? resolve(workspace, inputs.sarif) : undefined;
  if (sarifPath !== undefined && (!isUnder(sarifPath, workspace) || sarifPath === workspace)) {
    throw new IoanaError(`input "sarif" must name a file inside the workspace, not ${sarifPath}.`, {
      hint: 'Give a path relative to the repository root, such as ioana.sarif; the output "sarif" says where it was written.',
    });
  }
  if (sarifPath !== undefined && lstatSync(sarifPath, { throwIfNoEntry: false })?.isDirectory()) {
    throw new IoanaError(`input "sarif" names a directory: ${inputs.sarif}.`, { hint: 'Give the path of a file, such as ioana.sarif.' });
  }
  // A glob of the attest input that can pick nothing fails before the build, not after.
  subjectGlobs(inputs.attest, workspace, 'input "attest"');
  const configPath = resolve(workspace, inputs.config);
  const configFile = inside(workspace, configPath);
  const withFailOn = (c: Config): Config => (inputs.failOn ? { ...c, failOn: inputs.failOn } : c);
  const headConfig = loadConfigFile(configPath, inputs.configGiven, configFile);
  const headBaseline = loadBaselineFile(baselinePath, baselineFile);
  const base = { inputs, workspace, cwd, baselinePath, baselineFile, configPath, ...(sarifPath ? { sarifPath } : {}) };
  const event = pullRequestOf(env);
  if (!event) return { ...base, config: withFailOn(headConfig), baseline: headBaseline, edits: [] };

  // The base branch decides: the pull request's edits are findings, not the rules.
  const policy: EditPolicy = inputs.prEdits === 'auto' ? (trustedAuthor(event) ? 'warn' : 'fail') : inputs.prEdits;
  ensureCommit(workspace, event.baseSha);
  const at = `at the base commit ${event.baseSha.slice(0, 12)}`;
  const baseConfigText = configFile.startsWith('/') ? undefined : fileAtCommit(workspace, event.baseSha, configFile);
  const baseConfig = baseConfigText === undefined ? DEFAULT_CONFIG : parseConfig(baseConfigText, `${configFile} ${at}`);
  const baseBaselineText = baselineFile.startsWith('/') ? undefined : fileAtCommit(workspace, event.baseSha, baselineFile);
  const baseBaseline = baseBaselineText === undefined ? undefined : parseBaseline(baseBaselineText, `${baselineFile} ${at}`);
  const edits = [...baselineEdits(baseBaseline?.baseline, headBaseline, policy), ...configWeakenings(baseConfig, headConfig, policy)];
  // Trusted edits are accepted (and reported as warnings); others leave the base's rules in force.
  const trusted = policy === 'warn';
  return {
    ...base,
    config: withFailOn(trusted ? headConfig : baseConfig),
    baseline: trusted ? headBaseline : baseBaseline,
    pr: { event, policy },
    edits,
  };
}
