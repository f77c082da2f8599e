/**
 * The JSON Schemas in schemas/ say what the loaders accept: for each example, the
 * loader (parseConfig, parseBaseline) and the schema (ajv) agree. Rules a schema cannot
 * express are listed apart, and the loader alone refuses them.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { BASELINE_SCHEMA_URL, mergeRun, parseBaseline, renderBaseline } from '../../src/baseline/index.js';
import { parseConfig } from '../../src/config/index.js';

const schema = (name: string) => JSON.parse(readFileSync(resolve('schemas', name), 'utf8')) as { $id: string };
const ajv = new Ajv({ allErrors: true, strict: true });
const configSchema = ajv.compile(schema('ioana.schema.json'));
const baselineSchema = ajv.compile(schema('baseline.schema.json'));

const accepts = (load: () => unknown) => {
  try {
    load();
    return true;
  } catch {
    return false;
  }
};

const CONFIGS: [string, string, boolean][] = [
  ['empty file', '', true],
  [
    'the README example',
    'fail-on: [new-input, new-output, vanished-output, new-program, new-endpoint, source-modified]\nignore: ["{home}/.cache/**"]\ncollapse: ["{workspace}/node_modules/*/**"]\nnormalize:\n  - { pattern: "build-[0-9a-f]{8}", replace: "build-{hash}" }\nseverity: { "/usr/share/locale/**": notice, new-program: error }\n',
    true,
  ],
  ['fail-on: none', 'fail-on: none\n', true],
  ['an unknown key', 'fail_on: [new-input]\n', false],
  ['an unknown finding kind', 'fail-on: [new-thing]\n', false],
  ['fail-on as a single kind', 'fail-on: new-input\n', false],
  ['ignore as a string', 'ignore: "{home}/**"\n', false],
  ['ignore with a number', 'ignore: [42]\n', false],
  ['normalize without replace', 'normalize:\n  - { pattern: "x" }\n', false],
  ['normalize with an extra key', 'normalize:\n  - { pattern: "x", replace: "y", flags: "i" }\n', false],
  ['a severity that is not one', 'severity: { new-input: fatal }\n', false],
  ['severity as a list', 'severity: [new-input]\n', false],
  ['a list at the top', '- new-input\n', false],
];

/** What the loader refuses and a schema cannot say. */
const CONFIG_SEMANTICS: [string, string][] = [
  ['an ignore glob that matches every path', 'ignore: ["**"]\n'],
  ['an invalid regular expression', 'normalize:\n  - { pattern: "(", replace: "" }\n'],
  ['a pattern with nested repetition', 'normalize:\n  - { pattern: "(a+)+", replace: "" }\n'],
];

const B = 'version: 1\nruns: 2\n';
const BASELINES: [string, string, boolean][] = [
  ['a minimal baseline', B, true],
  [
    'every section',
    `${B}inputs:\n  - "/usr/include/stdio.h"\n  - { path: "{workspace}/x.h", seen: 1 }\noutputs:\n  - path: "{workspace}/a.o"\n    from:\n      - "{workspace}/a.c"\n  - path: "{workspace}/b.o"\n    seen: 1\nprograms:\n  - exe: "/usr/bin/cc"\n    argv: ["cc", "-c", "a.c"]\n    count: 1\n    seen: 2\nendpoints: []\nmodified: ["{workspace}/VERSION"]\n`,
    true,
  ],
  ['no version', 'runs: 1\n', false],
  ['another version', 'version: 2\nruns: 1\n', false],
  ['runs of 0', 'version: 1\nruns: 0\n', false],
  ['runs as text', 'version: 1\nruns: "2"\n', false],
  ['an unknown top key', `${B}extra: []\n`, false],
  ['an input that is a number', `${B}inputs: [3]\n`, false],
  ['a counted entry without seen', `${B}inputs:\n  - { path: "/x" }\n`, false],
  ['seen of 0', `${B}inputs:\n  - { path: "/x", seen: 0 }\n`, false],
  ['an output without path', `${B}outputs:\n  - from: ["/x"]\n`, false],
  ['a program without count', `${B}programs:\n  - exe: "/bin/sh"\n    argv: ["sh"]\n`, false],
  ['a program whose argv is a string', `${B}programs:\n  - exe: "/bin/sh"\n    argv: "sh -c x"\n    count: 1\n`, false],
  ['inputs as a mapping', `${B}inputs: { a: 1 }\n`, false],
];

const BASELINE_SEMANTICS: [string, string][] = [
  ['an entry seen in more runs than the baseline has', `${B}inputs:\n  - { path: "/x", seen: 3 }\n`],
];

describe('the .ioana.yml schema and parseConfig agree', () => {
  test.each(CONFIGS)('%s', (_name, text, valid) => {
    expect(accepts(() => parseConfig(text, '.ioana.yml'))).toBe(valid);
    expect(configSchema(parse(text) ?? null)).toBe(valid);
  });

  test.each(CONFIG_SEMANTICS)('only the loader refuses %s', (_name, text) => {
    expect(accepts(() => parseConfig(text, '.ioana.yml'))).toBe(false);
    expect(configSchema(parse(text))).toBe(true);
  });
});

describe('the baseline schema and parseBaseline agree', () => {
  test.each(BASELINES)('%s', (_name, text, valid) => {
    expect(accepts(() => parseBaseline(text, 'b.yml'))).toBe(valid);
    expect(baselineSchema(parse(text))).toBe(valid);
  });

  test.each(BASELINE_SEMANTICS)('only the loader refuses %s', (_name, text) => {
    expect(accepts(() => parseBaseline(text, 'b.yml'))).toBe(false);
    expect(baselineSchema(parse(text))).toBe(true);
  });

  test("baselines ioana writes name the schema, and the repository's own baseline validates", () => {
    expect(schema('baseline.schema.json').$id).toBe(BASELINE_SCHEMA_URL);
    const written = renderBaseline(
      mergeRun(undefined, {
        inputs: ['/a'],
        outputs: [{ path: '/b', from: ['/a'] }],
        programs: [{ exe: '/bin/sh', argv: ['sh'], count: 1 }],
        endpoints: [],
        modified: [],
      }),
    );
    expect(written.split('\n')[0]).toBe(`# yaml-language-server: $schema=${BASELINE_SCHEMA_URL}`);
    expect(baselineSchema(parse(written))).toBe(true);
    expect(baselineSchema(parse(readFileSync(resolve('baselines/example.yml'), 'utf8')))).toBe(true);
  });

  test('the README names both schemas the same way', () => {
    const readme = readFileSync(resolve('README.md'), 'utf8');
    expect(readme).toContain(`$schema=${schema('ioana.schema.json').$id}`);
    expect(readme).toContain(`$schema=${BASELINE_SCHEMA_URL}`);
  });
});
