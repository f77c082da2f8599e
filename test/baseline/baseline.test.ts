import fc from 'fast-check';
import { baselineOf, graphOf, mergeRun, parseBaseline, renderBaseline } from '../../src/baseline/index.js';
import type { CanonicalGraph } from '../../src/canon/index.js';
import { DEFAULT_CONFIG } from '../../src/config/index.js';
import { diff } from '../../src/diff/index.js';
import { proposeUpdate } from '../../src/pipeline/update.js';

const name = fc.stringMatching(/^[a-z0-9]{1,8}$/);
const path = fc
  .array(name, { minLength: 1, maxLength: 4 })
  .chain((segs) => fc.constantFrom('{workspace}', '/usr/include', '{tmp}').map((r) => `${r}/${segs.join('/')}`));
const uniq = (xs: string[]) => [...new Set(xs)].sort();

const graph: fc.Arbitrary<CanonicalGraph> = fc
  .record({
    inputs: fc.array(path, { maxLength: 10 }),
    outputs: fc.array(fc.record({ path, from: fc.array(path, { maxLength: 4 }) }), { maxLength: 5 }),
    programs: fc.array(
      fc.record({
        exe: path,
        argv: fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 4 }),
        count: fc.integer({ min: 1, max: 3 }),
      }),
      { maxLength: 4 },
    ),
    endpoints: fc.array(fc.constantFrom('tcp://127.0.0.1:{port}', 'tcp://10.0.0.1:443', 'unix:/run/x.sock'), { maxLength: 2 }),
    // Issue 22: build caches, what only a miss needs, toolchain versions.
    caches: fc.subarray(['ccache', 'go', 'npm']),
    missed: fc.array(fc.boolean(), { maxLength: 10 }),
    programMissed: fc.array(fc.boolean(), { maxLength: 4 }),
    toolchains: fc.dictionary(fc.constantFrom('gcc', 'node', 'python'), fc.constantFrom('12', '20.12.0', '3.11', '9, 12'), { maxKeys: 3 }),
  })
  .map((g) => {
    const outputs = new Map<string, string[]>();
    for (const o of g.outputs) outputs.set(o.path, uniq([...(outputs.get(o.path) ?? []), ...o.from]));
    const programs = new Map(
      g.programs.map((p, i) => [JSON.stringify([p.exe, ...p.argv]), g.programMissed[i] ? { ...p, miss: 'ccache' } : p]),
    );
    const inputs = uniq(g.inputs.filter((i) => !outputs.has(i)));
    const miss = Object.fromEntries(inputs.filter((_i, k) => g.missed[k]).map((i) => [i, 'ccache']));
    return {
      inputs,
      outputs: [...outputs].map(([p, from]) => ({ path: p, from })).sort((a, b) => (a.path < b.path ? -1 : 1)),
      // Canonical graphs list programs sorted by identity, as canonicalize() does.
      programs: [...programs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, p]) => p),
      endpoints: uniq(g.endpoints),
      modified: [],
      ...(g.caches.length > 0 ? { caches: [...g.caches].sort() } : {}),
      ...(Object.keys(miss).length > 0 ? { miss } : {}),
      ...(Object.keys(g.toolchains).length > 0 ? { toolchains: g.toolchains } : {}),
    };
  });

describe('the baseline file format', () => {
  test('write → read → write is byte-identical', () => {
    fc.assert(
      fc.property(graph, graph, (a, b) => {
        const text = renderBaseline(mergeRun(baselineOf([a]), b));
        expect(renderBaseline(parseBaseline(text, 'b.yml').baseline)).toBe(text);
      }),
      { seed: 1, numRuns: 200 },
    );
  });

  test('diff(g, g) is empty', () => {
    fc.assert(
      fc.property(graph, (g) => {
        expect(diff(baselineOf([g]), g, DEFAULT_CONFIG)).toEqual([]);
      }),
      { seed: 2, numRuns: 200 },
    );
  });

  test('a graph with one input added gives exactly that input (and the outputs it reaches)', () => {
    fc.assert(
      fc.property(graph, path, (g, extra) => {
        fc.pre(
          !g.inputs.includes(extra) &&
            !g.outputs.some((o) => o.path === extra || o.from.includes(extra)) &&
            !g.programs.some((p) => p.exe === extra),
        );
        const findings = diff(baselineOf([g]), { ...g, inputs: uniq([...g.inputs, extra]) }, DEFAULT_CONFIG);
        expect(findings.map((f) => [f.kind, f.subject])).toEqual([['new-input', extra]]);
      }),
      { seed: 3, numRuns: 200 },
    );
  });

  test('a graph with one output added gives exactly that output', () => {
    fc.assert(
      fc.property(graph, path, (g, extra) => {
        fc.pre(!g.inputs.includes(extra) && !g.outputs.some((o) => o.path === extra));
        const findings = diff(baselineOf([g]), { ...g, outputs: [...g.outputs, { path: extra, from: [] }] }, DEFAULT_CONFIG);
        expect(findings.map((f) => [f.kind, f.subject])).toEqual([['new-output', extra]]);
      }),
      { seed: 4, numRuns: 200 },
    );
  });

  test('graphOf(baselineOf([g])) is g', () => {
    fc.assert(
      fc.property(graph, (g) => expect(graphOf(baselineOf([g]))).toEqual(g)),
      { seed: 5, numRuns: 100 },
    );
  });
});

describe('the fast reader of our own layout', () => {
  test('reads what renderBaseline writes exactly as the YAML parser does, lines included', async () => {
    const { fastParseBaseline } = await import('../../src/baseline/fast.js');
    fc.assert(
      fc.property(graph, graph, (a, b) => {
        const text = renderBaseline(mergeRun(baselineOf([a]), b));
        const fast = fastParseBaseline(text);
        expect(fast).toBeDefined();
        // The general parser, forced by a layout the fast reader does not take (a comment at the end).
        const slow = parseBaseline(text + '# end\n', 'b.yml');
        expect(fast!.baseline).toEqual(slow.baseline);
        expect([...fast!.lines].sort()).toEqual([...slow.lines].sort());
      }),
      { seed: 6, numRuns: 150 },
    );
  });

  test.each([
    ['single quotes', { quote: 'single' }],
    ['single quotes, flow lines broken at 40 (prettier)', { quote: 'single', width: 40, trailingComma: true }],
    ['double quotes, broken at 60 without trailing commas', { quote: 'double', width: 60, trailingComma: false }],
  ] as const)('reads a file in a formatter’s style (%s) as the YAML parser does, lines included', async (_name, style) => {
    const { fastParseBaseline } = await import('../../src/baseline/fast.js');
    fc.assert(
      fc.property(graph, graph, (a, b) => {
        const text = renderBaseline(mergeRun(baselineOf([a]), b), style);
        const fast = fastParseBaseline(text);
        expect(fast).toBeDefined();
        const slow = parseBaseline(text + '# end\n', 'b.yml');
        expect(fast!.baseline).toEqual(slow.baseline);
        expect([...fast!.lines].sort()).toEqual([...slow.lines].sort());
      }),
      { seed: 7, numRuns: 150 },
    );
  });

  test('gives up on anything else, and the YAML parser reports it', async () => {
    const { fastParseBaseline } = await import('../../src/baseline/fast.js');
    expect(fastParseBaseline('version: 1\nruns: 1\ninputs:\n  - unquoted\nendpoints: []\n')).toBeUndefined();
    expect(fastParseBaseline('version: 2\nruns: 1\n')).toBeUndefined();
    expect(() => parseBaseline('version: 1\nruns: 1\ninputs:\n  - { path: "a", seen: 5 }\n', 'b.yml')).toThrow(
      /b\.yml:4: "seen: 5" is more than the 1 runs/,
    );
  });
});

describe('accepting a run (proposeUpdate): it replaces the baseline; --merge adds to what it learned', () => {
  // Facts are only weighed by the guard, which `force` skips: what is written is what is compared here.
  const facts = undefined as unknown as Parameters<typeof proposeUpdate>[1][number]['facts'];

  test('replacing: the baseline says exactly what the accepted run saw, every entry required (seen is never written)', () => {
    fc.assert(
      fc.property(fc.array(graph, { minLength: 1, maxLength: 3 }), graph, (earlier, accepted) => {
        const current = earlier.reduce<ReturnType<typeof mergeRun> | undefined>((b, g) => mergeRun(b, g), undefined);
        const { baseline } = proposeUpdate(current, [{ graph: accepted, facts }], { force: true, shown: 'b.yml' });
        expect(baseline).toEqual(mergeRun(undefined, accepted));
        expect(renderBaseline(baseline)).not.toMatch(/seen: \d/);
      }),
    );
  });

  test('merging: one more run learned (runs + 1), as mergeRun', () => {
    fc.assert(
      fc.property(graph, graph, (first, second) => {
        const current = mergeRun(undefined, first);
        const { baseline } = proposeUpdate(current, [{ graph: second, facts }], { merge: true, force: true, shown: 'b.yml' });
        expect(baseline).toEqual(mergeRun(current, second));
        expect(baseline.runs).toBe(2);
      }),
    );
  });
});
