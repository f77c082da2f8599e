/**
 * The terminal report: pure, so that it can be tested; the CLI decides about colour.
 * Findings in the report's order (failing first, then the rest); one closing line says where the check
 * stands, and when something changed, the exact command that accepts it.
 */
import { terminal } from '../vocabulary/index.js';
import { containerNote, followedNote, incrementalNote, separationNote, setuidNote, untracedContainers, wallWeakened } from './build.js';
import { effectsText } from './drawing.js';
import type { Report } from './types.js';

export interface TextOptions {
  /** ANSI colours (the CLI decides: a terminal, FORCE_COLOR, NO_COLOR). */
  readonly color?: boolean;
  /** Only the closing line (and the accept command). */
  readonly quiet?: boolean;
  /** The command that records this run as the baseline; shown when there are findings. */
  readonly accept?: string;
}

const paint = (on: boolean, code: string) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/** A long line of text shows its start and its end (a command line's last arguments name its files). */
export const MAX_TEXT_WIDTH = 300;

/** `(a 1 500-character ld command, 300)` → its first 200 and last 99 characters around `…`. */
export function shorten(text: string, max = MAX_TEXT_WIDTH): string {
  if (text.length <= max) return text;
  const tail = Math.floor(max / 3);
  return `${text.slice(0, max - tail - 1)}…${text.slice(text.length - tail)}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Where the check stands, in one line: clean, changed but not failing, or failing.
 * `ioana: failing — 2 of 3 findings fail the check (1 error, 1 warning), against baselines/b.yml.`
 * Counts are of top-level findings; what follows from them is counted apart.
 */
export function closingLine(r: Report): string {
  if (r.findings.length === 0 && untracedContainers(r.build.containers).length)
    return 'ioana: clean as far as traced — container steps ran outside the trace (see above); the rest read, wrote, ran and connected to what the baseline says.';
  if (r.findings.length === 0) return 'ioana: clean — the build read, wrote, ran and connected to what the baseline says.';
  const failing = r.findings.filter((f) => f.failing);
  const count = (xs: typeof r.findings, s: string) => xs.filter((f) => f.severity === s).length;
  const detail = (['error', 'warning'] as const).filter((s) => count(failing, s) > 0).map((s) => plural(count(failing, s), s));
  const effects = r.findings.reduce((n, f) => n + (f.effects?.length ?? 0), 0);
  const folded = effects > 0 ? ` (${effects} more follow from them)` : '';
  const findings = plural(r.findings.length, 'finding');
  if (failing.length === 0) return `ioana: changed, not failing — ${findings} to review${folded}, against ${r.baseline}.`;
  const verb = failing.length === 1 ? 'fails' : 'fail';
  return `ioana: failing — ${failing.length} of ${findings} ${verb} the check (${detail.join(', ')})${folded}, against ${r.baseline}.`;
}

/** Effects shown under their cause in the terminal; `--format json` has them all. */
export const EFFECTS_SHOWN = 3;

export function renderText(r: Report, opts: TextOptions = {}): string {
  const c = opts.color ?? false;
  const red = paint(c, '31');
  const yellow = paint(c, '33');
  const dim = paint(c, '2');
  const bold = paint(c, '1');
  const lines: string[] = [];
  if (r.build.interrupted) {
    lines.push(red(bold(`ioana: the build was interrupted (${r.build.interrupted}): this report is partial, of what it did until then.`)));
  } else if (r.status === 'build-failed') {
    const how = r.build.signal ? `killed by ${r.build.signal}` : `exit status ${r.build.exitCode}`;
    lines.push(red(bold(`ioana: the build failed (${how}); the report below is of what it did before it stopped.`)));
  }
  if (r.build.incremental) lines.push(yellow(`ioana: ${incrementalNote(r.build.incremental)}`));
  if (r.build.setuid && !r.build.tracerPrivileged) lines.push(yellow(`ioana: ${setuidNote(r.build.setuid)}`));
  if (untracedContainers(r.build.containers).length) lines.push(yellow(`ioana: ${terminal(containerNote(r.build.containers!))}`));
  const followed = r.build.containers && followedNote(r.build.containers);
  if (followed) lines.push(dim(`ioana: note: ${terminal(followed)}`));
  const separation = separationNote(r.build);
  if (separation && wallWeakened(r.build)) lines.push(yellow(`ioana: ${terminal(separation)}`));
  if (r.build.leftRunning)
    lines.push(yellow(`ioana: ${r.build.leftRunning} process(es) the build started were left running when tracing stopped.`));
  if (r.build.stopped)
    lines.push(
      yellow(
        `ioana: ${r.build.stopped} process(es) the build left running were stopped when its command ended (nothing outlives the step).`,
      ),
    );
  if (!opts.quiet) {
    // In the report's order: failing first (see diff's `finish`).
    for (const f of r.findings) {
      const mark = f.severity === 'error' ? red('error  ') : f.severity === 'warning' ? yellow('warning') : dim('notice ');
      lines.push(`  ${mark} ${f.kind.padEnd(18)} ${shorten(terminal(f.message))}${f.failing ? '' : dim(' (not failing)')}`);
      if (f.members) for (const m of f.members.slice(0, 5)) lines.push(dim(`            ${shorten(terminal(m))}`));
      if (f.effects?.length) {
        lines.push(dim(`            and what follows from it: ${effectsText(f.effects)}`));
        for (const e of f.effects.slice(0, EFFECTS_SHOWN))
          lines.push(dim(`              ${e.kind.padEnd(18)} ${shorten(terminal(e.subject))}`));
        if (f.effects.length > EFFECTS_SHOWN)
          lines.push(dim(`              … ${f.effects.length - EFFECTS_SHOWN} more (--format json lists them all)`));
      }
    }
  }
  lines.push(bold(terminal(closingLine(r))));
  if (r.findings.length > 0 && opts.accept)
    lines.push(`To accept this change as the new baseline (from a clean tree): ${terminal(opts.accept)}`);
  return lines.join('\n') + '\n';
}
