/**
 * This package as users install it, without the npm registry: the files `npm pack`
 * publishes (package.json's `files`), as a tarball, and committed in a git repository
 * with a release tag, served the way a git host serves it (a bare repository under
 * `SERVER/OWNER/REPO.git`).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { tempDir } from './trace.js';

const ROOT = resolve('.');

/** npm with its cache in a scratch directory: installs in tests leave the user's cache alone. */
export function npmEnv(): NodeJS.ProcessEnv {
  return { ...process.env, ...npmConfig() };
}

/** The npm settings alone, to add to an environment a test builds itself. */
export function npmConfig(): Record<string, string> {
  return {
    npm_config_cache: join(tempDir('ioana-npm-cache-'), 'cache'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
}

/** The paths `npm pack` would publish. */
export function publishedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    env: npmEnv(),
  });
  return (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
}

/** `npm pack` into a scratch directory: the tarball's path. */
export function packTarball(): string {
  const dir = tempDir('ioana-pack-');
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    env: npmEnv(),
  });
  return join(dir, (JSON.parse(out) as { filename: string }[])[0].filename);
}

/**
 * A git host holding this package as `OWNER/REPO` with `tag`: returns the server's URL
 * (`file:///…`, a GITHUB_SERVER_URL) and the npm spec of the tagged commit.
 */
export function gitServer(tag = 'v1', repo = 'ioana/action'): { server: string; spec: string } {
  const work = tempDir('ioana-release-');
  for (const f of publishedFiles()) {
    mkdirSync(dirname(join(work, f)), { recursive: true });
    cpSync(join(ROOT, f), join(work, f));
  }
  const git = (args: string[], cwd = work) => execFileSync('git', args, { cwd, stdio: 'ignore' });
  git(['init', '-q']);
  git(['add', '-A']);
  git(['-c', 'user.name=release', '-c', 'user.email=release@example.com', 'commit', '-qm', 'release']);
  git(['tag', tag]);
  const server = tempDir('ioana-githost-');
  mkdirSync(join(server, dirname(repo)), { recursive: true });
  git(['clone', '-q', '--bare', work, join(server, `${repo}.git`)], server);
  return { server: `file://${server}`, spec: `git+file://${server}/${repo}.git#${tag}` };
}
