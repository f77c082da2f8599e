/** What a pull request's own edits of the baseline and the configuration accept. */
import { baselineOf, parseBaseline, renderBaseline } from '../../src/baseline/index.js';
import type { CanonicalGraph } from '../../src/canon/index.js';
import { DEFAULT_CONFIG, parseConfig } from '../../src/config/index.js';
import { baselineEdits, configWeakenings } from '../../src/diff/index.js';

const g: CanonicalGraph = {
  inputs: ['{workspace}/a.c'],
  outputs: [{ path: '{workspace}/a.o', from: ['{workspace}/a.c'] }],
  programs: [{ exe: '/usr/bin/cc', argv: ['cc', '-c', 'a.c'], count: 1 }],
  endpoints: [],
  modified: [],
};

describe('baselineEdits', () => {
  const head = (graph: CanonicalGraph) => parseBaseline(renderBaseline(baselineOf([graph])), 'b.yml');

  test('each added or removed entry is a finding that names it; an added one points at its line', () => {
    const edited = head({
      ...g,
      inputs: ['{workspace}/a.c', '{workspace}/extra.h'],
      programs: [...g.programs, { exe: '/usr/bin/curl', argv: ['curl', 'x'], count: 1 }],
      outputs: [],
    });
    const f = baselineEdits(baselineOf([g]), edited, 'fail');
    expect(f.map((x) => [x.subject, x.message, x.failing])).toEqual([
      ['/usr/bin/curl x', "The pull request's edit of the baseline accepts a new program /usr/bin/curl x.", true],
      ['{workspace}/a.o', "The pull request's edit of the baseline accepts that the output {workspace}/a.o may go away.", true],
      ['{workspace}/extra.h', "The pull request's edit of the baseline accepts a new input {workspace}/extra.h.", true],
    ]);
    const line = f.find((x) => x.subject === '{workspace}/extra.h')!.baselineLine!;
    expect(renderBaseline(edited.baseline).split('\n')[line - 1]).toBe('  - "{workspace}/extra.h"');
  });

  test('the same baseline: nothing; a created or deleted one: one finding; warn: warnings that do not fail', () => {
    expect(baselineEdits(baselineOf([g]), head(g), 'fail')).toEqual([]);
    expect(baselineEdits(undefined, head(g), 'warn')).toEqual([
      expect.objectContaining({ subject: '(new baseline)', severity: 'warning', failing: false }),
    ]);
    expect(baselineEdits(baselineOf([g]), undefined, 'fail')).toEqual([
      expect.objectContaining({ subject: '(no baseline)', severity: 'error', failing: true }),
    ]);
    expect(baselineEdits(undefined, undefined, 'fail')).toEqual([]);
  });
});

describe('configWeakenings', () => {
  const base = parseConfig('ignore: ["{home}/.cache/**"]\nseverity: { new-program: error }\n', '.ioana.yml');

  test.each([
    ['a kind taken out of fail-on', 'fail-on: [new-input]\nignore: ["{home}/.cache/**"]\n', 'fail-on: new-output'],
    ['an ignore glob added', 'ignore: ["{home}/.cache/**", "{workspace}/secret/**"]\n', 'ignore: {workspace}/secret/**'],
    ['a collapse glob added', 'ignore: ["{home}/.cache/**"]\ncollapse: ["{workspace}/**"]\n', 'collapse: {workspace}/**'],
    ['a normalize rule added', 'ignore: ["{home}/.cache/**"]\nnormalize:\n  - { pattern: "evil", replace: "good" }\n', 'normalize: evil'],
    ['every finding made a notice', 'ignore: ["{home}/.cache/**"]\nseverity: { "**": notice }\n', 'severity: **'],
    ['a cache named (what is under it is no input)', 'ignore: ["{home}/.cache/**"]\ncaches:\n  src: "{workspace}/src"\n', 'caches: src'],
  ])('%s', (_name, text, subject) => {
    expect(configWeakenings(base, parseConfig(text, '.ioana.yml'), 'fail').map((f) => f.subject)).toContain(subject);
  });

  test('what does not weaken: the same file, a kind added to fail-on, an ignore removed, a stricter severity', () => {
    expect(configWeakenings(base, base, 'fail')).toEqual([]);
    const stricter = parseConfig(
      'fail-on: [new-input, new-output, vanished-output, new-program, new-endpoint, source-modified, credential-read, untraced-io, tampering, baseline-edited, config-weakened, vanished-input]\nseverity: { new-program: error, new-input: error }\n',
      '.ioana.yml',
    );
    expect(configWeakenings(base, stricter, 'fail')).toEqual([]);
    expect(configWeakenings(DEFAULT_CONFIG, DEFAULT_CONFIG, 'fail')).toEqual([]);
  });
});
