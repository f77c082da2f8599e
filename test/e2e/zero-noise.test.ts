/**
 * Zero noise (DESIGN §3): two clean builds of the same source, in two different
 * directories, give zero findings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyFixture, ioana, TSC } from '../helpers/project.js';
import { tempDir } from '../helpers/trace.js';

const BUILD = ['sh', '-c', './configure && make -j2 all version'];

describe('two clean builds in two directories give zero findings', () => {
  test('the C project, with a configure step that compiles and deletes pid-named probes', async () => {
    const baseline = join(tempDir(), 'c.yml');
    const a = copyFixture('cproject');
    const b = copyFixture('cproject');
    const up = await ioana('update', '--baseline', baseline, '--workspace', a, '--', ...BUILD);
    expect(up).toMatchObject({ code: 0 });
    // The probe's pid-bearing name is canonical in the baseline.
    const text = readFileSync(baseline, 'utf8');
    expect(text).toMatch(/"\{workspace\}\/conftest\{pid\}"/);
    expect(text).not.toMatch(/conftest\d/);
    const check = await ioana('check', '--baseline', baseline, '--workspace', b, '--json', join(b, 'report.json'), '--', ...BUILD);
    expect(check.stdout).toMatch(/clean/);
    expect(check.code).toBe(0);
    expect(JSON.parse(readFileSync(join(b, 'report.json'), 'utf8')).findings).toEqual([]);
  });

  test('make -j1 against a baseline recorded with make -j2', async () => {
    const baseline = join(tempDir(), 'c.yml');
    expect(
      (await ioana('update', '--baseline', baseline, '--workspace', copyFixture('cproject'), '--', 'make', '-j2', 'CFLAGS=-pipe')).code,
    ).toBe(0);
    const check = await ioana('check', '--baseline', baseline, '--workspace', copyFixture('cproject'), '--', 'make', '-j1', 'CFLAGS=-pipe');
    expect(check.stdout).toMatch(/clean/);
    expect(check.code).toBe(0);
  });

  test('a TypeScript project compiled with tsc', async () => {
    const baseline = join(tempDir(), 'ts.yml');
    const a = copyFixture('tsproject');
    const b = copyFixture('tsproject');
    expect((await ioana('update', '--baseline', baseline, '--workspace', a, '--', 'node', TSC, '-p', 'tsconfig.json')).code).toBe(0);
    expect(readFileSync(baseline, 'utf8')).toMatch(/"\{workspace\}\/dist\/main\.js"/);
    const check = await ioana('check', '--baseline', baseline, '--workspace', b, '--', 'node', TSC, '-p', 'tsconfig.json');
    expect(check.stdout).toMatch(/clean/);
    expect(check.code).toBe(0);
  });
});
