/**
 * The I/O flame graph in a real browser (headless Chromium): the SVG renders (a
 * screenshot of the window's size, with more drawn than an empty graph's), its script runs
 * without an error, the top frames' labels are in the page, `?s=` searches, and a click
 * zooms and a click on `all` resets.
 *
 * Needs Debian's chromium (`sudo apt-get install -y chromium`): where it is missing or
 * cannot start, every test here is skipped, and the reason is printed. With
 * FLAME_SCREENSHOT=/some/file.png the screenshot is kept there, to look at.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JSDOM } from 'jsdom';
import { flameSvg, type IoSample } from '../../src/report/flame.js';
import { tempDir } from '../helpers/trace.js';

/** The browser to run; CHROMIUM=… names another (a path, or `chromium-browser`). */
const CHROMIUM = process.env.CHROMIUM ?? 'chromium';
const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--enable-logging=stderr'];

const s = (program: string, path: string, weight: number): IoSample => ({ program, path, weight });

/** Total 117: cc1 72 (stdio.h 42, stdlib.h 20, a.c 10), ld 30, curl 7, make 5, sh 3. */
const SAMPLES: readonly IoSample[] = [
  s('cc1', '/usr/include/stdio.h', 42),
  s('cc1', '/usr/include/stdlib.h', 20),
  s('cc1', '{workspace}/src/a.c', 10),
  s('ld', '/usr/lib/x86_64-linux-gnu/libc.so.6', 30),
  s('curl', '203.0.113.5:443', 7),
  s('make', '{workspace}/Makefile', 5),
  s('sh', 'pipe', 3),
];

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly error?: Error;
}

const dir = tempDir('ioana-flame-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Chromium with a profile of its own (two runs never share one), headless, on `url`. */
function chromium(...args: string[]): Run {
  const profile = tempDir('ioana-chromium-');
  try {
    return spawnSync(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, ...args], {
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

function unavailable(): string | undefined {
  if (spawnSync('sh', ['-c', 'command -v "$1"', 'sh', CHROMIUM], { stdio: 'ignore' }).status !== 0)
    return `${CHROMIUM} is not installed (sudo apt-get install -y chromium)`;
  const run = chromium('--dump-dom', 'about:blank');
  if (run.status === 0 && run.stdout.includes('<html')) return undefined;
  const why = run.error?.message ?? run.stderr.trim().split('\n').slice(-3).join(' | ');
  return `${CHROMIUM} does not start here (exit ${run.status}): ${why}`;
}

const reason = unavailable();
if (reason) console.warn(`flame-browser.e2e: SKIPPED — ${reason}`);
const inBrowser = reason ? describe.skip : describe;

/** Runs chromium and fails on an exit status or an error of the page's script (Chromium logs the console to stderr). */
function page(...args: string[]): string {
  const run = chromium(...args);
  if (run.status !== 0)
    throw new Error(`chromium ${args.join(' ')} exited ${run.status}: ${run.error?.message ?? run.stderr.slice(-3000)}`);
  expect(run.stderr).not.toMatch(/Uncaught|CONSOLE.*error/i);
  return run.stdout;
}

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const url = (file: string, query = ''): string => `${pathToFileURL(file).href}${query}`;

/** An HTML page with the SVG inline and a script that clicks the frames named, in order. */
function clicking(svg: string, names: readonly string[]): string {
  const clicks = names.map((n) => `g(${JSON.stringify(n)}).dispatchEvent(new MouseEvent('click', { bubbles: true }));`).join('\n');
  const inline = svg.replace(/^<\?xml[^>]*>\n/, '');
  return `<!doctype html>\n<html><body>\n${inline}\n<script>\nconst g = (n) => document.querySelector('g.f[data-n="' + n + '"]');\n${clicks}\n</script>\n</body></html>\n`;
}

/** A frame's group and rect in a page Chromium dumped. */
function frameIn(doc: Document, name: string) {
  const g = doc.querySelector(`g.f[data-n="${name}"]`)!;
  const rect = g.querySelector('rect')!;
  return {
    display: g.getAttribute('display'),
    opacity: g.getAttribute('opacity'),
    x: rect.getAttribute('x'),
    width: rect.getAttribute('width'),
  };
}

inBrowser('the flame graph in headless Chromium', () => {
  const svg = flameSvg(SAMPLES, { title: 'I/O of make', weight: 'calls' });

  test('renders: a PNG of the window, with more drawn than on an empty graph', () => {
    const file = write('flame.svg', svg);
    const empty = write('empty.svg', flameSvg([], { title: 'I/O of make', weight: 'calls' }));
    const shot = join(dir, 'flame.png');
    const blank = join(dir, 'empty.png');
    page(`--screenshot=${shot}`, '--window-size=1200,600', url(file));
    page(`--screenshot=${blank}`, '--window-size=1200,600', url(empty));
    const png = readFileSync(shot);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 600]);
    // Frames and their labels do not compress like a page of background (about 20 KB against 6 KB here).
    expect(png.length).toBeGreaterThan(2 * statSync(blank).size);
    if (process.env.FLAME_SCREENSHOT) copyFileSync(shot, process.env.FLAME_SCREENSHOT);
  });

  test('shows the top frames’ labels, and `?s=` highlights the matches and prints their share', () => {
    const file = write('flame.svg', svg);
    const dom = page('--dump-dom', url(file, '?s=std'));
    const doc = new new JSDOM('').window.DOMParser().parseFromString(dom, 'image/svg+xml');
    expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
    const labels = [...doc.querySelectorAll('g.f text')].map((t) => t.textContent);
    expect(labels).toEqual(expect.arrayContaining(['all', 'cc1', 'include', 'stdio.h', 'stdlib.h', 'ld', 'libc.so.6', 'curl']));
    // stdio.h (42) and stdlib.h (20) of 117.
    expect(doc.querySelector('.matched')!.textContent).toBe('Matched: 53.0% (2 frames)');
    expect(doc.querySelector('g.f[data-n="stdio.h"] rect')!.getAttribute('fill')).toBe('rgb(230,0,230)');
    expect(doc.querySelector('g.f[data-n="cc1"] rect')!.getAttribute('fill')).not.toBe('rgb(230,0,230)');
  });

  test('a click on a frame makes it fill the width, its children scale, its ancestors dim, the rest hide', () => {
    const dom = page('--dump-dom', url(write('zoom.html', clicking(svg, ['include']))));
    const doc = new JSDOM(dom).window.document;
    expect(frameIn(doc, 'include')).toEqual({ display: null, opacity: null, x: '10.00', width: '1180.00' });
    // 42 and 20 of include's 62, across 1180 px.
    expect(frameIn(doc, 'stdio.h')).toEqual({ display: null, opacity: null, x: '10.00', width: '799.35' });
    expect(frameIn(doc, 'stdlib.h')).toEqual({ display: null, opacity: null, x: '809.35', width: '380.65' });
    expect(frameIn(doc, 'all')).toEqual({ display: null, opacity: '0.6', x: '10.00', width: '1180.00' });
    expect(frameIn(doc, 'cc1').opacity).toBe('0.6');
    expect(frameIn(doc, 'curl').display).toBe('none');
    expect(frameIn(doc, 'libc.so.6').display).toBe('none');
    expect(doc.querySelector('.reset')!.getAttribute('display')).toBeNull();
  });

  test('a click on `all` undoes the zoom', () => {
    const dom = page('--dump-dom', url(write('reset.html', clicking(svg, ['include', 'all']))));
    const doc = new JSDOM(dom).window.document;
    expect(frameIn(doc, 'all')).toEqual({ display: null, opacity: null, x: '10.00', width: '1180.00' });
    expect(frameIn(doc, 'curl')).toMatchObject({ display: null, opacity: null });
    expect(frameIn(doc, 'stdio.h').width).toBe(((42 / 117) * 1180).toFixed(2));
    expect(doc.querySelector('.reset')!.getAttribute('display')).toBe('none');
  });
});
