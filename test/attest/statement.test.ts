/**
 * The statement builder on plain plans: what goes where, subjects without a digest left
 * out and listed, limits stated, and every statement valid against both schemas.
 */
import { buildStatement, dependency, packageUrl, type AttestFacts, type AttestPlan, type PlannedInput } from '../../src/attest/index.js';
import { schemaErrors, validProvenance } from './schemas.js';

const SHA = (c: string) => c.repeat(64);

const PLAN: AttestPlan = {
  subjects: [
    {
      name: 'build/app',
      raw: '/w/build/app',
      output: '{workspace}/build/app',
      inputs: ['/usr/include/stdio.h', '{workspace}/a.c'],
      programs: ['/usr/bin/cc -o build/app a.c'],
    },
    {
      name: 'build/fetched',
      raw: '/w/build/fetched',
      output: '{workspace}/build/fetched',
      inputs: ['tcp://192.0.2.1:443', '{npm}/@types/node@20.1.0'],
      programs: ['/usr/bin/curl -o build/fetched https://example.com/x'],
    },
    { name: 'build/gone', raw: '/w/build/gone', output: '{workspace}/build/gone', inputs: ['{workspace}/b.c'], programs: [] },
  ],
  inputs: [
    { name: '/usr/include/stdio.h', kind: 'toolchain', raw: ['/usr/include/stdio.h'] },
    { name: 'tcp://192.0.2.1:443', kind: 'endpoint', raw: [], result: 'connected' },
    { name: '{npm}/@types/node@20.1.0', kind: 'package', raw: [], purl: 'pkg:npm/%40types/node@20.1.0' },
    { name: '{workspace}/a.c', kind: 'workspace', raw: ['/w/a.c'] },
    { name: '{workspace}/b.c', kind: 'workspace', raw: ['/w/b.c'] },
  ],
  notPicked: 0,
  ignored: 0,
};

const FACTS: AttestFacts = {
  subjects: new Map([
    ['/w/build/app', { kind: 'digest', sha256: SHA('a') }],
    ['/w/build/fetched', { kind: 'digest', sha256: SHA('b') }],
    ['/w/build/gone', { kind: 'unhashed', why: 'missing' }],
  ]),
  inputs: new Map([
    [
      '/usr/include/stdio.h',
      {
        kind: 'package',
        purl: 'pkg:deb/debian/libc6-dev@2.36-9?arch=amd64',
        package: 'libc6-dev',
        version: '2.36-9',
        architecture: 'amd64',
      },
    ],
    ['{workspace}/a.c', { kind: 'digest', sha256: SHA('c'), files: 1 }],
    ['{workspace}/b.c', { kind: 'unhashed', why: 'limit' }],
  ]),
  hashing: { files: 3, bytes: 100, limits: { files: 3, bytes: 1000 }, reached: true, byPackage: 1, byPackageBytes: 5000 },
};

const META = { command: ['make', '-j2'], workingDirectory: '.', globs: [], control: false, version: { ioana: '0.1.0' } };

describe('the statement', () => {
  const { statement, leftOut } = buildStatement(PLAN, FACTS, META);

  it('is valid against the in-toto Statement v1 and SLSA provenance v1 schemas', () => {
    expect(schemaErrors(statement)).toBe('');
  });

  it('names each hashed output as a subject with its sha256', () => {
    expect(statement.subject).toEqual([
      { name: 'build/app', digest: { sha256: SHA('a') } },
      { name: 'build/fetched', digest: { sha256: SHA('b') } },
    ]);
  });

  it('leaves out a subject without a digest, and says so in the statement and to the caller', () => {
    expect(leftOut).toEqual([{ name: 'build/gone', why: 'missing' }]);
    expect(statement.predicate.buildDefinition.internalParameters).toMatchObject({
      subjectsLeftOut: [{ name: 'build/gone', why: 'missing' }],
    });
  });

  it('records per subject exactly its inputs, its programs and its endpoints in a byproduct carrying its digest', () => {
    expect(statement.predicate.runDetails.byproducts).toEqual([
      {
        name: 'build/app',
        digest: { sha256: SHA('a') },
        mediaType: 'application/vnd.ioana.dataflow+json',
        annotations: {
          output: '{workspace}/build/app',
          inputs: PLAN.subjects[0].inputs,
          programs: PLAN.subjects[0].programs,
          endpoints: [],
        },
      },
      {
        name: 'build/fetched',
        digest: { sha256: SHA('b') },
        mediaType: 'application/vnd.ioana.dataflow+json',
        annotations: {
          output: '{workspace}/build/fetched',
          inputs: PLAN.subjects[1].inputs,
          programs: PLAN.subjects[1].programs,
          endpoints: ['tcp://192.0.2.1:443'],
        },
      },
    ]);
  });

  it('resolves only the inputs of subjects it kept, each once', () => {
    expect(statement.predicate.buildDefinition.resolvedDependencies.map((d) => d.name)).toEqual([
      '/usr/include/stdio.h',
      'tcp://192.0.2.1:443',
      '{npm}/@types/node@20.1.0',
      '{workspace}/a.c',
    ]);
  });

  it('states the hashing figures and that the limit was reached', () => {
    expect(statement.predicate.buildDefinition.internalParameters).toMatchObject({
      hashing: { reached: true, limits: { files: 3, bytes: 1000 } },
    });
  });

  it('is the same for the same plan and facts (no timestamps, sorted)', () => {
    expect(JSON.stringify(buildStatement(PLAN, FACTS, META).statement)).toBe(JSON.stringify(statement));
  });
});

describe('an input as a resource descriptor', () => {
  const input = (over: Partial<PlannedInput>): PlannedInput => ({ name: '{workspace}/a.c', kind: 'workspace', raw: ['/w/a.c'], ...over });

  it('is a file by its digest', () => {
    expect(dependency(input({}), { kind: 'digest', sha256: SHA('c'), files: 1 })).toEqual({
      name: '{workspace}/a.c',
      digest: { sha256: SHA('c') },
      annotations: { kind: 'workspace' },
    });
  });

  it('is a folded directory by the digest of its files, with their count', () => {
    expect(dependency(input({ raw: ['/w/x/1', '/w/x/2'] }), { kind: 'digest', sha256: SHA('d'), files: 2 }).annotations).toEqual({
      kind: 'workspace',
      files: 2,
    });
  });

  it('is a toolchain file by the Debian package that owns it', () => {
    const d = dependency(input({ name: '/usr/bin/cc', kind: 'toolchain' }), {
      kind: 'package',
      purl: 'pkg:deb/debian/gcc@4%3A12.2.0-3?arch=amd64',
      package: 'gcc',
      version: '4:12.2.0-3',
      architecture: 'amd64',
    });
    expect(d).toEqual({
      name: '/usr/bin/cc',
      uri: 'pkg:deb/debian/gcc@4%3A12.2.0-3?arch=amd64',
      annotations: { kind: 'toolchain', package: 'gcc', version: '4:12.2.0-3', architecture: 'amd64' },
    });
  });

  it('is a file a limit left unhashed by a URI, with the reason', () => {
    const d = dependency(input({}), { kind: 'unhashed', why: 'limit' });
    expect(d).toEqual({ name: '{workspace}/a.c', uri: 'file:%7Bworkspace%7D/a.c', annotations: { kind: 'workspace', unhashed: 'limit' } });
  });

  it('is an endpoint by its address, with how the attempt ended; tokens in it are escaped', () => {
    expect(dependency({ name: 'tcp://127.0.0.1:{port}', kind: 'endpoint', raw: [], result: 'refused (ECONNREFUSED)' }, undefined)).toEqual({
      name: 'tcp://127.0.0.1:{port}',
      uri: 'tcp://127.0.0.1:%7Bport%7D',
      annotations: { kind: 'endpoint', result: 'refused (ECONNREFUSED)' },
    });
  });

  it('always has a uri or a digest, as a ResourceDescriptor must', () => {
    const kinds: [PlannedInput, Parameters<typeof dependency>[1]][] = [
      [input({}), undefined],
      [input({ kind: 'node-module', name: '{workspace}/node_modules/x' }), undefined],
      [{ name: '{cargo}/regex@1.7.1', kind: 'package', raw: [], purl: 'pkg:cargo/regex@1.7.1' }, undefined],
    ];
    for (const [i, f] of kinds) {
      const d = dependency(i, f);
      const predicate = {
        buildDefinition: { buildType: 'https://x.test/t', externalParameters: {}, resolvedDependencies: [d] },
        runDetails: { builder: { id: 'https://x.test/b' } },
      };
      expect(validProvenance(predicate)).toBe(true);
      expect(d.uri ?? d.digest).toBeDefined();
    }
  });
});

describe('package-manager entries as purls', () => {
  it.each([
    ['{npm}/lodash@4.17.21', 'pkg:npm/lodash@4.17.21'],
    ['{npm}/@types/node@20.1.0', 'pkg:npm/%40types/node@20.1.0'],
    ['{cargo}/regex@1.7.1', 'pkg:cargo/regex@1.7.1'],
    ['{pip}/six@1.16.0', 'pkg:pypi/six@1.16.0'],
    ['{gomod}/golang.org/x/text@v0.14.0', 'pkg:golang/golang.org/x/text@v0.14.0'],
  ])('%s → %s', (name, purl) => expect(packageUrl(name)).toBe(purl));

  it.each(['{npm}/pnpm-store', '{cargo}/index', '{workspace}/node_modules/typescript', '/usr/bin/cc'])('%s is not one', (name) =>
    expect(packageUrl(name)).toBeUndefined(),
  );
});
