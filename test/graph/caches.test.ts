/**
 * Build caches in the graph (issue 22, src/graph/caches.ts), on operations written as
 * literals: ccache's two runs as ccache 4.7 makes them (a miss runs gcc, which runs cc1
 * and as; a hit reads the cache and writes the object), and `go build`. The expected
 * answers are written out: which programs a hit skips, which inputs only a miss needs,
 * and that the object file is made from the same inputs cold and warm.
 */
import type { Step } from '../../src/decode/index.js';
import { buildGraph, graphDocument } from '../../src/graph/index.js';
import { modelSteps } from '../../src/model/index.js';
import type { CacheRoot } from '../../src/vocabulary/caches.js';
import { exec, open, READ, step, WRITE } from '../helpers/operations.js';

const CCACHE: CacheRoot = { name: 'ccache', dir: '/w/.ccache', launcher: true };
const NPM: CacheRoot = { name: 'npm', dir: '/w/.npm/_cacache', launcher: false };
const spawn = (parent: number, child: number): Step =>
  step(parent, { kind: 'spawn', child, thread: false, files: false, fs: false, untraced: false });
const exit = (pid: number): Step => step(pid, { kind: 'exit', status: 0 });
const close = (pid: number, fd: number): Step => step(pid, { kind: 'close', fd });

/** `make` runs `ccache gcc -c a.c -o a.o`; on a miss ccache runs gcc (cc1, as), on a hit it copies the object out of the cache. */
function ccacheRun(hit: boolean): Step[] {
  const steps: Step[] = [
    step(1, exec('/usr/bin/make', 'make')),
    spawn(1, 2),
    step(2, exec('/usr/bin/ccache', 'ccache', 'gcc', '-c', 'a.c', '-o', 'a.o')),
    step(2, open(3, 'a.c', READ)),
    close(2, 3),
    step(2, open(3, 'a.h', READ)),
    close(2, 3),
  ];
  if (hit) {
    steps.push(step(2, open(3, '.ccache/1/a/result', READ)), close(2, 3), step(2, open(3, 'a.o', WRITE)), close(2, 3));
  } else {
    steps.push(
      spawn(2, 3),
      step(3, exec('/usr/bin/gcc', 'gcc', '-c', 'a.c', '-o', 'a.o')),
      spawn(3, 4),
      step(4, exec('/usr/lib/gcc/x86_64-linux-gnu/12/cc1', 'cc1', 'a.c')),
      step(4, open(3, 'a.c', READ)),
      close(4, 3),
      step(4, open(3, 'a.h', READ)),
      close(4, 3),
      step(4, open(4, 'a.s', WRITE)),
      close(4, 4),
      exit(4),
      spawn(3, 5),
      step(5, exec('/usr/bin/as', 'as', 'a.s', '-o', 'a.o')),
      step(5, open(3, 'a.s', READ)),
      close(5, 3),
      step(5, open(4, 'a.o', WRITE)),
      close(5, 4),
      exit(5),
      exit(3),
      // ccache stores the object in its cache.
      step(2, open(3, 'a.o', READ)),
      close(2, 3),
      step(2, open(3, '.ccache/1/a/result', WRITE)),
      close(2, 3),
    );
  }
  steps.push(exit(2), exit(1));
  return steps;
}

const doc = (steps: Step[], caches: readonly CacheRoot[] = [CCACHE]) =>
  graphDocument(buildGraph(modelSteps(steps)), { workspace: '/w', caches });

describe('ccache: a miss and a hit', () => {
  const cold = doc(ccacheRun(false));
  const warm = doc(ccacheRun(true));

  test('on a miss, the programs ccache ran are behind the cache: a hit skips them', () => {
    const miss = Object.fromEntries(cold.programs.map((p) => [p.exe, p.miss]));
    expect(miss).toEqual({
      '/usr/bin/make': undefined,
      '/usr/bin/ccache': undefined,
      '/usr/bin/gcc': 'ccache',
      '/usr/lib/gcc/x86_64-linux-gnu/12/cc1': 'ccache',
      '/usr/bin/as': 'ccache',
    });
  });

  test('what only ccache and the programs behind it read is marked: a hit may leave it unread; make, outside, is not', () => {
    const miss = Object.fromEntries(cold.inputs.map((i) => [i.path, i.miss]));
    expect(miss['/usr/lib/gcc/x86_64-linux-gnu/12/cc1']).toBe('ccache');
    expect(miss['/usr/bin/as']).toBe('ccache');
    expect(miss['/usr/bin/gcc']).toBe('ccache');
    // ccache hashes the sources on a hit too: marked all the same, they are read either way.
    expect(miss['{workspace}/a.c']).toBe('ccache');
    expect(miss['/usr/bin/make']).toBeUndefined();
  });

  test('the object is made from what ccache read to find it, cold and warm alike', () => {
    const from = (d: typeof cold) => d.outputs.find((o) => o.path === '{workspace}/a.o')!.from;
    expect(from(cold)).toEqual(['/usr/bin/ccache', '{workspace}/a.c', '{workspace}/a.h']);
    expect(from(warm).filter((f) => !f.startsWith('{workspace}/.ccache/'))).toEqual(from(cold));
  });

  test('without the cache known, the compiler is an ordinary program and the object is made from its files', () => {
    const plain = doc(ccacheRun(false), []);
    expect(plain.programs.every((p) => p.miss === undefined)).toBe(true);
    expect(plain.outputs.find((o) => o.path === '{workspace}/a.o')!.from).toContain('/usr/lib/gcc/x86_64-linux-gnu/12/cc1');
  });
});

describe('a cache that is not a launcher (npm)', () => {
  test('its user reads and writes it; the programs it runs are not behind it (a lifecycle script runs on a hit too)', () => {
    const d = doc(
      [
        step(1, exec('/usr/bin/npm', 'npm', 'ci')),
        step(1, open(3, '.npm/_cacache/index-v5/ab/cd/0123', READ)),
        close(1, 3),
        spawn(1, 2),
        step(2, exec('/bin/sh', 'sh', '-c', 'node install.js')),
        step(2, open(3, 'out.txt', WRITE)),
        close(2, 3),
        exit(2),
        exit(1),
      ],
      [NPM],
    );
    expect(d.programs.map((p) => p.miss)).toEqual([undefined, undefined]);
    expect(d.inputs.find((i) => i.path === '/usr/bin/npm')!.miss).toBe('npm');
    expect(d.inputs.find((i) => i.path === '/bin/sh')!.miss).toBeUndefined();
  });
});
