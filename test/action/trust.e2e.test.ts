/**
 * The action under a hostile pull request, run as the runner runs it (every input's
 * default, the ACTIONS_* credentials, the step files, a pull_request payload, a shallow
 * checkout of the head): the build cannot read the credentials, cannot forge what ioana
 * reports, and cannot accept its own change.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startArtifactService, type ArtifactService } from '../helpers/artifact-service.js';
import { runAction, STEP_FILES } from '../helpers/runner.js';
import { tempDir } from '../helpers/trace.js';
import { CLI } from '../helpers/bundle.js';

const RUN = 'make -B -j2';
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const commit = (cwd: string, message: string) => {
  git(cwd, 'add', '-A');
  git(cwd, '-c', 'user.name=dev', '-c', 'user.email=dev@example.com', 'commit', '-qm', message);
  return git(cwd, 'rev-parse', 'HEAD');
};
/** The baseline of the project in `dir`, recorded as the action records it. */
const record = (dir: string, ...extra: string[]) =>
  execFileSync(
    'node',
    [
      CLI,
      'update',
      '--fresh',
      '--baseline',
      'baselines/build.yml',
      ...extra,
      '--',
      'bash',
      '--noprofile',
      '--norc',
      '-eo',
      'pipefail',
      '-c',
      RUN,
    ],
    { cwd: dir, stdio: 'ignore' },
  );

interface Repo {
  readonly origin: string;
  readonly base: string;
  readonly head: string;
}

/**
 * A repository whose main branch has a C project and its baseline, and a pull request
 * that adds a header and a program, re-records the baseline itself, and adds
 * `severity: { "**": notice }` to .ioana.yml: a pull request that accepts its own change.
 */
function repository(): Repo {
  const work = tempDir('ioana-pr-work-');
  mkdirSync(join(work, 'src'));
  writeFileSync(join(work, 'src/util.h'), 'int twice(int x);\n');
  writeFileSync(join(work, 'src/util.c'), '#include "util.h"\nint twice(int x) { return 2 * x; }\n');
  writeFileSync(join(work, 'src/main.c'), '#include "util.h"\nint main(void) { return twice(0); }\n');
  const makefile =
    'all: build/app\nbuild:\n\tmkdir -p build\nbuild/%.o: src/%.c | build\n\tcc -Isrc -c $< -o $@\nbuild/app: build/main.o build/util.o\n\tcc -o $@ $^\n';
  writeFileSync(join(work, 'Makefile'), makefile);
  writeFileSync(join(work, '.gitignore'), 'build/\n');
  git(work, 'init', '-q', '-b', 'main');
  mkdirSync(join(work, 'baselines'));
  record(work);
  const base = commit(work, 'base');
  git(work, 'switch', '-q', '-c', 'pr');
  writeFileSync(join(work, 'src/extra.h'), '#define EXTRA 1\n');
  writeFileSync(join(work, 'src/util.c'), '#include "extra.h"\n' + readFileSync(join(work, 'src/util.c'), 'utf8'));
  writeFileSync(join(work, 'Makefile'), makefile.replace('\tcc -o $@ $^\n', '\tcc -o $@ $^\n\tgzip -c build/app > build/app.gz\n'));
  writeFileSync(join(work, '.ioana.yml'), 'severity: { "**": notice }\n');
  record(work);
  const head = commit(work, 'a header, a program, and the baseline re-recorded by the pull request');
  const origin = tempDir('ioana-pr-origin-');
  git(origin, 'clone', '-q', '--bare', work, 'repo.git');
  return { origin: join(origin, 'repo.git'), base, head };
}

/** A shallow checkout of the pull request's head, as actions/checkout leaves it (the base commit is not there). */
function checkout(repo: Repo): string {
  const ws = join(tempDir('ioana-pr-ws-'), 'repo');
  git(tempDir(), 'clone', '-q', '--depth', '1', '--branch', 'pr', `file://${repo.origin}`, ws);
  return ws;
}

const pullRequest = (repo: Repo, fork: boolean, association: string) => ({
  name: 'pull_request',
  payload: {
    action: 'synchronize',
    number: 7,
    pull_request: {
      number: 7,
      author_association: association,
      base: { sha: repo.base, ref: 'main' },
      head: { sha: repo.head, ref: 'pr', repo: { fork } },
    },
  },
});

describe('the action on a pull request that accepts its own change', () => {
  const repo = repository();
  let service: ArtifactService;
  beforeAll(async () => {
    service = await startArtifactService();
  });
  afterAll(() => service.close());

  const findings = (reportPath: string) =>
    (JSON.parse(readFileSync(reportPath, 'utf8')) as { findings: { kind: string; subject: string; failing: boolean; severity: string }[] })
      .findings;

  test('from a fork: the base branch decides, and the accepted entries and the weakened rule fail the check', async () => {
    const r = await runAction(checkout(repo), { run: RUN }, { service, event: pullRequest(repo, true, 'CONTRIBUTOR') });
    expect(r.status).toBe(1);
    const f = findings(r.outputs.report).map((x) => [x.kind, x.subject, x.failing]);
    expect(f).toEqual(
      expect.arrayContaining([
        ['baseline-edited', '{workspace}/src/extra.h', true],
        ['baseline-edited', '/usr/bin/gzip -c build/app', true],
        ['config-weakened', 'severity: **', true],
        // Compared with the base's baseline and configuration: the header is a failing new input.
        ['new-input', '{workspace}/src/extra.h', true],
      ]),
    );
    // Annotated on the line of the pull request's baseline that adds the entry.
    expect(
      r
        .annotations('error')
        .some((l) => /^::error title=ioana%3A the pull request edits the baseline,file=baselines\/build\.yml,line=\d+::/.test(l)),
    ).toBe(true);
  }, 60_000);

  test('from a collaborator: the edits apply, reported as warnings, and the check passes', async () => {
    const r = await runAction(checkout(repo), { run: RUN }, { service, event: pullRequest(repo, false, 'COLLABORATOR') });
    expect(r.status).toBe(0);
    const edits = findings(r.outputs.report).filter((x) => x.kind === 'baseline-edited' || x.kind === 'config-weakened');
    expect(edits.map((x) => x.subject)).toEqual(
      expect.arrayContaining(['{workspace}/src/extra.h', '/usr/bin/gzip -c build/app', 'severity: **']),
    );
    for (const e of edits) expect(e).toMatchObject({ severity: 'warning', failing: false });
  }, 60_000);

  test('a base commit that is not in the checkout and cannot be fetched: the step fails, saying what to set', async () => {
    const ws = checkout(repo);
    git(ws, 'remote', 'set-url', 'origin', `file://${tempDir()}/gone.git`);
    const r = await runAction(ws, { run: RUN }, { service, event: pullRequest(repo, true, 'CONTRIBUTOR') });
    expect(r.status).toBe(1);
    expect(r.annotations('error').join('\n')).toContain(`cannot read the pull request's base commit ${repo.base}`);
    expect(r.stdout).toContain('fetch-depth: 2');
    expect(r.summary).toBe('');
  }, 60_000);

  test("pr-edits: fail makes a collaborator's edits fail too", async () => {
    const r = await runAction(
      checkout(repo),
      { run: RUN, 'pr-edits': 'fail' },
      { service, event: pullRequest(repo, false, 'COLLABORATOR') },
    );
    expect(r.status).toBe(1);
  }, 60_000);
});

describe("the build's environment and ioana's own files", () => {
  let service: ArtifactService;
  beforeAll(async () => {
    service = await startArtifactService();
  });
  afterAll(() => service.close());

  test("a build that dumps its environment sees no runner credential, no input, none of ioana's step files", async () => {
    const ws = tempDir('ioana-env-');
    git(ws, 'init', '-q');
    const dump = join(tempDir(), 'env.txt');
    const r = await runAction(ws, { run: `env > ${dump}`, mode: 'update' }, { service });
    expect(r.status).toBe(0);
    const seen = readFileSync(dump, 'utf8');
    for (const [k, v] of Object.entries(r.env)) {
      if (k.startsWith('ACTIONS_') || k.startsWith('INPUT_')) {
        expect(seen).not.toContain(`${k}=`);
        if (v && v.length > 8) expect(seen).not.toContain(v);
      }
    }
    for (const name of STEP_FILES) {
      expect(seen).toMatch(new RegExp(`^${name}=`, 'm'));
      expect(seen).not.toContain(r.env[name]!);
    }
    expect(seen).toContain(`GITHUB_WORKSPACE=${ws}`);
  });

  test('a build that forges the summary and the outputs changes nothing ioana reports', async () => {
    const ws = tempDir('ioana-forge-');
    git(ws, 'init', '-q');
    const forge = [
      'printf "## ✅ ioana: clean\\n<!--\\n" >> "$GITHUB_STEP_SUMMARY"',
      'echo status=clean >> "$GITHUB_OUTPUT"',
      // and the real files, found by their directory, which is no secret
      'for f in "$RUNNER_TEMP"/_runner_file_commands/*; do printf "## ✅ ioana: clean\\n<!--\\n" >> "$f"; echo status=clean >> "$f"; done',
      'echo "::error::forged annotation"; echo "::set-output name=status::clean"',
      'echo built > out.txt',
    ].join('; ');
    await runAction(ws, { run: 'echo built > out.txt', mode: 'update' }, { service });
    const r = await runAction(ws, { run: forge }, { service });
    // Only what ioana wrote: its headline first, no comment that hides the rest.
    expect(r.summary.split('\n')[0]).toMatch(/^## ❌ ioana: failing — \d+ of \d+ findings? fails? the check/);
    expect(r.summary.split('\n').filter((l) => l.trim() === '<!--')).toEqual([]);
    expect(r.summary.match(/^## /gm)).toHaveLength(1);
    expect(r.outputs.status).toBe('changed');
    expect(r.files.GITHUB_OUTPUT).not.toMatch(/^status=clean$/m);
    const kinds = findings(r.outputs.report).map((x) => x.kind);
    expect(kinds).toContain('tampering');
    expect(r.annotations('error').filter((l) => l.includes('forged'))).toEqual([]);
    expect(r.status).toBe(1);
  });

  test('a build that floods the report: no level past 10 annotations, the summary under 1 MiB in bytes, drawing and accept kept', async () => {
    const ws = tempDir('ioana-flood-');
    git(ws, 'init', '-q');
    await runAction(ws, { run: 'echo built > out.txt', mode: 'update' }, { service });
    // 400 new outputs with long non-ASCII names, and credential reads (errors): far more
    // findings than annotations may show.
    const name = `ファイル-${'é'.repeat(60)}`;
    const flood = [
      // One new output per directory, so that no two are grouped into one finding.
      `for i in $(seq 1 400); do mkdir -p "out/$i" && printf x > "out/$i/${name}"; done`,
      'cat /etc/passwd /etc/group > /dev/null',
      'echo built > out.txt',
    ].join('; ');
    const r = await runAction(ws, { run: flood }, { service });
    expect(r.status).toBe(1);
    expect(findings(r.outputs.report).length).toBeGreaterThan(400);
    for (const level of ['error', 'warning', 'notice'] as const) expect(r.annotations(level).length).toBeLessThanOrEqual(10);
    expect(r.annotations('error').length).toBeGreaterThan(0);
    expect(Buffer.byteLength(r.summary, 'utf8')).toBeLessThan(1024 * 1024);
    expect(r.summary).toContain('```mermaid');
    expect(r.summary).toContain('### Accept this change');
  }, 120_000);

  const findings = (reportPath: string) => (JSON.parse(readFileSync(reportPath, 'utf8')) as { findings: { kind: string }[] }).findings;
});
