/**
 * The diff on literal baselines and canonical graphs: each finding kind on its own,
 * what is tolerated, what is grouped, severities, and the order every report shows.
 */
import { baselineOf, mergeRun } from '../../src/baseline/index.js';
import type { CanonicalGraph } from '../../src/canon/index.js';
import { DEFAULT_CONFIG } from '../../src/config/index.js';
import { diff } from '../../src/diff/index.js';

const g: CanonicalGraph = {
  inputs: ['/usr/include/a.h', '{workspace}/src/a.c'],
  outputs: [{ path: '{workspace}/build/a.o', from: ['/usr/include/a.h', '{workspace}/src/a.c'] }],
  programs: [{ exe: '/usr/bin/cc', argv: ['cc', '-c', 'src/a.c', '-o', 'build/a.o'], count: 1 }],
  endpoints: [],
  modified: [],
};
const kinds = (base: CanonicalGraph, now: CanonicalGraph) =>
  diff(baselineOf([base]), now, DEFAULT_CONFIG).map((f) => [f.kind, f.subject, f.severity, f.failing]);

describe('each kind of change, alone', () => {
  test('the same graph: nothing', () => {
    expect(kinds(g, g)).toEqual([]);
  });

  test('a new header in the workspace: new-input (warning, failing), with the provenance it changes (notice) as its effect', () => {
    const now = {
      ...g,
      inputs: [...g.inputs, '{workspace}/src/extra.h'],
      outputs: [{ ...g.outputs[0], from: [...g.outputs[0].from, '{workspace}/src/extra.h'] }],
    };
    expect(kinds(g, now)).toEqual([['new-input', '{workspace}/src/extra.h', 'warning', true]]);
    const [f] = diff(baselineOf([g]), now, DEFAULT_CONFIG);
    expect(f.effects?.map((e) => [e.kind, e.subject, e.severity, e.failing])).toEqual([
      ['changed-provenance', '{workspace}/build/a.o', 'notice', false],
    ]);
  });

  test('a new crate: one finding about the package, which reaches its build products (they are not findings of their own)', () => {
    const now = {
      ...g,
      inputs: [...g.inputs, '{cargo}/aho-corasick@0.7.19'],
      outputs: [...g.outputs, { path: '{workspace}/target/debug/aho_corasick.crate', from: ['{cargo}/aho-corasick@0.7.19'] }],
    };
    const findings = diff(baselineOf([g]), now, DEFAULT_CONFIG);
    expect(findings.map((f) => [f.kind, f.subject])).toEqual([['new-input', '{cargo}/aho-corasick@0.7.19']]);
    expect(findings[0].outputs).toEqual(['{workspace}/target/debug/aho_corasick.crate']);
    // Without the package, the products are a new output like any other.
    expect(kinds(g, { ...now, inputs: g.inputs }).map((k) => k[0])).toEqual(['new-output']);
  });

  test('a system header: new-input as a notice', () => {
    expect(kinds(g, { ...g, inputs: [...g.inputs, '/usr/include/b.h'] })).toEqual([['new-input', '/usr/include/b.h', 'notice', false]]);
  });

  test('an output no longer produced: vanished-output (error); a new one: new-output (warning)', () => {
    expect(kinds(g, { ...g, outputs: [{ path: '{workspace}/build/b.o', from: g.outputs[0].from }] })).toEqual([
      ['vanished-output', '{workspace}/build/a.o', 'error', true],
      ['new-output', '{workspace}/build/b.o', 'warning', true],
    ]);
  });

  test('a new program names its executable and arguments; its executable is not also a new input', () => {
    const sh = { exe: '/usr/bin/curl', argv: ['curl', 'https://example.invalid'], count: 1 };
    expect(kinds(g, { ...g, inputs: [...g.inputs, '/usr/bin/curl'], programs: [...g.programs, sh] })).toEqual([
      ['new-program', '/usr/bin/curl https://example.invalid', 'warning', true],
    ]);
  });

  test('a program no longer run: vanished-program (notice)', () => {
    expect(kinds(g, { ...g, programs: [] })).toEqual([['vanished-program', '/usr/bin/cc -c src/a.c -o build/a.o', 'notice', false]]);
  });

  test('a network endpoint: new-endpoint (error)', () => {
    expect(kinds(g, { ...g, endpoints: ['tcp://192.0.2.1:443'] })).toEqual([['new-endpoint', 'tcp://192.0.2.1:443', 'error', true]]);
  });

  test('an input no longer read: vanished-input (notice)', () => {
    expect(kinds(g, { ...g, inputs: ['{workspace}/src/a.c'] })).toEqual([['vanished-input', '/usr/include/a.h', 'notice', false]]);
  });

  test('the build writes a source it also reads: source-modified (error), not a new output', () => {
    const now = { ...g, outputs: [...g.outputs, { path: '{workspace}/src/a.c', from: [] }] };
    expect(kinds(g, now)).toEqual([['source-modified', '{workspace}/src/a.c', 'error', true]]);
  });

  test('a file the baseline lists as an output is a product, not a source, when the build reads it too', () => {
    const out = '{workspace}/build/a.o';
    expect(kinds(g, { ...g, inputs: [...g.inputs, out] }).filter(([k]) => k === 'source-modified')).toEqual([]);
  });
});

describe('what is tolerated and what is grouped', () => {
  test('an entry seen in only some runs is tolerated when absent', () => {
    const withExtra = { ...g, inputs: [...g.inputs, '{workspace}/maybe.h'] };
    const base = mergeRun(baselineOf([g]), withExtra);
    expect(diff(base, g, DEFAULT_CONFIG)).toEqual([]);
    const always = baselineOf([withExtra, withExtra]);
    expect(diff(always, g, DEFAULT_CONFIG).map((f) => f.kind)).toEqual(['vanished-input']);
  });

  test('many new files in one directory are one finding', () => {
    const headers = Array.from({ length: 7 }, (_, i) => `/usr/include/gcc13/h${i}.h`);
    const findings = diff(baselineOf([g]), { ...g, inputs: [...g.inputs, ...headers] }, DEFAULT_CONFIG);
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'new-input',
        subject: '/usr/include/gcc13/',
        count: 7,
        members: headers,
        severity: 'notice',
        failing: false,
      }),
    ]);
  });

  test('four are four findings', () => {
    const headers = Array.from({ length: 4 }, (_, i) => `/usr/include/gcc13/h${i}.h`);
    expect(diff(baselineOf([g]), { ...g, inputs: [...g.inputs, ...headers] }, DEFAULT_CONFIG)).toHaveLength(4);
  });

  test('a vanished entry carries its line in the baseline file', () => {
    const lines = new Map([['outputs:{workspace}/build/a.o', 17]]);
    const [f] = diff(baselineOf([g]), { ...g, outputs: [] }, DEFAULT_CONFIG, lines);
    expect(f).toMatchObject({ kind: 'vanished-output', baselineLine: 17 });
  });
});

describe('severities and order', () => {
  test('severity rules from the configuration: a kind, or a glob over the subject; the first match wins', () => {
    const config = {
      ...DEFAULT_CONFIG,
      severity: [
        { match: 'new-output', severity: 'error' as const },
        { match: '{workspace}/gen/**', severity: 'notice' as const },
      ],
    };
    const findings = diff(
      baselineOf([g]),
      { ...g, outputs: [...g.outputs, { path: '{workspace}/x', from: [] }, { path: '{workspace}/gen/y', from: [] }] },
      config,
    );
    expect(findings.map((f) => [f.subject, f.severity, f.failing])).toEqual([
      ['{workspace}/gen/y', 'error', true],
      ['{workspace}/x', 'error', true],
    ]);
  });

  test('a kind not in fail-on does not fail, whatever its severity', () => {
    const config = { ...DEFAULT_CONFIG, failOn: [] };
    expect(diff(baselineOf([g]), { ...g, endpoints: ['tcp://192.0.2.1:443'] }, config)).toEqual([
      expect.objectContaining({ severity: 'error', failing: false }),
    ]);
  });

  test('failing errors, then failing warnings, then what does not fail', () => {
    const now: CanonicalGraph = {
      ...g,
      inputs: [...g.inputs, '/usr/include/zz.h', '{workspace}/src/new.h'],
      outputs: [{ path: '{workspace}/build/b.o', from: [] }],
      endpoints: ['tcp://192.0.2.1:443'],
    };
    const order = diff(baselineOf([g]), now, DEFAULT_CONFIG).map((f) => `${f.failing ? 'failing' : 'not'} ${f.severity} ${f.kind}`);
    expect(order).toEqual([
      'failing error vanished-output',
      'failing error new-endpoint',
      'failing warning new-input',
      'failing warning new-output',
      'not notice new-input',
    ]);
  });
});
