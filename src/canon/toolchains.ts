/**
 * Toolchain versions are not identities (issue 22): a runner image updates its compilers
 * and its tool cache every week, and setup-node installs each patch release under a new
 * directory. The version goes out of the canonical name (`{toolcache}/node/{version}/x64/
 * bin/node`, `/usr/lib/gcc/x86_64-linux-gnu/{version}/cc1`, `gcc-{version}`) and into the
 * run's `toolchains` (`node` → `20.12.0`), so that an upgrade is one `toolchain-changed`
 * notice per tool rather than a finding per file. A change of family (gcc → clang) keeps
 * other names and stays a real change.
 *
 * Shared libraries are named by their soname (`libcurl-gnutls.so.4.8.0` → `.so.4`): the
 * file a program asked for. An image update that moves a library to its next compatible
 * release is not the pull request's doing; a new major version is a new name.
 *
 * The tool cache is found by `$RUNNER_TOOL_CACHE` (the roots rule's `{toolcache}`) and, when
 * the variable is unset, by its layout: `…/hostedtoolcache/<tool>/<version>/<arch>/` (GitHub's
 * hosted runners) or `…/_work/_tool/<tool>/<version>/<arch>/` (self-hosted).
 */
import { TOKEN } from '../vocabulary/tokens.js';
import type { Rule } from './rules.js';

/** Where a path may start in a text: its start, or after a blank, a quote, `=`, `:` or `,` (`-I/usr/lib/gcc/…`, `--with=/…`). */
const START = String.raw`(?<=^|[\s'"=:,@]|-[A-Za-z])`;
/** A dotted version: `20.12.0`, `3.11.7`, `17.0.9-9`, `12`. */
const VERSION = String.raw`\d+(?:\.\d+)*(?:[-+][0-9A-Za-z.]+)?`;
const ARCH = String.raw`(?:x64|x86|arm64|arm|aarch64|ppc64le|s390x)`;
/** The end of a path component. */
const END = String.raw`(?=/|$|[\s'"])`;
/** A GNU triple: `x86_64-linux-gnu`, `aarch64-linux-gnu`. */
const TRIPLE = String.raw`[a-z0-9_]+-[a-z0-9_]+-[a-z0-9_-]+`;

/** One kind of versioned name: the pattern (the version is group `v`), the tool it names, and its rewrite. */
interface VersionedName {
  readonly re: RegExp;
  /** The tool: a fixed name, or taken from the match (`{toolcache}/<tool>/…`). */
  readonly tool: string | ((groups: Record<string, string>) => string);
}

const names = (specs: readonly [string, string | ((g: Record<string, string>) => string)][]): VersionedName[] =>
  specs.map(([re, tool]) => ({ re: new RegExp(re, 'g'), tool }));

/** Each names its version `(?<v>…)`; the rest of the match stays. Run after the roots rule (`{toolcache}`, `{home}`). */
const VERSIONED: readonly VersionedName[] = names([
  // The runner's tool cache: `{toolcache}/node/20.12.0/x64`, `{toolcache}/Python/3.12.1/x64`.
  [String.raw`(?<=\{toolcache\}/(?<t>[^/\s'"]+)/)(?<v>${VERSION})(?=/${ARCH}${END})`, (g) => g.t.toLowerCase()],
  // nvm, pyenv, rustup, asdf.
  [String.raw`(?<=\{home\}/\.nvm/versions/node/)(?<v>v${VERSION})${END}`, 'node'],
  [String.raw`(?<=\{home\}/\.pyenv/versions/)(?<v>${VERSION})${END}`, 'python'],
  [String.raw`(?<=\{home\}/\.rustup/toolchains/)(?<v>\d+\.\d+(?:\.\d+)?)(?=-${TRIPLE}${END})`, 'rust'],
  [String.raw`(?<=\{home\}/\.asdf/installs/(?<t>[^/\s'"]+)/)(?<v>${VERSION})${END}`, (g) => g.t.toLowerCase()],
  // GCC: its private directories, its C++ headers, and its versioned commands (`gcc-12`, `x86_64-linux-gnu-g++-12`).
  [String.raw`(?<=/(?:lib|libexec)/gcc(?:-cross)?/${TRIPLE}/)(?<v>\d+(?:\.\d+)*)${END}`, 'gcc'],
  [String.raw`(?<=/include/(?:${TRIPLE}/)?c\+\+/)(?<v>\d+(?:\.\d+)*)${END}`, 'gcc'],
  [
    String.raw`(?<=(?:^|[\s/'"])(?:${TRIPLE}-)?(?:gcc|g\+\+|cpp|gcc-ar|gcc-nm|gcc-ranlib|gcov|gcov-dump|gcov-tool|lto-dump|gfortran)-)(?<v>\d+)(?=$|[\s'"])`,
    'gcc',
  ],
  // LLVM and clang: `/usr/lib/llvm-14/`, `clang-14`, `/usr/lib/clang/14.0.6/include`.
  [String.raw`(?<=/lib/llvm-)(?<v>\d+)${END}`, 'llvm'],
  [String.raw`(?<=/lib/clang/)(?<v>\d+(?:\.\d+)*)${END}`, 'llvm'],
  [
    String.raw`(?<=(?:^|[\s/'"])(?:clang|clang\+\+|clang-cpp|lld|ld\.lld|llvm-ar|llvm-nm|llvm-ranlib|llvm-objcopy|llvm-strip)-)(?<v>\d+)(?=$|[\s'"])`,
    'llvm',
  ],
  // Debian's Go (`/usr/lib/go-1.19/`), Python (`/usr/lib/python3.11/`, `python3.11`), Perl (`/usr/share/perl/5.36/`), Ruby, Java.
  [String.raw`(?<=/lib/go-)(?<v>\d+\.\d+)${END}`, 'go'],
  [String.raw`(?<=(?:^|[\s/'"])(?:lib)?python)(?<v>3\.\d+)(?=$|[\s/'"]|\.so|-config)`, 'python'],
  [String.raw`(?<=/(?:perl|perl5|perl-base)/)(?<v>5\.\d+(?:\.\d+)?)${END}`, 'perl'],
  [String.raw`(?<=/lib/ruby/(?:gems/|vendor_ruby/)?)(?<v>\d+\.\d+\.\d+)${END}`, 'ruby'],
  [String.raw`(?<=/lib/jvm/java-)(?<v>\d+)(?=-openjdk)`, 'java'],
]);

/** Every name a `VERSIONED` pattern can match holds one of these: the rest of a trace's paths are passed over at once. */
const MAYBE_VERSIONED =
  /toolcache|\.nvm\/|\.pyenv\/|\.rustup\/|\.asdf\/|gcc|g\+\+|c\+\+|cpp-|gfortran|gcov|lto-dump|llvm|clang|lld|\/go-|python|perl|ruby|\/jvm\//;

/** `{toolcache}` for the tool cache found by its layout when `$RUNNER_TOOL_CACHE` is unset. */
const TOOLCACHE_LAYOUT = new RegExp(
  String.raw`${START}(?:\{(?:home|tmp)\})?/(?:[^\s'"]*?/)?(?:hostedtoolcache|_work/_tool)(?=/[^/\s'"]+/${VERSION}/${ARCH}${END})`,
  'g',
);

/** `libcurl-gnutls.so.4.8.0` → `libcurl-gnutls.so.4`: a shared library by its soname (at least two numbers after `.so.`). */
const SHARED_LIBRARY = /(?<=(?:^|\/)lib[^/\s'"]*?\.so\.\d+)(?:\.\d+)+(?=$|[\s'"])/g;

/** The version tokens this module writes. */
export const VERSION_TOKEN = '{version}';

/** `/opt/hostedtoolcache/node/20.12.0/x64/bin/node` → `{toolcache}/node/20.12.0/x64/bin/node`. */
const toolcacheLayout = (text: string): string =>
  text.includes('hostedtoolcache') || text.includes('/_tool/') ? text.replace(TOOLCACHE_LAYOUT, TOKEN.toolcache) : text;

export const TOOLCHAIN_RULES: readonly Rule[] = [
  { name: 'toolcache-layout', apply: toolcacheLayout },
  {
    name: 'toolchain-version',
    apply: (text) => {
      if (!MAYBE_VERSIONED.test(text)) return text;
      let out = text;
      for (const v of VERSIONED) {
        v.re.lastIndex = 0;
        if (v.re.test(out)) {
          v.re.lastIndex = 0;
          out = out.replace(v.re, VERSION_TOKEN);
        }
      }
      return out;
    },
  },
  {
    name: 'shared-library-version',
    apply: (text) => (text.includes('.so.') ? text.replace(SHARED_LIBRARY, '') : text),
  },
];

/**
 * The toolchains some texts (paths and arguments, with the roots already tokens) name,
 * and their versions: `{toolcache}/node/20.12.0/x64/bin/node` → `node` → `20.12.0`.
 * Several versions of one tool are kept, sorted.
 */
export function toolchainVersions(texts: Iterable<string>): Record<string, string> {
  const found = new Map<string, Set<string>>();
  for (const raw of new Set(texts)) {
    if (!MAYBE_VERSIONED.test(raw) && !raw.includes('_tool/')) continue;
    const text = toolcacheLayout(raw);
    for (const v of VERSIONED) {
      v.re.lastIndex = 0;
      for (const m of text.matchAll(v.re)) {
        const groups = (m.groups ?? {}) as Record<string, string>;
        const tool = typeof v.tool === 'string' ? v.tool : v.tool(groups);
        const versions = found.get(tool) ?? found.set(tool, new Set()).get(tool)!;
        versions.add(groups.v);
      }
    }
  }
  const out: Record<string, string> = {};
  for (const tool of [...found.keys()].sort()) out[tool] = [...found.get(tool)!].sort(byVersion).join(', ');
  return out;
}

/** `9` before `12`, `20.11.1` before `20.12.0`. */
function byVersion(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split(/[.+-]/);
  const pb = b.replace(/^v/, '').split(/[.+-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const d = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0;
    if (d !== 0) return d;
  }
  return 0;
}
