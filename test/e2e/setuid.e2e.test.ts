/**
 * Under strace the kernel ignores the setuid and setgid bits, so a build that runs such
 * a program runs it without its privileges (issue 16). The reports say which ran.
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ioana } from '../helpers/project.js';
import { tempDir } from '../helpers/trace.js';

const SU = '/usr/bin/su';
const setuid = (() => {
  try {
    return (statSync(SU).mode & 0o4000) !== 0;
  } catch {
    return false;
  }
})();
const withSetuid = setuid ? test : test.skip;
if (!setuid) console.log(`skipped the setuid tests: ${SU} is not a setuid program on this machine.`);

function project(recipe: string): string {
  const dir = tempDir('ioana-setuid-');
  writeFileSync(join(dir, 'Makefile'), `all:\n\t${recipe}\n`);
  return dir;
}

async function checkJson(dir: string) {
  const b = join(dir, 'b.yml');
  expect((await ioana('update', '--baseline', b, '--workspace', dir, '--cwd', dir, '--', 'make', '-B')).code).toBe(0);
  const r = await ioana('check', '--baseline', b, '--workspace', dir, '--cwd', dir, '--json', '-', '--', 'make', '-B');
  return { r, report: JSON.parse(r.stdout) as { build: { setuid?: string[] } } };
}

describe('setuid programs', () => {
  withSetuid(
    'a build that runs su: the report names it, and the text says what strace does to it',
    async () => {
      const { report } = await checkJson(project(`${SU} --help > help.txt`));
      expect(report.build.setuid).toEqual([SU]);
      const dir = project(`${SU} --help > help.txt`);
      const b = join(dir, 'b.yml');
      await ioana('update', '--baseline', b, '--workspace', dir, '--cwd', dir, '--', 'make', '-B');
      const text = await ioana('check', '--baseline', b, '--workspace', dir, '--cwd', dir, '--', 'make', '-B');
      expect(text.stdout).toContain(
        `ioana: the build ran a setuid or setgid program (${SU}). Under strace they run without those privileges`,
      );
    },
    60_000,
  );

  test('a build without one: no setuid field, no note', async () => {
    const { r, report } = await checkJson(project('echo hi > out.txt'));
    expect(report.build.setuid).toBeUndefined();
    expect(r.stdout + r.stderr).not.toMatch(/"setuid"|setuid or setgid/);
  }, 60_000);
});
