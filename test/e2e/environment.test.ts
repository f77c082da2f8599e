/** The environment: strace missing, a baseline that cannot be written, a full disk, two updates at once. */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseBaseline } from '../../src/baseline/index.js';
import { ioana } from '../helpers/project.js';
import { tempDir } from '../helpers/trace.js';
import { CLI } from '../helpers/bundle.js';

const LOG = resolve('test/fixtures/traces/cproject-make-j2.log');

/** A small tmpfs, when this machine lets us mount one (root with CAP_SYS_ADMIN). */
function mountTmpfs(options: string): string | undefined {
  const dir = tempDir('ioana-mnt-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    return undefined;
  }
}
const mounted: string[] = [];
afterAll(() => {
  for (const m of mounted) execFileSync('umount', [m], { stdio: 'ignore' });
});
const canMount = (() => {
  const m = mountTmpfs('size=16k');
  if (m) execFileSync('umount', [m]);
  return m !== undefined;
})();
const withMount = canMount ? test : test.skip;

describe('the environment', () => {
  test('strace missing: exit 2, naming strace and how to install it', async () => {
    const saved = process.env.IOANA_STRACE;
    process.env.IOANA_STRACE = '/nonexistent/strace';
    try {
      // The baseline is read before strace is looked for: make one exist.
      const b = join(tempDir(), 'b.yml');
      await ioana('update', '--baseline', b, '--trace', LOG);
      const c = await ioana('check', '--baseline', b, '--', 'true');
      expect(c.code).toBe(2);
      expect(c.stderr).toMatch(
        /^ioana: strace was not found \(looked for "\/nonexistent\/strace" on PATH\); ioana runs your build under strace\.\n {2}Install strace: `sudo apt-get install -y strace`/,
      );
    } finally {
      if (saved === undefined) delete process.env.IOANA_STRACE;
      else process.env.IOANA_STRACE = saved;
    }
  });

  test('a baseline directory that does not exist: exit 2, nothing written', async () => {
    const r = await ioana('update', '--baseline', '/nonexistent/dir/b.yml', '--trace', LOG);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^ioana: --baseline \/nonexistent\/dir\/b\.yml: the directory \/nonexistent\/dir does not exist\.\n {2}Create it first \(mkdir -p \/nonexistent\/dir\)/,
    );
  });

  withMount('a read-only file system for the baseline: exit 2, the file unchanged', async () => {
    const dir = tempDir();
    const b = join(dir, 'b.yml');
    await ioana('update', '--baseline', b, '--trace', LOG);
    const before = readFileSync(b, 'utf8');
    execFileSync('mount', ['-o', 'bind,ro', dir, dir]);
    mounted.push(dir);
    const r = await ioana('update', '--baseline', b, '--trace', LOG);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is on a read-only file system/);
    expect(readFileSync(b, 'utf8')).toBe(before);
  });

  withMount('a full temporary directory does not cut the trace: the log is a pipe, never on disk', () => {
    const tiny = mountTmpfs('size=32k')!;
    mounted.push(tiny);
    const ws = tempDir();
    const b = join(tempDir(), 'b.yml');
    // A separate process: TMPDIR must reach os.tmpdir(), which jest's sandbox would not pass on.
    const r = spawnSync(
      'node',
      [
        CLI,
        'update',
        '--baseline',
        b,
        '--workspace',
        ws,
        '--',
        'sh',
        '-c',
        'for i in 1 2 3 4 5 6 7 8; do cat /etc/hostname > /dev/null; ls / > /dev/null; done',
      ],
      {
        env: { ...process.env, TMPDIR: tiny },
        encoding: 'utf8',
      },
    );
    expect(r.stdout).toMatch(/^ioana: wrote /m);
    expect(r.status).toBe(0);
    expect(readFileSync(b, 'utf8')).toContain('"/etc/hostname"');
  });

  withMount('a copy of the log asked for on a full disk: the check still reads the whole log, and says the copy is incomplete', () => {
    const tiny = mountTmpfs('size=16k')!;
    mounted.push(tiny);
    const ws = tempDir();
    const b = join(tempDir(), 'b.yml');
    const build = ['--', 'sh', '-c', 'for i in $(seq 1 40); do cat /etc/hostname > /dev/null; done'];
    const r = spawnSync('node', [CLI, 'update', '--baseline', b, '--workspace', ws, '--trace-out', join(tiny, 'kept.log'), ...build], {
      encoding: 'utf8',
    });
    expect(r.stderr).toMatch(
      /ioana: warning: the copy of the log in \S+kept\.log is incomplete \(no space left on its disk\); the analysis read the whole log\./,
    );
    expect(r.status).toBe(0);
    const t = spawnSync('node', [CLI, 'trace', '--out', join(tiny, 'again.log'), ...build], { encoding: 'utf8' });
    expect(t.status).toBe(2);
    expect(t.stderr).toMatch(/ioana: the log \S+again\.log is incomplete: no space left on its disk\./);
  });
});

describe('a read-only workspace', () => {
  withMount('check writes nothing there: a build that only reads checks clean', async () => {
    const ws = tempDir();
    writeFileSync(join(ws, 'input.txt'), 'x');
    const b = join(tempDir(), 'b.yml');
    expect((await ioana('update', '--baseline', b, '--workspace', ws, '--', 'sh', '-c', 'cat input.txt > /dev/null')).code).toBe(0);
    execFileSync('mount', ['-o', 'bind,ro', ws, ws]);
    mounted.push(ws);
    const r = await ioana('check', '--baseline', b, '--workspace', ws, '--', 'sh', '-c', 'cat input.txt > /dev/null');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/clean/);
  });
});

describe('nothing lost', () => {
  test('updates racing on one baseline with --merge: every run is in it, and it parses', async () => {
    const dir = tempDir();
    const b = join(dir, 'b.yml');
    const run = () =>
      new Promise<number | null>((res) =>
        spawn('node', [CLI, 'update', '--merge', '--baseline', b, '--workspace', '/tmp/ioana-example', '--trace', LOG], {
          stdio: 'ignore',
        }).on('exit', res),
      );
    const codes = await Promise.all([run(), run(), run(), run()]);
    expect(codes).toEqual([0, 0, 0, 0]);
    const parsed = parseBaseline(readFileSync(b, 'utf8'), b).baseline;
    expect(parsed.runs).toBe(4);
    expect(() => readFileSync(`${b}.lock`)).toThrow();
  });

  test('a stale lock left by a process that is gone is taken over', async () => {
    const dir = tempDir();
    const b = join(dir, 'b.yml');
    mkdirSync(dir, { recursive: true });
    execFileSync('sh', ['-c', `echo 999999 > '${b}.lock'`]);
    const r = await ioana('update', '--baseline', b, '--trace', LOG);
    expect(r.code).toBe(0);
    rmSync(b);
  });
});
