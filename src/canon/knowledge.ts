/**
 * What the common build systems and package managers name differently in every run, or
 * after where the checkout is, as rules (docs/architecture.md §1.5). Each was learned from a real trace
 * (test/fixtures/real/ holds the lines, with their origin) and has a test with them:
 *
 * - CMake: try_compile's scratch projects and targets, `--progress-num` ordinals.
 * - autoconf: config.status's `./confXXXXXX` directory.
 * - npm, yarn, pnpm: content-addressed caches; packages as one entry each.
 * - cargo: the registry (sources, `.crate` files, the index) as one entry per package
 *   and version, and a crate's build products in `target/` as one entry per crate.
 * - pip: the wheel and HTTP caches; Go: the build cache and the module cache.
 *
 * They run after the roots (paths start with `{workspace}`, `{home}`, `{tmp}`) and the
 * user's `normalize` rules, and before the generic ones (`hex-run`, `pid`…), which would
 * otherwise cut their patterns apart.
 */
import { TOKEN } from '../vocabulary/tokens.js';
import { looksRandom, type Rule } from './rules.js';
import { TOOLCHAIN_RULES } from './toolchains.js';
import { cacheToken } from '../vocabulary/caches.js';

/** A crate's name and version in a directory name: `aho-corasick-0.7.19` → `aho-corasick`, `0.7.19`. */
const CRATE = String.raw`([A-Za-z0-9_]+(?:-[A-Za-z_][A-Za-z0-9_]*)*)-(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?(?:\+[0-9A-Za-z.]+)?)`;
/** A registry's directory: `index.crates.io-6f17d22bba15001f`, `github.com-1ecc6299db9ec823`. */
const REGISTRY = String.raw`[^/\s'"]+-[0-9a-f]{16}`;
/** The rest of a path in an argument or a path. */
const REST = String.raw`(?:/[^\s'"]*)?`;

/** `{cargo}/regex@1.7.1`: one entry per package and version. */
const cargoPackage = (name: string, version: string) => `${TOKEN.cargo}/${name}@${version}`;

const CARGO_SOURCES = new RegExp(String.raw`[^\s'"=]*/registry/src/${REGISTRY}/${CRATE}${REST}`, 'g');
const CARGO_CRATE_FILE = new RegExp(String.raw`[^\s'"=]*/registry/cache/${REGISTRY}/${CRATE}\.crate`, 'g');
const CARGO_INDEX = new RegExp(String.raw`[^\s'"=]*/registry/index/${REGISTRY}${REST}`, 'g');
/** Debian's packaged crates, a directory source cargo reads whole: each package's metadata is the registry's, its sources are the package's. */
const DEBIAN_METADATA = new RegExp(String.raw`/usr/share/cargo/registry/${CRATE}/(?:Cargo\.toml|\.cargo-checksum\.json)(?=$|[\s'"])`, 'g');
const DEBIAN_CRATE = new RegExp(String.raw`/usr/share/cargo/registry/${CRATE}${REST}`, 'g');

/**
 * A crate's build products under `target/<profile>/`: `deps/libregex_syntax-<hex>.rlib`,
 * `.fingerprint/regex-syntax-<hex>/…`, `build/<crate>-<hex>/…`, `incremental/<crate>-<id>/…`
 * (its session directories have random names) → `target/<profile>/regex_syntax.crate`.
 */
const CARGO_TARGET = new RegExp(
  String.raw`(/target/(?:[a-z0-9_]+-[a-z0-9_]+-[a-z0-9_-]+/)?[A-Za-z0-9_-]+)/` +
    String.raw`(?:deps/(?:lib)?([A-Za-z0-9_]+)-[0-9a-f]{16}(?:\.[A-Za-z0-9]+)?|(?:\.fingerprint|build)/([A-Za-z0-9_-]+)-[0-9a-f]{16}${REST}|incremental/([A-Za-z0-9_-]+)-[a-z0-9]{10,16}${REST})` +
    String.raw`(?=$|[\s'"])`,
  'g',
);

/** What bundlers emit under content-hashed names: scripts, styles, source maps, WebAssembly, fonts, images, manifests. */
const ASSET_EXT = String.raw`(?:\.chunk)?\.(?:m?js|cjs|css|wasm|woff2?|ttf|otf|eot|svg|png|jpe?g|gif|webp|avif|ico|json|html?)(?:\.map|\.LICENSE\.txt|\.gz|\.br)?`;
/**
 * `index-B9lMqfCT.js` (Vite, Rollup: 8 characters of URL-safe base64), `chunk-5YZTDN7V.js`
 * (esbuild: base32), `main.3b2c1d4e.chunk.js` (webpack `[contenthash:8]`, Parcel: hex):
 * a name, `-` or `.`, the hash, the asset's extension. Longer hex hashes (webpack's 20,
 * Next.js's 16) are `hex-run`'s.
 */
/** A quick test before BUNDLED: only a text with an asset's extension can hold a bundled name (a C build's never do). */
const ASSET = /\.(?:m?js|cjs|css|wasm|woff2?|ttf|otf|eot|svg|png|jpe?g|gif|webp|avif|ico|json|html?)(?:$|[.\s'"])/;
const BUNDLED = new RegExp(String.raw`(?<=^|/)([^/\s'"]+?)([-.])([A-Za-z0-9_-]{8}|[0-9a-f]{8,15})(${ASSET_EXT})(?=$|[\s'"])`, 'g');

/** A content hash, not a word: hex, or characters of at least two kinds (`B9lMqfCT`, `5YZTDN7V`, `D_4x-Ab1`), never a plain word (`vendored`, `polyfill`). */
function looksHashed(h: string): boolean {
  if (/^[0-9a-f]+$/.test(h)) return /[0-9]/.test(h);
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[_-]/].filter((re) => re.test(h)).length;
  return kinds >= 2 && !/^[A-Z][a-z]+$/.test(h);
}

export const KNOWLEDGE_RULES: readonly Rule[] = [
  ...TOOLCHAIN_RULES,
  {
    name: 'cmake-try-compile',
    // try_compile's scratch project and target, random per check: `CMakeScratch/TryCompile-jBGAyV/…/cmTC_e26f9.dir` → `TryCompile-*/…/cmTC_*.dir`.
    apply: (text) =>
      text.includes('TryCompile-') || text.includes('cmTC_')
        ? text.replace(/TryCompile-[A-Za-z0-9]{6}(?![A-Za-z0-9])/g, 'TryCompile-*').replace(/cmTC_[0-9a-f]{5}(?![0-9a-f])/g, 'cmTC_*')
        : text,
  },
  {
    name: 'cmake-progress',
    // cmake_echo_color's `--progress-num=12,13`: ordinals that renumber every later target when one comes or goes.
    apply: (text) => (text.includes('--progress-num=') ? text.replace(/(--progress-num=)\d+(?:,\d+)*/g, `$1${TOKEN.n}`) : text),
  },
  {
    name: 'autoconf-tmpdir',
    // config.status's `mktemp -d ./confXXXXXX`: `./confTA88O6/subs.awk` → `./conf*/subs.awk` (`conf$$` names are the pid rule's;
    // gnulib's fixed `conftestd2` is a name).
    apply: (text) =>
      text.includes('conf')
        ? text.replace(/(?<![A-Za-z0-9_])conf([A-Za-z0-9]{6})(?![A-Za-z0-9_])/g, (all, six: string) =>
            looksRandom(six) && !six.startsWith('test') ? 'conf*' : all,
          )
        : text,
  },
  {
    name: 'meson-private-tmp',
    // Meson's compiler checks run in a fresh `tempfile.mkdtemp()` under `meson-private/`, random per check and per run:
    // `build/meson-private/tmp6yu73kyn/output.exe` → `build/meson-private/tmp*/output.exe`.
    apply: (text) =>
      text.includes('meson-private/tmp') ? text.replace(/(\/meson-private\/)tmp[a-z0-9_]{8}(?![A-Za-z0-9_])/g, '$1tmp*') : text,
  },
  {
    name: 'bundler-hash',
    // Bundlers name their outputs by content, so every code edit renames them: `dist/assets/index-B9lMqfCT.js` →
    // `dist/assets/index-{hash}.js` (source maps and styles too); Next.js's random build id directory likewise.
    apply: (text) => {
      let out = ASSET.test(text)
        ? text.replace(BUNDLED, (all, name: string, sep: string, h: string, ext: string) =>
            looksHashed(h) ? `${name}${sep}${TOKEN.hash}${ext}` : all,
          )
        : text;
      if (out.includes('/.next/static/')) out = out.replace(/(\/\.next\/static\/)[A-Za-z0-9_-]{21}(?=\/)/g, `$1${TOKEN.hash}`);
      return out;
    },
  },
  {
    name: 'npm-cache',
    // npm's content-addressed download cache, wherever `npm_config_cache` put it: `…/_cacache/index-v5/58/f0/<sha256>` → `{cache:npm}`;
    // and the time stamp of its update check beside it (`…/_update-notifier-last-checked`, written when a day has passed
    // since the last check: in one run of two on a machine, in every run on a fresh runner).
    apply: (text) => {
      let out = text.includes('/_cacache') ? text.replace(/[^\s'"=]*\/_cacache(?=\/|$|[\s'"])(?:\/[^\s'"]*)?/g, cacheToken('npm')) : text;
      if (out.includes('/_update-notifier-last-checked'))
        out = out.replace(/[^\s'"=]*\/_update-notifier-last-checked(?=$|[\s'"])/g, cacheToken('npm'));
      return out;
    },
  },
  {
    name: 'npm-packages',
    // One entry per installed package: `{workspace}/node_modules/typescript/lib/lib.es5.d.ts` → `{workspace}/node_modules/typescript`;
    // yarn's cache `…/yarn/v6/npm-lodash-4.17.21-<hash>-integrity/…` and `.yarn/cache/lodash-npm-4.17.21-<hash>.zip` → `{npm}/lodash@4.17.21`;
    // pnpm's `node_modules/.pnpm/lodash@4.17.21/…` → `{npm}/lodash@4.17.21`, its content-addressed store → `{cache:pnpm}`.
    // In arguments a file of an installed package keeps its name (`node …/typescript/bin/tsc` is not `…/tsserver`).
    apply: (text, _ctx, scope) =>
      text.includes('node_modules') || text.includes('yarn') || text.includes('pnpm')
        ? text
            .replace(
              /[^\s'"=]*\/node_modules\/\.pnpm\/((?:@[^/\s'"@]+\+)?[^/\s'"@]+)@([0-9][^/\s'"_]*)[^/\s'"]*(?:\/[^\s'"]*)?/g,
              (_a, n: string, v: string) => `${TOKEN.npm}/${n.replace('+', '/')}@${v}`,
            )
            .replace(
              /[^\s'"=]*\/yarn\/v\d+\/npm-((?:@[^/\s'"-]+-)?[^/\s'"]+?)-(\d+\.\d+\.\d+[^/\s'"]*?)-[0-9a-f]{40}-integrity(?:\/[^\s'"]*)?/g,
              (_a, n: string, v: string) => `${TOKEN.npm}/${n.startsWith('@') ? n.replace('-', '/') : n}@${v}`,
            )
            .replace(
              /[^\s'"=]*\/\.yarn\/(?:berry\/)?cache\/((?:@[^/\s'"-]+-)?[^/\s'"]+?)-npm-(\d+\.\d+\.\d+[^/\s'"]*?)-[0-9a-f]{10}(?:-[0-9a-f]+)?\.zip(?:-[0-9a-f]{16}\.tmp|\/[^\s'"]*)?/g,
              (_a, n: string, v: string) => `${TOKEN.npm}/${n.startsWith('@') ? n.replace('-', '/') : n}@${v}`,
            )
            .replace(/[^\s'"=]*\/pnpm\/store\/v\d+(?:\/[^\s'"]*)?/g, cacheToken('pnpm'))
            .replace(scope.kind === 'path' ? /^([^\s'"=]*?\/node_modules\/)((?:@[^/\s'"]+\/)?[^/\s'".][^/\s'"]*)\/.*$/ : /$^/, '$1$2')
        : text,
  },
  {
    name: 'cargo-packages',
    // The registry as one entry per package and version: `~/.cargo/registry/src/index.crates.io-<hex>/regex-1.7.1/src/lib.rs`,
    // `…/cache/…/regex-1.7.1.crate`, Debian's `/usr/share/cargo/registry/regex-1.7.1/…` → `{cargo}/regex@1.7.1`; the index → `{cargo}/index`;
    // the metadata cargo reads of every package in a directory source → `{cargo}/registry`.
    apply: (text) =>
      text.includes('registry')
        ? text
            .replace(CARGO_SOURCES, (_a, n: string, v: string) => cargoPackage(n, v))
            .replace(CARGO_CRATE_FILE, (_a, n: string, v: string) => cargoPackage(n, v))
            .replace(CARGO_INDEX, `${TOKEN.cargo}/index`)
            .replace(DEBIAN_METADATA, `${TOKEN.cargo}/registry`)
            .replace(DEBIAN_CRATE, (_a, n: string, v: string) => cargoPackage(n, v))
        : text,
  },
  {
    name: 'cargo-target',
    // A crate's build products as one entry: `target/debug/deps/libitoa-<hex>.rlib`, `target/debug/.fingerprint/itoa-<hex>/…` → `target/debug/itoa.crate`.
    apply: (text) =>
      text.includes('/target/')
        ? text.replace(
            CARGO_TARGET,
            (_a, dir: string, dep?: string, fingerprint?: string, incremental?: string) =>
              `${dir}/${(dep ?? fingerprint ?? incremental ?? '').replace(/-/g, '_')}.crate`,
          )
        : text,
  },
  {
    name: 'pip-cache',
    // pip's wheel cache `~/.cache/pip/wheels/ab/cd/ef/<hash>/six-1.16.0-py2.py3-none-any.whl` → `{pip}/six@1.16.0`; its HTTP cache → `{cache:pip}`.
    apply: (text) =>
      text.includes('/pip/')
        ? text
            .replace(
              /[^\s'"=]*\/pip\/wheels(?:\/[0-9a-f]{2}){3}\/[0-9a-f]{50,56}\/([A-Za-z0-9_.]+)-(\d[^-/\s'"]*)-[^/\s'"]*\.whl/g,
              (_a, n: string, v: string) => `${TOKEN.pip}/${n.toLowerCase().replace(/_/g, '-')}@${v}`,
            )
            .replace(/[^\s'"=]*\/pip\/wheels(?:\/[0-9a-f]{2}){3}\/[0-9a-f]{50,56}\/origin\.json/g, cacheToken('pip'))
            .replace(/[^\s'"=]*\/pip\/(?:http(?:-v2)?|selfcheck)(?:\/[^\s'"]*)?/g, cacheToken('pip'))
        : text,
  },
  {
    name: 'go-caches',
    // Go's build cache (content-addressed) → `{cache:go}`; the module cache `~/go/pkg/mod/golang.org/x/text@v0.14.0/…` and its
    // download cache `…/cache/download/golang.org/x/text/@v/v0.14.0.zip` → `{gomod}/golang.org/x/text@v0.14.0`; `go-build123456` work directories.
    apply: (text) =>
      text.includes('go-build') || text.includes('/pkg/mod/')
        ? text
            .replace(/[^\s'"=]*\/go-build\/(?:[0-9a-f]{2}\/[0-9a-f]{64}-[ad]|README|trim\.txt)(?=$|[\s'"])/g, cacheToken('go'))
            .replace(
              /[^\s'"=]*\/pkg\/mod\/cache\/download\/([^\s'"@]+?)\/@v\/(v[^/\s'"]+?)\.(?:zip|mod|info|ziphash|lock)(?=$|[\s'"])/g,
              (_a, m: string, v: string) => `${TOKEN.gomod}/${m}@${v}`,
            )
            .replace(
              /[^\s'"=]*\/pkg\/mod\/(?!cache\/)([^\s'"@]+)@(v[^/\s'"]+)(?:\/[^\s'"]*)?/g,
              (_a, m: string, v: string) => `${TOKEN.gomod}/${m}@${v}`,
            )
            .replace(/(?<=\/)go-build\d+(?=\/|$)/g, 'go-build*')
        : text,
  },
  {
    name: 'go-buildid',
    // The build id Go hands its compiler, assembler and linker (`-buildid wACqM7S-_X_19gl8wvIp/wACqM7S-_X_19gl8wvIp`;
    // the linker's joined, `-buildid=…`): hashes of the action and its output, which differ with the checkout's path; a
    // warm cache that misses one package compiles or links it again with another (a changed-arguments notice, seen
    // once in four runs of the Go second-run test for compile, and once in seven for link).
    apply: (text, _ctx, scope) => {
      if (scope.kind !== 'arg') return text;
      if (GO_BUILD_ID.test(text)) return TOKEN.hash;
      return text.startsWith('-buildid=') && GO_BUILD_ID.test(text.slice(9)) ? `-buildid=${TOKEN.hash}` : text;
    },
  },
];

/** A Go build id as an argument: two to four base64url hashes of 20 (or 32, the linker's) characters. */
const GO_BUILD_ID = /^[A-Za-z0-9_-]{20,32}(?:\/[A-Za-z0-9_-]{20,32}){1,3}$/;
