/**
 * `fold-outputs` (issue 16): a directory of generated files becomes one output of the
 * canonical graph, named as `collapse` names it, with its count and the inputs of any of
 * its files; everything else stays as it was. And outputs that share their provenance
 * share one canonical list.
 */
import { canonicalize, type CanonContext } from '../../src/canon/index.js';
import { DEFAULT_CONFIG, type Config } from '../../src/config/index.js';
import type { GraphDocument } from '../../src/graph/index.js';

const W = '/home/runner/work/app/app';
const ctx: CanonContext = { workspace: W, home: '/home/runner', tmp: ['/tmp'] };
const fold = (...globs: string[]): Config => ({ ...DEFAULT_CONFIG, foldOutputs: globs });

const generator = [`${W}/tools/gen.sh`, `${W}/data/names.txt`, '/bin/sh'];
const compiler = [`${W}/src/main.c`, '/usr/include/stdio.h'];
/** A build that writes `n` files under out/gen from one generator, and compiles a program. */
const build = (n: number, more: Partial<GraphDocument> = {}): GraphDocument => ({
  inputs: [...generator, ...compiler].map((path) => ({ path })),
  outputs: [
    { path: `${W}/build/app`, from: compiler },
    ...Array.from({ length: n }, (_, i) => ({ path: `${W}/out/gen/f${String(i).padStart(6, '0')}.txt`, from: generator })),
  ],
  programs: [{ exe: '/bin/sh', argv: ['sh', 'tools/gen.sh'], count: 1 }],
  endpoints: [],
  temporaries: [],
  untraced: [],
  modified: [],
  figures: { nodes: 0, edges: 0, programs: 0, files: 0, density: 0, mostConnected: [] },
  ...more,
});

describe('fold-outputs', () => {
  test('100 000 generated files are one output with their count and the inputs they are made from', () => {
    const { graph } = canonicalize(build(100_000), ctx, fold('{workspace}/out/gen/**'));
    expect(graph.outputs).toEqual([
      { path: '{workspace}/build/app', from: ['/usr/include/stdio.h', '{workspace}/src/main.c'] },
      { path: '{workspace}/out/gen/**', from: ['/bin/sh', '{workspace}/data/names.txt', '{workspace}/tools/gen.sh'], files: 100_000 },
    ]);
    // Inputs are not folded.
    expect(graph.inputs).toHaveLength(5);
  });

  test('without the key nothing folds, and the canonical graph is what it was', () => {
    const { graph } = canonicalize(build(3), ctx, DEFAULT_CONFIG);
    expect(graph.outputs.map((o) => o.path)).toEqual([
      '{workspace}/build/app',
      '{workspace}/out/gen/f000000.txt',
      '{workspace}/out/gen/f000001.txt',
      '{workspace}/out/gen/f000002.txt',
    ]);
    expect(graph.outputs.every((o) => !('files' in o))).toBe(true);
  });

  test('a single-star segment gives one set per directory; the first glob that matches wins', () => {
    const doc = build(0, {
      outputs: ['a/x.txt', 'a/y.txt', 'b/x.txt', 'b/sub/z.txt'].map((p) => ({ path: `${W}/docs/${p}`, from: generator })),
    });
    const { graph } = canonicalize(doc, ctx, fold('{workspace}/docs/b/**', '{workspace}/docs/*/**'));
    expect(graph.outputs.map((o) => [o.path, o.files])).toEqual([
      ['{workspace}/docs/a/**', 2],
      ['{workspace}/docs/b/**', 2],
    ]);
  });

  test('the set has the inputs of all its files; files that canonicalize alike count once', () => {
    const doc = build(0, {
      outputs: [
        { path: `${W}/out/gen/a.txt`, from: [`${W}/data/names.txt`] },
        { path: `${W}/out/gen/b.txt`, from: [`${W}/data/extra.txt`] },
        { path: `${W}/out/gen/b.txt`, from: [] },
      ],
    });
    const { graph } = canonicalize(doc, ctx, fold('{workspace}/out/gen/**'));
    expect(graph.outputs).toEqual([
      { path: '{workspace}/out/gen/**', from: ['{workspace}/data/extra.txt', '{workspace}/data/names.txt'], files: 2 },
    ]);
  });

  test('a file the build both reads and writes (a source it rewrites) keeps its own entry', () => {
    const doc = build(2, { inputs: [...build(0).inputs, { path: `${W}/out/gen/f000001.txt` }] });
    const { graph } = canonicalize(doc, ctx, fold('{workspace}/out/gen/**'));
    expect(graph.outputs.map((o) => [o.path, o.files])).toEqual([
      ['{workspace}/build/app', undefined],
      ['{workspace}/out/gen/**', 1],
      ['{workspace}/out/gen/f000001.txt', undefined],
    ]);
  });

  test('explain says which rule folded a file', () => {
    const { explanations } = canonicalize(build(1), ctx, fold('{workspace}/out/gen/**'));
    expect(explanations.get(`${W}/out/gen/f000000.txt`)).toEqual([
      { rule: 'roots', before: `${W}/out/gen/f000000.txt`, after: '{workspace}/out/gen/f000000.txt' },
      { rule: 'fold-outputs {workspace}/out/gen/**', before: '{workspace}/out/gen/f000000.txt', after: '{workspace}/out/gen/**' },
    ]);
  });
});

test('outputs made from the same inputs share one canonical list', () => {
  const { graph } = canonicalize(build(1000), ctx, DEFAULT_CONFIG);
  const generated = graph.outputs.filter((o) => o.path.startsWith('{workspace}/out/gen/'));
  expect(generated).toHaveLength(1000);
  expect(new Set(generated.map((o) => o.from)).size).toBe(1);
  expect(generated[0].from).toEqual(['/bin/sh', '{workspace}/data/names.txt', '{workspace}/tools/gen.sh']);
});
