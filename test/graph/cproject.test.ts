/**
 * The C fixture project (6+ C files, shared headers, a static library, two programs)
 * built for real with `make -j2 CFLAGS=-pipe` under strace: cc1 and as talk through a
 * pipe, make shares a jobserver, ar and collect2 use temporary files.
 */
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, tempDir } from '../helpers/trace.js';
import { inWorkspace, outputFrom, traceGraph, type TracedGraph } from '../helpers/graph.js';

const W = '{workspace}';
const LIB_SOURCES = ['lib/hash.c', 'lib/list.c', 'lib/strbuf.c', 'lib/util.c'].map((p) => `${W}/${p}`);

let built: TracedGraph;

beforeAll(async () => {
  const dir = tempDir('ioana-cproject-');
  cpSync(join(FIXTURES, 'cproject'), dir, { recursive: true });
  built = await traceGraph(['make', '-j2', 'CFLAGS=-pipe'], dir);
}, 120_000);

describe('make -j2 of the C fixture project', () => {
  test('the build succeeded and every line of its log parsed', () => {
    expect(built.exitCode).toBe(0);
    expect(built.analysis.stats.unparsed).toBe(0);
  });

  test('the outputs are exactly the objects, the library and the two programs', () => {
    expect(built.doc.outputs.map((o) => o.path)).toEqual(
      ['hash.o', 'hashsum', 'hashsum.o', 'libcore.a', 'list.o', 'report.o', 'strbuf.o', 'util.o', 'wc.o', 'wordcount'].map(
        (f) => `${W}/build/${f}`,
      ),
    );
  });

  test("no temporary is an output: compiler files in /tmp, ar's scratch file, make's jobserver", () => {
    const outputs = built.doc.outputs.map((o) => o.path);
    const temps = built.doc.temporaries.map((t) => t.path);
    expect(temps.some((t) => /^\/tmp\/cc/.test(t))).toBe(true);
    expect(temps.some((t) => /^\{workspace\}\/build\/st/.test(t))).toBe(true);
    for (const t of temps) expect(outputs).not.toContain(t);
    expect(outputs.some((o) => /pipe|\/tmp\//.test(o))).toBe(false);
  });

  test.each([
    ['util.o', ['lib/util.c', 'include/common.h']],
    ['strbuf.o', ['lib/strbuf.c', 'include/strbuf.h', 'include/common.h']],
    ['hash.o', ['lib/hash.c', 'include/hash.h', 'include/common.h']],
    ['list.o', ['lib/list.c', 'include/list.h', 'include/common.h']],
    ['report.o', ['app/report.c', 'include/report.h', 'include/list.h', 'include/common.h']],
    ['wc.o', ['app/wc.c', 'include/list.h', 'include/report.h', 'include/strbuf.h', 'include/common.h']],
    ['hashsum.o', ['app/hashsum.c', 'include/hash.h', 'include/common.h']],
  ])('%s depends on its own source and the headers it includes, through the cc1 | as pipe', (obj, deps) => {
    expect(outputFrom(built.doc, `${W}/build/${obj}`)).toEqual(deps.map((d) => `${W}/${d}`).sort());
  });

  test("the library depends on the library sources, not on the programs' sources", () => {
    const from = outputFrom(built.doc, `${W}/build/libcore.a`);
    for (const s of LIB_SOURCES) expect(from).toContain(s);
    expect(from.filter((f) => f.startsWith(`${W}/app/`))).toEqual([]);
  });

  test("each program depends, through the library, on the library's sources and on its own", () => {
    const wordcount = outputFrom(built.doc, `${W}/build/wordcount`);
    const hashsum = outputFrom(built.doc, `${W}/build/hashsum`);
    for (const s of LIB_SOURCES) {
      expect(wordcount).toContain(s);
      expect(hashsum).toContain(s);
    }
    expect(wordcount).toEqual(expect.arrayContaining([`${W}/app/wc.c`, `${W}/app/report.c`]));
    expect(wordcount).not.toContain(`${W}/app/hashsum.c`);
    expect(hashsum).toContain(`${W}/app/hashsum.c`);
    expect(hashsum).not.toContain(`${W}/app/wc.c`);
  });

  test('no output is also an input, and the sources and headers are inputs', () => {
    const inputs = built.doc.inputs.map((i) => i.path);
    for (const o of built.doc.outputs) expect(inputs).not.toContain(o.path);
    expect(inWorkspace(inputs)).toEqual(
      [
        'Makefile',
        'app/hashsum.c',
        'app/report.c',
        'app/wc.c',
        'include/common.h',
        'include/hash.h',
        'include/list.h',
        'include/report.h',
        'include/strbuf.h',
        'lib/hash.c',
        'lib/list.c',
        'lib/strbuf.c',
        'lib/util.c',
      ].map((p) => `${W}/${p}`),
    );
  });

  test("the compilers are programs; make's PATH search for `as` is not", () => {
    const exes = new Set(built.doc.programs.map((p) => p.exe));
    expect(exes.has('/usr/bin/make')).toBe(true);
    expect([...exes].some((e) => e.endsWith('/cc1'))).toBe(true);
    // A failed execve (make and cc search PATH) is a probe, never a program.
    for (const exe of exes) expect(existsSync(exe)).toBe(true);
    expect(built.doc.programs.filter((p) => p.exe.endsWith('/as'))).toHaveLength(7);
    const cc = built.doc.programs.filter((p) => p.exe.endsWith('/cc') || p.exe.endsWith('/gcc'));
    expect(cc.map((p) => p.argv.join(' '))).toContain('cc -Iinclude -pipe -c lib/util.c -o build/util.o');
    // Every exec is counted exactly once, in the program it ran.
    const execs = built.analysis.dataflow.images.filter((i) => i.origin === 'exec').length;
    expect(built.doc.programs.reduce((n, p) => n + p.count, 0)).toBe(execs);
  });

  test('graph figures come from graphology-metrics', () => {
    const f = built.doc.figures;
    expect(f.nodes).toBeGreaterThan(50);
    expect(f.edges).toBeGreaterThan(f.nodes);
    expect(f.density).toBeGreaterThan(0);
    expect(f.density).toBeLessThan(1);
    expect(f.mostConnected).toHaveLength(5);
  });
});
