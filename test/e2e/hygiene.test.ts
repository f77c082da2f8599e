/** Baseline hygiene: deterministic files, small diffs, and bad baselines left untouched. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier';
import { copyFixture, edit, ioana } from '../helpers/project.js';
import { tempDir } from '../helpers/trace.js';

const BUILD = ['make', '-j2', 'all', 'version'];

describe('the baseline file', () => {
  test('update on the same build twice gives byte-identical files', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.yml');
    const b = join(dir, 'b.yml');
    expect((await ioana('update', '--baseline', a, '--workspace', copyFixture('cproject'), '--', ...BUILD)).code).toBe(0);
    expect((await ioana('update', '--baseline', b, '--workspace', copyFixture('cproject'), '--', ...BUILD)).code).toBe(0);
    expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'));
    // --fresh on an existing baseline rewrites the same bytes.
    expect((await ioana('update', '--fresh', '--baseline', a, '--workspace', copyFixture('cproject'), '--', ...BUILD)).code).toBe(0);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
  });

  test('adding one header changes only the lines about that header', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.yml');
    const b = join(dir, 'b.yml');
    await ioana('update', '--baseline', a, '--workspace', copyFixture('cproject'), '--', ...BUILD);
    const changed = copyFixture('cproject');
    writeFileSync(join(changed, 'include/extra.h'), '#define EXTRA 1\n');
    edit(changed, 'lib/util.c', (t) => `#include "extra.h"\n${t}`);
    await ioana('update', '--baseline', b, '--workspace', changed, '--', ...BUILD);
    const before = readFileSync(a, 'utf8').split('\n');
    const after = readFileSync(b, 'utf8').split('\n');
    const added = after.filter((l) => !before.includes(l));
    const removed = before.filter((l) => !after.includes(l));
    expect(removed).toEqual([]);
    expect(new Set(added)).toEqual(new Set(['  - "{workspace}/include/extra.h"', '      - "{workspace}/include/extra.h"']));
    // One line in inputs, one in each of the four outputs it reaches.
    expect(after.length - before.length).toBe(5);
  });

  test('a prettier-formatted baseline: prettier leaves it as ioana writes it, and an update’s diff is only the changed entries', async () => {
    const repo = tempDir();
    mkdirSync(join(repo, '.git'));
    mkdirSync(join(repo, 'baselines'));
    const settings = { printWidth: 140, singleQuote: true, trailingComma: 'all' as const };
    writeFileSync(join(repo, '.prettierrc'), JSON.stringify(settings));
    const base = join(repo, 'baselines/build.yml');
    await ioana('update', '--quiet', '--baseline', base, '--workspace', copyFixture('cproject'), '--', ...BUILD);
    const first = readFileSync(base, 'utf8');
    expect(first).toMatch(/^ {2}- '\/usr\/include\/stdio\.h'$/m);
    expect(await format(first, { parser: 'yaml', ...settings })).toBe(first);
    const changed = copyFixture('cproject');
    writeFileSync(join(changed, 'include/extra.h'), '#define EXTRA 1\n');
    edit(changed, 'lib/util.c', (t) => `#include "extra.h"\n${t}`);
    await ioana('update', '--quiet', '--baseline', base, '--workspace', changed, '--', ...BUILD);
    const second = readFileSync(base, 'utf8');
    expect(await format(second, { parser: 'yaml', ...settings })).toBe(second);
    const before = first.split('\n');
    const after = second.split('\n');
    expect(before.filter((l) => !after.includes(l))).toEqual([]);
    expect(new Set(after.filter((l) => !before.includes(l)))).toEqual(
      new Set(["  - '{workspace}/include/extra.h'", "      - '{workspace}/include/extra.h'"]),
    );
  });

  test('update --merge adds a run: runs + 1, and an entry of one run only carries seen', async () => {
    const dir = tempDir();
    const base = join(dir, 'base.yml');
    await ioana('update', '--baseline', base, '--workspace', copyFixture('cproject'), '--', ...BUILD);
    const changed = copyFixture('cproject');
    writeFileSync(join(changed, 'include/extra.h'), '#define EXTRA 1\n');
    edit(changed, 'lib/util.c', (t) => `#include "extra.h"\n${t}`);
    await ioana('update', '--merge', '--baseline', base, '--workspace', changed, '--', ...BUILD);
    const text = readFileSync(base, 'utf8');
    expect(text).toMatch(/^runs: 2$/m);
    expect(text).toMatch(/^ {2}- \{ path: "\{workspace\}\/include\/extra\.h", seen: 1 \}$/m);
    // The header, seen in one run of two, is tolerated when absent.
    const check = await ioana('check', '--baseline', base, '--workspace', copyFixture('cproject'), '--', ...BUILD);
    expect(check.stdout).toMatch(/clean/);
  });

  test('--runs N --clean CMD records N clean runs', async () => {
    const base = join(tempDir(), 'base.yml');
    const r = await ioana(
      'update',
      '--baseline',
      base,
      '--runs',
      '2',
      '--clean',
      'make clean',
      '--workspace',
      copyFixture('cproject'),
      '--',
      ...BUILD,
    );
    expect(r.code).toBe(0);
    const text = readFileSync(base, 'utf8');
    expect(text).toMatch(/^runs: 2$/m);
    expect(text).not.toMatch(/seen: \d/);
  });

  test.each([
    ['a YAML syntax error', 'version: 1\nruns: 1\ninputs:\n  - "a"\n  - [unclosed\n', /:6: not valid YAML|:5: not valid YAML/],
    ['an unknown version', 'version: 7\nruns: 1\ninputs: []\n', /:1: unknown baseline version 7; this ioana reads version 1/],
    ['a wrong type', 'version: 1\nruns: "many"\n', /:2: "runs" must be a whole number/],
    ['an unknown key', 'version: 1\nruns: 1\nextras: []\n', /:3: unknown key "extras" in the baseline/],
  ])('%s is exit 2 with file and line, and the file is unchanged', async (_what, text, message) => {
    const base = join(tempDir(), 'bad.yml');
    writeFileSync(base, text);
    const dir = copyFixture('cproject');
    for (const cmd of ['check', 'update']) {
      const r = await ioana(cmd, '--baseline', base, '--workspace', dir, '--', ...BUILD);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(base);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(readFileSync(base, 'utf8')).toBe(text);
    }
  });

  test('a missing baseline in check is exit 2 and says how to create one', async () => {
    const r = await ioana('check', '--baseline', '/nonexistent/dir/base.yml', '--workspace', copyFixture('cproject'), '--', 'make');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /baseline not found: \/nonexistent\/dir\/base\.yml\n {2}Record one first, from a clean tree: ioana update --baseline \/nonexistent\/dir\/base\.yml --workspace \S+ -- make\n$/,
    );
  });

  test('a failed build in check is exit 3, with the report written', async () => {
    const dir = tempDir();
    const base = join(dir, 'base.yml');
    const ws = copyFixture('cproject');
    await ioana('update', '--baseline', base, '--workspace', ws, '--', ...BUILD);
    edit(ws, 'lib/util.c', (t) => `${t}\n#error broken\n`);
    await ioana('update', '--baseline', join(dir, 'never.yml'), '--workspace', ws, '--', 'make', 'clean');
    const report = join(dir, 'report.json');
    const r = await ioana('check', '--baseline', base, '--workspace', ws, '--json', report, '--', ...BUILD);
    expect(r.code).toBe(3);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ status: 'build-failed', build: { exitCode: 2 } });
    // update refuses to record a failed build.
    const u = await ioana('update', '--baseline', base, '--workspace', ws, '--', ...BUILD);
    expect(u.code).toBe(3);
  });
});
