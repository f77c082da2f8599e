/**
 * Private scratch directories: made private, removed at the end of a run, and — when a
 * run was killed before it could remove its own — removed by the next run, but only
 * when they are provably a dead ioana's. Real processes, really killed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeLeftovers, scratchDir } from '../../src/io/scratch.js';
import { tempDir } from '../helpers/trace.js';
import { CLI } from '../helpers/bundle.js';

/** The pid of a process that has exited and been reaped. */
function deadPid(): number {
  const r = spawnSync('sh', ['-c', 'echo $$']);
  return Number(String(r.stdout).trim());
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

describe('scratchDir', () => {
  test('is private to the user, holds its marker, and is gone after remove()', () => {
    const base = tempDir();
    const s = scratchDir(base);
    expect(s.path).toMatch(new RegExp(`/ioana-${process.pid}-[A-Za-z0-9]{6}$`));
    expect(statSync(s.path).mode & 0o777).toBe(0o700);
    expect(existsSync(join(s.path, '.ioana-scratch'))).toBe(true);
    s.remove();
    expect(existsSync(s.path)).toBe(false);
  });
});

describe('removeLeftovers', () => {
  test("removes a dead ioana's directory, keeps a living one's, and anything not provably ioana's", () => {
    const base = tempDir();
    const dead = deadPid();
    const make = (name: string, marker: boolean) => {
      mkdirSync(join(base, name));
      if (marker) writeFileSync(join(base, name, '.ioana-scratch'), '1\n');
      return join(base, name);
    };
    const leftover = make(`ioana-${dead}-AbC123`, true);
    const living = make(`ioana-${process.pid}-XyZ789`, true);
    const unmarked = make(`ioana-${dead}-NoMark`, false);
    const otherName = make(`ioana-build-${dead}`, true);
    writeFileSync(join(base, `ioana-${dead}-aFile1`), 'a file, not a directory\n');

    expect(removeLeftovers(base)).toEqual([leftover]);
    expect(existsSync(leftover)).toBe(false);
    for (const kept of [living, unmarked, otherName, join(base, `ioana-${dead}-aFile1`)]) expect(existsSync(kept)).toBe(true);
  });

  test('a missing base directory is not an error', () => {
    expect(removeLeftovers(join(tempDir(), 'missing'))).toEqual([]);
  });
});

describe('a run killed with SIGKILL', () => {
  test('leaves its scratch directory, and the next run removes it', async () => {
    const tmp = tempDir();
    const ws = tempDir();
    const env = { ...process.env, TMPDIR: tmp };
    // Its own process group, so that the build and strace die with it.
    const child = spawn('node', [CLI, 'trace', '--out', join(ws, 'a.log'), '--', 'sleep', '30'], { env, detached: true, stdio: 'ignore' });
    const theirs = () => readdirSync(tmp).filter((n) => n.startsWith(`ioana-${child.pid}-`));
    for (let i = 0; i < 200 && theirs().length === 0; i++) await sleep(50);
    // Two at first: the log's and the gate's; the gate's goes once the build has been let through.
    for (let i = 0; i < 200 && theirs().length !== 1; i++) await sleep(50);
    expect(theirs()).toHaveLength(1);
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    expect(theirs()).toHaveLength(1);

    const next = spawnSync('node', [CLI, 'trace', '--out', join(ws, 'b.log'), '--', 'true'], { env, encoding: 'utf8' });
    expect(next.status).toBe(0);
    expect(readdirSync(tmp).filter((n) => n.startsWith('ioana-'))).toEqual([]);
  });
});
