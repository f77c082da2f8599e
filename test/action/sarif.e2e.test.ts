/**
 * The action's SARIF log (its `sarif` input and output), run by the bundled action
 * (dist/index.js) as the runner runs it (test/helpers/runner.ts), with a fake artifact
 * service: always written beside the report and uploaded with it; also where the
 * `sarif` input asks, inside the workspace; valid for code scanning.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SarifLog } from '../../src/report/index.js';
import { FINGERPRINT_KEY } from '../../src/report/index.js';
import { startArtifactService, type ArtifactService } from '../helpers/artifact-service.js';
import { runAction } from '../helpers/runner.js';
import { githubProblems, schemaErrors } from '../helpers/sarif.js';
import { tempDir } from '../helpers/trace.js';

/** A small C project in a git work tree with one commit. */
function project(): string {
  const ws = tempDir('ioana-action-sarif-');
  mkdirSync(join(ws, 'src'));
  writeFileSync(join(ws, 'src/util.h'), 'int twice(int x);\n');
  writeFileSync(join(ws, 'src/util.c'), '#include "util.h"\nint twice(int x) { return 2 * x; }\n');
  writeFileSync(join(ws, 'src/main.c'), '#include "util.h"\nint main(void) { return twice(21) == 42 ? 0 : 1; }\n');
  writeFileSync(
    join(ws, 'Makefile'),
    'all: build/app\nbuild:\n\tmkdir -p build\nbuild/%.o: src/%.c | build\n\tcc -Isrc -c $< -o $@\nbuild/app: build/main.o build/util.o\n\tcc -o $@ $^\n',
  );
  writeFileSync(join(ws, '.gitignore'), 'build/\n');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ws, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=dev', '-c', 'user.email=dev@example.com', 'commit', '-qm', 'initial');
  return ws;
}

const status = (ws: string) => execFileSync('git', ['status', '--porcelain', '--ignored'], { cwd: ws, encoding: 'utf8' });
const read = (path: string): SarifLog => JSON.parse(readFileSync(path, 'utf8')) as SarifLog;
const prints = (log: SarifLog) => log.runs[0].results.map((r) => [r.ruleId, r.partialFingerprints[FINGERPRINT_KEY]]);

describe("the action's SARIF log", () => {
  const ws = project();
  const run = 'make -B -j2';
  let service: ArtifactService;
  let first: SarifLog;
  beforeAll(async () => {
    service = await startArtifactService();
    const r = await runAction(ws, { run, mode: 'update' }, { service });
    expect(r.status).toBe(0);
    // The change every test checks: a new header.
    writeFileSync(join(ws, 'src/extra.h'), '#define EXTRA 1\n');
    writeFileSync(join(ws, 'src/util.c'), '#include "extra.h"\n' + readFileSync(join(ws, 'src/util.c'), 'utf8'));
  }, 120_000);
  afterAll(() => service.close());

  test('by default: ioana.sarif in the results directory, named by the output, uploaded with the report; nothing in the repository', async () => {
    const before = status(ws);
    const uploads = service.artifacts.length;
    const r = await runAction(ws, { run }, { service });
    expect(r.status).toBe(1);
    expect(r.outputs.sarif).toMatch(new RegExp(`^${r.env.RUNNER_TEMP}/ioana-results-[^/]+/ioana\\.sarif$`));
    first = read(r.outputs.sarif);
    expect(schemaErrors(first)).toEqual([]);
    expect(githubProblems(first)).toEqual([]);
    const header = first.runs[0].results.find((x) => x.properties.subject === '{workspace}/src/extra.h');
    expect(header).toMatchObject({
      ruleId: 'new-input',
      level: 'warning',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'src/extra.h', uriBaseId: '%SRCROOT%' } } }],
    });
    expect(first.runs[0].tool.driver).toMatchObject({ name: 'ioana', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    // The same findings as the JSON report.
    const report = JSON.parse(readFileSync(r.outputs.report, 'utf8')) as { findings: { kind: string; subject: string }[] };
    expect(first.runs[0].results.map((x) => [x.ruleId, x.properties.subject])).toEqual(report.findings.map((f) => [f.kind, f.subject]));
    // Uploaded with the report: a job that can write security events can take it from the artifact.
    expect(service.artifacts.length).toBe(uploads + 1);
    expect(service.artifacts.at(-1)!.files.get('ioana.sarif')?.toString('utf8')).toBe(readFileSync(r.outputs.sarif, 'utf8'));
    expect(status(ws)).toBe(before);
  }, 120_000);

  test('sarif: reports/ioana.sarif writes it there too (making the directory), and the output names that file', async () => {
    const r = await runAction(ws, { run, sarif: 'reports/ioana.sarif' }, { service });
    expect(r.status).toBe(1);
    expect(r.outputs.sarif).toBe(join(ws, 'reports/ioana.sarif'));
    const log = read(r.outputs.sarif);
    expect(schemaErrors(log)).toEqual([]);
    expect(githubProblems(log)).toEqual([]);
    expect(service.artifacts.at(-1)!.files.get('ioana.sarif')?.toString('utf8')).toBe(readFileSync(r.outputs.sarif, 'utf8'));
    // Another run of the same change: the same fingerprints.
    expect(prints(log)).toEqual(prints(first));
  }, 120_000);

  test('a link the build leaves at that path is replaced, never followed', async () => {
    const victim = join(tempDir(), 'victim');
    writeFileSync(victim, 'not ioana\u2019s\n');
    const r = await runAction(
      ws,
      { run: `${run} && mkdir -p out && ln -sf ${victim} out/ioana.sarif`, sarif: 'out/ioana.sarif' },
      { service },
    );
    expect(r.outputs.sarif).toBe(join(ws, 'out/ioana.sarif'));
    expect(readFileSync(victim, 'utf8')).toBe('not ioana\u2019s\n');
    expect(lstatSync(join(ws, 'out/ioana.sarif')).isFile()).toBe(true);
    expect(schemaErrors(read(r.outputs.sarif))).toEqual([]);
  }, 120_000);

  test('a directory fails the step before the build runs', async () => {
    mkdirSync(join(ws, 'reports-dir'));
    const r = await runAction(ws, { run: `touch ran && ${run}`, sarif: 'reports-dir' }, { service });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/::error::ioana: input "sarif" names a directory: reports-dir\./);
    expect(existsSync(join(ws, 'ran'))).toBe(false);
  });

  test('a path outside the workspace fails the step before the build runs, saying why', async () => {
    for (const sarif of ['../outside.sarif', '/tmp/ioana.sarif', '.']) {
      const r = await runAction(ws, { run: `touch ran && ${run}`, sarif }, { service });
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/::error::ioana: input "sarif" must name a file inside the workspace, not /);
      expect(r.stdout).not.toMatch(/\n\s+at /);
      expect(existsSync(join(ws, 'ran'))).toBe(false);
    }
  });
});
