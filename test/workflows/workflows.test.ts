/**
 * The example workflows (examples/workflows/) that the README shows: static checks of
 * the trust boundaries they draw (who gets a write token, what runs where, what is
 * pinned), and the scripts they run, executed here against fakes (the authorize step's
 * JavaScript) or in a scratch git repository (the shell steps). Nothing talks to GitHub.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { tempDir } from '../helpers/trace.js';

const scratch: string[] = [];
const scratchDir = (): string => {
  const dir = tempDir('ioana-workflows-');
  scratch.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

type Permissions = string | Record<string, string> | undefined;

interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}

interface Job {
  readonly if?: string;
  readonly needs?: string | string[];
  readonly permissions?: Permissions;
  readonly outputs?: Record<string, string>;
  readonly 'runs-on': string;
  readonly steps: readonly Step[];
}

interface Workflow {
  readonly name: string;
  readonly on: unknown;
  readonly permissions?: Permissions;
  readonly jobs: Record<string, Job>;
}

const DIR = resolve('examples/workflows');
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.yml'))
  .sort();
/** The workflows that hold a write token somewhere. */
const PRIVILEGED = ['update-comment.yml', 'update-dispatch.yml'];

const text = (file: string): string => readFileSync(join(DIR, file), 'utf8');
const load = (file: string): Workflow => parse(text(file), { prettyErrors: true, uniqueKeys: true }) as Workflow;
const jobsOf = (file: string): [string, Job][] => Object.entries(load(file).jobs);

const SHA = /^[0-9a-f]{40}$/;
/** What a privileged workflow says instead of ioana's commit until the user pins the release they reviewed. */
const IOANA_PLACEHOLDER = '<sha-of-your-release>';

const isIoana = (step: Step): boolean => step.uses?.startsWith('ioana/action@') ?? false;
const isCheckout = (step: Step): boolean => step.uses?.startsWith('actions/checkout@') ?? false;
const runsIoana = (job: Job): boolean => job.steps.some(isIoana);
const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : typeof job.needs === 'string' ? [job.needs] : job.needs);
const scripts = (job: Job): string => job.steps.map((s) => s.run ?? '').join('\n');
const commits = (job: Job): boolean => /\bgit (commit|push)\b/.test(scripts(job));

/** A job's token permissions: its own, else the workflow's. */
const permissionsOf = (workflow: Workflow, job: Job): Permissions => job.permissions ?? workflow.permissions;

/** Declared and read-only (an undeclared token may be write-all, as the repository's settings say). */
function readOnly(p: Permissions): boolean {
  if (p === 'read-all') return true;
  if (p === undefined || typeof p === 'string') return false;
  return Object.values(p).every((v) => v === 'read' || v === 'none');
}

function writes(p: Permissions, scope: string): boolean {
  if (p === 'write-all') return true;
  return typeof p === 'object' && p[scope] === 'write';
}

/** Each `uses:` line as written: the reference and what follows it (the version comment). */
function usesLines(file: string): { ref: string; comment: string }[] {
  const out: { ref: string; comment: string }[] = [];
  for (const line of text(file).split('\n')) {
    const m = /^\s*(?:-\s+)?uses:\s*(\S+)\s*(.*)$/.exec(line);
    if (m) out.push({ ref: m[1], comment: m[2] });
  }
  return out;
}

/** The leading comment block of a file. */
const header = (file: string): string =>
  text(file)
    .split('\n')
    .filter((_l, i, lines) => lines.slice(0, i + 1).every((l) => l.startsWith('#')))
    .join('\n');

describe('the example workflows', () => {
  test('are the four the README documents', () => {
    expect(FILES).toEqual(['check.yml', 'code-scanning.yml', 'update-comment.yml', 'update-dispatch.yml']);
  });

  test.each(FILES)('%s parses, and every job has a runner and steps', (file) => {
    const workflow = load(file);
    expect(typeof workflow.name).toBe('string');
    expect(workflow.on).toBeDefined();
    expect(Object.keys(workflow.jobs).length).toBeGreaterThan(0);
    for (const job of Object.values(workflow.jobs)) {
      expect(typeof job['runs-on']).toBe('string');
      expect(job.steps.length).toBeGreaterThan(0);
      for (const step of job.steps) expect(step.uses !== undefined || step.run !== undefined).toBe(true);
    }
  });

  test.each(FILES)('%s starts with a comment that says what it is for and what it protects against', (file) => {
    expect(text(file).startsWith('# ')).toBe(true);
    expect(header(file)).toMatch(/Protects against/);
  });

  test.each(FILES)('%s: the job that runs ioana has only read permissions and no persisted git credentials', (file) => {
    const workflow = load(file);
    const ioanaJobs = Object.values(workflow.jobs).filter(runsIoana);
    expect(ioanaJobs.length).toBe(1);
    for (const job of ioanaJobs) {
      expect(readOnly(permissionsOf(workflow, job))).toBe(true);
      const checkouts = job.steps.filter(isCheckout);
      expect(checkouts.length).toBeGreaterThan(0);
      for (const step of checkouts) expect(step.with?.['persist-credentials']).toBe(false);
      expect(commits(job)).toBe(false);
    }
  });

  test('every action is pinned to the same commit in every example', () => {
    const pins = new Map<string, Set<string>>();
    for (const file of FILES) {
      for (const { ref } of usesLines(file)) {
        const [action, version] = ref.split('@');
        if (action === 'ioana/action') continue;
        pins.set(action, (pins.get(action) ?? new Set()).add(version));
      }
    }
    for (const [action, versions] of pins) expect({ action, versions: [...versions].length }).toEqual({ action, versions: 1 });
  });

  test('check.yml runs on pull requests with a read-only token', () => {
    const workflow = load('check.yml');
    expect(workflow.on).toEqual(['pull_request']);
    expect(workflow.permissions).toEqual({ contents: 'read' });
    const [, job] = jobsOf('check.yml')[0];
    const ioana = job.steps.find(isIoana);
    expect(ioana?.with).toMatchObject({ run: expect.any(String), baseline: expect.stringMatching(/^baselines\//) });
    expect(header('check.yml')).toMatch(/forks get a read-only/);
  });
});

describe('code-scanning.yml', () => {
  const workflow = load('code-scanning.yml');
  const uploaders = Object.entries(workflow.jobs).filter(([, j]) => writes(permissionsOf(workflow, j), 'security-events'));

  test('no token at the top; the one job that writes security events runs nothing from the branch', () => {
    expect(workflow.permissions).toEqual({});
    expect(uploaders.map(([name]) => name)).toEqual(['code-scanning']);
    const [, job] = uploaders[0];
    expect(runsIoana(job)).toBe(false);
    expect(scripts(job).trim()).toBe('');
    expect(job.steps.map((s) => s.uses?.split('@')[0])).toEqual([
      'actions/checkout',
      'actions/download-artifact',
      'github/codeql-action/upload-sarif',
    ]);
    for (const step of job.steps.filter(isCheckout)) expect(step.with?.ref).toBeUndefined();
    expect(needsOf(job)).toEqual(['build']);
  });

  test('uploads the SARIF file the action wrote into its artifact, not for forks', () => {
    const [, job] = uploaders[0];
    const download = job.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
    const upload = job.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(download.with).toMatchObject({ name: 'ioana' });
    expect(String(upload.with?.sarif_file)).toBe(`${String(download.with?.path)}/ioana.sarif`);
    expect(String((job as { if?: string }).if)).toMatch(/head\.repo\.full_name == github\.repository/);
  });

  test('every action but ioana is pinned to a full commit SHA with its version', () => {
    for (const { ref, comment } of usesLines('code-scanning.yml')) {
      const [action, version] = ref.split('@');
      if (action === 'ioana/action') continue;
      expect({ ref, pinned: SHA.test(version), comment }).toEqual({
        ref,
        pinned: true,
        comment: expect.stringMatching(/^# v\d+\.\d+\.\d+/),
      });
    }
  });
});

describe('the privileged example workflows', () => {
  test.each(PRIVILEGED)('%s pins every action to a full commit SHA, with its version in a trailing comment', (file) => {
    const lines = usesLines(file);
    const steps = Object.values(load(file).jobs).flatMap((j) => j.steps.filter((s) => s.uses !== undefined));
    expect(lines.map((l) => l.ref)).toEqual(steps.map((s) => s.uses));
    for (const { ref, comment } of lines) {
      const [action, version] = ref.split('@');
      expect(action).toMatch(/^[\w.-]+\/[\w.-]+$/);
      if (action === 'ioana/action') {
        expect(SHA.test(version) || version === IOANA_PLACEHOLDER).toBe(true);
        expect(comment).toMatch(/^# v1\b/);
      } else {
        expect({ ref, pinned: SHA.test(version) }).toEqual({ ref, pinned: true });
        expect({ ref, comment }).toEqual({ ref, comment: expect.stringMatching(/^# v\d+\.\d+\.\d+$/) });
      }
    }
    expect(text(file)).toMatch(/Pin the ioana release you reviewed/);
  });

  test.each(PRIVILEGED)('%s declares every job\u2019s permissions, and none at the top', (file) => {
    const workflow = load(file);
    expect(workflow.permissions).toEqual({});
    for (const job of Object.values(workflow.jobs)) expect(typeof job.permissions).toBe('object');
  });

  test.each(PRIVILEGED)('%s: the job with contents: write never runs the action, builds, nor checks out the head', (file) => {
    const workflow = load(file);
    const writers = Object.values(workflow.jobs).filter((j) => writes(permissionsOf(workflow, j), 'contents'));
    expect(writers.length).toBe(1);
    for (const job of writers) {
      expect(runsIoana(job)).toBe(false);
      for (const step of job.steps) {
        if (step.uses) expect(step.uses).toMatch(/^actions\/(checkout|download-artifact)@/);
      }
      for (const step of job.steps.filter(isCheckout)) {
        expect(String(step.with?.ref ?? '')).not.toMatch(/outputs\.sha\b|head|refs\/pull/);
        expect(step.with?.repository).toBeUndefined();
      }
      expect(scripts(job)).not.toMatch(/\b(make|npm|npx|yarn|pnpm|node|python3?|pip|cargo|gradle|mvn|bash|source)\b|\.\//);
    }
  });

  test.each(PRIVILEGED)('%s commits only in a job that has no build step, after the build', (file) => {
    const workflow = load(file);
    const jobs = Object.entries(workflow.jobs);
    const committing = jobs.filter(([, j]) => commits(j));
    expect(committing.length).toBe(1);
    const [, commit] = committing[0];
    expect(runsIoana(commit)).toBe(false);
    expect(writes(permissionsOf(workflow, commit), 'contents')).toBe(true);
    const [buildName] = jobs.find(([, j]) => runsIoana(j)) ?? [''];
    expect(needsOf(commit)).toContain(buildName);
    // The proposed baseline reaches it as the build's artifact, and only that.
    const artifact = workflow.jobs[buildName].steps.find(isIoana)?.with?.['artifact-name'];
    const download = commit.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'));
    expect(download?.with?.name).toBe(artifact);
  });

  test.each(PRIVILEGED)('%s interpolates no expression into a script (values reach scripts through env)', (file) => {
    for (const job of Object.values(load(file).jobs)) {
      for (const step of job.steps) {
        expect(step.run ?? '').not.toContain('${{');
        expect(String(step.with?.script ?? '')).not.toContain('${{');
      }
    }
  });

  test('update-dispatch.yml is started by hand, records with mode: update, and pushes a new branch per run', () => {
    const workflow = load('update-dispatch.yml');
    expect(workflow.on).toBe('workflow_dispatch');
    expect(workflow.jobs.build.steps.find(isIoana)?.with?.mode).toBe('update');
    expect(workflow.jobs.commit.steps.find((s) => s.run)?.env?.BRANCH).toBe('ioana/update-baseline-${{ github.run_id }}');
  });

  test('update-comment.yml: a created comment on a pull request, authorized before anything runs', () => {
    const workflow = load('update-comment.yml');
    expect(workflow.on).toEqual({ issue_comment: { types: ['created'] } });
    const { authorize, build, commit } = workflow.jobs;
    expect(authorize.if).toContain('github.event.issue.pull_request');
    expect(authorize.if).toContain("startsWith(github.event.comment.body, '/ioana update')");
    expect(authorize.permissions).toEqual({ contents: 'read', 'pull-requests': 'read' });
    expect(authorize.outputs?.sha).toBe('${{ steps.check.outputs.sha }}');
    expect(needsOf(build)).toEqual(['authorize']);
    expect(needsOf(commit)).toEqual(expect.arrayContaining(['authorize', 'build']));
  });

  test('update-comment.yml: the build job checks out exactly the head the authorize job approved', () => {
    const { build } = load('update-comment.yml').jobs;
    const checkouts = build.steps.filter(isCheckout);
    expect(checkouts[0].with).toMatchObject({ ref: '${{ needs.authorize.outputs.sha }}', 'persist-credentials': false });
    // The base commit's baseline and configuration, not the pull request's, shape the proposal.
    expect(checkouts[1].with).toMatchObject({ ref: '${{ needs.authorize.outputs.base-sha }}', 'persist-credentials': false });
    expect(build.steps.find(isIoana)?.with).toMatchObject({ 'fail-on': 'none', 'artifact-name': expect.any(String) });
  });

  test('update-comment.yml: the commit job starts from the base commit', () => {
    const { commit } = load('update-comment.yml').jobs;
    expect(commit.steps.filter(isCheckout).map((s) => s.with?.ref)).toEqual(['${{ needs.authorize.outputs.base-sha }}']);
  });
});

/** The authorize step's script, run as actions/github-script runs it, against fakes. */
describe("update-comment.yml's authorize step", () => {
  const HEAD = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
  const BASE = 'ffffeeeeddddccccbbbbaaaa9999888877776666';
  const script = String(load('update-comment.yml').jobs.authorize.steps[0].with?.script);
  type Script = (github: unknown, context: unknown, core: unknown) => Promise<unknown>;
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => Script;
  const authorize = new AsyncFunction('github', 'context', 'core', script);

  async function run(opts: { body: string; role?: string; permission?: string; head?: string; state?: string }) {
    const outputs: Record<string, string> = {};
    const failures: string[] = [];
    const asked: { permissionOf: string[]; pulls: number[] } = { permissionOf: [], pulls: [] };
    const github = {
      rest: {
        repos: {
          getCollaboratorPermissionLevel: async (a: { owner: string; repo: string; username: string }) => {
            asked.permissionOf.push(`${a.owner}/${a.repo}:${a.username}`);
            return { data: { permission: opts.permission ?? 'write', role_name: opts.role ?? 'write' } };
          },
        },
        pulls: {
          get: async (a: { pull_number: number }) => {
            asked.pulls.push(a.pull_number);
            return { data: { number: a.pull_number, state: opts.state ?? 'open', head: { sha: opts.head ?? HEAD }, base: { sha: BASE } } };
          },
        },
      },
    };
    const context = {
      repo: { owner: 'octo', repo: 'app' },
      actor: 'someone-else',
      payload: { comment: { body: opts.body, user: { login: 'maintainer' } }, issue: { number: 42, pull_request: {} } },
    };
    const core = {
      setOutput: (k: string, v: string) => (outputs[k] = v),
      setFailed: (m: string) => failures.push(m),
    };
    await authorize(github, context, core);
    return { outputs, failures, asked };
  }

  test("approves a writer's comment naming the full head SHA, and outputs the head, the base and the number", async () => {
    const r = await run({ body: `/ioana update ${HEAD}` });
    expect(r.failures).toEqual([]);
    expect(r.outputs).toEqual({ sha: HEAD, 'base-sha': BASE, pr: '42' });
    expect(r.asked.permissionOf).toEqual(['octo/app:maintainer']);
  });

  test.each([
    ['upper case', `/ioana update ${HEAD.toUpperCase()}`],
    ['text after the first line', `/ioana update ${HEAD}\r\nLooks good, the new header is expected.`],
  ])('accepts %s, and outputs the full head SHA', async (_name, body) => {
    const r = await run({ body });
    expect(r.failures).toEqual([]);
    expect(r.outputs.sha).toBe(HEAD);
  });

  test.each([
    ['maintain', 'write'],
    ['admin', 'admin'],
    ['a custom role', 'write'],
  ])('lets %s in', async (role, permission) => {
    const r = await run({ body: `/ioana update ${HEAD}`, role, permission });
    expect(r.failures).toEqual([]);
    expect(r.outputs.sha).toBe(HEAD);
  });

  test.each([
    ['read', 'read'],
    ['triage', 'read'],
    ['none', 'none'],
  ])('refuses a commenter with %s, before looking at the pull request', async (role, permission) => {
    const r = await run({ body: `/ioana update ${HEAD}`, role, permission });
    expect(r.failures).toEqual([expect.stringContaining('may not update the baseline')]);
    expect(r.outputs).toEqual({});
    expect(r.asked.pulls).toEqual([]);
  });

  test('refuses a SHA that is not the head any more: the pull request has new commits', async () => {
    const r = await run({ body: `/ioana update ${BASE}` });
    expect(r.failures).toEqual([
      expect.stringContaining('the pull request has new commits since you commented; review them and comment again with the new head'),
    ]);
    expect(r.failures[0]).toContain(HEAD);
    expect(r.outputs).toEqual({});
  });

  test.each([
    ['no SHA', '/ioana update'],
    ['a SHA on the next line', `/ioana update\n${HEAD}`],
    ['an abbreviated SHA (a crafted commit can match a short prefix)', `/ioana update ${HEAD.slice(0, 12)}`],
    ['41 hex digits', `/ioana update ${HEAD}0`],
    ['something that is not hex', '/ioana update main'],
    ['two SHAs', `/ioana update ${HEAD} ${BASE}`],
  ])('refuses %s', async (_name, body) => {
    const r = await run({ body });
    expect(r.failures).toEqual([expect.stringContaining('Name the head commit you reviewed')]);
    expect(r.outputs).toEqual({});
  });

  test('refuses a closed pull request', async () => {
    const r = await run({ body: `/ioana update ${HEAD}`, state: 'closed' });
    expect(r.failures).toEqual(['#42 is closed.']);
    expect(r.outputs).toEqual({});
  });
});

/** The shell steps, run by bash as the runner runs them, in scratch git repositories. */
describe('the shell steps of the update workflows', () => {
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

  /** A clone of a bare "origin" with one commit holding the old baseline. */
  function repository(): { work: string; origin: string; temp: string } {
    const root = scratchDir();
    const origin = join(root, 'origin.git');
    const work = join(root, 'work');
    const temp = join(root, 'runner-temp');
    mkdirSync(temp);
    execFileSync('git', ['init', '-q', '--bare', origin]);
    execFileSync('git', ['clone', '-q', origin, work], { stdio: 'ignore' });
    mkdirSync(join(work, 'baselines'));
    writeFileSync(join(work, 'baselines/build.yml'), 'version: 1\nruns: 1\n');
    git(work, 'add', '.');
    git(work, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'old baseline');
    git(work, 'push', '-q', 'origin', 'HEAD');
    return { work, origin, temp };
  }

  function commitStep(file: string): Step {
    const job = Object.values(load(file).jobs).find(commits);
    const step = job?.steps.find((s) => s.run && /git push/.test(s.run));
    if (!step?.run || !step.env) throw new Error(`${file}: no commit step`);
    return step;
  }

  /** The step's env with its expressions replaced by what the runner would give. */
  function runStep(step: Step, cwd: string, temp: string) {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(step.env ?? {})) {
      env[k] = v
        .replace('${{ runner.temp }}', temp)
        .replace('${{ github.run_id }}', '1234')
        .replace(/\$\{\{ needs\.authorize\.outputs\.pr \}\}/g, '42')
        .replace('${{ needs.authorize.outputs.sha }}', 'a1b2c3d');
    }
    const summary = join(temp, 'summary.md');
    writeFileSync(summary, '');
    const r = spawnSync('bash', ['-e', '-c', step.run ?? ''], {
      cwd,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: temp, GITHUB_STEP_SUMMARY: summary, ...env },
    });
    return { ...r, env, summary: readFileSync(summary, 'utf8') };
  }

  test.each(PRIVILEGED)('%s: the commit step pushes the proposed baseline, alone, to a new branch', (file) => {
    const { work, origin, temp } = repository();
    mkdirSync(join(temp, 'proposed'));
    writeFileSync(join(temp, 'proposed/baseline.yml'), 'version: 1\nruns: 2\ninputs:\n  - "/usr/include/stdio.h"\n');
    writeFileSync(join(temp, 'proposed/report.json'), '{}\n');
    writeFileSync(join(work, 'stray.txt'), 'not to be committed\n');
    const r = runStep(commitStep(file), work, temp);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(0);
    const branch = r.env.BRANCH;
    expect(branch).toMatch(/^ioana\/update-baseline-/);
    expect(git(origin, 'show', `${branch}:baselines/build.yml`)).toContain('/usr/include/stdio.h');
    expect(git(origin, 'show', '--name-only', '--format=', branch)).toBe('baselines/build.yml');
    expect(r.summary).toContain(branch);
  });

  test.each(PRIVILEGED)('%s: the commit step refuses a link or a file that is not a baseline', (file) => {
    for (const make of [(p: string) => symlinkSync('/etc/hostname', p), (p: string) => writeFileSync(p, '#!/bin/sh\necho hello\n')]) {
      const { work, origin, temp } = repository();
      mkdirSync(join(temp, 'proposed'));
      make(join(temp, 'proposed/baseline.yml'));
      const r = runStep(commitStep(file), work, temp);
      expect(r.status).not.toBe(0);
      expect(r.stdout).toContain('::error::the artifact holds no proposed baseline');
      expect(git(origin, 'branch', '--list', 'ioana/*')).toBe('');
    }
  });

  test.each(PRIVILEGED)('%s: an unchanged baseline commits nothing', (file) => {
    const { work, origin, temp } = repository();
    mkdirSync(join(temp, 'proposed'));
    writeFileSync(join(temp, 'proposed/baseline.yml'), 'version: 1\nruns: 1\n');
    const r = runStep(commitStep(file), work, temp);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('nothing to commit');
    expect(git(origin, 'branch', '--list', 'ioana/*')).toBe('');
  });

  test("update-comment.yml: the build uses the base commit's baseline and .ioana.yml, whatever the pull request did to them", () => {
    const step = load('update-comment.yml').jobs.build.steps.find((s) => s.run);
    const root = scratchDir();
    // The pull request's tree: an edited baseline, a .ioana.yml that ignores everything
    // it can, and a link where the base has a directory.
    mkdirSync(join(root, 'src'));
    symlinkSync('src', join(root, 'baselines'));
    writeFileSync(join(root, 'src/build.yml'), 'version: 1\nruns: 1\ninputs: ["/evil"]\n');
    writeFileSync(join(root, '.ioana.yml'), 'ignore: ["/tmp/**"]\n');
    // The base commit, checked out beside it.
    mkdirSync(join(root, '.ioana-base/baselines'), { recursive: true });
    writeFileSync(join(root, '.ioana-base/baselines/build.yml'), 'version: 1\nruns: 3\n');
    const r = spawnSync('bash', ['-e', '-c', step?.run ?? 'false'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(lstatSync(join(root, 'baselines')).isDirectory()).toBe(true);
    expect(readFileSync(join(root, 'baselines/build.yml'), 'utf8')).toBe('version: 1\nruns: 3\n');
    // The base has no .ioana.yml: the defaults apply, not the pull request's.
    expect(existsSync(join(root, '.ioana.yml'))).toBe(false);
    expect(existsSync(join(root, '.ioana-base'))).toBe(false);
    expect(readFileSync(join(root, 'src/build.yml'), 'utf8')).toContain('/evil');
  });
});

/**
 * The README shows each example workflow verbatim, in a ```yaml block, so that what
 * users copy is what these tests check. Run alone: jest -t 'the README shows each
 * example workflow verbatim'.
 */
describe('the README shows each example workflow verbatim', () => {
  const readme = readFileSync(resolve('README.md'), 'utf8');
  test.each(FILES)('%s', (file) => {
    const block = '```yaml\n' + text(file) + '```\n';
    expect({ file, shown: readme.includes(block) }).toEqual({ file, shown: true });
  });
});
