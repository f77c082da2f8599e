/**
 * The built-in canonicalization rules (DESIGN §1.5), each named so that `ioana
 * explain` can say which one turned a raw path into its canonical form.
 */
import { rootPattern } from '../vocabulary/paths.js';
import type { Redactor } from '../vocabulary/redact.js';
import { TOKEN } from '../vocabulary/tokens.js';

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
  /** The pids of the traced processes: a number equal to one in a name is run-to-run noise. */
  readonly pids?: ReadonlySet<number>;
  /** Credentials out of every argument (the environment's secrets and the known formats). Default: the formats only. */
  readonly redactor?: Redactor;
}

export interface Rule {
  readonly name: string;
  readonly apply: (text: string, ctx: CanonContext) => string;
}

/** One rewrite, as `explain` prints it. */
export interface RewriteStep {
  readonly rule: string;
  readonly before: string;
  readonly after: string;
}

/** The roots, most specific first: the workspace may live under $HOME or /tmp. */
export function roots(ctx: CanonContext): [string, string][] {
  const list: [string, string][] = [[ctx.workspace, TOKEN.workspace]];
  if (ctx.toolcache) list.push([ctx.toolcache, TOKEN.toolcache]);
  for (const t of ctx.tmp) list.push([t, TOKEN.tmp]);
  if (ctx.home && ctx.home !== '/') list.push([ctx.home, TOKEN.home]);
  return list.filter(([p]) => p && p !== '/').sort((a, b) => b[0].length - a[0].length);
}

interface CompiledRoot {
  readonly root: string;
  readonly token: string;
  /** The root wherever it starts a path (`-I/w/include`), not inside a longer name (`/w2`). */
  readonly re: RegExp;
}

/** Roots are worked out once per context: the rule runs on every path and argument. */
const compiledRoots = new WeakMap<CanonContext, readonly CompiledRoot[]>();

function rootsOf(ctx: CanonContext): readonly CompiledRoot[] {
  let list = compiledRoots.get(ctx);
  if (!list) {
    list = roots(ctx).map(([root, token]) => ({ root, token, re: rootPattern(root) }));
    compiledRoots.set(ctx, list);
  }
  return list;
}

const RANDOM_SUFFIX = /(?<=^|[/._-])((?:cc|tmp|st|ar)?)([A-Za-z0-9]{6})(?=\.[A-Za-z0-9.]+$|$)/;

/** A mkstemp suffix looks random: it mixes cases or digits with letters. */
function looksRandom(s: string): boolean {
  const lower = /[a-z]/.test(s);
  const upper = /[A-Z]/.test(s);
  const digit = /[0-9]/.test(s);
  return (lower && upper) || ((lower || upper) && digit);
}

export const BUILTIN_RULES: readonly Rule[] = [
  {
    name: 'roots',
    apply: (text, ctx) => {
      let out = text;
      for (const r of rootsOf(ctx)) if (out.includes(r.root)) out = out.replace(r.re, r.token);
      return out;
    },
  },
  {
    name: 'proc-pid',
    apply: (text) => text.replace(/\/proc\/\d+(?=\/|$)/g, '/proc/{pid}'),
  },
  {
    name: 'uuid',
    apply: (text) => text.replace(/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g, '{uuid}'),
  },
  {
    name: 'temp-name',
    // `{tmp}/ccAbC123.s` → `{tmp}/cc*.s`: mkstemp's six random characters, in temp roots.
    apply: (text) =>
      text.replace(/\{tmp\}\/[^\s"',=:]+/g, (path) => {
        const slash = path.lastIndexOf('/');
        const base = path.slice(slash + 1);
        const m = RANDOM_SUFFIX.exec(base);
        // `cc`/`tmp` + six characters is mkstemp's pattern even when the six happen to be
        // all lower case (`ccngqztr.s`); a bare six-character name must look random.
        if (!m || (m[1] === '' && !looksRandom(m[2]))) return path;
        return path.slice(0, slash + 1) + base.slice(0, m.index) + m[1] + '*' + base.slice(m.index + m[0].length);
      }),
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
    apply: (text) => text.replace(/(?<!\d)(?:19|20)\d\d-[01]\d-[0-3]\d(?:[T_ ][0-2]\d[:.-]?[0-5]\d(?:[:.-]?[0-5]\d)?)?(?!\d)/g, '{date}'),
  },
  {
    name: 'epoch',
    apply: (text) => text.replace(/(?<!\d)1[5-9]\d{8}(?:\d{3})?(?!\d)/g, '{epoch}'),
  },
  {
    name: 'pid',
    // `conftest.12345`, `tmp-12345-x`: a number that is one of the traced pids.
    apply: (text, ctx) =>
      ctx.pids && ctx.pids.size > 0 ? text.replace(/(?<!\d)\d{3,7}(?!\d)/g, (n) => (ctx.pids!.has(Number(n)) ? '{pid}' : n)) : text,
  },
  {
    name: 'ephemeral-port',
    apply: (text) =>
      text.replace(/^((?:tcp|udp|accept:tcp|accept:udp):\/\/.*:)(\d+)$/, (all, head: string, port: string) =>
        Number(port) >= 32768 ? `${head}{port}` : all,
      ),
  },
  {
    name: 'jobserver',
    // make's jobserver: `--jobserver-auth=3,4` or `fifo:/tmp/GMfifo123`.
    apply: (text) => text.replace(/(--jobserver-(?:auth|fds)=)(?:\d+,\d+|fifo:\S+)/g, '$1{jobserver}').replace(/GMfifo\d+/g, 'GMfifo{pid}'),
  },
];

/** Parallelism does not change what a build reads and writes: `-j2`, `--jobs=8`, `-j 4` → `-j{n}`. */
export function canonicalJobs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (i > 0 && (/^-j\d*$/.test(a) || /^--jobs(=\d+)?$/.test(a))) {
      if ((a === '-j' || a === '--jobs') && /^\d+$/.test(argv[i + 1] ?? '')) i++;
      out.push('-j{n}');
      continue;
    }
    out.push(a);
  }
  return out;
}
