/**
 * The build systems' and package managers' rules (src/canon/knowledge.ts), on real
 * names: the package managers' from test/fixtures/package-managers/ (real traces of
 * pip, Go, yarn, yarn berry and pnpm, two cold runs each on "two machines": other $HOME,
 * other checkout), and the build systems' quoted from the colleague's traces of Debian
 * json-c (CMake), hello (autotools), an npm + tsc project and a cargo project
 * (test/fixtures/real/ORIGIN.md). The expected forms are written out here.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Canonicalizer, type CanonContext } from '../../src/canon/index.js';
import { DEFAULT_CONFIG } from '../../src/config/index.js';

interface Recorded {
  readonly tool: string;
  readonly runs: readonly {
    readonly home: string;
    readonly workspace: string;
    readonly cold: boolean;
    readonly paths: readonly string[];
  }[];
}

const recorded = (name: string): Recorded =>
  JSON.parse(readFileSync(resolve('test/fixtures/package-managers', `${name}.json`), 'utf8')) as Recorded;

/** A run's paths, canonical, as a set. */
function canonical(run: Recorded['runs'][number]): Set<string> {
  const c = new Canonicalizer({ workspace: run.workspace, home: run.home, tmp: ['/tmp'] }, DEFAULT_CONFIG);
  return new Set(run.paths.map((p) => c.path(p)!));
}

/** What a package manager's rules are for: its packages and caches. */
const PACKAGES = /^(?:\{npm\}|\{pip\}|\{gomod\}|\{cache:[a-z]+\}|\{cargo\})|^\{workspace\}\/node_modules\/[^/.]/;

describe('package managers, real traces: two cold runs on two "machines" give the same packages', () => {
  test.each([
    ['pip', ['{pip}/tinygreet@0.1.0', '{cache:pip}']],
    ['go', ['{gomod}/example.com/greet@v1.0.0', '{cache:go}']],
    ['yarn', ['{npm}/debug@4.4.3', '{npm}/ms@2.1.3', '{workspace}/node_modules/debug']],
    ['yarn-berry', ['{npm}/debug@4.4.3', '{npm}/ms@2.1.3']],
    ['pnpm', ['{npm}/debug@4.4.3', '{npm}/ms@2.1.3', '{cache:pnpm}']],
    ['pnpm-v10', ['{npm}/debug@4.4.3', '{npm}/ms@2.1.3', '{cache:pnpm}']],
  ])('%s', (name, expected) => {
    const runs = recorded(name).runs.filter((r) => r.cold);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    const [a, b] = runs.map((r) => new Set([...canonical(r)].filter((p) => PACKAGES.test(p))));
    expect([...a].sort()).toEqual([...b].sort());
    for (const e of expected) expect(a).toContain(e);
    // Nothing that names the run's home, checkout or a hash of them is left in a package's name.
    for (const p of a) expect(p).not.toMatch(/home-|__virtual__|[0-9a-f]{16}/);
  });

  test('explain names the rule', () => {
    const run = recorded('yarn-berry').runs[0];
    const c = new Canonicalizer({ workspace: run.workspace, home: run.home, tmp: ['/tmp'] }, DEFAULT_CONFIG);
    const virtual = run.paths.find((p) => p.includes('__virtual__'))!;
    expect(c.explain(virtual).steps.map((s) => s.rule)).toContain('npm-packages');
    expect(c.path(virtual)).toBe('{npm}/debug@4.4.3');
  });
});

/** Two runs of one build, at two checkouts (REPORT: "A" and "B"). */
const ctxA = (ws: string): CanonContext => ({ workspace: ws, home: '/root', tmp: ['/tmp'] });

describe('CMake (Debian json-c 0.16-2, cmake 3.25.1)', () => {
  const a = new Canonicalizer(ctxA('/tmp/real/cmake/a/json-c-0.16'), DEFAULT_CONFIG);
  const b = new Canonicalizer(ctxA('/tmp/real/cmake/other-place/json-c-0.16'), DEFAULT_CONFIG);

  test("try_compile's scratch directory and target names are random: folded", () => {
    const inA =
      '/tmp/real/cmake/a/json-c-0.16/build/CMakeFiles/CMakeScratch/TryCompile-vHw76G/CMakeFiles/cmTC_d9846.dir/CheckSymbolExists.c.o';
    const inB =
      '/tmp/real/cmake/other-place/json-c-0.16/build/CMakeFiles/CMakeScratch/TryCompile-jBGAyV/CMakeFiles/cmTC_e26f9.dir/CheckSymbolExists.c.o';
    expect(a.path(inA)).toBe('{workspace}/build/CMakeFiles/CMakeScratch/TryCompile-*/CMakeFiles/cmTC_*.dir/CheckSymbolExists.c.o');
    expect(b.path(inB)).toBe(a.path(inA));
    expect(a.explain(inA).steps.map((s) => s.rule)).toEqual(['roots', 'cmake-try-compile']);
    expect(a.arg('cmTC_09564')).toBe('cmTC_*');
  });

  test('progress numbers renumber when a target comes or goes: folded', () => {
    const echo = (n: string) =>
      a.program({
        exe: '/usr/bin/cmake',
        argv: [
          'cmake',
          '-E',
          'cmake_echo_color',
          '--switch=',
          '--green',
          '--progress-dir=/tmp/real/cmake/a/json-c-0.16/build/CMakeFiles',
          `--progress-num=${n}`,
          'Building C object CMakeFiles/json-c.dir/arraylist.c.o',
        ],
      }).argv;
    expect(echo('1')).toEqual(echo('37,38'));
    expect(echo('1')).toContain('--progress-num={n}');
  });
});

describe('autotools (Debian hello 2.10-3)', () => {
  const c = new Canonicalizer(ctxA('/tmp/real/autotools/other-place/hello-2.10'), DEFAULT_CONFIG);
  test("config.status's ./confXXXXXX directory, in paths and arguments", () => {
    expect(c.path('/tmp/real/autotools/other-place/hello-2.10/confTA88O6/subs.awk')).toBe('{workspace}/conf*/subs.awk');
    expect(c.program({ exe: '/usr/bin/mawk', argv: ['mawk', '-f', './confTA88O6/subs.awk'] }).argv).toEqual([
      'mawk',
      '-f',
      './conf*/subs.awk',
    ]);
    // Not a random suffix: kept.
    expect(c.arg('./confdefs.h')).toBe('./confdefs.h');
    expect(c.arg('conftest.c')).toBe('conftest.c');
  });
});

describe('Meson (Debian meson 1.0.1)', () => {
  const c = new Canonicalizer(ctxA('/tmp/real/meson/other-place/inih'), DEFAULT_CONFIG);
  test("a compiler check's private temporary directory is random per check: folded, in paths and arguments", () => {
    // issue 22: a failing new-program on every run.
    expect(c.path('/tmp/real/meson/other-place/inih/build/meson-private/tmp6yu73kyn/output.exe')).toBe(
      '{workspace}/build/meson-private/tmp*/output.exe',
    );
    expect(c.arg('/tmp/real/meson/other-place/inih/build/meson-private/tmpqa_1x9z0/testfile.c')).toBe(
      '{workspace}/build/meson-private/tmp*/testfile.c',
    );
    // Meson's own files there keep their names.
    expect(c.path('/tmp/real/meson/other-place/inih/build/meson-private/coredata.dat')).toBe(
      '{workspace}/build/meson-private/coredata.dat',
    );
  });
});

describe('bundlers: content-hashed names (issue 22)', () => {
  const c = new Canonicalizer(ctxA('/tmp/real/vite/other-place/app'), DEFAULT_CONFIG);
  test.each([
    // Vite 8 / Rollup: `[name]-[hash]`, 8 characters of URL-safe base64 (issue 22's one-line edit).
    ['dist/assets/index-B9lMqfCT.js', 'dist/assets/index-{hash}.js'],
    ['dist/assets/index-vUDAnriO.js', 'dist/assets/index-{hash}.js'],
    ['dist/assets/index-D_4x-Ab1.css', 'dist/assets/index-{hash}.css'],
    ['dist/assets/vendor-react-B9lMqfCT.js.map', 'dist/assets/vendor-react-{hash}.js.map'],
    ['dist/assets/logo-Bx7_Ac9Q.svg', 'dist/assets/logo-{hash}.svg'],
    // esbuild: base32.
    ['out/chunk-5YZTDN7V.js', 'out/chunk-{hash}.js'],
    // webpack `[contenthash:8]`, create-react-app, Parcel: hex.
    ['build/static/js/main.3b2c1d4e.js', 'build/static/js/main.{hash}.js'],
    ['build/static/js/787.a1b2c3d4.chunk.js', 'build/static/js/787.{hash}.chunk.js'],
    ['build/static/js/main.3b2c1d4e.js.LICENSE.txt', 'build/static/js/main.{hash}.js.LICENSE.txt'],
    // webpack's default 20 hex, Next.js's 16: long hex runs.
    ['dist/main.0123456789abcdef0123.js', 'dist/main.{hex}.js'],
    ['.next/static/chunks/pages/_app-7a1b2c3d4e5f6a7b.js', '.next/static/chunks/pages/_app-{hex}.js'],
    // Next.js's build id (a random 21-character id) names a directory.
    ['.next/static/Zx9_ab-Cd3Ef4Gh5Ij6Kl/_buildManifest.js', '.next/static/{hash}/_buildManifest.js'],
  ])('%s → %s', (raw, canonical) => {
    expect(c.path(`/tmp/real/vite/other-place/app/${raw}`)).toBe(`{workspace}/${canonical}`);
  });

  test.each([
    'src/polyfill.js',
    'dist/vendored.js',
    'node_modules/jquery/dist/jquery-3.7.1.min.js',
    'dist/react-dom.production.min.js',
    'dist/Callback.js',
    'src/main-Template.css',
    'dist/deadbeef.js',
    'src/index-B9lMqfCT.ts',
  ])('%s keeps its name', (raw) => {
    expect(c.path(`/tmp/real/vite/other-place/app/${raw}`)).toBe(
      `{workspace}/${raw}`.replace(/node_modules\/jquery\/.*/, 'node_modules/jquery'),
    );
  });
});

describe('npm (npm 11.19.1)', () => {
  const c = new Canonicalizer(ctxA('/tmp/real/npm/other-place/tsdemo'), DEFAULT_CONFIG);
  test("npm's debug log is named after the time to the millisecond", () => {
    expect(c.path('/root/.npm/_logs/2026-11-23T16_03_55_478Z-debug-0.log')).toBe('{home}/.npm/_logs/{date}-debug-0.log');
    expect(c.path('/root/.npm/_logs/2026-11-23T16_03_50_780Z-debug-0.log')).toBe('{home}/.npm/_logs/{date}-debug-0.log');
  });
  test('the download cache is one entity wherever it is (issue 22); installed packages are one entry each', () => {
    expect(c.path('/root/.npm/_cacache/index-v5/58/f0/4fe556f104b09be642895a82afa463fe560d9a0dc8f507efeef825a6905e')).toBe('{cache:npm}');
    // `npm_config_cache` elsewhere, seen in the second-run scenario (npm ci cold → warm).
    expect(c.path('/tmp/ioana-2nd-npm-cache-eSbjvJ/npm-cache/_cacache/content-v2/sha512/1c/2d/0a9f')).toBe('{cache:npm}');
    // Its update check's time stamp, written once a day (seen on the second-run bench of 2026-12-07: a vanished output).
    expect(c.path('/root/.npm/_update-notifier-last-checked')).toBe('{cache:npm}');
    expect(c.path('/tmp/ioana-2nd-npm-cache-EnbHFI/npm-cache/_update-notifier-last-checked')).toBe('{cache:npm}');
    expect(c.path('/tmp/real/npm/other-place/tsdemo/node_modules/typescript/lib/lib.es5.d.ts')).toBe('{workspace}/node_modules/typescript');
    expect(c.path('/tmp/real/npm/other-place/tsdemo/node_modules/@types/node/fs.d.ts')).toBe('{workspace}/node_modules/@types/node');
    expect(c.path('/tmp/real/npm/other-place/tsdemo/node_modules/.bin/tsc')).toBe('{workspace}/node_modules/.bin/tsc');
  });
});

describe('cargo (Debian cargo 0.66, rustc 1.63, packaged crates)', () => {
  const c = new Canonicalizer(ctxA('/tmp/real/cargo/adddep/cdemo'), DEFAULT_CONFIG);
  test('a package of the registry is one entry per package and version', () => {
    expect(c.path('/usr/share/cargo/registry/itoa-1.0.1/src/lib.rs')).toBe('{cargo}/itoa@1.0.1');
    expect(c.path('/usr/share/cargo/registry/itoa-1.0.1/src/udiv128.rs')).toBe('{cargo}/itoa@1.0.1');
    expect(c.path('/usr/share/cargo/registry/aho-corasick-0.7.19/src/lib.rs')).toBe('{cargo}/aho-corasick@0.7.19');
    expect(c.path('/root/.cargo/registry/src/index.crates.io-6f17d22bba15001f/regex-1.7.1/src/lib.rs')).toBe('{cargo}/regex@1.7.1');
    expect(c.path('/root/.cargo/registry/cache/index.crates.io-6f17d22bba15001f/regex-1.7.1.crate')).toBe('{cargo}/regex@1.7.1');
    expect(c.path('/root/.cargo/registry/index/index.crates.io-6f17d22bba15001f/.cache/re/ge/regex')).toBe('{cargo}/index');
    // The metadata cargo reads of every package of a directory source, used or not.
    expect(c.path('/usr/share/cargo/registry/autocfg-1.1.0/Cargo.toml')).toBe('{cargo}/registry');
    expect(c.path('/usr/share/cargo/registry/autocfg-1.1.0/.cargo-checksum.json')).toBe('{cargo}/registry');
  });
  test("a crate's build products are one entry per crate, its incremental sessions included", () => {
    const t = '/tmp/real/cargo/adddep/cdemo/target/debug';
    for (const p of [
      'deps/libitoa-ef55fc82a84dc41b.rlib',
      'deps/libitoa-ef55fc82a84dc41b.rmeta',
      'deps/itoa-ef55fc82a84dc41b.d',
      '.fingerprint/itoa-ef55fc82a84dc41b/lib-itoa.json',
    ]) {
      expect(c.path(`${t}/${p}`)).toBe('{workspace}/target/debug/itoa.crate');
    }
    expect(c.path(`${t}/.fingerprint/regex-syntax-016db135b87ab253/lib-regex-syntax`)).toBe('{workspace}/target/debug/regex_syntax.crate');
    expect(c.path(`${t}/incremental/cdemo-4njgtrmwfvt2/s-hofmc0vo5z-r658xu.lock`)).toBe('{workspace}/target/debug/cdemo.crate');
    expect(c.path(`${t}/incremental/cdemo-1yejvuxfevpso/s-hofmc0vo5z-r658xu-30h2yonkotb2a/1j8face4k34zfus0.o`)).toBe(
      '{workspace}/target/debug/cdemo.crate',
    );
    // The binary itself keeps its name.
    expect(c.path(`${t}/cdemo`)).toBe('{workspace}/target/debug/cdemo');
  });
});

test('Go’s build ids are hashes: the compiler’s and the linker’s `-buildid` argument is {hash}, nothing else of its shape changes', () => {
  const c = new Canonicalizer(ctxA('/tmp/xx'), DEFAULT_CONFIG);
  // As strace wrote them for `go build ./...` of xxhash (Go 1.19, 2026-12-07).
  const compile = (id: string) =>
    c.program({
      exe: '/usr/lib/go-1.19/pkg/tool/linux_amd64/compile',
      argv: ['/usr/lib/go-1.19/pkg/tool/linux_amd64/compile', '-p', 'main', '-buildid', id, '-goversion', 'go1.19.8', '-c=2'],
    }).argv;
  expect(compile('wACqM7S-_X_19gl8wvIp/wACqM7S-_X_19gl8wvIp')).toEqual(compile('gaQaTm_FfD9_imGK3gX6/gaQaTm_FfD9_imGK3gX6'));
  expect(compile('wACqM7S-_X_19gl8wvIp/wACqM7S-_X_19gl8wvIp')[4]).toBe('{hash}');
  // The linker takes it joined (as a full run of the Go second-run test saw it, 2026-12-07).
  const link = (id: string) =>
    c.program({
      exe: '/usr/lib/go-1.19/pkg/tool/linux_amd64/link',
      argv: ['/usr/lib/go-1.19/pkg/tool/linux_amd64/link', '-o', 'a.out', '-buildmode=exe', `-buildid=${id}`, '-extld=gcc'],
    }).argv;
  const id = '-5-wnW-IGEa44d7OP0XF/NgrxGLITqqLfWSxPmhn6/5kCNPnprBD5GCGBkYyd8/-5-wnW-IGEa44d7OP0XF';
  expect(link(id)[4]).toBe('-buildid={hash}');
  expect(link(id)).toEqual(link('Ab3-_x9Qwe7Rty0Uio1P/ZxCvBnM1234567890abc/QwErTy-_12345678901234/Ab3-_x9Qwe7Rty0Uio1P'));
  expect(link(id)[3]).toBe('-buildmode=exe');
  // Not a path of ordinary names, nor a single token.
  expect(c.program({ exe: '/usr/bin/cp', argv: ['cp', 'src/main.c', 'wACqM7S-_X_19gl8wvIp'] }).argv).toEqual([
    'cp',
    'src/main.c',
    'wACqM7S-_X_19gl8wvIp',
  ]);
});
