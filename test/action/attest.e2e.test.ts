/**
 * The action's `attest` input on the bundled example (examples/c-hello), run as the
 * runner runs the bundle (test/helpers/runner.ts: every input's default from action.yml,
 * the ACTIONS_* credentials with the fake artifact service behind them, the step files,
 * a git work tree): the `attestation` output names the statement, which is valid against
 * the in-toto Statement v1 and SLSA provenance v1 schemas, pins each subject by the
 * file's digest, says for each exactly the inputs the run's canonical graph reports,
 * is uploaded with the rest of the results, and holds no secret of the build's.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Statement } from '../../src/attest/index.js';
import { schemaErrors } from '../attest/schemas.js';
import { startArtifactService, type ArtifactService } from '../helpers/artifact-service.js';
import { runAction, type ActionRun } from '../helpers/runner.js';
import { tempDir } from '../helpers/trace.js';

/** As the project's CI runs the example: from clean, since `ar rcs` reads an archive that is already there. */
const RUN = 'make clean && make -j2';
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const commit = (cwd: string, message: string): string => {
  git(cwd, 'add', '-A');
  git(cwd, '-c', 'user.name=dev', '-c', 'user.email=dev@example.com', 'commit', '-qm', message);
  return git(cwd, 'rev-parse', 'HEAD');
};

/** The example in a git work tree with one commit, as actions/checkout leaves it; its build writes only there. */
function example(): string {
  const ws = tempDir('ioana-attest-action-');
  cpSync(resolve('examples/c-hello'), ws, { recursive: true, filter: (src) => !src.endsWith('/build') });
  writeFileSync(join(ws, '.gitignore'), 'build/\n');
  git(ws, 'init', '-q', '-b', 'main');
  commit(ws, 'the example');
  return ws;
}

/** ioana's own lines of a step's output: its messages and workflow commands, not the build's. */
const ioanaLines = (stdout: string): string =>
  stdout
    .split('\n')
    .filter((l) => /^(ioana:|::)/.test(l))
    .join('\n');

type Flow = { output: string; inputs: string[]; programs: string[]; endpoints: string[] };
const flows = (s: Statement) => new Map(s.predicate.runDetails.byproducts.map((b) => [b.name!, b.annotations as unknown as Flow]));

/** The run's canonical graph, as uploaded (graph.json): output → its `from`. */
function graphFrom(graph: Buffer): Map<string, string[]> {
  const g = JSON.parse(graph.toString('utf8')) as { outputs: { path: string; from: string[] }[] };
  return new Map(g.outputs.map((o) => [o.path, o.from]));
}

/** The statement the step wrote, and the same bytes as uploaded. */
function attested(r: ActionRun, service: ArtifactService): { statement: Statement; text: string; uploaded: Map<string, Buffer> } {
  const path = r.outputs.attestation;
  expect(path).toBeDefined();
  const text = readFileSync(path, 'utf8');
  const uploaded = new Map(service.artifacts.at(-1)!.files);
  return { statement: JSON.parse(text) as Statement, text, uploaded };
}

/** The bundled example with its baseline recorded by the action and committed, and the artifact service. */
async function recordedExample(): Promise<{ ws: string; service: ArtifactService; head: string }> {
  const ws = example();
  const service = await startArtifactService();
  const r = await runAction(ws, { run: RUN, mode: 'update' }, { service });
  if (r.status !== 0) throw new Error(`recording the baseline failed:\n${r.stdout}${r.stderr}`);
  return { ws, service, head: commit(ws, 'the baseline') };
}

describe('the action with attest, on the bundled example', () => {
  let ws: string;
  let service: ArtifactService;
  beforeAll(async () => {
    ({ ws, service } = await recordedExample());
  }, 120_000);
  afterAll(() => service.close());

  test('attest: ** writes the statement of every output, names it in the attestation output, and uploads it', async () => {
    const uploads = service.artifacts.length;
    const r = await runAction(ws, { run: RUN, attest: '**' }, { service });
    expect(r.status).toBe(0);
    expect(r.annotations('error')).toEqual([]);
    expect(r.annotations('warning')).toEqual([]);
    expect(r.outputs).toMatchObject({ status: 'clean', findings: '0' });
    // Beside the other results, outside the workspace: nothing in the repository changes.
    expect(basename(r.outputs.attestation)).toBe('attestation.intoto.json');
    expect(dirname(r.outputs.attestation)).toBe(dirname(r.outputs.report));
    expect(r.stdout).toMatch(/^ioana: attest: 5 subjects, \d+ inputs; hashed \d+ files/m);

    const { statement, text, uploaded } = attested(r, service);
    expect(schemaErrors(statement)).toBe('');
    expect(statement.subject.map((s) => s.name)).toEqual([
      'build/count.o',
      'build/greet.o',
      'build/hello',
      'build/libgreet.a',
      'build/main.o',
    ]);
    // Each subject's digest is the file's, as the build left it in the workspace.
    for (const s of statement.subject) expect(s.digest.sha256).toBe(sha256(readFileSync(join(ws, s.name))));

    // Uploaded with the other results, byte for byte.
    expect(service.artifacts.length).toBe(uploads + 1);
    expect([...uploaded.keys()].sort()).toEqual([
      'attestation.intoto.json',
      'baseline.yml',
      'flows.json',
      'graph.json',
      'io-flame.svg',
      'ioana.sarif',
      'report.json',
    ]);
    expect(uploaded.get('attestation.intoto.json')!.toString('utf8')).toBe(text);

    // Each subject's inputs are exactly its provenance in the canonical graph of the same run.
    const from = graphFrom(uploaded.get('graph.json')!);
    const byName = flows(statement);
    expect([...byName.keys()]).toEqual(statement.subject.map((s) => s.name));
    for (const s of statement.subject) {
      const flow = byName.get(s.name)!;
      expect(flow.output).toBe(`{workspace}/${s.name}`);
      expect(flow.inputs).toEqual(from.get(flow.output));
    }
    expect(byName.get('build/hello')!.inputs.filter((i) => i.startsWith('{workspace}/src/'))).toEqual([
      '{workspace}/src/count.c',
      '{workspace}/src/greet.c',
      '{workspace}/src/main.c',
    ]);
    // Every input once, and a workspace file by the file's digest.
    const deps = statement.predicate.buildDefinition.resolvedDependencies;
    expect(deps.map((d) => d.name)).toEqual([...new Set([...byName.values()].flatMap((f) => f.inputs))].sort());
    for (const d of deps.filter((x) => x.name!.startsWith('{workspace}/')))
      expect(d.digest?.sha256).toBe(sha256(readFileSync(join(ws, d.name!.slice('{workspace}/'.length)))));
    expect(statement.predicate.buildDefinition.externalParameters).toEqual({
      command: ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', RUN],
      workingDirectory: '.',
      subjects: ['**'],
    });
    expect(git(ws, 'status', '--porcelain')).toBe('');
  }, 60_000);

  test('attest globs (comma or newline separated) pick the subjects; the rest are counted, not attested', async () => {
    const r = await runAction(ws, { run: RUN, attest: 'build/hello,\nbuild/*.a' }, { service });
    expect(r.status).toBe(0);
    const { statement } = attested(r, service);
    expect(schemaErrors(statement)).toBe('');
    expect(statement.subject.map((s) => s.name)).toEqual(['build/hello', 'build/libgreet.a']);
    for (const s of statement.subject) expect(s.digest.sha256).toBe(sha256(readFileSync(join(ws, s.name))));
    expect(statement.predicate.buildDefinition.externalParameters).toMatchObject({ subjects: ['build/hello', 'build/*.a'] });
    expect(statement.predicate.buildDefinition.internalParameters).toMatchObject({ outputsNotPicked: 3 });
  }, 60_000);

  test('attest that picks no output: a warning, no attestation output, and the upload without it', async () => {
    const r = await runAction(ws, { run: RUN, attest: 'dist/*.tar.gz' }, { service });
    expect(r.status).toBe(0);
    expect(r.annotations('warning')).toEqual([expect.stringMatching(/attest input \(dist\/\*\.tar\.gz\) picked no output of the build/)]);
    expect(r.outputs.attestation).toBeUndefined();
    expect([...service.artifacts.at(-1)!.files.keys()]).not.toContain('attestation.intoto.json');
  }, 60_000);

  test('without upload-artifact, the statement is still written and named', async () => {
    const uploads = service.artifacts.length;
    const r = await runAction(ws, { run: RUN, attest: 'build/hello', 'upload-artifact': 'false' }, { service });
    expect(r.status).toBe(0);
    expect(service.artifacts.length).toBe(uploads);
    expect(existsSync(r.outputs.attestation)).toBe(true);
    expect(attested(r, service).statement.subject.map((s) => s.name)).toEqual(['build/hello']);
  }, 60_000);

  test('the attest input left at its default writes no statement', async () => {
    const r = await runAction(ws, { run: RUN }, { service });
    expect(r.status).toBe(0);
    expect(r.outputs.attestation).toBeUndefined();
    expect(r.stdout).not.toMatch(/ioana: attest:/);
    expect([...service.artifacts.at(-1)!.files.keys()]).not.toContain('attestation.intoto.json');
  }, 60_000);
});

describe('the action with attest on a pull request whose build handles secrets', () => {
  // Shaped like the runner's GITHUB_TOKEN (ghs_) and like a secret no format gives away.
  const TOKEN = 'ghs_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2';
  const PASSWORD = 'correct-horse-battery-staple';
  let ws: string;
  let head: string;
  let service: ArtifactService;
  beforeAll(async () => {
    ({ ws, service, head } = await recordedExample());
  }, 120_000);
  afterAll(() => service.close());

  test('the token and the password, in the environment, on the command lines and in a file name, are not in the statement', async () => {
    // The workflow passes the secrets in the step's env, and (as `${{ secrets.… }}` would) one of them literally in `run`.
    const run = [
      'make clean && make -j2 CFLAGS="-O1 -DTOKEN=$GITHUB_TOKEN -DPW=$DEPLOY_PASSWORD"',
      `cp build/hello "build/hello-$GITHUB_TOKEN"`,
      `echo ${PASSWORD} > build/stamp-${PASSWORD}`,
    ].join(' && ');
    const event = {
      name: 'pull_request',
      payload: {
        action: 'synchronize',
        number: 3,
        pull_request: {
          number: 3,
          author_association: 'COLLABORATOR',
          base: { sha: head, ref: 'main' },
          head: { sha: head, ref: 'secrets', repo: { fork: false } },
        },
      },
    };
    const r = await runAction(
      ws,
      { run, attest: '**' },
      { service, event, env: { GITHUB_TOKEN: TOKEN, DEPLOY_PASSWORD: PASSWORD, GITHUB_REF: 'refs/pull/3/merge' } },
    );
    // New outputs (the copy, the stamp) fail the check; the statement is written all the same.
    expect(r.outputs.status).toBe('changed');
    const { statement, text, uploaded } = attested(r, service);
    expect(schemaErrors(statement)).toBe('');
    // The build did see them: the compilers' arguments and the file names carried them.
    expect(existsSync(join(ws, `build/hello-${TOKEN}`))).toBe(true);
    for (const secret of [TOKEN, PASSWORD]) {
      expect(text).not.toContain(secret);
      expect(uploaded.get('attestation.intoto.json')!.toString('utf8')).not.toContain(secret);
      // Nor in what ioana printed about it (the build's own output is the runner's to mask).
      expect(ioanaLines(r.stdout)).not.toContain(secret);
    }
    const names = statement.subject.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['build/hello', 'build/hello-{redacted}', 'build/stamp-{redacted}']));
    // The redacted copy is still pinned by its content: the digest is the real file's.
    const copy = statement.subject.find((s) => s.name === 'build/hello-{redacted}')!;
    expect(copy.digest.sha256).toBe(sha256(readFileSync(join(ws, `build/hello-${TOKEN}`))));
    const hello = flows(statement).get('build/hello')!;
    // gcc hands the definitions on to cc1 as `-D TOKEN=…`.
    expect(hello.programs.filter((p) => p.includes('/cc1 '))).toEqual([
      expect.stringContaining('-D TOKEN={redacted} -D PW={redacted} src/count.c'),
      expect.stringContaining('-D TOKEN={redacted} -D PW={redacted} src/greet.c'),
      expect.stringContaining('-D TOKEN={redacted} -D PW={redacted} src/main.c'),
    ]);
    const command = statement.predicate.buildDefinition.externalParameters.command as string[];
    expect(command.at(-1)).toContain('{redacted}');
  }, 60_000);
});
