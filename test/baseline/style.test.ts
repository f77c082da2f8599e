/**
 * Baselines that diff well (issue 25): written in the style the repository's formatter
 * keeps them in, a baseline is left as it is by prettier (the real one, through its API),
 * so an update's diff is only what changed. Expected answers come from prettier itself,
 * not from ioana's renderer.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier';
import { baselineOf, parseBaseline, renderBaseline, type BaselineStyle } from '../../src/baseline/index.js';
import type { CanonicalGraph } from '../../src/canon/index.js';
import { baselineStyle } from '../../src/io/baseline-style.js';
import { tempDir } from '../helpers/trace.js';

/** A run with the strings that test quoting (quotes, a backslash, a tab) and lines long enough to be broken. */
const run: CanonicalGraph = {
  inputs: [
    '/usr/include/stdio.h',
    "{workspace}/it's.h",
    '{workspace}/say "hi".h',
    '{workspace}/back\\slash',
    '{workspace}/tab\there',
    '/usr/include/x86_64-linux-gnu/bits/a-header-name-long-enough.h',
  ],
  outputs: [
    { path: '{workspace}/build/a-rather-long-output-name-for-a-library.a', from: ['/usr/include/stdio.h', "{workspace}/it's.h"] },
    { path: '{workspace}/build/x.o', from: ['{workspace}/say "hi".h'] },
  ],
  programs: [
    {
      exe: '/usr/bin/cc',
      argv: ['cc', '-Iinclude', '-O1', '-c', 'src/a-long-source-file-name.c', '-o', 'build/a-long-object-name.o'],
      count: 1,
    },
    { exe: '/usr/bin/ar', argv: ['ar', 'rcs', 'x.a'], count: 1 },
  ],
  endpoints: ['tcp://127.0.0.1:{port}'],
  modified: [],
};
/** Two runs, the second without the last input: it carries `seen: 1` (a flow mapping, long enough to break at 60). */
const learned = baselineOf([run, { ...run, inputs: run.inputs.slice(0, 5) }]);

describe.each([
  ['single quotes, width 60, trailing commas', { singleQuote: true, printWidth: 60, trailingComma: 'all' as const }],
  ['single quotes, width 140 (this repository)', { singleQuote: true, printWidth: 140, trailingComma: 'all' as const }],
  ['double quotes, width 60, no trailing commas', { singleQuote: false, printWidth: 60, trailingComma: 'none' as const }],
])('prettier (%s) leaves a baseline written in its style as it is', (_name, prettier) => {
  const style: BaselineStyle = {
    quote: prettier.singleQuote ? 'single' : 'double',
    width: prettier.printWidth,
    trailingComma: prettier.trailingComma !== 'none',
  };

  test.each([
    ['one run', baselineOf([run])],
    ['learned over two runs', learned],
  ])('%s', async (_what, b) => {
    const text = renderBaseline(b, style);
    expect(await format(text, { parser: 'yaml', ...prettier })).toBe(text);
    // And it reads back as the same baseline.
    expect(parseBaseline(text, 'b.yml').baseline).toEqual(b);
  });
});

describe('the style of a file: its quotes, its formatter’s width', () => {
  test('a file in single quotes under a .prettierrc: single quotes, its printWidth and trailing commas', () => {
    const root = tempDir();
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, 'baselines'));
    writeFileSync(join(root, '.prettierrc'), '{ "printWidth": 140, "singleQuote": true }');
    expect(baselineStyle(join(root, 'baselines/b.yml'), "version: 1\nruns: 1\ninputs:\n  - '/a'\n")).toEqual({
      quote: 'single',
      width: 140,
      trailingComma: true,
    });
  });

  test('package.json’s prettier key; no file yet: the formatter’s quotes', () => {
    const root = tempDir();
    mkdirSync(join(root, '.git'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ prettier: { singleQuote: true, trailingComma: 'none' } }));
    expect(baselineStyle(join(root, 'b.yml'), undefined)).toEqual({ quote: 'single', width: 80, trailingComma: false });
  });

  test('no formatter, a file as ioana writes it: ioana’s own style (double quotes, no width)', () => {
    const root = tempDir();
    mkdirSync(join(root, '.git'));
    expect(baselineStyle(join(root, 'b.yml'), renderBaseline(learned))).toEqual({ quote: 'double' });
  });
});
