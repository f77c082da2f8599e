/**
 * The I/O flame graph of real builds (issue 26): the C fixture (make -j2, cc1, as, ld)
 * and a TypeScript project compiled by tsc (node), traced by the real strace with
 * `--detailed`. The folded stacks follow the format's grammar line by line, their total
 * is the flows' total (nothing lost to folding), the heaviest program's frames are
 * where the build's work is (cc1 reading headers; node reading the project's sources),
 * and the same trace gives the same bytes. Where headless Chromium runs, the SVG of the
 * C build opens in it and shows those frames (FLAME_SCREENSHOT=file.png keeps the
 * screenshot).
 */
import { jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Flow } from '../../src/graph/index.js';
import { copyFixture, ioana, TSC } from '../helpers/project.js';
import { tempDir, trace } from '../helpers/trace.js';

jest.setTimeout(180_000);

const GRAMMAR = /^[^;\n]+(;[^;\n]+)* \d+$/;

/** A build traced with read/write, and what `ioana graph` makes of it. */
async function flame(dir: string, command: string[], weight: 'calls' | 'bytes') {
  const t = await trace(command, dir, { detailed: true });
  expect(t.outcome.exitCode).toBe(0);
  const graph = (...extra: string[]) => ioana('graph', '--trace', t.logPath, '--workspace', dir, ...extra);
  const folded = await graph('--format', 'folded', '--weight', weight);
  const again = await graph('--format', 'folded', '--weight', weight);
  const flows = (JSON.parse((await graph('--flows')).stdout) as { flows: Flow[] }).flows;
  const svg = await graph('--format', 'flame', '--weight', weight);
  expect([folded.code, svg.code]).toEqual([0, 0]);
  expect(again.stdout).toBe(folded.stdout);
  const lines = folded.stdout.trimEnd().split('\n');
  return { lines, flows, svg: svg.stdout, folded: folded.stdout };
}

const total = (lines: readonly string[]) => lines.reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
const weightOf = (lines: readonly string[], prefix: string) => total(lines.filter((l) => l.startsWith(prefix)));

describe('flame graphs of real builds', () => {
  test('the C fixture (make -j2): cc1 reads the system headers; every line in the grammar; totals kept', async () => {
    const dir = copyFixture('cproject');
    const f = await flame(dir, ['sh', '-c', 'make clean >/dev/null && make -j2 all'], 'bytes');
    for (const l of f.lines) expect(l).toMatch(GRAMMAR);
    expect(total(f.lines)).toBe(f.flows.reduce((n, x) => n + (x.read ?? 0) + (x.written ?? 0), 0));
    // cc1 read stdio.h (its size, once per compile that includes it) from /usr/include.
    expect(f.lines.some((l) => /^cc1;\/;usr;include;stdio\.h \d+$/.test(l))).toBe(true);
    expect(weightOf(f.lines, 'cc1;{workspace};')).toBeGreaterThan(0);
    // The compiler's work is most of the build's reading: more bytes under cc1 than under make.
    expect(weightOf(f.lines, 'cc1;')).toBeGreaterThan(weightOf(f.lines, 'make;'));
    inBrowser(f.svg, ['cc1', 'include', 'stdio.h', 'make']);
  });

  test('a TypeScript project compiled by tsc: node reads the project’s sources and writes dist/', async () => {
    const dir = copyFixture('tsproject');
    const f = await flame(dir, [process.execPath, TSC, '-p', dir], 'calls');
    for (const l of f.lines) expect(l).toMatch(GRAMMAR);
    expect(total(f.lines)).toBe(f.flows.reduce((n, x) => n + x.calls, 0));
    expect(f.lines.some((l) => /^node;\{workspace\};src;[^;]+\.ts \d+$/.test(l))).toBe(true);
    expect(f.lines.some((l) => /^node;\{workspace\};dist;[^;]+\.js \d+$/.test(l))).toBe(true);
  });
});

/** Opens the SVG in headless Chromium (when it runs here) and expects these frames' labels in the page. */
function inBrowser(svg: string, frames: readonly string[]): void {
  const chromium = process.env.CHROMIUM ?? 'chromium';
  if (spawnSync('sh', ['-c', 'command -v "$1"', 'sh', chromium], { stdio: 'ignore' }).status !== 0) {
    console.warn(`flame-builds.e2e: the browser check is skipped: ${chromium} is not installed (sudo apt-get install -y chromium)`);
    return;
  }
  const dir = tempDir('ioana-flame-build-');
  const file = join(dir, 'flame.svg');
  writeFileSync(file, svg);
  const run = (...args: string[]) =>
    spawnSync(
      chromium,
      ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${join(dir, 'profile')}`, ...args],
      {
        encoding: 'utf8',
        timeout: 60_000,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
  const dom = run('--dump-dom', pathToFileURL(file).href);
  expect({ status: dom.status }).toEqual({ status: 0 });
  const labels = [...dom.stdout.matchAll(/<g class="f"[^>]*data-n="([^"]*)"/g)].map((m) => m[1]);
  expect(labels).toEqual(expect.arrayContaining([...frames]));
  const shot = join(dir, 'flame.png');
  expect(run(`--screenshot=${shot}`, '--window-size=1200,700', pathToFileURL(file).href).status).toBe(0);
  expect(readFileSync(shot).subarray(1, 4).toString('latin1')).toBe('PNG');
  if (process.env.FLAME_SCREENSHOT) copyFileSync(shot, process.env.FLAME_SCREENSHOT);
  rmSync(dir, { recursive: true, force: true });
}
