/**
 * Folded sets of outputs in the baseline file (`fold-outputs`, issue 16): how one reads,
 * what it merges to over runs, and that the fast reader, the YAML parser and the JSON
 * Schema agree on it. A baseline without sets is written as before (pinned by
 * test/pipeline/characterization.test.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { parse } from 'yaml';
import { baselineOf, describeUpdate, graphOf, mergeRun, parseBaseline, renderBaseline } from '../../src/baseline/index.js';
import { fastParseBaseline } from '../../src/baseline/fast.js';
import type { CanonicalGraph } from '../../src/canon/index.js';

const SET = '{workspace}/out/gen/**';
const graph = (files: number, more: Partial<CanonicalGraph> = {}): CanonicalGraph => ({
  inputs: ['/bin/sh', '{workspace}/data/names.txt', '{workspace}/tools/gen.sh'],
  outputs: [
    { path: '{workspace}/build/app', from: ['{workspace}/src/main.c'] },
    { path: SET, from: ['/bin/sh', '{workspace}/data/names.txt', '{workspace}/tools/gen.sh'], files },
  ],
  programs: [{ exe: '/bin/sh', argv: ['sh', 'tools/gen.sh'], count: 1 }],
  endpoints: [],
  modified: [],
  ...more,
});

const schema = new Ajv({ allErrors: true, strict: true }).compile(
  JSON.parse(readFileSync(resolve('schemas', 'baseline.schema.json'), 'utf8')) as object,
);

describe('a folded set of outputs in the baseline', () => {
  test('is one entry that says it is a set, with its count, and the header says what files: N means', () => {
    const text = renderBaseline(baselineOf([graph(100_000)]));
    expect(text).toContain('# `files: N` marks a set of N generated files, folded into one entry (`fold-outputs` in .ioana.yml).\n');
    expect(text).toContain(
      [
        `  - path: "${SET}"`,
        '    files: 100000',
        '    from:',
        '      - "/bin/sh"',
        '      - "{workspace}/data/names.txt"',
        '      - "{workspace}/tools/gen.sh"',
        'programs:',
      ].join('\n'),
    );
  });

  test('a baseline without sets has no such line in its header', () => {
    const plain = graph(1);
    const text = renderBaseline(baselineOf([{ ...plain, outputs: plain.outputs.map(({ path, from }) => ({ path, from })) }]));
    expect(text).not.toContain('files');
  });

  test('reads back as written, by the fast reader and by the YAML parser alike, and the schema takes it', () => {
    const text = renderBaseline(mergeRun(baselineOf([graph(100_000)]), graph(100_000, { outputs: [graph(1).outputs[1]] })));
    const fast = fastParseBaseline(text);
    expect(fast).toBeDefined();
    const slow = parseBaseline(`${text}# end\n`, 'b.yml');
    expect(fast!.baseline).toEqual(slow.baseline);
    expect(fast!.baseline.outputs.find((o) => o.path === SET)).toEqual(expect.objectContaining({ files: 1, seen: 2 }));
    expect(renderBaseline(fast!.baseline)).toBe(text);
    expect(schema(parse(text))).toBe(true);
  });

  test('learns over runs: seen counts the runs that had the set, files is the latest run’s count', () => {
    const b = mergeRun(baselineOf([graph(100_000)]), graph(100_005));
    expect(b.outputs.find((o) => o.path === SET)).toEqual(expect.objectContaining({ files: 100_005, seen: 2 }));
    expect(describeUpdate(baselineOf([graph(100_000)]), b)).toBe(`${SET} 100000 → 100005 files`);
    expect(describeUpdate(undefined, b)).toBe('3 inputs, 2 outputs (1 a folded set of 100005 files), 1 program, 0 endpoints');
    expect(graphOf(b).outputs[1]).toEqual({ path: SET, from: graph(1).outputs[1].from, files: 100_005 });
  });

  test('a count that is not a whole number of at least 1 is an error with its line', () => {
    const text = renderBaseline(baselineOf([graph(3)])).replace('files: 3', 'files: 0');
    expect(fastParseBaseline(text)).toBeUndefined();
    expect(() => parseBaseline(text, 'b.yml')).toThrow(/^b\.yml:\d+: "files" must be a whole number of at least 1\./);
    expect(schema(parse(text))).toBe(false);
  });

  test('write → read → write is byte-identical, sets or not', () => {
    const name = fc.stringMatching(/^[a-z0-9]{1,6}$/);
    const path = name.map((n) => `{workspace}/${n}`);
    const g = fc
      .array(fc.record({ path, from: fc.uniqueArray(path, { maxLength: 3 }), files: fc.option(fc.integer({ min: 1, max: 9 })) }), {
        maxLength: 5,
      })
      .map((outputs): CanonicalGraph => {
        const unique = new Map(outputs.map((o) => [o.path, o]));
        return {
          inputs: [],
          outputs: [...unique.values()]
            .sort((a, b) => (a.path < b.path ? -1 : 1))
            .map((o) => ({ path: o.path, from: [...o.from].sort(), ...(o.files === null ? {} : { files: o.files }) })),
          programs: [],
          endpoints: [],
          modified: [],
        };
      });
    fc.assert(
      fc.property(g, g, (a, b) => {
        const text = renderBaseline(mergeRun(baselineOf([a]), b));
        const fast = fastParseBaseline(text);
        expect(fast).toBeDefined();
        expect(renderBaseline(fast!.baseline)).toBe(text);
        expect(fast!.baseline).toEqual(parseBaseline(`${text}# end\n`, 'b.yml').baseline);
      }),
      { seed: 16, numRuns: 150 },
    );
  });
});

describe('outputs that share their provenance', () => {
  const from = ['/bin/sh', '{workspace}/data/names.txt'];
  const many = (n: number): CanonicalGraph => ({
    inputs: from,
    outputs: Array.from({ length: n }, (_, i) => ({ path: `{workspace}/out/f${String(i).padStart(4, '0')}.txt`, from })),
    programs: [],
    endpoints: [],
    modified: [],
  });

  test('share one list in the baseline, after a merge and after reading the file back', () => {
    const b = mergeRun(baselineOf([many(1000)]), many(1000));
    expect(new Set(b.outputs.map((o) => o.from)).size).toBe(1);
    const read = parseBaseline(renderBaseline(b), 'b.yml').baseline;
    expect(new Set(read.outputs.map((o) => o.from)).size).toBe(1);
    expect(read).toEqual(b);
  });

  test('an output whose list differs from its neighbours’ keeps its own', () => {
    const g = many(3);
    const odd = { ...g, outputs: g.outputs.map((o, i) => (i === 1 ? { ...o, from: ['/bin/sh'] } : o)) };
    const read = parseBaseline(renderBaseline(baselineOf([odd])), 'b.yml').baseline;
    expect(read.outputs.map((o) => o.from.map((c) => c.value))).toEqual([from, ['/bin/sh'], from]);
    expect(read.outputs[0].from).toBe(read.outputs[2].from);
  });
});
