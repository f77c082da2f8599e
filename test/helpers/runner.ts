/**
 * The GitHub runner, as it runs a JavaScript action step (test edge): every input in
 * `INPUT_<NAME>` with action.yml's default when the workflow does not set it, the
 * `GITHUB_*` context variables and step files, the `ACTIONS_*` service credentials
 * (with a fake artifact service behind them), a git work tree as the workspace, and an
 * event payload. Tests that run the action go through here so that nothing the runner
 * sets is forgotten.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { ArtifactService } from './artifact-service.js';
import { asRunner, giveToRunner, RUNNER_USER } from './runner-user.js';
import { tempDir } from './trace.js';

export { ACTION } from './bundle.js';
import { ACTION } from './bundle.js';

/** The inputs action.yml declares, with their defaults (`undefined`: no default). */
export function actionInputs(): Map<string, string | undefined> {
  const spec = parse(readFileSync(resolve('action.yml'), 'utf8')) as { inputs: Record<string, { default?: unknown }> };
  return new Map(Object.entries(spec.inputs).map(([name, i]) => [name, i.default === undefined ? undefined : String(i.default)]));
}

/** `working-directory` → `INPUT_WORKING-DIRECTORY`: the runner upper-cases the name and turns spaces into `_`. */
export const inputVariable = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;

export interface RunnerOptions {
  /** `pull_request`, `push`…, with the payload the runner writes to GITHUB_EVENT_PATH. */
  readonly event?: { readonly name: string; readonly payload: object };
  /** The fake artifact service; without one the `ACTIONS_*` URLs point at a closed port. */
  readonly service?: ArtifactService;
  /** Variables set on top (or removed with `undefined`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The job's id (`GITHUB_JOB`). Default `build`. */
  readonly job?: string;
  /**
   * Run the step as the hosted runner's user (test/helpers/runner-user.ts) when there is
   * one: the workspace and the runner's directories are handed to it.
   */
  readonly asRunnerUser?: boolean;
}

export interface ActionRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** GITHUB_STEP_SUMMARY's content after the step. */
  readonly summary: string;
  /** GITHUB_OUTPUT parsed. */
  readonly outputs: Record<string, string>;
  /** Raw content of the other step files, by variable name. */
  readonly files: Record<string, string>;
  /** Workflow-command annotations of one level: `::warning title=…::message` lines. */
  annotations(level: 'error' | 'warning' | 'notice'): string[];
  /** The environment the step ran with. */
  readonly env: NodeJS.ProcessEnv;
}

export const STEP_FILES = ['GITHUB_STEP_SUMMARY', 'GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STATE'] as const;

/** Runs dist/index.js in `ws` as the runner would run `uses: ioana/action@v1` with `with: inputs`. */
export async function runAction(ws: string, inputs: Readonly<Record<string, string>>, opts: RunnerOptions = {}): Promise<ActionRun> {
  const dir = tempDir('ioana-runner-');
  const temp = join(dir, 'temp');
  const toolcache = join(dir, 'toolcache');
  mkdirSync(temp);
  mkdirSync(toolcache);
  const event = opts.event ?? { name: 'push', payload: {} };
  const eventPath = join(dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(event.payload));
  const sha = gitHead(ws);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // A hosted runner's job has these; without SHELL, bash reads /etc/passwd to learn its own.
    SHELL: '/bin/bash',
    USER: process.env.USER ?? 'runner',
    LANG: 'C.UTF-8',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION: 'ioana',
    GITHUB_ACTION_REPOSITORY: 'ioana/action',
    GITHUB_ACTION_REF: 'v1',
    GITHUB_ACTOR: 'octocat',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'octo/project',
    GITHUB_REPOSITORY_OWNER: 'octo',
    GITHUB_RUN_ID: '1234',
    GITHUB_RUN_NUMBER: '7',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKFLOW: 'ioana',
    GITHUB_JOB: opts.job ?? 'build',
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_SHA: sha,
    GITHUB_WORKSPACE: ws,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'GitHub Actions 1',
    RUNNER_TEMP: temp,
    RUNNER_TOOL_CACHE: toolcache,
    ACTIONS_RUNTIME_TOKEN: opts.service?.token ?? 'runtime-token-without-service',
    ACTIONS_RUNTIME_URL: opts.service?.url ?? 'http://127.0.0.1:9/',
    ACTIONS_RESULTS_URL: opts.service?.url ?? 'http://127.0.0.1:9/',
    ACTIONS_CACHE_URL: opts.service?.url ?? 'http://127.0.0.1:9/',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'id-token-request-token',
    ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/id-token',
  };
  // As the runner lays them out: one directory of file commands under RUNNER_TEMP.
  const fileCommands = join(temp, '_runner_file_commands');
  mkdirSync(fileCommands);
  for (const name of STEP_FILES) {
    env[name] = join(fileCommands, `${name.toLowerCase()}_${randomUUID()}`);
    writeFileSync(env[name]!, '');
  }
  for (const [name, value] of actionInputs()) env[inputVariable(name)] = inputs[name] ?? value ?? '';
  for (const name of Object.keys(inputs)) if (!actionInputs().has(name)) throw new Error(`runAction: action.yml has no input "${name}"`);
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  if (opts.asRunnerUser && RUNNER_USER) {
    if (opts.env?.HOME === undefined) env.HOME = runnerHome(dir);
    env.USER = RUNNER_USER;
    giveToRunner(dir, ws);
  }
  const [file, args] = opts.asRunnerUser ? asRunner(['node', ACTION], env) : ['node', [ACTION]];
  const child = spawn(file, args, { cwd: ws, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const status = await new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  const files: Record<string, string> = {};
  for (const name of STEP_FILES) files[name] = readFileSync(env[name]!, 'utf8');
  const outputs: Record<string, string> = {};
  for (const m of files.GITHUB_OUTPUT.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]] = m[3];
  return {
    status,
    stdout,
    stderr,
    summary: files.GITHUB_STEP_SUMMARY,
    outputs,
    files,
    env,
    annotations: (level) => commands(stdout).filter((l) => l.startsWith(`::${level} `) || l.startsWith(`::${level}::`)),
  };
}

/** A home directory for the runner user, inside the step's temporary directory. */
function runnerHome(dir: string): string {
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });
  return home;
}

/**
 * The lines of a step's output the runner reads as workflow commands: between
 * `::stop-commands::TOKEN` and `::TOKEN::` it reads none.
 */
export function commands(stdout: string): string[] {
  const out: string[] = [];
  let resume: string | undefined;
  for (const line of stdout.split('\n')) {
    if (resume !== undefined) {
      if (line === `::${resume}::`) resume = undefined;
      continue;
    }
    const stop = /^::stop-commands::(.+)$/.exec(line);
    if (stop) resume = stop[1];
    else if (line.startsWith('::')) out.push(line);
  }
  return out;
}

/** The work tree's HEAD commit, as actions/checkout leaves it (`GITHUB_SHA`). */
function gitHead(ws: string): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ws, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '0'.repeat(40);
  }
}
