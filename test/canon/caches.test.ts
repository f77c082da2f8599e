/**
 * Build caches as one entity (issue 22): where each tool keeps its cache
 * (src/vocabulary/caches.ts), and every path under one canonical as `{cache:NAME}`. The
 * paths are real ones from the second-run scenarios (bench/second-run.js): ccache 4.7.5,
 * Go 1.19, npm 11.19.1, pip.
 */
import { Canonicalizer, canonicalize, type CanonContext } from '../../src/canon/index.js';
import { DEFAULT_CONFIG } from '../../src/config/index.js';
import type { GraphDocument } from '../../src/graph/index.js';
import { cacheName, cacheRoots } from '../../src/vocabulary/caches.js';

describe('where the caches are', () => {
  test('defaults under ~/.cache (or $XDG_CACHE_HOME) and $HOME', () => {
    const roots = cacheRoots({}, '/home/runner');
    expect(roots.map((r) => [r.name, r.dir, r.launcher])).toEqual([
      ['ccache', '/home/runner/.cache/ccache', true],
      ['ccache', '/home/runner/.ccache', true],
      ['sccache', '/home/runner/.cache/sccache', true],
      ['go', '/home/runner/.cache/go-build', true],
      ['npm', '/home/runner/.npm/_cacache', false],
      ['yarn', '/home/runner/.cache/yarn', false],
      ['yarn', '/home/runner/.yarn/berry/cache', false],
      ['pnpm', '/home/runner/.local/share/pnpm/store', false],
      ['pnpm', '/home/runner/.pnpm-store', false],
      ['pip', '/home/runner/.cache/pip', false],
      ['gradle', '/home/runner/.gradle/caches', false],
      ['buildkit', '/home/runner/.docker/.buildNodeID', false],
      ['buildkit', '/home/runner/.docker/buildx/refs', false],
      ['buildkit', '/home/runner/.docker/buildx/activity', false],
    ]);
    expect(cacheRoots({ XDG_CACHE_HOME: '/xdg' }, '/home/runner').find((r) => r.name === 'go')!.dir).toBe('/xdg/go-build');
  });

  test("the tools' variables win (a CI restores the cache where it says)", () => {
    const roots = cacheRoots(
      {
        CCACHE_DIR: '/home/runner/work/_temp/ccache/',
        GOCACHE: '/tmp/gocache',
        npm_config_cache: '/tmp/npm-cache',
        GRADLE_USER_HOME: '/g',
      },
      '/home/runner',
    );
    expect(roots.filter((r) => ['ccache', 'go', 'npm', 'gradle'].includes(r.name)).map((r) => [r.name, r.dir])).toEqual([
      ['ccache', '/home/runner/work/_temp/ccache'],
      ['go', '/tmp/gocache'],
      ['npm', '/tmp/npm-cache/_cacache'],
      ['gradle', '/g/caches'],
    ]);
  });

  test('cacheName reads the entity back', () => {
    expect(cacheName('{cache:ccache}')).toBe('ccache');
    expect(cacheName('{cache:go}/x')).toBe('go');
    expect(cacheName('{home}/.cache/x')).toBeUndefined();
  });
});

const ctx: CanonContext = {
  workspace: '/tmp/ioana-2nd-X/checkout/libogg',
  home: '/root',
  tmp: ['/tmp'],
  caches: cacheRoots({ CCACHE_DIR: '/tmp/ioana-2nd-X/ccache', GOCACHE: '/tmp/ioana-2nd-X/gocache' }, '/root'),
};

describe('every path in a cache is the cache', () => {
  const c = new Canonicalizer(ctx, DEFAULT_CONFIG);
  test.each([
    ['/tmp/ioana-2nd-X/ccache/0/5/stats', '{cache:ccache}'],
    ['/tmp/ioana-2nd-X/ccache/0/5/dan5sjfh8s47ssi90fmgb8t42df9hliM', '{cache:ccache}'],
    ['/tmp/ioana-2nd-X/gocache/01/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef-a', '{cache:go}'],
    ['/root/.cache/pip/http-v2/a/b/c/d/e/0123', '{cache:pip}'],
    ['/root/.npm/_cacache/content-v2/sha512/1c/2d/0a9f', '{cache:npm}'],
  ])('%s → %s', (raw, canonical) => {
    expect(c.path(raw)).toBe(canonical);
  });

  test("pip's wheels are packages of their own rule, not the cache", () => {
    expect(
      c.path('/root/.cache/pip/wheels/ab/cd/ef/0123456789abcdef0123456789abcdef0123456789abcdef01234567/six-1.16.0-py2.py3-none-any.whl'),
    ).toBe('{pip}/six@1.16.0');
  });

  test("in arguments too, with the random name in it (ccache's preprocessor output)", () => {
    expect(c.arg('/tmp/ioana-2nd-X/ccache/tmp/cpp_stdout.tmp.9bDOqA.i')).toBe('{cache:ccache}');
    expect(
      c.program({ exe: '/usr/bin/gcc', argv: ['gcc', '-E', '-o', '/tmp/ioana-2nd-X/ccache/tmp/cpp_stdout.tmp.9bDOqA.i', 'a.c'] }).argv,
    ).toEqual(['gcc', '-E', '-o', '{cache:ccache}', 'a.c']);
  });
});

describe('a cache named in .ioana.yml', () => {
  test('canonical or absolute, everything under it is the cache, in paths and arguments', () => {
    const config = {
      ...DEFAULT_CONFIG,
      caches: [
        { name: 'bazel', path: '{home}/.cache/bazel' },
        { name: 'sdk', path: '/opt/sdk-cache' },
      ],
    };
    const c = new Canonicalizer(ctx, config);
    expect(c.path('/root/.cache/bazel/_bazel_root/0a1b/execroot/x.o')).toBe('{cache:bazel}');
    expect(c.path('/opt/sdk-cache/v3/blob')).toBe('{cache:sdk}');
    expect(c.path('/opt/sdk-cache2/blob')).toBe('/opt/sdk-cache2/blob');
    expect(c.arg('--disk_cache=/root/.cache/bazel/disk')).toBe('--disk_cache={cache:bazel}');
    expect(c.explain('/opt/sdk-cache/v3/blob').steps.map((s) => s.rule)).toEqual(['caches.sdk /opt/sdk-cache']);
  });
});

describe('canonicalize: a cache is neither an input nor an output', () => {
  const doc = (over: Partial<GraphDocument>): GraphDocument => ({
    inputs: [],
    outputs: [],
    programs: [],
    endpoints: [],
    temporaries: [],
    modified: [],
    untraced: [],
    figures: { nodes: 0, edges: 0, programs: 0, files: 0, density: 0, mostConnected: [] },
    ...over,
  });
  const ws = ctx.workspace;

  test('read, written or left as a temporary, it is listed once among the caches, and no provenance names it', () => {
    const g = canonicalize(
      doc({
        inputs: [{ path: '/tmp/ioana-2nd-X/ccache/1/a/result' }, { path: `${ws}/src/bitwise.c` }],
        outputs: [{ path: `${ws}/src/bitwise.o`, from: ['/tmp/ioana-2nd-X/ccache/1/a/result', `${ws}/src/bitwise.c`] }],
        temporaries: [{ path: '/tmp/ioana-2nd-X/gocache/trim.txt' }],
      }),
      ctx,
      DEFAULT_CONFIG,
    ).graph;
    expect(g.inputs).toEqual(['{workspace}/src/bitwise.c']);
    expect(g.outputs).toEqual([{ path: '{workspace}/src/bitwise.o', from: ['{workspace}/src/bitwise.c'] }]);
    expect(g.caches).toEqual(['ccache', 'go']);
  });

  test('a credential moved into a cache is still a credential: a file by any of its names', () => {
    const g = canonicalize(
      doc({ inputs: [{ path: '/tmp/ioana-2nd-X/ccache/1/a/stolen', aka: ['/root/.ssh/id_rsa'] }] }),
      ctx,
      DEFAULT_CONFIG,
    ).graph;
    expect(g.inputs).toEqual(['{home}/.ssh/id_rsa']);
  });

  test('a package a build downloaded is a package it uses: an input', () => {
    const g = canonicalize(
      doc({ outputs: [{ path: '/root/.cargo/registry/src/index.crates.io-6f17d22bba15001f/itoa-1.0.1/src/lib.rs', from: [] }] }),
      ctx,
      DEFAULT_CONFIG,
    ).graph;
    expect(g.inputs).toEqual(['{cargo}/itoa@1.0.1']);
    expect(g.outputs).toEqual([]);
  });

  test("the resolver's files are part of reaching an endpoint, not inputs; written, they are outputs", () => {
    const g = canonicalize(
      doc({
        inputs: [{ path: '/etc/hosts' }, { path: '/etc/resolv.conf' }, { path: '/etc/passwd' }],
        outputs: [
          { path: '/etc/hosts', from: [] },
          { path: `${ws}/out`, from: ['/etc/hosts', '/etc/passwd'] },
        ],
      }),
      ctx,
      DEFAULT_CONFIG,
    ).graph;
    expect(g.inputs).toEqual(['/etc/passwd']);
    expect(g.outputs).toEqual([
      { path: '/etc/hosts', from: [] },
      { path: '{workspace}/out', from: ['/etc/passwd'] },
    ]);
  });
});
