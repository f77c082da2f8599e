/**
 * Folded sets of outputs in the diff (`fold-outputs`, issue 16): a change of a set is one
 * finding — more files, fewer, a new set, a vanished one — never one per file; a file
 * outside the set is reported as before. And the findings about 100 000 outputs stay
 * one finding each, whatever the baseline holds.
 */
import { baselineOf, parseBaseline, renderBaseline } from '../../src/baseline/index.js';
import type { CanonicalGraph } from '../../src/canon/index.js';
import { DEFAULT_CONFIG, type Config } from '../../src/config/index.js';
import { baselineEdits, configWeakenings, diff } from '../../src/diff/index.js';

const SET = '{workspace}/out/gen/**';
const from = ['/bin/sh', '{workspace}/data/names.txt', '{workspace}/tools/gen.sh'];
const folding: Config = { ...DEFAULT_CONFIG, foldOutputs: [SET] };
const graph = (files: number | undefined, more: Partial<CanonicalGraph> = {}): CanonicalGraph => ({
  inputs: from,
  outputs: [{ path: '{workspace}/build/app', from: ['/bin/sh'] }, ...(files === undefined ? [] : [{ path: SET, from, files }])],
  programs: [{ exe: '/bin/sh', argv: ['sh', 'tools/gen.sh'], count: 1 }],
  endpoints: [],
  modified: [],
  ...more,
});
const shown = (base: CanonicalGraph, now: CanonicalGraph, config = folding) =>
  diff(baselineOf([base]), now, config).map((f) => ({ kind: f.kind, subject: f.subject, message: f.message, files: f.files }));

describe('a folded set of outputs', () => {
  test('the same count: nothing', () => {
    expect(shown(graph(100_000), graph(100_000))).toEqual([]);
  });

  test('more files: one new-output finding about the set', () => {
    expect(shown(graph(100_000), graph(100_005))).toEqual([
      {
        kind: 'new-output',
        subject: SET,
        message: `The build now writes 5 more files in ${SET} (100005; the baseline has 100000).`,
        files: { now: 100_005, baseline: 100_000 },
      },
    ]);
  });

  test('fewer files: one vanished-output finding, on the set’s line in the baseline', () => {
    const text = renderBaseline(baselineOf([graph(100_000)]));
    const parsed = parseBaseline(text, 'b.yml');
    const [f, ...rest] = diff(parsed.baseline, graph(99_999), folding, parsed.lines);
    expect(rest).toEqual([]);
    expect(f).toEqual(
      expect.objectContaining({
        kind: 'vanished-output',
        subject: SET,
        message: `The build no longer produces 1 of the files in ${SET} (99999; the baseline has 100000).`,
        failing: true,
        files: { now: 99_999, baseline: 100_000 },
      }),
    );
    expect(text.split('\n')[f.baselineLine! - 1]).toBe(`  - path: "${SET}"`);
  });

  test('a new set and a vanished one are a new and a vanished output, with their count', () => {
    expect(shown(graph(undefined), graph(3))).toEqual([
      { kind: 'new-output', subject: SET, message: `The build now writes ${SET} (3 files).`, files: { now: 3 } },
    ]);
    expect(shown(graph(3), graph(undefined))).toEqual([
      {
        kind: 'vanished-output',
        subject: SET,
        message: `The build no longer produces ${SET} (3 files in the baseline).`,
        files: { baseline: 3 },
      },
    ]);
  });

  test('a file outside the set is reported alone, as any new output', () => {
    const now = graph(100_000);
    const withExtra = { ...now, outputs: [...now.outputs, { path: '{workspace}/out/extra.txt', from }] };
    expect(shown(graph(100_000), withExtra).map((f) => [f.kind, f.subject])).toEqual([['new-output', '{workspace}/out/extra.txt']]);
  });

  test('a new input that reaches the set is one finding, the set’s changed provenance folded under it', () => {
    const now = graph(100_000, {
      inputs: [...from, '{workspace}/data/template.txt'],
      outputs: [graph(0).outputs[0], { path: SET, from: [...from, '{workspace}/data/template.txt'].sort(), files: 100_000 }],
    });
    const [f, ...rest] = diff(baselineOf([graph(100_000)]), now, folding);
    expect(rest).toEqual([]);
    expect([f.kind, f.subject, f.outputs]).toEqual(['new-input', '{workspace}/data/template.txt', [SET]]);
    expect(f.effects?.map((e) => [e.kind, e.subject])).toEqual([['changed-provenance', SET]]);
  });

  test('a baseline recorded before fold-outputs was added compares as if it had been folded', () => {
    const files = (n: number) => Array.from({ length: n }, (_, i) => ({ path: `{workspace}/out/gen/f${i}.txt`, from }));
    const unfolded = graph(undefined, { outputs: [...graph(undefined).outputs, ...files(1000)] });
    expect(shown(unfolded, graph(1000))).toEqual([]);
    expect(shown(unfolded, graph(1001)).map((f) => [f.kind, f.subject, f.files])).toEqual([
      ['new-output', SET, { now: 1001, baseline: 1000 }],
    ]);
    // Without the key, the same run against it is what it always was: many files under one directory.
    expect(shown(unfolded, { ...unfolded, outputs: unfolded.outputs.slice(0, 10) }, DEFAULT_CONFIG).map((f) => f.message)).toEqual([
      'The build no longer produces 991 files under {workspace}/out/gen/.',
    ]);
  });
});

describe('a pull request that edits a set or adds fold-outputs', () => {
  test('a count changed in the baseline is an edit it accepts', () => {
    const base = baselineOf([graph(100_000)]);
    const head = parseBaseline(renderBaseline(baselineOf([graph(100_500)])), 'b.yml');
    expect(baselineEdits(base, head, 'fail').map((f) => f.message)).toEqual([
      `The pull request's edit of the baseline accepts that ${SET} holds 100500 files (the base's baseline: 100000).`,
    ]);
  });

  test('a fold-outputs glob added weakens the check', () => {
    expect(configWeakenings(DEFAULT_CONFIG, folding, 'warn').map((f) => [f.subject, f.message])).toEqual([
      [
        `fold-outputs: ${SET}`,
        `The pull request's .ioana.yml weakens the check: the fold-outputs rule "${SET}" counts the outputs it matches instead of naming them.`,
      ],
    ]);
  });
});

describe('many outputs (a regression test for the effects rules, once quadratic in the outputs)', () => {
  test('20 000 new outputs of one generator, with their objects and a target: each rule still gives its answer', () => {
    const n = 20_000;
    const base = graph(undefined);
    const outputs = [
      ...Array.from({ length: n }, (_, i) => ({ path: `{workspace}/out/gen/f${String(i).padStart(5, '0')}.txt`, from })),
      ...Array.from({ length: 50 }, (_, i) => ({ path: `{workspace}/build/o${i}.o`, from: [`{workspace}/src/o${i}.c`] })),
      { path: '{workspace}/build/lib.a', from: Array.from({ length: 50 }, (_, i) => `{workspace}/src/o${i}.c`) },
    ];
    const now = graph(undefined, { outputs: [...base.outputs, ...outputs].sort((a, b) => (a.path < b.path ? -1 : 1)) });
    const findings = diff(baselineOf([base]), now, DEFAULT_CONFIG);
    expect(findings.map((f) => [f.kind, f.subject, f.count])).toEqual([
      ['new-output', '{workspace}/build/lib.a', undefined],
      ['new-output', '{workspace}/out/gen/', n],
    ]);
    // The objects are effects of the library they go into.
    expect(findings[0].effects?.map((e) => e.subject)).toEqual(Array.from({ length: 50 }, (_, i) => `{workspace}/build/o${i}.o`).sort());
  });
});
