/**
 * A pull_request event, as the runner describes it (GITHUB_EVENT_NAME and the payload at
 * GITHUB_EVENT_PATH), and the files of its base commit, read with git (the action's
 * edge): on a pull request, the base branch's baseline and configuration decide.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { IoanaError } from '../vocabulary/errors.js';

export interface PullRequest {
  readonly number: number;
  /** The base commit the pull request is compared with. */
  readonly baseSha: string;
  readonly headSha: string;
  /** The head repository is a fork. */
  readonly fork: boolean;
  /** `OWNER`, `MEMBER`, `COLLABORATOR`, `CONTRIBUTOR`, `FIRST_TIME_CONTRIBUTOR`, `NONE`… */
  readonly authorAssociation: string;
}

const EVENTS = new Set(['pull_request', 'pull_request_target']);
/** Associations GitHub gives authors with write access to the repository. */
const WRITERS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

/** The pull request of this run, or undefined when the event is not one. */
export function pullRequestOf(env: NodeJS.ProcessEnv = process.env): PullRequest | undefined {
  if (!EVENTS.has(env.GITHUB_EVENT_NAME ?? '') || !env.GITHUB_EVENT_PATH) return undefined;
  let payload: { pull_request?: Record<string, unknown> };
  try {
    payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'));
  } catch (error) {
    throw new IoanaError(`cannot read the event payload ${env.GITHUB_EVENT_PATH}: ${(error as Error).message}`);
  }
  const pr = payload.pull_request as
    | { number?: number; base?: { sha?: string }; head?: { sha?: string; repo?: { fork?: boolean } | null }; author_association?: string }
    | undefined;
  if (!pr?.base?.sha) return undefined;
  return {
    number: pr.number ?? 0,
    baseSha: pr.base.sha,
    headSha: pr.head?.sha ?? '',
    // A head repository that was deleted (null) is treated as a fork: its author is unknown.
    fork: pr.head?.repo ? pr.head.repo.fork === true : true,
    authorAssociation: pr.author_association ?? 'NONE',
  };
}

/** Whether the pull request's author may write to the repository (and it is not from a fork). */
export const trustedAuthor = (pr: PullRequest): boolean => !pr.fork && WRITERS.has(pr.authorAssociation);

const git = (cwd: string, args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Makes sure `sha` is in the checkout, fetching it from `origin` when it is not. */
export function ensureCommit(repo: string, sha: string): void {
  try {
    git(repo, ['cat-file', '-e', `${sha}^{commit}`]);
    return;
  } catch {
    // not fetched yet: actions/checkout fetches only the merge commit by default
  }
  try {
    git(repo, ['fetch', '--no-tags', '--quiet', '--depth=1', 'origin', sha]);
    git(repo, ['cat-file', '-e', `${sha}^{commit}`]);
  } catch (error) {
    const why = ((error as { stderr?: string }).stderr ?? (error as Error).message).trim().split('\n')[0];
    throw new IoanaError(`cannot read the pull request's base commit ${sha}: it is not in the checkout and fetching it failed (${why}).`, {
      hint: 'The base branch decides on pull requests: give actions/checkout `fetch-depth: 2` (the merge commit and its parents, the base among them) or `fetch-depth: 0`; in a private repository without them, keep its credentials (`persist-credentials: true`) so that ioana can fetch the base commit.',
    });
  }
}

/** The text of `path` (repository-relative) at `sha`, or undefined when it did not exist there. */
export function fileAtCommit(repo: string, sha: string, path: string): string | undefined {
  try {
    git(repo, ['cat-file', '-e', `${sha}:${path}`]);
  } catch {
    return undefined;
  }
  return git(repo, ['show', `${sha}:${path}`]);
}
