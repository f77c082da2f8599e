/**
 * Traced by strace, a setuid or setgid program runs without its privileges: an
 * unprivileged tracer drops them (issue 16), and strace's --seccomp-bpf sets no_new_privs
 * whoever runs it. With the tracer root (ioana root, or through sudo: issue 23) and
 * --no-seccomp they keep them. The reports say which ran, and warn when they were dropped.
 */
import { spawnSync } from 'node:child_process';
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
/** Whether ioana's tracer runs as root here: ioana is root, or passwordless sudo puts strace there (issue 23). */
const rootTracer = process.getuid?.() === 0 || spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
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
      const note = `ioana: the build ran a setuid or setgid program (${SU}). Traced here they run without those privileges`;
      expect(text.stdout).toContain(note);
      // A root tracer without the seccomp filter lets them keep their privileges: no note.
      const kept = await ioana('check', '--no-seccomp', '--baseline', b, '--workspace', dir, '--cwd', dir, '--', 'make', '-B');
      if (rootTracer) expect(kept.stdout).not.toContain(note);
      else expect(kept.stdout).toContain(note);
    },
    60_000,
  );

  test('a build without one: no setuid field, no note', async () => {
    const { r, report } = await checkJson(project('echo hi > out.txt'));
    expect(report.build.setuid).toBeUndefined();
    expect(r.stdout + r.stderr).not.toMatch(/"setuid"|setuid or setgid/);
  }, 60_000);
});
