/**
 * Real projects (test/fixtures/projects) built under the real strace through the
 * bundled CLI (dist/cli.js, run as a user runs it), and recorded logs
 * (test/fixtures/real) analysed by it. Nothing here reads outside the repository
 * except the system's tools and the temporary directories it makes.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export { CLI } from './bundle.js';
import { CLI } from './bundle.js';
export const PROJECTS = join(REPO, 'test/fixtures/projects');
export const REAL = join(REPO, 'test/fixtures/real');

/** A finding as the JSON report (`--json`) writes it. */
export interface Finding {
  readonly kind: string;
  readonly severity: string;
  readonly subject: string;
  readonly failing: boolean;
  readonly outputs: readonly string[];
  readonly added?: readonly string[];
  readonly removed?: readonly string[];
  readonly members?: readonly string[];
  readonly count?: number;
  /** Who did it (a command). */
  readonly by?: string;
  /** Findings that follow from this one. */
  readonly effects?: readonly Finding[];
}

export interface Report {
  readonly status: string;
  readonly findings: readonly Finding[];
  /** Failing top-level findings. */
  readonly failing: number;
}

export interface CliRun {
  readonly code: number | null;
  /** The tail of standard output and error (a build can print a lot). */
  readonly stdout: string;
  readonly stderr: string;
}

/** Whether a program is on PATH. */
export function has(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** What the test runner adds to the environment: jest's NODE_OPTIONS; npm's (`npm test`, `npx jest`). */
const RUNNER_VARIABLES = new Set(['NODE_OPTIONS', 'INIT_CWD', 'NODE', 'COLOR']);

/**
 * The environment the builds run in: this one, without what the test runner adds
 * (jest's NODE_OPTIONS; npm's npm_*, INIT_CWD, NODE and COLOR, which CMake's Makefiles
 * pass on as `cmake_echo_color --switch=$(COLOR)`), plus `extra`.
 */
export function buildEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (RUNNER_VARIABLES.has(k) || /^npm_/i.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

const KEEP = 64 * 1024;

/** `node dist/cli.js ARGS…`, its exit code and the tail of what it printed. */
export function cli(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd ?? REPO,
      env: opts.env ?? buildEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-KEEP)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-KEEP)));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** The build command as the action runs it: `bash --noprofile --norc -eo pipefail -c SCRIPT`. */
export const bash = (script: string): string[] => ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', script];

const made: string[] = [];

/** A fresh temporary directory, removed by `removeScratch`. */
export function scratch(prefix = 'ioana-real-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every directory `scratch` made (the builds leave tens of megabytes). */
export function removeScratch(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A copy of test/fixtures/projects/NAME at `<new temp dir>/<place>/NAME`: two copies
 * made with different `place`s have different absolute paths (and lengths). Like a
 * git checkout, every copied file gets the time of the copy.
 */
export function copyProject(name: string, place: string): string {
  const dir = join(scratch(), place, name);
  mkdirSync(dirname(dir), { recursive: true });
  cpSync(join(PROJECTS, name), dir, { recursive: true });
  return dir;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/**
 * An autotools tree fresh out of a checkout has every file at the checkout's time, so
 * make may decide that aclocal.m4, configure or the Makefile.in files are out of date
 * and run aclocal/automake/autoconf (not installed here or on CI). Put them back in
 * the order the tools made them: sources, then aclocal.m4, then configure, then the
 * Makefile.in files and config.h.in.
 */
export function settleAutotools(dir: string): void {
  const base = Math.floor(Date.now() / 1000) - 3600;
  const at = (file: string, t: number) => utimesSync(file, t, t);
  for (const f of filesUnder(dir)) at(f, base);
  at(join(dir, 'aclocal.m4'), base + 10);
  at(join(dir, 'configure'), base + 20);
  for (const f of filesUnder(dir)) {
    const rel = relative(dir, f);
    if (rel.endsWith('Makefile.in') || rel === 'config.h.in') at(f, base + 30);
  }
}

/** `ioana update --fresh`: records COMMAND run in WORKSPACE into BASELINE. */
export async function record(baseline: string, workspace: string, command: readonly string[], env?: NodeJS.ProcessEnv): Promise<CliRun> {
  return cli(['update', '--fresh', '--baseline', baseline, '--workspace', workspace, '--', ...command], { cwd: workspace, env });
}

/** `ioana check`: runs COMMAND in WORKSPACE against BASELINE; the JSON report with the run. */
export async function checkRun(
  baseline: string,
  workspace: string,
  command: readonly string[],
  env?: NodeJS.ProcessEnv,
): Promise<CliRun & { report: Report }> {
  const json = join(scratch('ioana-real-report-'), 'report.json');
  const run = await cli(['check', '--baseline', baseline, '--workspace', workspace, '--json', json, '--', ...command], {
    cwd: workspace,
    env,
  });
  return { ...run, report: readReport(json, run) };
}

function readReport(json: string, run: CliRun): Report {
  try {
    return JSON.parse(readFileSync(json, 'utf8')) as Report;
  } catch {
    throw new Error(`no JSON report (exit ${run.code}):\n${run.stdout.slice(-4000)}\n${run.stderr.slice(-4000)}`);
  }
}

/** A gzipped recorded log of test/fixtures/real, unzipped into a temporary file. */
export function gunzipLog(relPath: string): string {
  const out = join(scratch('ioana-real-log-'), relPath.replace(/\.gz$/, '').replace(/\//g, '_'));
  writeFileSync(out, gunzipSync(readFileSync(join(REAL, relPath))));
  return out;
}

/** `ioana update --fresh --trace LOG`, for a log recorded in WORKSPACE. */
export function recordLog(baseline: string, workspace: string, log: string, config: string, env?: NodeJS.ProcessEnv): Promise<CliRun> {
  return cli(['update', '--fresh', '--config', config, '--baseline', baseline, '--workspace', workspace, '--trace', log], { env });
}

/** `ioana check --trace LOG`, for a log recorded in WORKSPACE. */
export async function checkLog(
  baseline: string,
  workspace: string,
  log: string,
  config: string,
  env?: NodeJS.ProcessEnv,
): Promise<CliRun & { report: Report }> {
  const json = join(scratch('ioana-real-report-'), 'report.json');
  const run = await cli(['check', '--config', config, '--baseline', baseline, '--workspace', workspace, '--json', json, '--trace', log], {
    env,
  });
  return { ...run, report: readReport(json, run) };
}

/** Subjects longer than this are cut in `lines` (a linker's argv runs to kilobytes). */
const SUBJECT_MAX = 300;

/**
 * One line per finding, `kind subject`, in the report's order: what a failing test
 * prints. A subject over 300 characters is cut, saying how long it was.
 */
export const lines = (findings: readonly Finding[]): string[] =>
  findings.map((f) =>
    f.subject.length > SUBJECT_MAX
      ? `${f.kind} ${f.subject.slice(0, SUBJECT_MAX)}… (${f.subject.length} characters)`
      : `${f.kind} ${f.subject}`,
  );

/** Findings by kind: `{ 'new-program': 92, … }`. */
export function byKind(findings: readonly Finding[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) out[f.kind] = (out[f.kind] ?? 0) + 1;
  return out;
}
