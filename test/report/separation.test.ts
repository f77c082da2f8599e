/**
 * What the reports say of the wall between the build and ioana (issue 23): the wall and
 * who runs as what, whether the result is advisory, and every sudo the build ran with
 * which of the two held (it kept sudo, or had none).
 */
import { separationNote, wallWeakened } from '../../src/report/index.js';
import type { Report } from '../../src/report/index.js';

const build = (extra: Partial<Report['build']>): Report['build'] => ({ command: ['make'], exitCode: 0, signal: null, ...extra });
const WALL = {
  mode: 'sudo',
  description: 'the build ran in PID and mount namespaces of its own as runner, the tracer as root through sudo',
  sudo: true,
};

describe('the wall, in the reports', () => {
  test('a recorded log has none, and nothing is said', () => {
    expect(separationNote(build({}))).toBeUndefined();
    expect(wallWeakened(build({}))).toBe(false);
  });

  test('a wall the build did not weaken: its description, nothing to warn about', () => {
    expect(separationNote(build({ separation: WALL }))).toBe(`${WALL.description}.`);
    expect(wallWeakened(build({ separation: WALL }))).toBe(false);
  });

  test('no wall: the result is advisory, and why', () => {
    const b = build({ separation: { mode: 'none', description: 'beside ioana', advisory: 'no separation: unshare is not installed.' } });
    expect(separationNote(b)).toBe('advisory result: no separation: unshare is not installed.');
    expect(wallWeakened(b)).toBe(true);
  });

  test('a build that kept sudo and ran it: every sudo is named, and the wall is weakened', () => {
    const b = build({ separation: WALL, sudo: ['/usr/bin/sudo apt-get install -y zlib1g-dev', '/usr/bin/sudo true'] });
    expect(separationNote(b)).toBe(
      `${WALL.description}. It ran sudo 2 times (/usr/bin/sudo apt-get install -y zlib1g-dev; /usr/bin/sudo true): as root it can reach past the wall.`,
    );
    expect(wallWeakened(b)).toBe(true);
  });

  test('a build without sudo that tried it: named, and the wall held', () => {
    const b = build({ separation: { ...WALL, sudo: false }, sudo: ['/usr/bin/sudo -n true'] });
    expect(separationNote(b)).toBe(
      `${WALL.description}. It ran sudo once (/usr/bin/sudo -n true), which could not make it root: the build had no sudo.`,
    );
    expect(wallWeakened(b)).toBe(false);
  });

  test('more than three: the first three, then an ellipsis', () => {
    const sudo = ['a', 'b', 'c', 'd'].map((x) => `/usr/bin/sudo ${x}`);
    expect(separationNote(build({ separation: WALL, sudo }))).toContain('(/usr/bin/sudo a; /usr/bin/sudo b; /usr/bin/sudo c; …)');
  });
});
