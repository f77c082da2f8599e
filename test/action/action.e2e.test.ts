/**
 * The bundled action (dist/index.js) run exactly as the runner runs it: inputs in
 * INPUT_* variables, GITHUB_WORKSPACE, GITHUB_STEP_SUMMARY and GITHUB_OUTPUT files,
 * workflow commands on stdout, on a temporary git repository with a small C project.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from '../helpers/trace.js';

const ACTION = resolve('dist/index.js');

function project(): string {
  const ws = tempDir('ioana-action-');
  mkdirSync(join(ws, 'src'));
  writeFileSync(join(ws, 'src/util.h'), 'int twice(int x);\n');
  writeFileSync(join(ws, 'src/util.c'), '#include "util.h"\nint twice(int x) { return 2 * x; }\n');
  writeFileSync(join(ws, 'src/main.c'), '#include <stdio.h>\n#include "util.h"\nint main(void) { printf("%d\\n", twice(21)); return 0; }\n');
  writeFileSync(
    join(ws, 'Makefile'),
    'all: build/app\nbuild:\n\tmkdir -p build\nbuild/%.o: src/%.c | build\n\tcc -Isrc -c $< -o $@\nbuild/app: build/main.o build/util.o\n\tcc -o $@ $^\n',
  );
  execFileSync('git', ['init', '-q'], { cwd: ws });
  return ws;
}

interface ActionRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly summary: string;
  readonly outputs: Record<string, string>;
}

function runAction(ws: string, inputs: Record<string, string>): ActionRun {
  const dir = tempDir('ioana-runner-');
  const summary = join(dir, 'summary.md');
  const output = join(dir, 'output.txt');
  writeFileSync(summary, '');
  writeFileSync(output, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: ws,
    GITHUB_JOB: 'build',
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
    RUNNER_TEMP: dir,
    RUNNER_OS: 'Linux',
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const r = spawnSync('node', [ACTION], { cwd: ws, env, encoding: 'utf8' });
  const outputs: Record<string, string> = {};
  const text = readFileSync(output, 'utf8');
  for (const m of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]] = m[3];
  return { status: r.status, stdout: r.stdout, summary: readFileSync(summary, 'utf8'), outputs };
}

const annotations = (stdout: string, level: string) => stdout.split('\n').filter((l) => l.startsWith(`::${level} `) || l.startsWith(`::${level}::`));

describe('the action, as the runner runs it', () => {
  const ws = project();
  const run = 'make -B -j2';

  test('mode: update writes the baseline into the workspace', () => {
    const r = runAction(ws, { run, mode: 'update' });
    expect(r.status).toBe(0);
    expect(existsSync(join(ws, 'baselines/build.yml'))).toBe(true);
    expect(readFileSync(join(ws, 'baselines/build.yml'), 'utf8')).toMatch(/"\{workspace\}\/src\/util\.h"/);
    // There was no baseline: recording one is a change.
    expect(r.outputs.status).toBe('changed');
  });

  test('a clean check exits 0, with no warning or error annotations and findings = 0', () => {
    const r = runAction(ws, { run });
    expect(r.status).toBe(0);
    expect(annotations(r.stdout, 'error')).toEqual([]);
    expect(annotations(r.stdout, 'warning')).toEqual([]);
    expect(r.outputs).toMatchObject({ findings: '0', status: 'clean' });
    expect(existsSync(r.outputs.report)).toBe(true);
    expect(existsSync(r.outputs.baseline)).toBe(true);
    expect(r.summary).toMatch(/ioana: clean/);
    // No artifact service here: a notice, not a failure.
    expect(r.stdout).toMatch(/::notice::ioana: no artifact service on this runner/);
  });

  test('an added header fails the check with an annotation on the header, and the summary explains it', () => {
    writeFileSync(join(ws, 'src/extra.h'), '#define EXTRA 1\n');
    writeFileSync(join(ws, 'src/util.c'), '#include "extra.h"\n' + readFileSync(join(ws, 'src/util.c'), 'utf8'));
    const r = runAction(ws, { run });
    expect(r.status).toBe(1);
    const warnings = annotations(r.stdout, 'warning');
    // The runner's command format escapes ":" and "," in properties (%3A, %2C).
    expect(warnings.filter((l) => l.includes('file=src/extra.h'))).toEqual([
      expect.stringMatching(/^::warning title=ioana%3A new input,file=src\/extra\.h::The build now reads \{workspace\}\/src\/extra\.h, which reaches/),
    ]);
    expect(r.stdout).toMatch(/^::error::1 failing finding/m);
    expect(r.outputs.status).toBe('changed');
    expect(Number(r.outputs.findings)).toBeGreaterThanOrEqual(1);
    expect(r.summary).toContain('<code>src/extra.h</code>');
    expect(r.summary).toMatch(/```mermaid\nflowchart LR/);
    expect(r.summary).toContain("npx ioana update --baseline baselines/build.yml -- bash --noprofile --norc -eo pipefail -c 'make -B -j2'");
    expect(r.summary).toContain('mode: update');
    const report = JSON.parse(readFileSync(r.outputs.report, 'utf8'));
    expect(report.findings.map((f: { kind: string; subject: string }) => [f.kind, f.subject])).toContainEqual(['new-input', '{workspace}/src/extra.h']);
  });

  test('the accept command from the summary, run with the CLI, makes the next check clean', () => {
    const r = runAction(ws, { run });
    const command = /^npx ioana (update .*)$/m.exec(r.summary)![1];
    const accepted = spawnSync('bash', ['-c', `node ${resolve('dist/cli.js')} ${command}`], { cwd: ws, encoding: 'utf8' });
    expect(accepted.status).toBe(0);
    const after = runAction(ws, { run });
    expect(after.outputs).toMatchObject({ status: 'clean', findings: '0' });
    expect(after.status).toBe(0);
  });

  test('check mode writes nothing to the repository', () => {
    const before = execFileSync('git', ['status', '--porcelain', '--ignored'], { cwd: ws, encoding: 'utf8' });
    runAction(ws, { run });
    expect(execFileSync('git', ['status', '--porcelain', '--ignored'], { cwd: ws, encoding: 'utf8' })).toBe(before);
  });

  test('bad inputs fail the step with a clear message and no stack trace', () => {
    for (const [inputs, message] of [
      [{ run, mode: 'apply' }, /input "mode" must be check or update, not "apply"/],
      [{ run, 'fail-on': 'new-thing' }, /input "fail-on" has an unknown finding kind "new-thing"/],
      [{ run, mode: 'update', baseline: '../outside.yml' }, /refuses to write a baseline outside the workspace/],
      [{}, /Input required and not supplied: run/],
    ] as const) {
      const r = runAction(ws, inputs);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(message);
      expect(r.stdout).not.toMatch(/\n\s+at /);
    }
  });

  test('a failed build fails the step and names its status', () => {
    const r = runAction(ws, { run: 'exit 4' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/::error::The build failed: exit status 4\./);
    expect(r.outputs.status).toBe('build-failed');
  });
});
