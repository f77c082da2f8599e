/**
 * Which Debian package owns a file, read from dpkg's database (`/var/lib/dpkg`): the
 * `info/*.list` files (the paths each package installed) and `status` (versions). One
 * read of the database (on a runner about 700 lists, 120 000 paths, a few tens of
 * milliseconds) names a toolchain's files by package and version instead of reading
 * them: the compiler, its libraries and the system headers are hundreds of megabytes.
 */
import { readdir, readFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface DebianPackage {
  readonly package: string;
  readonly version: string;
  readonly architecture: string;
  /** `pkg:deb/debian/libc6@2.36-9?arch=amd64`. */
  readonly purl: string;
}

export interface PackageIndex {
  /** The one installed package that lists `path` (also under its /usr-merged name, or its real path); none when several do. */
  owner(path: string): DebianPackage | undefined;
  /** How many paths the database lists. */
  readonly paths: number;
}

/** `/usr/lib/x` ↔ `/lib/x`: merged-/usr systems install under one and open under the other. */
const MERGED = /^\/(?:usr\/)?(bin|sbin|lib|lib32|lib64|libx32)\//;

function aliases(path: string): string[] {
  const m = MERGED.exec(path);
  if (!m) return [path];
  const rest = path.slice(m[0].length);
  return [path, `/${m[1]}/${rest}`, `/usr/${m[1]}/${rest}`];
}

/**
 * `Status: install ok installed`: want, error flag, state. Only the state `installed`;
 * `half-installed`, `not-installed` and `config-files` packages own no file they installed whole.
 */
const INSTALLED = /^\S+ \S+ installed$/;

/** `Package: gcc\nStatus: install ok installed\n…` stanzas → `name` and `name:arch` → version and architecture. */
export function parseStatus(text: string): Map<string, { version: string; architecture: string }> {
  const out = new Map<string, { version: string; architecture: string }>();
  for (const stanza of text.split(/\n\n+/)) {
    const field = (name: string) => new RegExp(`^${name}: *(.*)$`, 'm').exec(stanza)?.[1]?.trim();
    const pkg = field('Package');
    const version = field('Version');
    const architecture = field('Architecture') ?? 'all';
    if (!pkg || !version || !INSTALLED.test(field('Status') ?? '')) continue;
    const entry = { version, architecture };
    out.set(`${pkg}:${architecture}`, entry);
    if (!out.has(pkg) || architecture !== 'all') out.set(pkg, entry);
  }
  return out;
}

/** `ID=debian` in os-release → `debian` (the purl's namespace). */
export function distroOf(osRelease: string | undefined): string {
  return /^ID="?([a-z0-9._-]+)"?$/m.exec(osRelease ?? '')?.[1] ?? 'debian';
}

/** dpkg's database, or undefined where there is none (not Debian). */
export async function loadDebianIndex(root = '/var/lib/dpkg', osRelease = '/etc/os-release'): Promise<PackageIndex | undefined> {
  let names: string[];
  let status: string;
  try {
    [names, status] = await Promise.all([readdir(join(root, 'info')), readFile(join(root, 'status'), 'utf8')]);
  } catch {
    return undefined;
  }
  const distro = distroOf(await readFile(osRelease, 'utf8').catch(() => undefined));
  const versions = parseStatus(status);
  // null: listed by more than one package (directories such as /usr/lib/locale): no one owner,
  // whichever list is read first. Deciding by read order would change the statement between runs.
  const owners = new Map<string, DebianPackage | null>();
  const lists = names.filter((n) => n.endsWith('.list'));
  await Promise.all(
    lists.map(async (file) => {
      const key = basename(file, '.list');
      const [pkg, arch] = key.split(':');
      const v = versions.get(key) ?? versions.get(pkg);
      if (!v) return;
      const architecture = arch ?? v.architecture;
      const owner: DebianPackage = {
        package: pkg,
        version: v.version,
        architecture,
        purl: `pkg:deb/${distro}/${encodeURIComponent(pkg)}@${encodeURIComponent(v.version)}?arch=${encodeURIComponent(architecture)}`,
      };
      const text = await readFile(join(root, 'info', file), 'utf8').catch(() => '');
      for (const line of text.split('\n')) {
        if (!line.startsWith('/')) continue;
        const known = owners.get(line);
        owners.set(line, known === undefined || known?.purl === owner.purl ? owner : null);
      }
    }),
  );
  const lookup = (path: string) => {
    for (const p of aliases(path)) {
      const o = owners.get(p);
      if (o !== undefined) return o ?? undefined;
    }
    return undefined;
  };
  return {
    paths: owners.size,
    owner(path) {
      const direct = lookup(path);
      if (direct) return direct;
      try {
        const real = realpathSync(path);
        return real === path ? undefined : lookup(real);
      } catch {
        return undefined;
      }
    },
  };
}
