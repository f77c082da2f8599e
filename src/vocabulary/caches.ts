/**
 * Build caches (issue 22): directories a tool keeps between runs so that the next run
 * does less — ccache's objects, Go's build cache, npm's downloads. CI restores them
 * warm, so a second run reads where the first wrote, and a hit skips work a miss does.
 * Each is one entity in canonical graphs, `{cache:NAME}`: using it is neither an input
 * nor an output, and what a hit skips is not a change.
 *
 * Where each lives: the first of its variables that is set, else its default under
 * `$XDG_CACHE_HOME` (or `~/.cache`) or `$HOME`. A *launcher*'s hit skips programs (ccache
 * and sccache skip the compiler, `go build` skips compile, asm and link); the others'
 * hits skip downloads.
 */

/** A build cache of this machine, as the edge found it. */
export interface CacheRoot {
  /** `ccache`: the entity `{cache:ccache}`. */
  readonly name: string;
  /** The directory (absolute, a real path). */
  readonly dir: string;
  /** A hit skips programs a miss runs (cc1, as; compile, link): they are not churn. */
  readonly launcher: boolean;
  /** Subdirectories that are not the cache but packages named by their own rule (pip's `wheels`). */
  readonly except?: readonly string[];
}

interface KnownCache {
  readonly name: string;
  readonly launcher: boolean;
  /** Variables naming the directory, the first set wins. */
  readonly vars: readonly string[];
  /** Where it is when none is set: `cache` is `$XDG_CACHE_HOME` or `~/.cache`. */
  readonly defaults: (home: string, cache: string) => readonly string[];
  /** The cache is this subdirectory of the named one (npm: `_cacache` of `npm_config_cache`). */
  readonly sub?: string;
  readonly except?: readonly string[];
}

/** The caches ioana knows by their tools' variables and defaults. */
export const KNOWN_CACHES: readonly KnownCache[] = [
  { name: 'ccache', launcher: true, vars: ['CCACHE_DIR'], defaults: (home, cache) => [`${cache}/ccache`, `${home}/.ccache`] },
  { name: 'sccache', launcher: true, vars: ['SCCACHE_DIR'], defaults: (_home, cache) => [`${cache}/sccache`] },
  { name: 'go', launcher: true, vars: ['GOCACHE'], defaults: (_home, cache) => [`${cache}/go-build`] },
  { name: 'npm', launcher: false, vars: ['npm_config_cache', 'NPM_CONFIG_CACHE'], defaults: (home) => [`${home}/.npm`], sub: '_cacache' },
  {
    name: 'yarn',
    launcher: false,
    vars: ['YARN_CACHE_FOLDER'],
    defaults: (home, cache) => [`${cache}/yarn`, `${home}/.yarn/berry/cache`],
  },
  {
    name: 'pnpm',
    launcher: false,
    vars: ['PNPM_STORE_DIR', 'npm_config_store_dir'],
    defaults: (home) => [`${home}/.local/share/pnpm/store`, `${home}/.pnpm-store`],
  },
  { name: 'pip', launcher: false, vars: ['PIP_CACHE_DIR'], defaults: (_home, cache) => [`${cache}/pip`], except: ['wheels'] },
  { name: 'gradle', launcher: false, vars: [], defaults: (home) => [`${home}/.gradle/caches`] },
  // BuildKit's client state (issue 27): the node id the first `docker build` writes and every later one reads,
  // and buildx's records of builds (refs, activity). Not ~/.docker itself (config.json holds registry
  // credentials), nor buildx's builders (instances/, current, defaults/, certs/): a build that points later
  // builds at another builder changes what they run on, and that is an output.
  {
    name: 'buildkit',
    launcher: false,
    vars: [],
    defaults: (home) => [`${home}/.docker/.buildNodeID`, `${home}/.docker/buildx/refs`, `${home}/.docker/buildx/activity`],
  },
];

/** `{cache:ccache}`. */
export const cacheToken = (name: string): string => `{cache:${name}}`;

/** `{cache:ccache}` or `{cache:ccache}/…` → `ccache`; anything else → undefined. */
export function cacheName(canonical: string): string | undefined {
  const m = /^\{cache:([A-Za-z0-9_.-]+)\}(?:\/|$)/.exec(canonical);
  return m ? m[1] : undefined;
}

/**
 * The caches an environment points at (directories not yet resolved: the edge makes them
 * real paths). Gradle's home moves with `GRADLE_USER_HOME`.
 */
export function cacheRoots(env: Readonly<Record<string, string | undefined>>, home: string | undefined): CacheRoot[] {
  const cacheHome = env.XDG_CACHE_HOME || (home ? `${home}/.cache` : undefined);
  const out: CacheRoot[] = [];
  for (const k of KNOWN_CACHES) {
    const named = k.vars.map((v) => env[v]).find((v) => v !== undefined && v !== '');
    const dirs = named ? [named] : home && cacheHome ? [...k.defaults(home, cacheHome)] : [];
    if (k.name === 'gradle' && env.GRADLE_USER_HOME) dirs.splice(0, dirs.length, `${env.GRADLE_USER_HOME}/caches`);
    for (const d of dirs) {
      const dir = (k.sub ? `${d.replace(/\/+$/, '')}/${k.sub}` : d).replace(/\/+$/, '');
      if (dir.startsWith('/') && dir !== '/')
        out.push({ name: k.name, dir, launcher: k.launcher, ...(k.except ? { except: k.except } : {}) });
    }
  }
  return out;
}
