/**
 * `ioana check --sarif FILE` end to end: the bundled CLI (dist/cli.js: `npm run package`
 * first) traces the real build of the C project under the real strace, after a
 * change; the SARIF log it writes is valid against the official schema, places each
 * finding where a reviewer looks, and two runs of the same change, in two different
 * directories, give the same fingerprints.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report, SarifLog, SarifResult } from '../../src/report/index.js';
import { FINGERPRINT_KEY } from '../../src/report/index.js';
import { copyFixture, edit } from '../helpers/project.js';
import { githubProblems, schemaErrors } from '../helpers/sarif.js';
import { tempDir } from '../helpers/trace.js';
import { CLI } from '../helpers/bundle.js';

const BUILD = ['make', '-j2', 'all', 'version'];

const cli = (...args: string[]) => spawnSync('node', [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const read = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const where = (r: SarifResult) => ({
  uri: r.locations[0].physicalLocation.artifactLocation.uri,
  line: r.locations[0].physicalLocation.region?.startLine,
});

/** A new header included by a library source, and the hashsum target removed. */
function change(dir: string): void {
  writeFileSync(join(dir, 'include/extra.h'), '#define EXTRA 1\n');
  edit(dir, 'lib/util.c', (t) => `#include "extra.h"\n${t}`);
  edit(dir, 'Makefile', (t) => t.replace('all: build/wordcount build/hashsum', 'all: build/wordcount'));
}

describe('ioana check --sarif, on a real build', () => {
  // The baseline, committed in the repository as users keep it: baselines/build.yml.
  const recorded = copyFixture('cproject');
  mkdirSync(join(recorded, 'baselines'));
  const baselineText = (): string => readFileSync(join(recorded, 'baselines/build.yml'), 'utf8');

  /** A fresh copy of the project with the baseline and the change; `check --json --sarif` on it. */
  function checkChanged(): { status: number | null; stdout: string; stderr: string; sarif: SarifLog; report: Report; dir: string } {
    const dir = copyFixture('cproject');
    mkdirSync(join(dir, 'baselines'));
    copyFileSync(join(recorded, 'baselines/build.yml'), join(dir, 'baselines/build.yml'));
    change(dir);
    const out = tempDir('ioana-sarif-out-');
    const r = cli(
      'check',
      '--baseline',
      join(dir, 'baselines/build.yml'),
      '--workspace',
      dir,
      '--json',
      join(out, 'report.json'),
      '--sarif',
      join(out, 'ioana.sarif'),
      '--',
      ...BUILD,
    );
    return { ...r, sarif: read<SarifLog>(join(out, 'ioana.sarif')), report: read<Report>(join(out, 'report.json')), dir };
  }

  let first: ReturnType<typeof checkChanged>;
  let second: ReturnType<typeof checkChanged>;
  beforeAll(() => {
    const r = cli('update', '--baseline', join(recorded, 'baselines/build.yml'), '--workspace', recorded, '--', ...BUILD);
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: expect.stringMatching(/^ioana: wrote /m) });
    first = checkChanged();
    second = checkChanged();
  }, 120_000);

  test('the check fails on the change, and the SARIF log is written all the same, valid', () => {
    for (const run of [first, second]) {
      expect(run.stderr).toBe('');
      expect(run.status).toBe(1);
      expect(schemaErrors(run.sarif)).toEqual([]);
      expect(githubProblems(run.sarif)).toEqual([]);
    }
  });

  test("one result per top-level finding of the JSON report, in its order, with the finding's message and level", () => {
    const { sarif, report } = first;
    const results = sarif.runs[0].results;
    expect(results.map((r) => [r.ruleId, r.properties.subject])).toEqual(report.findings.map((f) => [f.kind, f.subject]));
    for (const [i, r] of results.entries()) {
      // The finding's message, and how many findings follow from it (its effects, in the JSON report).
      const effects = report.findings[i].effects?.length ?? 0;
      const said = / \((\d+) more findings? follows? from it: see the JSON report\)\.$/.exec(r.message.text);
      expect({ effects: Number(said?.[1] ?? 0), message: said ? r.message.text.replace(said[0], '.') : r.message.text }).toEqual({
        effects,
        message: report.findings[i].message,
      });
      expect(r.level).toBe({ error: 'error', warning: 'warning', notice: 'note' }[report.findings[i].severity]);
    }
    expect(sarif.runs[0].properties).toMatchObject({
      status: 'changed',
      failing: report.failing,
      baseline: expect.stringContaining('baselines/build.yml'),
    });
    expect(sarif.runs[0].properties.accept).toMatch(/^ioana update --baseline .*baselines\/build\.yml/);
  });

  test('the new header is placed on the header; the removed target on its line of the baseline', () => {
    const results = first.sarif.runs[0].results;
    const header = results.find((r) => r.ruleId === 'new-input' && r.properties.subject === '{workspace}/include/extra.h');
    expect(header && where(header)).toEqual({ uri: 'include/extra.h', line: undefined });
    expect(header?.level).toBe('warning');
    const gone = results.find((r) => r.ruleId === 'vanished-output' && r.properties.subject === '{workspace}/build/hashsum');
    expect(gone && where(gone)).toEqual({ uri: 'baselines/build.yml', line: expect.any(Number) });
    expect(baselineText().split('\n')[gone!.locations[0].physicalLocation.region!.startLine - 1]).toContain('{workspace}/build/hashsum"');
    // Everything is in the repository, named relative to its root: no run's directory shows.
    for (const r of results) {
      expect(where(r).uri).not.toMatch(/^file:|^\//);
      expect(JSON.stringify(r)).not.toContain(first.dir);
    }
  });

  test('two runs of the same change, in two directories: the same fingerprints', () => {
    const prints = (log: SarifLog) => log.runs[0].results.map((r) => [r.ruleId, r.partialFingerprints]);
    expect(first.dir).not.toBe(second.dir);
    expect(prints(second.sarif)).toEqual(prints(first.sarif));
    const keys = first.sarif.runs[0].results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('ioana check --sarif, at the edges', () => {
  test('a build that fails: exit 3, and the SARIF log says the findings are partial', () => {
    const dir = tempDir();
    const baseline = join(dir, 'b.yml');
    expect(cli('update', '--baseline', baseline, '--workspace', dir, '--', 'sh', '-c', 'echo x > out').status).toBe(0);
    const sarif = join(tempDir(), 'r.sarif');
    const r = cli(
      'check',
      '--baseline',
      baseline,
      '--workspace',
      dir,
      '--sarif',
      sarif,
      '--',
      'sh',
      '-c',
      'echo x > out; echo y > extra; exit 4',
    );
    expect(r.status).toBe(3);
    const log = read<SarifLog>(sarif);
    expect(schemaErrors(log)).toEqual([]);
    expect(githubProblems(log)).toEqual([]);
    expect(log.runs[0].invocations[0]).toMatchObject({ executionSuccessful: false });
    expect(log.runs[0].invocations[0].toolExecutionNotifications?.[0].message.text).toMatch(/exit status 4/);
    // The new output, no file of the repository: placed on the baseline.
    const extra = log.runs[0].results.find((x) => x.properties.subject === '{workspace}/extra');
    expect(extra && where(extra)).toEqual({ uri: 'b.yml', line: undefined });
  });

  test('a directory that does not exist: exit 2 before the build runs, nothing written', () => {
    const dir = tempDir();
    const baseline = join(dir, 'b.yml');
    expect(cli('update', '--baseline', baseline, '--workspace', dir, '--', 'sh', '-c', 'echo x > out').status).toBe(0);
    const r = cli(
      'check',
      '--baseline',
      baseline,
      '--workspace',
      dir,
      '--sarif',
      '/nonexistent/ioana.sarif',
      '--',
      'sh',
      '-c',
      'touch ran',
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--sarif \/nonexistent\/ioana\.sarif: the directory \/nonexistent does not exist/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'ran'))).toBe(false);
  });

  test('--sarif - is refused: the log goes to a file', () => {
    const r = cli('check', '--baseline', 'b.yml', '--sarif', '-', '--', 'true');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--sarif needs a file/);
  });

  test('ioana help check documents --sarif', () => {
    const r = cli('help', 'check');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--sarif FILE\s+also write the findings as SARIF 2\.1\.0, for GitHub code scanning/);
    expect(r.stdout).toMatch(/\[--sarif FILE\]/);
  });
});
