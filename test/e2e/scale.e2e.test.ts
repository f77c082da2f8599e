/**
 * Logs that used to cost quadratic time and memory, or never ended (issue 16), read by
 * the bundled CLI in a node whose heap is capped: a process that holds N open files and
 * forks N children, and files that are not strace logs at all. Each must end with the
 * documented status, never with V8's "JavaScript heap out of memory" (exit 134).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compile, tempDir } from '../helpers/trace.js';
// @ts-expect-error: the bench is plain JavaScript, without types
import { scaleLog } from '../../bench/scale.js';
import { CLI } from '../helpers/bundle.js';

/** `ioana ARGS` in a node with at most `heapMiB` of old space. */
function ioanaCapped(heapMiB: number, args: string[], cwd: string) {
  const r = spawnSync('node', [`--max-old-space-size=${heapMiB}`, CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

describe('bounded time and memory', () => {
  const dir = tempDir('ioana-scale-');
  const n = 3000;

  beforeAll(() => {
    compile('forkn', dir);
    mkdirSync(join(dir, 'in'));
    for (let i = 0; i < n; i++) writeFileSync(join(dir, 'in', `f${i}`), `${i}\n`);
  });

  test(`${n} open files and ${n} forked children: the graph is read in 160 MiB of heap, with edges that grow with N`, () => {
    const log = join(dir, 'forks.log');
    // Without the wall (issue 23), whose launcher's images would add to the count: this is about scale.
    const traced = spawnSync('node', [CLI, 'trace', '--no-separation', '--out', log, '--', './forkn', String(n)], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(traced.status).toBe(0);
    // Before copy-on-write tables this took 1.8 GB and 47 s at N = 2000, and died at 3000.
    const r = ioanaCapped(160, ['graph', '--trace', log, '--workspace', dir], dir);
    expect({ status: r.status, signal: r.signal, stderr: r.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
    const graph = JSON.parse(r.stdout) as { figures: { edges: number; programs: number }; inputs: { path: string }[] };
    // The trace's root, ioana's gate (a shell that waits for the trace to be read), forkn and its n children.
    expect(graph.figures.programs).toBe(n + 3);
    expect(graph.inputs.filter((i) => i.path.startsWith('{workspace}/in/'))).toHaveLength(n);
    expect(graph.figures.edges).toBeLessThan(3 * n);
  }, 120_000);

  test('/dev/zero: one line longer than any strace writes, refused with exit 2', () => {
    const r = ioanaCapped(160, ['graph', '--trace', '/dev/zero'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^ioana: line 1 of the trace log is longer than 16 MiB: this is not a strace log\.\n {2}Give --trace a log strace wrote/,
    );
  }, 60_000);

  test('a long file of lines that are not strace output: reading stops early, exit 2', () => {
    const log = join(dir, 'yes.log');
    writeFileSync(log, 'y\n'.repeat(2_000_000));
    const r = ioanaCapped(160, ['check', '--baseline', join(dir, 'none.yml'), '--trace', log, '--workspace', dir], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/10001 of the first 10001 lines of the trace log are not strace output|baseline not found/);
    const g = ioanaCapped(160, ['graph', '--trace', log], dir);
    expect(g.status).toBe(2);
    expect(g.stderr).toMatch(/^ioana: 10001 of the first 10001 lines of the trace log are not strace output: this is not a strace log\./);
  }, 60_000);

  test('a graph that will not fit in the heap is refused before it is built, with what to do', async () => {
    // A real build's log, 100 builds in a row (the bench's scale log): 44 MB.
    const log = join(dir, 'scaled.log');
    await scaleLog(resolve('test/fixtures/traces/cproject-make-j2.log'), log, 100);
    const r = ioanaCapped(32, ['graph', '--trace', log, '--workspace', dir], dir);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^ioana: the analysis of this trace needs more memory than node allows it \(\d+ of \d+ MiB in use/);
    expect(r.stderr).toMatch(/NODE_OPTIONS=--max-old-space-size=\d+/);
  }, 60_000);
});
