/**
 * Privilege separation (issue 23, src/trace/separation.ts): which wall each machine gets,
 * what its launcher is, and that the model reads the launcher back from the gate's
 * command line (the same programs, in the same order), on literal probes: this test
 * asks the machine nothing.
 */
import { launcherChain } from '../../src/model/processes.js';
import {
  chooseSeparation,
  GATE,
  INIT,
  launchBehind,
  launcherFor,
  NO_SEPARATION,
  PID_BASE,
  restoredEnv,
} from '../../src/trace/separation.js';

const which = (p: string) => (['unshare', 'setpriv', 'sudo', 'env'].includes(p) ? `/usr/bin/${p}` : undefined);
/** The namespaces and ioana's init that every walled launcher starts with. */
const WALLED = ['/usr/bin/unshare', '--pid', '--fork', '--mount-proc', '--kill-child', '--', ...INIT(PID_BASE)];

/** A machine where the commands starting with one of `ok` work (and env has --default-signal: coreutils 8.31). */
const machine =
  (...ok: string[]) =>
  (cmd: readonly string[]) =>
    [...ok, '/usr/bin/env --default-signal'].some((o) => cmd.join(' ').startsWith(o));

describe('the wall each machine gets', () => {
  test('the namespace’s first process is ioana’s: it numbers pids from PID_BASE, runs the command with its standard input and signals, outlives SIGINT and SIGTERM, and ends with its status', () => {
    expect(INIT(100000)).toEqual([
      '/bin/sh',
      '-c',
      'trap : INT TERM; echo 100000 >/proc/sys/kernel/ns_last_pid 2>/dev/null; exec /usr/bin/env --default-signal=INT,QUIT "$@" <&0 & ' +
        'while :; do wait "$!" 2>/dev/null; s=$?; [ "$s" -gt 128 ] && kill -0 "$!" 2>/dev/null && continue; exit "$s"; done',
      'ioana-init',
    ]);
  });

  test('a GitHub-hosted runner (passwordless sudo): the tracer as root through sudo, the build as the runner in namespaces of its own', () => {
    const s = chooseSeparation({ uid: 1001, which, works: machine('/usr/bin/sudo -n'), env: {} });
    expect(s.mode).toBe('sudo');
    expect(s.tracer).toEqual(['/usr/bin/sudo', '-n', '-E']);
    expect(s.launcher).toEqual([
      ...WALLED,
      '/usr/bin/setpriv',
      '--reuid=1001',
      `--regid=${process.getgid?.() ?? 0}`,
      '--init-groups',
      '--',
    ]);
    expect(s.advisory).toBeUndefined();
    expect(s.description).toMatch(/the build kept sudo/);
  });

  test('disable-sudo: the build gets no new privileges (sudo cannot raise them)', () => {
    const s = chooseSeparation({ uid: 1001, which, works: machine('/usr/bin/sudo -n'), env: {}, buildSudo: false });
    expect(s.launcher).toContain('--no-new-privs');
    expect(s.description).toMatch(/without sudo/);
  });

  test('root (a container), and root through sudo: the build goes back to the user who ran ioana', () => {
    expect(chooseSeparation({ uid: 0, which, works: machine('/usr/bin/unshare'), env: {} }).launcher).toEqual([...WALLED]);
    const bySudo = chooseSeparation({
      uid: 0,
      which,
      works: machine('/usr/bin/unshare'),
      env: { SUDO_UID: '1001', SUDO_GID: '118', SUDO_USER: 'runner' },
    });
    expect(bySudo.mode).toBe('root');
    expect(bySudo.launcher).toEqual(expect.arrayContaining(['/usr/bin/setpriv', '--reuid=1001', '--regid=118']));
    expect(bySudo.description).toMatch(/as runner/);
  });

  test('no sudo: an unprivileged user namespace, mapping the user to itself', () => {
    const s = chooseSeparation({ uid: 1001, which, works: machine('/usr/bin/unshare --map-current-user'), env: {} });
    expect(s.mode).toBe('userns');
    expect(s.launcher[0]).toBe('/usr/bin/unshare');
    expect(s.launcher).toContain('--map-current-user');
  });

  test('none of it (Ubuntu 24.04 without sudo): advisory, and says why', () => {
    const s = chooseSeparation({ uid: 1001, which, works: machine(), env: {} });
    expect(s.mode).toBe('none');
    expect(s.advisory).toMatch(
      /no separation between the build and ioana: there is no passwordless sudo, and unprivileged user namespaces are not allowed/,
    );
    expect(chooseSeparation({ uid: 1001, which: () => undefined, works: machine('/usr/bin/sudo'), env: {} }).advisory).toMatch(
      /unshare and setpriv \(util-linux 2\.32 or later\) or env with --default-signal/,
    );
  });
});

test('an env without --default-signal (coreutils before 8.31): no wall, and the report says what to install', () => {
  const s = chooseSeparation({ uid: 1001, which, works: (cmd) => cmd.join(' ').startsWith('/usr/bin/sudo -n'), env: {} });
  expect(s.mode).toBe('none');
  expect(s.advisory).toMatch(/env with --default-signal \(coreutils 8\.31 or later\)/);
});

describe("the model reads the launcher back from the gate's command line", () => {
  test.each([
    ['sudo', launcherFor('sudo', { uid: 1001, gid: 118 }, { buildSudo: true, dropTo: true })],
    ['sudo, no build sudo', launcherFor('sudo', { uid: 1001, gid: 118 }, { buildSudo: false, dropTo: true })],
    ['root', launcherFor('root', { uid: 0, gid: 0 }, { buildSudo: true, dropTo: false })],
    ['userns', launcherFor('userns', { uid: 1001, gid: 118 }, { buildSudo: true, dropTo: false })],
    ['none', launcherFor('none', { uid: 1001, gid: 118 }, { buildSudo: true, dropTo: false })],
    ['--no-separation', { launcher: NO_SEPARATION.launcher, images: [...NO_SEPARATION.images] }],
  ])('%s', (_mode, { launcher, images }) => {
    expect(launcherChain([...GATE, '/tmp/ioana-1-abcdef/gate.fifo', ...launcher, 'make', '-j2'])).toEqual(images);
  });

  test('a first program that is not the gate has no launcher (a recorded log of another tool, an old one of ioana)', () => {
    expect(launcherChain(['bash', '-c', 'make'])).toEqual([]);
    expect(launcherChain(['/bin/sh', '-c', 'read _ <"$0" && exec "$@"'])).toEqual([]);
  });
});

describe('the launcher of a back end without a tracer of its own (eBPF)', () => {
  const env = { PATH: '/home/runner/.local/bin:/usr/bin', HOME: '/home/runner', USER: 'runner', SUDO_UID: '7' };

  test('through sudo: sudo, env giving the build its PATH, HOME and USER back and unsetting what sudo added, then the launcher', () => {
    const s = chooseSeparation({ uid: 1001, which, works: machine('/usr/bin/sudo -n'), env: {} });
    expect(launchBehind(s, env)).toEqual([
      '/usr/bin/sudo',
      '-n',
      '-E',
      '/usr/bin/env',
      '-u',
      'SUDO_USER',
      '-u',
      'SUDO_GID',
      '-u',
      'SUDO_COMMAND',
      '-u',
      'SUDO_HOME',
      'PATH=/home/runner/.local/bin:/usr/bin',
      'HOME=/home/runner',
      'USER=runner',
      ...s.launcher,
    ]);
  });

  test('as root or in a user namespace: the launcher alone; without a wall: nothing', () => {
    const root = chooseSeparation({ uid: 0, which, works: machine('/usr/bin/unshare'), env: {} });
    expect(launchBehind(root, env)).toEqual(root.launcher);
    expect(restoredEnv(root, env)).toEqual({ set: [], unset: [] });
    expect(launchBehind(NO_SEPARATION, env)).toEqual([]);
    expect(launchBehind(undefined, env)).toEqual([]);
  });
});
