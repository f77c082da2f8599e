/**
 * The globs that pick a statement's subjects (`ioana attest --subjects`, the action's
 * `attest` input), as the plan matches them: against names relative to the workspace
 * (`build/hello`). People also write them as paths (`./dist/*.tar.gz`, `$PWD/dist/*`)
 * or as the baseline names outputs (`{workspace}/dist/*`); those are the same globs.
 * A glob that can name no file in the workspace (`../x`, `/opt/x`) is an error, said
 * before the build runs rather than as "no subject" after it.
 */
import { IoanaError } from '../vocabulary/errors.js';
import { isUnder } from '../vocabulary/paths.js';
import { TOKEN } from '../vocabulary/tokens.js';

/** A subject glob that can pick nothing in the workspace. */
export class SubjectGlobError extends IoanaError {}

/** A glob as given → the workspace-relative glob the plan matches, or why it can pick nothing. */
export type SubjectGlob = { readonly kind: 'glob'; readonly glob: string } | { readonly kind: 'invalid'; readonly why: string };

/** A leading `./` (repeated): `././dist/x` → `dist/x`. */
const DOT_SLASH = /^(?:\.\/+)+/;

/**
 * `./dist/*` → `dist/*`; `{workspace}/dist/*`, `/ws/dist/*` (the workspace `/ws`) → `dist/*`;
 * `dist/` → `dist/**` (what is under it); `../x`, `/opt/x`, `.` → invalid, saying why.
 */
export function subjectGlob(given: string, workspace: string): SubjectGlob {
  let glob = given.trim();
  if (glob.startsWith(`${TOKEN.workspace}/`) || glob === TOKEN.workspace) glob = glob.slice(TOKEN.workspace.length + 1);
  else if (glob.startsWith('/')) {
    if (!isUnder(glob, workspace)) return { kind: 'invalid', why: `it is outside the workspace ${workspace}` };
    glob = glob.slice(workspace.length + 1);
  }
  glob = glob.replace(DOT_SLASH, '');
  if (glob.split('/').includes('..')) return { kind: 'invalid', why: 'subjects are in the workspace, and ".." leaves it' };
  if (glob === '' || glob === '.') return { kind: 'invalid', why: 'it names the workspace itself, not files in it' };
  return { kind: 'glob', glob: glob.endsWith('/') ? `${glob}**` : glob };
}

/** `subjectGlob` over every glob; the first that can pick nothing throws a SubjectGlobError naming it. */
export function subjectGlobs(given: readonly string[], workspace: string, option = '--subjects'): string[] {
  return given.map((g) => {
    const s = subjectGlob(g, workspace);
    if (s.kind === 'glob') return s.glob;
    throw new SubjectGlobError(`attest: ${option} ${JSON.stringify(g)} can pick no output: ${s.why}.`, {
      hint: 'Subjects are files the build writes in the workspace, named relative to it: build/hello, dist/*.tar.gz, ** for all.',
    });
  });
}
