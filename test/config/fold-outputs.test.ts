/**
 * `fold-outputs` (issue 16): the globs whose generated outputs a baseline records as one
 * entry with their count. The loader and the JSON Schema agree on what it accepts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/index.js';

const schema = new Ajv({ allErrors: true, strict: true }).compile(
  JSON.parse(readFileSync(resolve('schemas', 'ioana.schema.json'), 'utf8')) as object,
);

const loads = (text: string): boolean => {
  try {
    parseConfig(text, 'c.yml');
    return true;
  } catch {
    return false;
  }
};

describe('fold-outputs in .ioana.yml', () => {
  test('is a list of globs, in the order given; absent, nothing folds', () => {
    const config = parseConfig('fold-outputs: ["{workspace}/out/gen/**", "{workspace}/docs/*/**"]\n', 'c.yml');
    expect(config.foldOutputs).toEqual(['{workspace}/out/gen/**', '{workspace}/docs/*/**']);
    expect(parseConfig('ignore: []\n', 'c.yml').foldOutputs).toEqual([]);
  });

  test.each([
    ['a list of globs', 'fold-outputs: ["{workspace}/out/gen/**"]\n', true],
    ['an empty list', 'fold-outputs: []\n', true],
    ['beside the other keys', 'collapse: ["{workspace}/vendor/*/**"]\nfold-outputs: ["{workspace}/out/**"]\n', true],
    ['a single string', 'fold-outputs: "{workspace}/out/gen/**"\n', false],
    ['a number in the list', 'fold-outputs: [42]\n', false],
    ['a misspelled key', 'fold_outputs: ["{workspace}/out/**"]\n', false],
  ])('%s: the loader and the schema agree (%s)', (_what, text, ok) => {
    expect(loads(text)).toBe(ok);
    expect(schema(parse(text))).toBe(ok);
  });

  test('a glob that matches every path is refused by the loader (a schema cannot say it)', () => {
    expect(schema(parse('fold-outputs: ["**"]\n'))).toBe(true);
    expect(() => parseConfig('fold-outputs: ["**"]\n', 'c.yml')).toThrow(
      'c.yml:1: "fold-outputs" glob "**" matches every path: it would count every output of the build instead of naming them.',
    );
  });
});
