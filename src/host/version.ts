/**
 * Which ioana this is, and where a user gets the same one: the version in package.json
 * (beside dist/ in every installed copy and in the action's checkout), and the git
 * source an accept command installs from, pinned to the ref that printed it.
 */
import { readFileSync } from 'node:fs';

/** The repository ioana is published from (the action and the installable CLI). */
export const HOME_REPOSITORY = 'ioana/action';

/** The version in package.json, found from dist/*.js or from src/. */
export function ioanaVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8'));
      if (pkg.name === 'ioana') return String(pkg.version);
    } catch {
      // not there: try the next place
    }
  }
  return '0.0.0';
}

/**
 * The npm spec that installs this very ioana from git: the action's repository at the
 * action's ref as the runner names them (`uses: ioana/action@v1` → `GITHUB_ACTION_REPOSITORY`
 * `ioana/action`, `GITHUB_ACTION_REF` `v1`; a SHA pin gives the SHA). A local action
 * (`uses: ./`) is the workflow's own repository at its commit. Elsewhere: the release
 * tag of this version.
 * `git+https://github.com/ioana/action.git#v1`
 */
export function installSpec(env: NodeJS.ProcessEnv = process.env): string {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const own = env.GITHUB_ACTION_REPOSITORY ? { repo: env.GITHUB_ACTION_REPOSITORY, ref: env.GITHUB_ACTION_REF } : undefined;
  const local = !own && env.GITHUB_REPOSITORY && env.GITHUB_SHA ? { repo: env.GITHUB_REPOSITORY, ref: env.GITHUB_SHA } : undefined;
  const { repo, ref } = own ?? local ?? { repo: HOME_REPOSITORY, ref: undefined };
  return `git+${server}/${repo}.git#${ref || `v${ioanaVersion()}`}`;
}
