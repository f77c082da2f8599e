/**
 * The action's inputs (docs/architecture.md §2.2), read from the runner and checked: a wrong value
 * fails the step before anything runs. The runner passes every input, with action.yml's
 * default where the workflow set none.
 */
import { BACKENDS, type Backend } from '../trace/backend.js';
import * as core from '@actions/core';
import { DEFAULT_CONFIG_FILE, isFindingKind, type FindingKind } from '../config/index.js';
import { IoanaError } from '../vocabulary/errors.js';

export interface ActionInputs {
  readonly run: string;
  readonly workingDirectory: string;
  readonly baseline: string;
  readonly mode: 'check' | 'update';
  /** Overrides the configuration's `fail-on`; undefined: the configuration's. */
  readonly failOn?: readonly FindingKind[];
  readonly config: string;
  /** A configuration file other than the default was named: it must exist. */
  readonly configGiven: boolean;
  readonly uploadArtifact: boolean;
  readonly artifactName: string;
  /**
   * On pull requests, what the pull request's own edits of the baseline and `.ioana.yml`
   * do: `fail` (the base branch's rules apply, the edits are failing findings), `warn`
   * (the edits apply, reported as warnings), or `auto` (fail for forks and authors
   * without write access, warn for the others).
   */
  readonly prEdits: 'auto' | 'fail' | 'warn';
  /** Which capture back end traces the build (`strace`, `ebpf`, `auto`). */
  readonly backend: Backend;
  /** Also write the SARIF log here, relative to the workspace; empty: only in the results directory. */
  readonly sarif: string;
  /** Globs of the outputs to attest (`**`: every output in the workspace); empty: no statement. */
  readonly attest: readonly string[];
  /** The wall between the build and ioana (src/trace/separation.ts); false: none, the result advisory. */
  readonly separation: boolean;
  /** Take sudo away from the build. */
  readonly disableSudo: boolean;
}

export function readInputs(env: NodeJS.ProcessEnv = process.env): ActionInputs {
  const run = core.getInput('run', { required: true });
  const mode = core.getInput('mode') || 'check';
  if (mode !== 'check' && mode !== 'update') throw new IoanaError(`input "mode" must be check or update, not "${mode}".`);
  const failOnText = core.getInput('fail-on').trim();
  let failOn: FindingKind[] | undefined;
  if (failOnText === 'none') failOn = [];
  else if (failOnText !== '') {
    failOn = failOnText
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((k) => {
        if (!isFindingKind(k))
          throw new IoanaError(`input "fail-on" has an unknown finding kind "${k}".`, {
            hint: 'Use finding kinds such as new-input, vanished-output, new-program, or none.',
          });
        return k;
      });
  }
  // The runner passes every input's default, so `config` is `.ioana.yml` whether or not
  // the workflow named it: only another file is one the user asked for.
  const config = core.getInput('config').trim() || DEFAULT_CONFIG_FILE;
  const prEdits = (core.getInput('pr-edits').trim() || 'auto').toLowerCase();
  if (prEdits !== 'auto' && prEdits !== 'fail' && prEdits !== 'warn')
    throw new IoanaError(`input "pr-edits" must be auto, fail or warn, not "${prEdits}".`);
  const backend = (core.getInput('backend').trim() || 'auto').toLowerCase();
  if (!(BACKENDS as readonly string[]).includes(backend))
    throw new IoanaError(`input "backend" must be ${BACKENDS.join(', ')}, not "${backend}".`);
  const upload = boolInput('upload-artifact', true);
  return {
    run,
    workingDirectory: core.getInput('working-directory') || '.',
    baseline: core.getInput('baseline') || `baselines/${env.GITHUB_JOB || 'build'}.yml`,
    mode,
    failOn,
    config,
    configGiven: config !== DEFAULT_CONFIG_FILE,
    uploadArtifact: upload,
    artifactName: core.getInput('artifact-name') || 'ioana',
    prEdits,
    backend: backend as Backend,
    sarif: core.getInput('sarif').trim(),
    attest: core
      .getInput('attest')
      .split(/[\n,]/)
      .map((g) => g.trim())
      .filter(Boolean),
    separation: boolInput('separation', true),
    disableSudo: boolInput('disable-sudo', false),
  };
}

/** A true/false input (empty: its default), or an error naming it. */
function boolInput(name: string, fallback: boolean): boolean {
  const text = core.getInput(name).trim().toLowerCase();
  if (text === '') return fallback;
  if (text !== 'true' && text !== 'false') throw new IoanaError(`input "${name}" must be true or false, not "${text}".`);
  return text === 'true';
}
