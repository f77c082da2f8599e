/**
 * A build that writes thousands of files (issue 16), recorded and checked by the bundled
 * CLI with `fold-outputs`: the generated directory is one baseline entry with its count,
 * a clean rebuild is clean, and a change is one finding — more files in the set, or a
 * file outside it — never one per file.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../src/report/index.js';
import { tempDir } from '../helpers/trace.js';
// @ts-expect-error: the bench is plain JavaScript, without types
import { makeLargeProject } from '../../bench/large.js';
import { CLI } from '../helpers/bundle.js';

const SET = '{workspace}/out/gen/**';
const FILES = 3000;

describe(`a generator that writes ${FILES} files, folded with fold-outputs`, () => {
  const dir = tempDir('ioana-large-');
  const baseline = join(dir, 'baselines', 'build.yml');
  const ioana = (...args: string[]) => spawnSync('node', [CLI, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const clean = () => spawnSync('make', ['-s', 'clean'], { cwd: dir });
  /** `ioana check` of a clean build: its exit status and the findings of its JSON report. */
  const check = () => {
    clean();
    const report = join(dir, 'report.json');
    const r = ioana('check', '--quiet', '--baseline', baseline, '--json', report, '--', 'make', '-s', '-j2');
    return { status: r.status, stderr: r.stderr, findings: (JSON.parse(readFileSync(report, 'utf8')) as Report).findings };
  };

  beforeAll(() => {
    makeLargeProject(dir, FILES);
    mkdirSync(join(dir, 'baselines'));
    writeFileSync(join(dir, '.ioana.yml'), `fold-outputs: ["${SET}"]\n`);
    const r = ioana('update', '--baseline', baseline, '--', 'make', '-s', '-j2');
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: expect.stringContaining('wrote') });
  }, 180_000);

  test('the baseline records the directory as one entry that says it is a set of 3000 files', () => {
    const text = readFileSync(baseline, 'utf8');
    expect(text).toContain(`  - path: "${SET}"\n    files: ${FILES}\n    from:\n`);
    expect(text).toContain('# `files: N` marks a set of N generated files');
    expect(text).not.toMatch(/out\/gen\/f\d+\.txt/);
    expect(text.length).toBeLessThan(64 * 1024);
  });

  test('a clean rebuild is clean', () => {
    const r = check();
    expect({ status: r.status, findings: r.findings }).toEqual({ status: 0, findings: [] });
  }, 180_000);

  test('two more names: one finding, the set holds 2 more files', () => {
    const names = join(dir, 'data', 'names.txt');
    const before = readFileSync(names, 'utf8');
    appendFileSync(names, 'extra1\nextra2\n');
    try {
      const r = check();
      expect(r.status).toBe(1);
      expect(r.findings.map((f) => [f.kind, f.subject, f.files, f.message])).toEqual([
        [
          'new-output',
          SET,
          { now: FILES + 2, baseline: FILES },
          `The build now writes 2 more files in ${SET} (3002; the baseline has 3000).`,
        ],
      ]);
    } finally {
      writeFileSync(names, before);
    }
  }, 180_000);

  test('a file outside the set: one finding that names it', () => {
    const gen = join(dir, 'tools', 'gen.sh');
    const before = readFileSync(gen, 'utf8');
    appendFileSync(gen, 'echo extra > out/extra.txt\n');
    try {
      const r = check();
      expect(r.status).toBe(1);
      expect(r.findings.map((f) => [f.kind, f.subject])).toEqual([['new-output', '{workspace}/out/extra.txt']]);
    } finally {
      writeFileSync(gen, before);
    }
  }, 180_000);
});
