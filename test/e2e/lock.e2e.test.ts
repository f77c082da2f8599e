/**
 * The baseline's lock and a killed writer's leftovers, through the bundled CLI: many
 * `ioana update`s at once against what an older ioana or a crash left (a lock file of
 * a dead process, an empty one), a full disk, temporary files of a writer killed
 * mid-write. A build is traced once; every update then reads its log.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBaseline } from '../../src/baseline/index.js';
import { mountTmpfs, unmountAll, withMount } from '../helpers/mount.js';
import { tempDir } from '../helpers/trace.js';
import { CLI } from '../helpers/bundle.js';

/** How many updates race in each trial, and how many trials. */
const RACERS = 8;
const TRIALS = 3;

/** The pid of a process that has exited and been reaped. */
function deadPid(): number {
  const r = spawnSync('sh', ['-c', 'echo $$']);
  return Number(String(r.stdout).trim());
}

const ws = tempDir();
const LOG = join(tempDir(), 'build.log');
/** A baseline of one run of the build, to copy. */
const FIRST = join(tempDir(), 'first.yml');

beforeAll(() => {
  writeFileSync(join(ws, 'in.txt'), 'in\n');
  const r = spawnSync(
    'node',
    [CLI, 'update', '--baseline', FIRST, '--workspace', ws, '--trace-out', LOG, '--', 'sh', '-c', 'cat in.txt > out.txt'],
    { encoding: 'utf8' },
  );
  expect(r.stdout).toMatch(/^ioana: wrote \S+ \(1 run\)/m);
  expect(r.status).toBe(0);
});
afterAll(unmountAll);

/** `ioana update --merge` of the traced build into `baseline`, in its own process (each run counts: what the lock protects). */
function update(baseline: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((res) => {
    const child = spawn('node', [CLI, 'update', '--merge', '--baseline', baseline, '--workspace', ws, '--trace', LOG], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => res({ code, stderr }));
  });
}

const runs = (baseline: string) => parseBaseline(readFileSync(baseline, 'utf8'), baseline).baseline.runs;

describe(`${RACERS} updates at once`, () => {
  test.each([
    ['a lock file left by a process that is gone', () => `${deadPid()}\n`],
    ['an empty lock file (a write of it cut short)', () => ''],
  ])(
    'against %s: every one exits 0 and counts, and the old file is removed',
    async (_what, lockText) => {
      for (let trial = 0; trial < TRIALS; trial++) {
        const b = join(tempDir(), 'b.yml');
        copyFileSync(FIRST, b);
        writeFileSync(`${b}.lock`, lockText());
        const results = await Promise.all(Array.from({ length: RACERS }, () => update(b)));
        expect(results.map((r) => r.code)).toEqual(Array(RACERS).fill(0));
        expect(runs(b)).toBe(1 + RACERS);
        expect(existsSync(`${b}.lock`)).toBe(false);
      }
    },
    240_000,
  );
});

describe('a full disk', () => {
  withMount('the update fails saying so, the baseline and the directory are unchanged; with space again it works', async () => {
    const tiny = mountTmpfs('size=64k')!;
    const b = join(tiny, 'b.yml');
    copyFileSync(FIRST, b);
    const before = readFileSync(b, 'utf8');
    // Fills it to the last page: dd stops at ENOSPC.
    spawnSync('dd', ['if=/dev/zero', `of=${join(tiny, 'fill')}`, 'bs=4k'], { stdio: 'ignore' });

    const full = await update(b);
    expect(full.code).toBe(2);
    expect(full.stderr).toBe(
      `ioana: cannot write ${b}: the disk of ${tiny} is full.\n  Nothing was written; the previous file, if any, is unchanged.\n`,
    );
    expect(readFileSync(b, 'utf8')).toBe(before);
    expect(readdirSync(tiny).sort()).toEqual(['b.yml', 'fill']);

    rmSync(join(tiny, 'fill'));
    const again = await update(b);
    expect(again.code).toBe(0);
    expect(runs(b)).toBe(2);
  });
});

describe('temporary files of a writer killed mid-write', () => {
  test("are removed by the next update; a living writer's and another file's are kept", async () => {
    const dir = tempDir();
    const b = join(dir, 'b.yml');
    copyFileSync(FIRST, b);
    const dead = deadPid();
    const leftovers = [`.b.yml.${dead}.0a1b2c3d.tmp`, `.b.yml.${deadPid()}.ffff0000.tmp`];
    const kept = [`.b.yml.${process.pid}.0a1b2c3d.tmp`, `.c.yml.${dead}.0a1b2c3d.tmp`, `.b.yml.${dead}.tmp`];
    for (const name of [...leftovers, ...kept]) writeFileSync(join(dir, name), readFileSync(FIRST));

    const r = await update(b);
    expect(r.code).toBe(0);
    expect(runs(b)).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(['b.yml', ...kept].sort());
  });
});
