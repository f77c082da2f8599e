import fc from 'fast-check';
import { Canonicalizer, canonicalize, canonicalJobs, madeNames, type CanonContext } from '../../src/canon/index.js';
import { collapseWith, globToRegExp, Redactor } from '../../src/vocabulary/index.js';
import { DEFAULT_CONFIG, type Config } from '../../src/config/index.js';
import type { GraphDocument } from '../../src/graph/index.js';

const ctx: CanonContext = {
  workspace: '/home/runner/work/app/app',
  home: '/home/runner',
  tmp: ['/tmp', '/home/runner/work/_temp'],
  toolcache: '/opt/hostedtoolcache',
  pids: new Set([4242, 31337]),
  // What the build made: only there can a number be one of its pids, or a name be mkstemp's.
  made: madeNames([
    '/home/runner/work/app/app/conftest31337',
    '/tmp/cc4242.s',
    '/tmp/ccAbC123.s',
    '/tmp/ccngqztr.s',
    '/tmp/cc8Xy2Qa.res',
    '/tmp/ccQ1w2E3.o',
  ]),
};
const c = new Canonicalizer(ctx, DEFAULT_CONFIG);

describe('built-in rules', () => {
  test.each([
    ['/home/runner/work/app/app/src/a.c', '{workspace}/src/a.c'],
    ['/home/runner/.cache/x', '{home}/.cache/x'],
    ['/home/runner/work/_temp/out', '{tmp}/out'],
    ['/opt/hostedtoolcache/node/20/x64/bin/node', '{toolcache}/node/{version}/x64/bin/node'],
    ['/tmp/ccAbC123.s', '{tmp}/cc*.s'],
    ['/tmp/ccngqztr.s', '{tmp}/cc*.s'],
    ['/tmp/cc8Xy2Qa.res', '{tmp}/cc*.res'],
    ['/tmp/readme.txt', '{tmp}/readme.txt'],
    ['/proc/4242/maps', '/proc/{pid}/maps'],
    ['/home/runner/work/app/app/conftest31337', '{workspace}/conftest{pid}'],
    ['/home/runner/work/app/app/f123.c', '{workspace}/f123.c'],
    ['/var/cache/0123456789abcdef0123/x', '/var/cache/{hex}/x'],
    ['/x/550e8400-e29b-41d4-a716-446655440000.json', '/x/{uuid}.json'],
    ['/logs/build-2026-11-22.log', '/logs/build-{date}.log'],
    ['/logs/run-1795000000.log', '/logs/run-{epoch}.log'],
    // A high port of a server the build did not start is another endpoint (issue 23): kept.
    ['tcp://127.0.0.1:54917', 'tcp://127.0.0.1:54917'],
    ['accept:tcp://127.0.0.1:54917', 'accept:tcp://127.0.0.1:{port}'],
    ['tcp://10.0.0.1:443', 'tcp://10.0.0.1:443'],
    ['/home/runner/work/app/app2/x', '{home}/work/app/app2/x'],
  ])('%s → %s', (raw, canonical) => {
    expect(c.path(raw)).toBe(canonical);
  });

  test("a connection to a port the build's own server listened on is folded, wherever the kernel put it", () => {
    const own = new Canonicalizer({ ...ctx, ownPorts: new Set([54917]) }, DEFAULT_CONFIG);
    expect(own.path('tcp://127.0.0.1:54917')).toBe('tcp://127.0.0.1:{port}');
    expect(own.path('tcp://127.0.0.1:54918')).toBe('tcp://127.0.0.1:54918');
    // Low ports are services, never folded.
    expect(new Canonicalizer({ ...ctx, ownPorts: new Set([8080]) }, DEFAULT_CONFIG).path('tcp://127.0.0.1:8080')).toBe(
      'tcp://127.0.0.1:8080',
    );
  });

  test('arguments: roots inside options, jobs, credentials', () => {
    expect(c.program({ exe: '/usr/bin/cc', argv: ['cc', '-I/home/runner/work/app/app/include', '-o', '/tmp/ccQ1w2E3.o'] })).toEqual({
      exe: '/usr/bin/cc',
      argv: ['cc', '-I{workspace}/include', '-o', '{tmp}/cc*.o'],
    });
    expect(canonicalJobs(['make', '-j2', 'all'])).toEqual(['make', '-j{n}', 'all']);
    expect(canonicalJobs(['make', '-j', '8'])).toEqual(['make', '-j{n}']);
    expect(canonicalJobs(['ninja', '--jobs=4'])).toEqual(['ninja', '-j{n}']);
    // Go's packages built at once (issue 22: `go build -p 2` vs `-p 1` were other arguments).
    expect(canonicalJobs(['go', 'build', '-p', '2', './...'])).toEqual(['go', 'build', '-j{n}', './...']);
    expect(canonicalJobs(['/usr/lib/go-1.19/bin/go', 'test', '-p=1', './...'])).toEqual([
      '/usr/lib/go-1.19/bin/go',
      'test',
      '-j{n}',
      './...',
    ]);
    // `-p` of other programs means something else.
    expect(canonicalJobs(['mkdir', '-p', '2'])).toEqual(['mkdir', '-p', '2']);
    expect(canonicalJobs(['go', 'version', '-p', '2'])).toEqual(['go', 'version', '-p', '2']);
    expect(c.arg('--token=ghp_abcdefghijklmnopqrstuvwxyz0123')).toBe('--token={redacted}');
    expect(c.arg('https://user:hunter2@example.com/repo.git')).toBe('https://user:{redacted}@example.com/repo.git');
    expect(c.arg('Authorization: Bearer abcdef123456789')).toBe('Authorization: Bearer {redacted}');
  });

  test('every rewrite is explained', () => {
    expect(c.explain('/tmp/ccAbC123.s').steps).toEqual([
      { rule: 'roots', before: '/tmp/ccAbC123.s', after: '{tmp}/ccAbC123.s' },
      { rule: 'temp-name', before: '{tmp}/ccAbC123.s', after: '{tmp}/cc*.s' },
    ]);
  });
});

describe('credentials in names', () => {
  // 4242 is a traced pid: without redaction first, the pid rule would cut the token to
  // `ghp_…{pid}…`, which no longer has a token's shape, and the rest of it would be kept.
  const token = 'ghp_' + 'Ab4242Cd4242Ef4242Gh4242Ij4242Kl4242';

  test('a file named after a token is redacted before any rule can rewrite part of it', () => {
    expect(c.path(`/home/runner/work/app/app/cache-${token}/x`)).toBe('{workspace}/cache-{redacted}/x');
    expect(c.explain(`/tmp/${token}`).steps[0]).toEqual({ rule: 'redact', before: `/tmp/${token}`, after: '/tmp/{redacted}' });
    expect(c.arg(`--out=/tmp/${token}`)).toBe('--out={tmp}/{redacted}');
  });

  test("the environment's secrets, wherever they are in a name", () => {
    const withEnv = new Canonicalizer({ ...ctx, redactor: new Redactor(['s3cr3t-4242-value']) }, DEFAULT_CONFIG);
    expect(withEnv.path('/home/runner/work/app/app/out-s3cr3t-4242-value.o')).toBe('{workspace}/out-{redacted}.o');
    expect(withEnv.program({ exe: '/home/runner/work/app/app/s3cr3t-4242-value', argv: ['./s3cr3t-4242-value'] })).toEqual({
      exe: '{workspace}/{redacted}',
      argv: ['./{redacted}'],
    });
  });
});

describe('user rules', () => {
  const config: Config = {
    ...DEFAULT_CONFIG,
    ignore: ['{home}/.cache/**'],
    collapse: ['{workspace}/vendor/*/**'],
    normalize: [{ pattern: 'build-[0-9a-f]{8}', replace: 'build-{hash}' }],
  };
  const u = new Canonicalizer(ctx, config);

  test('ignore, collapse and normalize', () => {
    expect(u.path('/home/runner/.cache/pip/x')).toBeUndefined();
    expect(u.path('/home/runner/work/app/app/vendor/lodash/fp/map.js')).toBe('{workspace}/vendor/lodash/**');
    expect(u.path('/srv/build-0a1b2c3d/out')).toBe('/srv/build-{hash}/out');
    expect(u.explain('/home/runner/.cache/pip/x').steps.at(-1)).toEqual({
      rule: 'ignore {home}/.cache/**',
      before: '{home}/.cache/pip/x',
      after: '(ignored)',
    });
  });

  test('globs: ** crosses directories, * does not, braces are literal', () => {
    expect(globToRegExp('{workspace}/**/*.h').test('{workspace}/a/b/c.h')).toBe(true);
    expect(globToRegExp('{workspace}/**/*.h').test('{workspace}/c.h')).toBe(true);
    expect(globToRegExp('{workspace}/*.h').test('{workspace}/a/c.h')).toBe(false);
    expect(collapseWith('{workspace}/node_modules/*/**', '{workspace}/src/a.js')).toBeUndefined();
  });
});

describe('properties', () => {
  const segment = fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/);
  const rawPath = fc
    .array(segment, { minLength: 1, maxLength: 6 })
    .chain((segs) =>
      fc
        .constantFrom('/home/runner/work/app/app', '/tmp', '/usr/include', '/home/runner', '/proc/4242', '')
        .map((root) => `${root}/${segs.join('/')}`),
    );

  test('canonicalization is idempotent', () => {
    fc.assert(
      fc.property(rawPath, (p) => {
        const once = c.path(p)!;
        expect(c.path(once)).toBe(once);
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  test('a canonical graph canonicalized again is unchanged', () => {
    fc.assert(
      fc.property(fc.array(rawPath, { minLength: 1, maxLength: 8 }), (paths) => {
        const doc: GraphDocument = {
          inputs: paths.map((path) => ({ path })),
          outputs: [{ path: paths[0], from: paths.slice(1) }],
          programs: [{ exe: '/usr/bin/cc', argv: ['cc', ...paths], count: 1 }],
          endpoints: [],
          temporaries: [],
          untraced: [],
          modified: [],
          figures: { nodes: 0, edges: 0, programs: 0, files: 0, density: 0, mostConnected: [] },
        };
        const once = canonicalize(doc, ctx, DEFAULT_CONFIG).graph;
        const again: GraphDocument = {
          ...doc,
          inputs: once.inputs.map((path) => ({ path })),
          outputs: once.outputs.map((o) => ({ path: o.path, from: o.from })),
          programs: once.programs,
        };
        expect(canonicalize(again, ctx, DEFAULT_CONFIG).graph).toEqual({ ...once, modified: [] });
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});
