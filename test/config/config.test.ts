import { parseConfig, DEFAULT_CONFIG } from '../../src/config/index.js';

describe('.ioana.yml', () => {
  test('the design card example', () => {
    const text = [
      'fail-on: [new-input, new-output, vanished-output, new-program, new-endpoint, source-modified]',
      'ignore:   ["{home}/.cache/**"]',
      'collapse: ["{workspace}/node_modules/*/**"]',
      'normalize:',
      '  - { pattern: "build-[0-9a-f]{8}", replace: "build-{hash}" }',
      'severity: { "/usr/share/locale/**": notice }',
    ].join('\n');
    expect(parseConfig(text, '.ioana.yml')).toEqual({
      failOn: ['new-input', 'new-output', 'vanished-output', 'new-program', 'new-endpoint', 'source-modified'],
      ignore: ['{home}/.cache/**'],
      collapse: ['{workspace}/node_modules/*/**'],
      foldOutputs: [],
      normalize: [{ pattern: 'build-[0-9a-f]{8}', replace: 'build-{hash}' }],
      severity: [{ match: '/usr/share/locale/**', severity: 'notice' }],
    });
  });

  test('caches: a name → a directory, canonical or absolute (issue 22)', () => {
    expect(parseConfig('caches:\n  bazel: "{home}/.cache/bazel/"\n  sdk: /opt/sdk-cache\n', 'c.yml').caches).toEqual([
      { name: 'bazel', path: '{home}/.cache/bazel' },
      { name: 'sdk', path: '/opt/sdk-cache' },
    ]);
  });

  test('an empty file is the defaults; fail-on: none fails nothing', () => {
    expect(parseConfig('', 'c.yml')).toEqual(DEFAULT_CONFIG);
    expect(parseConfig('fail-on: none\n', 'c.yml').failOn).toEqual([]);
  });

  test.each([
    ['fail-on: [new-input, new-thing]\n', 'c.yml:1: "fail-on" has an unknown finding kind "new-thing"'],
    ['ignore: ["**"]\n', 'c.yml:1: "ignore" glob "**" matches every path'],
    ['normalize:\n  - { pattern: "(", replace: "x" }\n', 'c.yml:2: "normalize" pattern "(" is not a valid regular expression'],
    ['normalize:\n  - { pattern: "(a+)+$", replace: "x" }\n', 'c.yml:2: "normalize" pattern "(a+)+$" has nested repetition'],
    ['severity: { new-input: loud }\n', 'c.yml:1: "severity" of "new-input" must be error, warning or notice, not "loud"'],
    ['ignroe: []\n', 'c.yml:1: unknown key "ignroe"'],
    ['ignore: "one"\n', 'c.yml:1: "ignore" must be a list of strings'],
    ['fold-outputs: "{workspace}/out/**"\n', 'c.yml:1: "fold-outputs" must be a list of strings'],
    ['fold-outputs:\n  - "{workspace}/out/gen/**"\n  - "**"\n', 'c.yml:3: "fold-outputs" glob "**" matches every path: it would count'],
    ['fail-on: [\n', 'c.yml:2: not valid YAML'],
    ['caches: ["{home}/.cache/bazel"]\n', 'c.yml:1: "caches" must map a name to a directory'],
    ['caches:\n  bazel: "{home}"\n', 'c.yml:2: the cache "bazel" must be a directory below a root'],
    ['caches:\n  bazel: "/"\n', 'c.yml:2: the cache "bazel" must be a directory below a root'],
    ['caches:\n  "a b": "/var/cache/x"\n', 'c.yml:2: "caches" names are letters, digits'],
  ])('%j → %s', (text, message) => {
    expect(() => parseConfig(text, 'c.yml')).toThrow(message);
  });
});
