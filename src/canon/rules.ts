/**
 * The built-in canonicalization rules (docs/architecture.md §1.5), each named so that `ioana
 * explain` can say which one turned a raw path into its canonical form.
 */
import { rootPattern } from '../vocabulary/paths.js';
import type { Redactor } from '../vocabulary/redact.js';
import { TOKEN } from '../vocabulary/tokens.js';
import { cacheToken, type CacheRoot } from '../vocabulary/caches.js';

/** Where the build ran, and the machine's roots, as they were during the trace. */
export interface CanonContext {
  /** The repository root (realpath). */
  readonly workspace: string;
  /** `$HOME`. */
  readonly home?: string;
  /** `/tmp`, `/var/tmp`, `/dev/shm`, `$TMPDIR`, `$RUNNER_TEMP`. */
  readonly tmp: readonly string[];
  /** `$RUNNER_TOOL_CACHE`. */
  readonly toolcache?: string;
  /** Build caches: every path under one is the one entity `{cache:NAME}`. */
  readonly caches?: readonly CacheRoot[];
  /** The pids of the traced processes: a number equal to one, in a name the build made, is run-to-run noise. */
  readonly pids?: ReadonlySet<number>;
  /** What the build itself created. Without it no number is taken for a pid. */
  readonly made?: MadeNames;
  /**
   * Ports the build's own servers listened on: a connection to one is to the build itself,
   * and its number (often the kernel's pick) is run-to-run noise. Without it, no destination
   * port is folded: another service of the machine on a high port is another endpoint.
   */
  readonly ownPorts?: ReadonlySet<number>;
  /** Credentials out of every argument (the environment's secrets and the known formats). Default: the formats only. */
  readonly redactor?: Redactor;
}

/** The names a build made in its run (docs/architecture.md §1.5): only these can hold its pids or its random temporary names. */
export interface MadeNames {
  /** Raw absolute paths the build created: every name of a file it wrote from nothing, every directory it made. */
  readonly paths: ReadonlySet<string>;
  /** Their last components (`conf12345.file`): a word of an argument is the build's own name when it is one of these. */
  readonly names: ReadonlySet<string>;
}

/** Raw paths the build created → the names it made. */
export function madeNames(paths: Iterable<string>): MadeNames {
  const set = new Set<string>();
  const names = new Set<string>();
  for (const p of paths) {
    set.add(p);
    names.add(p.slice(p.lastIndexOf('/') + 1));
  }
  return { paths: set, names };
}

/**
 * How many of a raw path's last components the build made: `/w/build/conf12345.dir/x`
 * with `/w/build/conf12345.dir` made → 2; a path that existed before the build → 0.
 */
export function madeComponents(made: MadeNames | undefined, raw: string): number {
  if (!made || made.paths.size === 0 || !raw.startsWith('/')) return 0;
  const parts = raw.split('/');
  for (let i = 2; i <= parts.length; i++) {
    if (made.paths.has(parts.slice(0, i).join('/'))) return parts.length - i + 1;
  }
  return 0;
}

/**
 * Where a text being canonicalized comes from: a path, with how many of its last
 * components the build made (`madeComponents`), or a program argument.
 */
export type Scope = { readonly kind: 'path'; readonly made: number } | { readonly kind: 'arg' };

export interface Rule {
  readonly name: string;
  readonly apply: (text: string, ctx: CanonContext, scope: Scope) => string;
}

/** One rewrite, as `explain` prints it. */
export interface RewriteStep {
  readonly rule: string;
  readonly before: string;
  readonly after: string;
}

/** The roots, most specific first: the workspace may live under $HOME or /tmp, a cache under either. */
export function roots(ctx: CanonContext): [string, string][] {
  const list: [string, string][] = [[ctx.workspace, TOKEN.workspace]];
  if (ctx.toolcache) list.push([ctx.toolcache, TOKEN.toolcache]);
  for (const t of ctx.tmp) list.push([t, TOKEN.tmp]);
  if (ctx.home && ctx.home !== '/') list.push([ctx.home, TOKEN.home]);
  for (const c of ctx.caches ?? []) list.push([c.dir, cacheToken(c.name)]);
  return list.filter(([p]) => p && p !== '/').sort((a, b) => b[0].length - a[0].length);
}

interface CompiledRoot {
  readonly root: string;
  readonly token: string;
  /**
   * The root wherever it starts a path (`-I/w/include`), not inside a longer name (`/w2`);
   * a cache's with the rest of the path: what is in a cache is the cache (`{cache:ccache}`).
   */
  readonly re: RegExp;
}

/** A cache's root and what follows it in a path, but not its `except` subdirectories (pip's `wheels`, packages of their own). */
function cachePattern(c: CacheRoot): RegExp {
  const root = rootPattern(c.dir).source;
  const except = c.except && c.except.length > 0 ? `(?!/(?:${c.except.map(escapeRe).join('|')})(?:/|$))` : '';
  return new RegExp(`${root}${except}(?:/[^\\s'"]*)?`, 'g');
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Roots are worked out once per context: the rule runs on every path and argument. */
const compiledRoots = new WeakMap<CanonContext, readonly CompiledRoot[]>();

function rootsOf(ctx: CanonContext): readonly CompiledRoot[] {
  let list = compiledRoots.get(ctx);
  if (!list) {
    const caches = new Map((ctx.caches ?? []).map((c) => [c.dir, c]));
    list = roots(ctx).map(([root, token]) => {
      const cache = caches.get(root);
      return { root, token, re: cache && token === cacheToken(cache.name) ? cachePattern(cache) : rootPattern(root) };
    });
    compiledRoots.set(ctx, list);
  }
  return list;
}

/** A mkstemp suffix looks random: it mixes cases, or digits with letters. */
export function looksRandom(s: string): boolean {
  const lower = /[a-z]/.test(s);
  const upper = /[A-Z]/.test(s);
  const digit = /[0-9]/.test(s);
  return (lower && upper) || ((lower || upper) && digit);
}

/** `ccAbC123.s`, `cgSDfMaJ`, `rustcdfBL9Y`: a short lower-case prefix, mkstemp's six random characters, an extension. */
const MKSTEMP = /^([a-z]{0,8}[._-]?)([A-Za-z0-9]{6})((?:\.[A-Za-z0-9]+)*)$/;
/** Prefixes of temporary names that tools are known to make with mkstemp (gcc, config.guess, rustc's linker, libtool…). */
const TEMP_PREFIXES = /^(?:cc|tmp|st|ar|cg|rustc|lt|conftest)$/;
/** mktemp(1)'s default `tmp.XXXXXXXXXX`, Python's tempfile (`tmpab_3x9qz`, pip's `pip-req-build-…`), yarn berry's `xfs-1a2b3c4d`. */
const OTHER_TEMP = /^(tmp\.)[A-Za-z0-9]{10}$|^(tmp|pip-[a-z]+(?:-[a-z]+)*-)[a-z0-9_]{8}$|^(xfs-)[0-9a-f]{8}$/;

/**
 * One path component under a temporary root: `ccAbC123.s` → `cc*.s`, `cgSDfMaJ` → `cg*`.
 * A known prefix folds even an all-lower-case suffix (`ccngqztr.s`); any other needs a
 * suffix that mixes cases, so that `build123` stays a name.
 */
export function foldTempName(component: string): string {
  const other = OTHER_TEMP.exec(component);
  if (other) return `${other[1] ?? other[2] ?? other[3]}*`;
  const m = MKSTEMP.exec(component);
  if (!m) return component;
  const [, prefix, six, ext] = m;
  const stem = prefix.replace(/[._-]$/, '');
  // gcc's `cc`, `tmp` and config.guess's `cg` directory may be all lower case (`ccngqztr.s`,
  // `cgczmjmh`: one name in about 90 has no digit and one case; the eBPF differential test of
  // libogg met one); other known prefixes need a random-looking suffix, and an unknown one a
  // suffix that mixes cases.
  const random = /^(?:cc|tmp|cg)$/.test(stem)
    ? true
    : stem === '' || TEMP_PREFIXES.test(stem)
      ? looksRandom(six)
      : /[a-z]/.test(six) && /[A-Z]/.test(six);
  return random ? `${prefix}*${ext}` : component;
}

/** A number that could be a pid: 3 to 7 digits, no leading zero. */
const PID_RUN = /(?<![0-9])[1-9][0-9]{2,6}(?![0-9])/g;

/**
 * Numbers equal to a traced pid → `{pid}`, in a name the build made: not a dotted version
 * (`libattr.so.1.1.2501`) and not part of a hexadecimal token (`a3f9846b`).
 */
export function foldPids(text: string, pids: ReadonlySet<number>): string {
  return text.replace(PID_RUN, (n: string, at: number) => {
    if (!pids.has(Number(n))) return n;
    if (text[at - 1] === '.' && /[0-9]/.test(text[at - 2] ?? '')) return n;
    const left = /[0-9A-Za-z]*$/.exec(text.slice(Math.max(0, at - 64), at))![0];
    const right = /^[0-9A-Za-z]*/.exec(text.slice(at + n.length, at + n.length + 64))![0];
    const token = left + n + right;
    if (/^[0-9a-f]+$/.test(token) && /[a-f]/.test(token)) return n;
    return TOKEN.pid;
  });
}

/** The words of an argument that can be names: split at blanks, slashes, `=`, `:`, quotes and shell operators. */
const WORD = /[^\s/=:,;'"()<>|&]+/g;

/** Only what the build made: a path's made components, an argument's words that are names the build made. */
function inMade(text: string, ctx: CanonContext, scope: Scope, fold: (part: string) => string): string {
  if (scope.kind === 'arg') {
    const names = ctx.made?.names;
    return names && names.size > 0 ? text.replace(WORD, (w) => (names.has(w) ? fold(w) : w)) : text;
  }
  if (scope.made <= 0) return text;
  let at = text.length;
  for (let k = 0; k < scope.made && at > 0; k++) at = text.lastIndexOf('/', at - 1);
  return text.slice(0, at + 1) + fold(text.slice(at + 1));
}

/**
 * `/{container:debian:12}/usr/include/stdio.h` (a container's own file, as the eBPF back end
 * names it: vocabulary/containers.ts) → `{container:debian:12}/usr/include/stdio.h`: before
 * the roots, so that the container's `/tmp` or `/home` is not the host's.
 */
export const CONTAINER_RULE: Rule = {
  name: 'container',
  apply: (text) => (text.startsWith('/{container:') ? text.slice(1) : text),
};

/** `/home/runner/work/app/app/src/a.c` → `{workspace}/src/a.c`: first, so that every later rule (the user's too) sees the roots as tokens. */
export const ROOTS_RULE: Rule = {
  name: 'roots',
  apply: (text, ctx) => {
    let out = text;
    for (const r of rootsOf(ctx)) if (out.includes(r.root)) out = out.replace(r.re, r.token);
    return out;
  },
};

/** Rules that run before the build systems' own (docs/architecture.md §1.5). */
export const EARLY_RULES: readonly Rule[] = [
  {
    name: 'proc-pid',
    apply: (text) => text.replace(/\/proc\/\d+(?=\/|$)/g, '/proc/{pid}'),
  },
  {
    name: 'uuid',
    apply: (text) => text.replace(/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g, '{uuid}'),
  },
];

/** Rules that run after the build systems' own: generic random names, numbers, ports. */
export const GENERIC_RULES: readonly Rule[] = [
  {
    name: 'temp-name',
    // `{tmp}/ccAbC123.s` → `{tmp}/cc*.s`, `{tmp}/cgSDfMaJ/dummy.c` → `{tmp}/cg*/dummy.c`: mkstemp's random characters, in temp
    // roots, in names the build made (a file that was there before keeps its name, however random it looks).
    apply: (text, ctx, scope) => {
      if (!text.includes(TOKEN.tmp)) return text;
      if (scope.kind === 'path')
        return text.startsWith(`${TOKEN.tmp}/`) ? inMade(text, ctx, scope, (tail) => tail.split('/').map(foldTempName).join('/')) : text;
      const names = ctx.made?.names;
      if (!names || names.size === 0) return text;
      return text.replace(/\{tmp\}\/[^\s"',=:;]+/g, (path) =>
        path
          .split('/')
          .map((c) => (names.has(c) ? foldTempName(c) : c))
          .join('/'),
      );
    },
  },
  {
    name: 'hex-run',
    apply: (text) => text.replace(/(?<![0-9a-fA-F])[0-9a-f]{16,}(?![0-9a-fA-F])/g, '{hex}'),
  },
  {
    name: 'base32-run',
    apply: (text) => text.replace(/(?<![a-z0-9])[a-z0-9]{32}(?=-)/g, '{hash}'),
  },
  {
    name: 'date',
    // `2026-11-23`, `2026-11-23T14:47:25`, npm's `2026-11-23T14_47_25_806Z`.
    apply: (text) =>
      text.replace(
        /(?<!\d)(?:19|20)\d\d-[01]\d-[0-3]\d(?:[T_ ][0-2]\d[:._-]?[0-5]\d(?:[:._-]?[0-5]\d(?:[._]\d{1,9})?)?Z?)?(?!\d)/g,
        '{date}',
      ),
  },
  {
    name: 'epoch',
    apply: (text) => text.replace(/(?<!\d)1[5-9]\d{8}(?:\d{3})?(?!\d)/g, '{epoch}'),
  },
  {
    name: 'pid',
    // `conftest31337`, `conf31337.dir`: a number that is one of the traced pids, in a name the build made.
    apply: (text, ctx, scope) => (ctx.pids && ctx.pids.size > 0 ? inMade(text, ctx, scope, (part) => foldPids(part, ctx.pids!)) : text),
  },
  {
    name: 'ephemeral-port',
    // `accept:tcp://…:45678`: the port a server of the build listens on; `tcp://127.0.0.1:45678` a connection
    // to it — only when the build itself listened there (its bind or accept is in the trace).
    apply: (text, ctx) =>
      text.replace(/^(accept:)?((?:tcp|udp):\/\/.*:)(\d+)$/, (all, accept: string | undefined, head: string, port: string) =>
        Number(port) >= 32768 && (accept !== undefined || ctx.ownPorts?.has(Number(port))) ? `${accept ?? ''}${head}{port}` : all,
      ),
  },
  {
    name: 'jobserver',
    // make's jobserver: `--jobserver-auth=3,4` or `fifo:/tmp/GMfifo123`.
    apply: (text) => text.replace(/(--jobserver-(?:auth|fds)=)(?:\d+,\d+|fifo:\S+)/g, '$1{jobserver}').replace(/GMfifo\d+/g, 'GMfifo{pid}'),
  },
  {
    name: 'jobs-in-script',
    // `bash -c 'make -j2 && make check'`, `bash -c 'go build -p 2 ./...'`: parallelism inside a script is no change either (`-j{n}`).
    apply: (text, _ctx, scope) =>
      scope.kind === 'arg' && /\s/.test(text)
        ? text
            .replace(/(?<=^|[\s;&|(])(?:-j[ \t]*\d+|--jobs(?:=|[ \t]+)\d+)(?=$|[\s;&|)])/g, '-j{n}')
            .replace(GO_IN_SCRIPT, (all: string) => all.replace(/(?<=\s)-p(?:=|[ \t]+)\d+(?=$|[\s;&|)])/g, '-j{n}'))
        : text,
  },
];

/** Go's commands that take `-p N`, the number of packages built at once (`go build -p 2`). */
const GO_PARALLEL = /^(?:build|install|test|vet|run|list|get|generate|mod)$/;
/** A Go command inside a script, up to the end of its command (`go build -p 2 ./... && …`). */
const GO_IN_SCRIPT = /(?<=^|[\s;&|(])go[ \t]+(?:build|install|test|vet|run|list|get|generate|mod)(?=[ \t])[^;&|)\n]*/g;

/**
 * Parallelism does not change what a build reads and writes: `-j2`, `--jobs=8`, `-j 4`,
 * and Go's `go build -p 2` / `-p=2` → `-j{n}`. (`-p` is Go's only: `mkdir -p`, `cp -p`
 * and `sh -p` mean other things.)
 */
export function canonicalJobs(argv: readonly string[]): string[] {
  const out: string[] = [];
  const go = argv.length > 1 && /(?:^|\/)go$/.test(argv[0]) && GO_PARALLEL.test(argv[1]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (i > 0 && (/^-j\d*$/.test(a) || /^--jobs(=\d+)?$/.test(a))) {
      if ((a === '-j' || a === '--jobs') && /^\d+$/.test(argv[i + 1] ?? '')) i++;
      out.push('-j{n}');
      continue;
    }
    if (go && i > 1 && (/^-p=\d+$/.test(a) || (a === '-p' && /^\d+$/.test(argv[i + 1] ?? '')))) {
      if (a === '-p') i++;
      out.push('-j{n}');
      continue;
    }
    out.push(a);
  }
  return out;
}
