/**
 * Findings → GitHub annotations (docs/architecture.md §1.8). Pure: the action's edge passes them to
 * `core.error`/`warning`/`notice`. A finding about a file in the repository points at
 * that file; an entry that exists only in the baseline points at its line there.
 * GitHub shows at most 10 annotations of each level per step: past that, one notice
 * counts the rest.
 */
import { KIND_TEXT, type Severity } from '../vocabulary/index.js';
import type { Finding } from '../diff/index.js';
import { placeOf, type RepositoryFiles } from './location.js';

/** GitHub's limit per level and step. */
export const MAX_PER_LEVEL = 10;

export interface Annotation {
  readonly level: Severity;
  readonly title: string;
  readonly message: string;
  /** Repository-relative, forward slashes, no `./`. */
  readonly file?: string;
  readonly line?: number;
}

/** How many annotations of each level ioana itself may emit besides the findings' (its closing error, notices). */
export type Reserved = Readonly<Record<Severity, number>>;

/** The repository's files findings can point at (repository-relative): see location.ts. */
export type AnnotatedFiles = RepositoryFiles;

/**
 * @param files the baseline and configuration files findings may point at.
 * @param reserved slots ioana keeps for its own messages, so that no level goes past
 *   GitHub's 10 in all (the failed step's closing error is one).
 */
export function annotationsFor(
  findings: readonly Finding[],
  files: AnnotatedFiles = {},
  reserved: Reserved = { error: 0, warning: 0, notice: 0 },
): Annotation[] {
  const all = findings.map((f): Annotation => {
    // A file annotation only where the file is the repository's (location.ts).
    const where = placeOf(f, files) ?? {};
    const effects = f.effects?.length ?? 0;
    const more =
      (f.count ? ` (${f.count} files)` : '') +
      (effects > 0 ? ` ${effects} more finding${effects === 1 ? ' follows' : 's follow'} from it: see the job summary.` : '');
    return { level: f.severity, title: KIND_TEXT[f.kind].title, message: f.message + more, ...where };
  });
  const shown: Annotation[] = [];
  const left = { error: 0, warning: 0, notice: 0 };
  const used = { error: 0, warning: 0, notice: 0 };
  // The counting notice itself takes one notice slot.
  const room = (level: Severity) => Math.max(0, MAX_PER_LEVEL - reserved[level] - (level === 'notice' ? 1 : 0));
  for (const a of all) {
    if (used[a.level] < room(a.level)) {
      shown.push(a);
      used[a.level]++;
    } else {
      left[a.level]++;
    }
  }
  const rest = left.error + left.warning + left.notice;
  if (rest > 0) {
    const parts = (['error', 'warning', 'notice'] as const)
      .filter((l) => left[l] > 0)
      .map((l) => `${left[l]} ${l}${left[l] === 1 ? '' : 's'}`);
    shown.push({
      level: 'notice',
      title: 'ioana: more findings',
      message: `${rest} more finding${rest === 1 ? '' : 's'} (${parts.join(', ')}) than GitHub shows as annotations: see the job summary or the report artifact.`,
    });
  }
  return shown;
}
