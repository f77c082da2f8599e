/**
 * The bundled action (dist/index.js) run exactly as the runner runs it (test/helpers/
 * runner.ts): every input with action.yml's default, the ACTIONS_* credentials with a
 * fake artifact service behind them, the GITHUB_* step files, in a git work tree.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_CONFIG_FILE } from '../../src/config/index.js';
import { ebpfUnavailable } from '../helpers/ebpf.js';
import { startArtifactService, type ArtifactService } from '../helpers/artifact-service.js';
import { gitServer, npmConfig } from '../helpers/package.js';
import { actionInputs, runAction } from '../helpers/runner.js';
import { tempDir } from '../helpers/trace.js';

/** A small C project in a git work tree with one commit, and no .ioana.yml. */
function project(): string {
  const ws = tempDir('ioana-action-');
  mkdirSync(join(ws, 'src'));
  writeFileSync(join(ws, 'src/util.h'), 'int twice(int x);\n');
  writeFileSync(join(ws, 'src/util.c'), '#include "util.h"\nint twice(int x) { return 2 * x; }\n');
  writeFileSync(
    join(ws, 'src/main.c'),
    '#include <stdio.h>\n#include "util.h"\nint main(void) { printf("%d\\n", twice(21)); return 0; }\n',
  );
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

describe('the action and action.yml agree', () => {
  test('the configuration default in action.yml is the file the code treats as the default', () => {
    expect(actionInputs().get('config')).toBe(DEFAULT_CONFIG_FILE);
  });

  test('every input the code reads is declared, and only run is required', () => {
    const names = [...actionInputs().keys()].sort();
    expect(names).toEqual([
      'artifact-name',
      'attest',
      'backend',
      'baseline',
      'config',
      'disable-sudo',
      'fail-on',
      'mode',
      'pr-edits',
      'run',
      'sarif',
      'separation',
      'upload-artifact',
      'working-directory',
    ]);
    expect([...actionInputs()].filter(([, d]) => d === undefined).map(([n]) => n)).toEqual(['run']);
  });
});

describe('the action, as the runner runs it', () => {
  const ws = project();
  const run = 'make -B -j2';
  let service: ArtifactService;
  beforeAll(async () => {
    service = await startArtifactService();
  });
  afterAll(() => service.close());

  test('a repository without .ioana.yml: mode update records the baseline with every other input at its default', async () => {
    const r = await runAction(ws, { run, mode: 'update' }, { service });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.annotations('error')).toEqual([]);
    expect(r.annotations('warning')).toEqual([]);
    expect(readFileSync(join(ws, 'baselines/build.yml'), 'utf8')).toMatch(/"\{workspace\}\/src\/util\.h"/);
    expect(r.stdout).toMatch(/ioana: wrote baselines\/build\.yml \(1 run\): \d+ inputs, 3 outputs, \d+ programs, 0 endpoints\. Commit it/);
    // There was no baseline: recording one is a change.
    expect(r.outputs.status).toBe('changed');
  });

  test('then a check is clean: exit 0, no warning or error, and the uploaded artifact holds the report', async () => {
    const uploads = service.artifacts.length;
    const r = await runAction(ws, { run }, { service });
    expect(r.status).toBe(0);
    expect(r.annotations('error')).toEqual([]);
    expect(r.annotations('warning')).toEqual([]);
    expect(r.outputs).toMatchObject({ findings: '0', status: 'clean' });
    expect(existsSync(r.outputs.report)).toBe(true);
    expect(existsSync(r.outputs.baseline)).toBe(true);
    expect(r.summary).toMatch(/ioana: clean/);
    expect(service.artifacts.length).toBe(uploads + 1);
    const artifact = service.artifacts.at(-1)!;
    expect(artifact.name).toBe('ioana');
    expect([...artifact.files.keys()].sort()).toEqual([
      'baseline.yml',
      'flows.json',
      'graph.json',
      'io-flame.svg',
      'ioana.sarif',
      'report.json',
    ]);
    expect(JSON.parse(artifact.files.get('report.json')!.toString('utf8'))).toMatchObject({ status: 'clean', findings: [] });
    // Where the I/O went: the flame graph in the artifact, the heaviest directories in the summary.
    expect(artifact.files.get('io-flame.svg')!.toString('utf8')).toMatch(/<svg[\s\S]*<\/svg>\s*$/);
    expect(r.summary).toMatch(/### Where the I\/O went\n\n\| directory \| (?:opens|bytes \(read and written\)) \| share \|/);
  });

  const ebpfReason = ebpfUnavailable();
  if (ebpfReason) console.warn(`action.e2e: the backend: ebpf test is SKIPPED — eBPF cannot trace here: ${ebpfReason}`);
  test('the default back end is auto: a notice says which one ran, and why not eBPF when it could not', async () => {
    const r = await runAction(ws, { run }, { service });
    expect(r.status).toBe(0);
    expect(r.annotations('notice').join('\n')).toMatch(
      ebpfReason
        ? /--backend auto: tracing with strace; eBPF cannot trace here: /
        : /--backend auto: tracing with eBPF \(ioana's collector/,
    );
  });

  (ebpfReason ? test.skip : test)(
    'backend: ebpf checks the same build against the baseline strace recorded: clean, and a notice says eBPF ran',
    async () => {
      const u = await runAction(ws, { run, mode: 'update', backend: 'strace', baseline: 'baselines/strace.yml' }, { service });
      expect(u.status).toBe(0);
      const r = await runAction(ws, { run, backend: 'ebpf', baseline: 'baselines/strace.yml' }, { service });
      expect(r.status).toBe(0);
      expect(r.annotations('error')).toEqual([]);
      expect(r.outputs).toMatchObject({ findings: '0', status: 'clean' });
      expect(r.annotations('notice').join('\n')).toMatch(/tracing with eBPF \(ioana's collector/);
      expect(r.stdout).toMatch(/ioana: running the build under eBPF/);
    },
  );

  test('a configuration file the workflow names and that does not exist fails the step, naming it', async () => {
    const r = await runAction(ws, { run, config: 'ci/ioana.yml' }, { service });
    expect(r.status).toBe(1);
    expect(r.annotations('error')).toEqual([expect.stringMatching(/^::error::ioana: configuration file not found: ci\/ioana\.yml/)]);
  });

  test('an added header fails the check with an annotation on the header, and the summary explains it', async () => {
    writeFileSync(join(ws, 'src/extra.h'), '#define EXTRA 1\n');
    writeFileSync(join(ws, 'src/util.c'), '#include "extra.h"\n' + readFileSync(join(ws, 'src/util.c'), 'utf8'));
    const r = await runAction(ws, { run }, { service });
    expect(r.status).toBe(1);
    // The runner's command format escapes ":" and "," in properties (%3A, %2C).
    expect(r.annotations('warning').filter((l) => l.includes('file=src/extra.h'))).toEqual([
      expect.stringMatching(
        /^::warning title=ioana%3A new input,file=src\/extra\.h::The build now reads \{workspace\}\/src\/extra\.h, which reaches/,
      ),
    ]);
    expect(r.stdout).toMatch(/^::error::1 failing finding/m);
    expect(r.outputs.status).toBe('changed');
    expect(Number(r.outputs.findings)).toBeGreaterThanOrEqual(1);
    expect(r.summary).toContain('<code>src/extra.h</code>');
    expect(r.summary).toMatch(/```mermaid\nflowchart LR/);
    // Pinned to the ref the runner ran (GITHUB_ACTION_REF), from the action's repository.
    expect(r.summary).toContain(
      "npx --yes --package='git+https://github.com/ioana/action.git#v1' -- ioana update --baseline baselines/build.yml -- bash --noprofile --norc -eo pipefail -c 'make -B -j2'",
    );
    expect(r.summary).toContain('mode: update');
    const report = JSON.parse(readFileSync(r.outputs.report, 'utf8'));
    expect(report.findings.map((f: { kind: string; subject: string }) => [f.kind, f.subject])).toContainEqual([
      'new-input',
      '{workspace}/src/extra.h',
    ]);
  });

  test('the accept command from the summary, run as printed, records the baseline and the next check is clean', async () => {
    // The action's own repository on a git host (file://: no network here), at the ref the workflow pinned.
    const host = gitServer('v1');
    const env = { GITHUB_SERVER_URL: host.server };
    const r = await runAction(ws, { run }, { service, env });
    expect(r.status).toBe(1);
    const printed = /^(npx .* ioana update .*)$/m.exec(r.summary)![1];
    expect(printed).toContain(`--package='${host.spec}'`);
    const before = readFileSync(join(ws, 'baselines/build.yml'), 'utf8').split('\n');
    // Run where a maintainer runs it: a shell like the runner's (SHELL, HOME, PATH, LANG set), not the
    // test runner's own environment. Without SHELL, bash asks the password database who it is, and that
    // read is part of the build: a real difference between two environments, not between two builds.
    const shell = Object.fromEntries(Object.entries(r.env).filter(([k]) => !/^(GITHUB_|ACTIONS_|INPUT_|RUNNER_|CI$)/.test(k)));
    const accepted = spawnSync('bash', ['-c', printed], { cwd: ws, encoding: 'utf8', env: { ...shell, ...npmConfig() } });
    const wrote = accepted.stdout.match(/^ioana: wrote .*$/m)?.[0] ?? accepted.stderr.match(/^ioana: .*$/m)?.[0];
    if (wrote !== 'ioana: wrote baselines/build.yml (1 run): +1 input.') {
      // What the accepted run added to the baseline, to tell why.
      const added = readFileSync(join(ws, 'baselines/build.yml'), 'utf8')
        .split('\n')
        .filter((l) => !before.includes(l) && /"\{|\/|exe:|endpoint/.test(l));
      throw new Error(`the accepted run wrote ${JSON.stringify(wrote ?? accepted.stderr)}, adding:\n${added.join('\n')}`);
    }
    expect(accepted.status).toBe(0);
    const after = await runAction(ws, { run }, { service, env });
    expect(after.outputs).toMatchObject({ status: 'clean', findings: '0' });
    expect(after.status).toBe(0);
  }, 120_000);

  test('check mode writes nothing to the repository', async () => {
    const before = execFileSync('git', ['status', '--porcelain', '--ignored'], { cwd: ws, encoding: 'utf8' });
    await runAction(ws, { run }, { service });
    expect(execFileSync('git', ['status', '--porcelain', '--ignored'], { cwd: ws, encoding: 'utf8' })).toBe(before);
  });

  test('bad inputs fail the step with a clear message and no stack trace', async () => {
    for (const [inputs, message] of [
      [{ run, mode: 'apply' }, /input "mode" must be check or update, not "apply"/],
      [{ run, 'fail-on': 'new-thing' }, /input "fail-on" has an unknown finding kind "new-thing"/],
      [{ run, backend: 'dtrace' }, /input "backend" must be strace, ebpf, auto, not "dtrace"/],
      [{ run, mode: 'update', baseline: '../outside.yml' }, /refuses to write a baseline outside the workspace/],
      [{}, /Input required and not supplied: run/],
    ] as const) {
      const r = await runAction(ws, inputs, { service });
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(message);
      expect(r.stdout).not.toMatch(/\n\s+at /);
    }
  });

  test('a failed build fails the step and names its status', async () => {
    const r = await runAction(ws, { run: 'exit 4' }, { service });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/::error::The build failed: exit status 4\./);
    expect(r.outputs.status).toBe('build-failed');
  });
});

test('the test runs the bundle users run', () => {
  expect(existsSync(resolve('dist/index.js'))).toBe(true);
});
