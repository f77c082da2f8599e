/**
 * The job summary (docs/architecture.md §1.8): a headline, counts, findings grouped by the output
 * they affect, a drawing of what changed, graph figures, and the exact command that
 * accepts the change. Pure: returns Markdown; the action's edge writes it. Bounded:
 * GitHub refuses a step summary over 1 MiB, so every list is cut with a note.
 */
import type { Finding } from '../diff/index.js';
import { formatBytes, type GraphFigures } from '../graph/index.js';
import { code, html, KIND_TEXT, shownPath, type Redactor } from '../vocabulary/index.js';
import { ACTION_SHELL, acceptCommand, acceptStep, npxProgram } from './accept.js';
import { containerNote, followedNote, incrementalNote, separationNote, setuidNote, untracedContainers, wallWeakened } from './build.js';
import { drawChange, effectsText } from './drawing.js';
import type { DirectoryWeight, FlameWeight } from './flame.js';
import type { Report } from './types.js';

/** GitHub's limit is 1 MiB, in bytes; this leaves room for everything else in the step's summary. */
export const MAX_SUMMARY_BYTES = 900 * 1024;
export const MAX_ROWS = 250;
/** Effects listed under one cause; the JSON report has them all. */
export const MAX_EFFECTS_LISTED = 30;
/** A drawing with at most this many nodes is shown open. */
export const OPEN_DRAWING_NODES = 12;

export interface SummaryInput {
  readonly report: Report;
  /** The command the workflow runs (the action's `run` input). */
  readonly run: string;
  /** Repository-relative path of the baseline. */
  readonly baselineFile: string;
  readonly figures?: GraphFigures;
  /** Whether the baseline existed: without one, the summary says how to start. */
  readonly baselineExists: boolean;
  /** The action's `working-directory`, relative to the workspace. */
  readonly workingDirectory?: string;
  /** The configuration file, when it is not the default `.ioana.yml`. */
  readonly config?: string;
  /** The npm spec of this ioana, for the accept command (`installSpec()`). */
  readonly installSpec: string;
  /** Credentials out of the command shown (it is the workflow's text, but the summary is seen by everyone). */
  readonly redactor?: Redactor;
  /** `mode: update` wrote the baseline: what it wrote (`wrote baselines/b.yml (1 run): +1 input`). */
  readonly written?: string;
  /** Where the build's I/O went: the heaviest directories, by calls or by bytes (src/report/flame.ts). */
  readonly io?: { readonly weight: FlameWeight; readonly heaviest: readonly DirectoryWeight[]; readonly picture?: string };
}

const ICON: Readonly<Record<Finding['severity'], string>> = { error: '🔴', warning: '🟠', notice: '🔵' };

const show = shownPath;

/** Clean, changed but not failing, or failing: the state in words, and what to do. */
function headline(r: Report): string {
  if (r.build.interrupted) return `## ❌ ioana: the build was interrupted (${html(r.build.interrupted)}): this report is partial`;
  if (r.status === 'build-failed') {
    const how = r.build.signal ? `killed by ${r.build.signal}` : `exit status ${r.build.exitCode}`;
    return `## ❌ ioana: the build failed (${html(how)})`;
  }
  const n = r.findings.length;
  if (n === 0 && untracedContainers(r.build.containers).length)
    return '## ⚠️ ioana: clean as far as traced — container steps ran outside the trace';
  if (n === 0) return '## ✅ ioana: clean';
  const findings = `${n} finding${n === 1 ? '' : 's'}`;
  if (r.failing === 0) return `## ℹ️ ioana: changed, not failing — ${findings} to review`;
  return `## ❌ ioana: failing — ${r.failing} of ${findings} fail${r.failing === 1 ? 's' : ''} the check`;
}

/** The sentence under the headline: what to do next. */
function nextStep(r: Report, written?: string, baselineFile?: string): string[] {
  const setuid = r.build.setuid && !r.build.tracerPrivileged ? [`> ⚠️ ${html(setuidNote(r.build.setuid))}`, ''] : [];
  const note = separationNote(r.build);
  const separation = note ? [`> ${wallWeakened(r.build) ? '⚠️' : '🛡️'} ${html(note)}`, ''] : [];
  const incremental = r.build.incremental ? [`> ⚠️ ${html(incrementalNote(r.build.incremental))}`, ''] : [];
  const followed = r.build.containers && followedNote(r.build.containers);
  const containers = [
    ...(untracedContainers(r.build.containers).length ? [`> ⚠️ ${html(containerNote(r.build.containers!))}`, ''] : []),
    ...(followed ? [`> 🐳 ${html(followed)}`, ''] : []),
  ];
  // In update mode the change is accepted already: what is left is to commit the file.
  const todo = written
    ? [
        `**The baseline was written** (\`mode: update\`): ${code(written)}. Commit ${code(baselineFile ?? '')} to accept the change, for example in a pull request that a maintainer reviews.`,
        '',
      ]
    : whatToDo(r);
  return [...incremental, ...containers, ...separation, ...setuid, ...todo];
}

function whatToDo(r: Report): string[] {
  if (r.findings.length === 0 || r.status === 'build-failed') return [];
  const effects = r.findings.reduce((n, f) => n + (f.effects?.length ?? 0), 0);
  const folded = effects > 0 ? ` (${effects} more follow from them and are listed under their cause)` : '';
  return r.failing > 0
    ? [`Fix what the pull request changed, or, if the change is expected, accept it: see **Accept this change** below.${folded}`, '']
    : [
        `Nothing fails the check. If the change is expected, accept it so that the next run is clean: see **Accept this change** below.${folded}`,
        '',
      ];
}

function findingCell(f: Finding): string {
  const what =
    f.kind === 'changed-provenance'
      ? [
          code(show(f.subject)),
          f.added?.length ? `+ ${f.added.map((a) => code(show(a))).join(', ')}` : '',
          f.removed?.length ? `− ${f.removed.map((a) => code(show(a))).join(', ')}` : '',
        ]
          .filter(Boolean)
          .join(' ')
      : f.count
        ? `${code(show(f.subject))} (${f.count} files)`
        : code(show(f.subject));
  return `${ICON[f.severity]} ${KIND_TEXT[f.kind].label}: ${what}${f.failing ? '' : ' <sub>(not failing)</sub>'}`;
}

/** Counts per kind. */
function countsSection(r: Report): string[] {
  if (r.findings.length === 0) return [];
  const counts = new Map<string, number>();
  for (const f of r.findings) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  return ['| finding | count |', '|---|---|', ...[...counts].map(([k, n]) => `| ${KIND_TEXT[k as Finding['kind']].label} | ${n} |`), ''];
}

/** A drawing of what changed: open when it is small. */
function drawingSection(r: Report): string[] {
  if (r.findings.length === 0) return [];
  const d = drawChange(r.findings);
  const open = d.nodes <= OPEN_DRAWING_NODES ? ' open' : '';
  return [`<details${open}><summary>What changed, drawn</summary>`, '', '```mermaid', d.text, '```', '', '</details>', ''];
}

/** The findings, in the report's order, each with what follows from it (the long part: last, so that a cut takes it first). */
function findingsSection(r: Report): string[] {
  if (r.findings.length === 0) return [];
  const parts: string[] = ['### Findings', ''];
  for (const f of r.findings.slice(0, MAX_ROWS)) {
    parts.push(`- ${findingCell(f)}${f.by ? ` — by ${code(f.by, 200)}` : ''}`);
    if (!f.effects?.length) continue;
    parts.push(`  <details><summary>and what follows from it: ${html(effectsText(f.effects))}</summary>`, '');
    for (const e of f.effects.slice(0, MAX_EFFECTS_LISTED)) parts.push(`  - ${findingCell(e)}`);
    if (f.effects.length > MAX_EFFECTS_LISTED) parts.push(`  - … ${f.effects.length - MAX_EFFECTS_LISTED} more: see the JSON report`);
    parts.push('', '  </details>');
  }
  if (r.findings.length > MAX_ROWS) parts.push(`- … ${r.findings.length - MAX_ROWS} more: see the JSON report`);
  parts.push('');
  return parts;
}

/** The build's graph figures. */
function figuresSection(g: GraphFigures | undefined): string[] {
  if (!g) return [];
  const parts = [
    '### The build',
    '',
    '| nodes | edges | programs | files | density |',
    '|---|---|---|---|---|',
    `| ${g.nodes} | ${g.edges} | ${g.programs} | ${g.files} | ${g.density} |`,
    '',
  ];
  if (g.mostConnected.length > 0) {
    const programs = g.mostConnected.map(
      (p) => `${code([p.exe.split('/').pop() ?? p.exe, ...p.argv.slice(1)].join(' '), 80)} (${p.degree})`,
    );
    parts.push(`Most connected programs: ${programs.join(', ')}`, '');
  }
  return parts;
}

/** The ten directories the build did the most I/O in, and where the flame graph is. */
function ioSection(io: SummaryInput['io']): string[] {
  if (!io || io.heaviest.length === 0) return [];
  const unit = io.weight === 'bytes' ? 'bytes (read and written)' : 'opens';
  const amount = (n: number): string => (io.weight === 'bytes' ? formatBytes(n) : String(n));
  return [
    '### Where the I/O went',
    '',
    `| directory | ${unit} | share |`,
    '|---|---|---|',
    ...io.heaviest.map((d) => `| ${code(d.directory, 120)} | ${amount(d.weight)} | ${(d.share * 100).toFixed(1)}% |`),
    '',
    ...(io.picture ? [`The flame graph of every program's I/O is ${code(io.picture)} in this run's artifact.`, ''] : []),
  ];
}

/** A code fence longer than any run of backticks in `text`, so that nothing inside can close it. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** The command and the workflow step that record this run as the baseline. */
function acceptSection(input: SummaryInput): string[] {
  const cli = acceptCommand({
    program: npxProgram(input.installSpec),
    baseline: input.baselineFile,
    config: input.config,
    cwd: input.workingDirectory,
    command: [...ACTION_SHELL, input.run],
  });
  const step = acceptStep(input.run, input.baselineFile, input.workingDirectory, input.config);
  const fence = fenceFor(cli + step);
  return [
    '### Accept this change',
    '',
    'If the change is expected, record it as the new baseline from a clean checkout of this branch, and commit the file:',
    '',
    `${fence}sh`,
    cli,
    fence,
    '',
    'or run this workflow step with `mode: update`:',
    '',
    `${fence}yaml`,
    step,
    fence,
    '',
  ];
}

/**
 * Under GitHub's limit, counted in UTF-8 bytes (a summary of non-ASCII paths is two
 * to three times longer in bytes than in characters): cut at a line, with an open code
 * block or <details> closed. The headline, the drawing and the accept command come
 * first, so a cut takes the long lists.
 */
function withinLimit(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= MAX_SUMMARY_BYTES) return text;
  const room = MAX_SUMMARY_BYTES - 512;
  const lineEnd = bytes.lastIndexOf(0x0a, room);
  let cut = bytes.subarray(0, lineEnd < 0 ? room : lineEnd).toString('utf8');
  if ((cut.match(/^```/gm) ?? []).length % 2 === 1) cut += '\n```';
  if ((cut.match(/<details>/g) ?? []).length > (cut.match(/<\/details>/g) ?? []).length) cut += '\n</details>';
  return cut + "\n\n… the summary was cut at GitHub's size limit: the full list is in the JSON report artifact.\n";
}

export function renderSummary(raw: SummaryInput): string {
  const input = raw.redactor ? { ...raw, run: raw.redactor.text(raw.run) } : raw;
  const { report: r } = input;
  const parts: string[] = [
    headline(r),
    '',
    `Build ${code(input.run, 300)} checked against ${code(input.baselineFile)}.`,
    '',
    ...nextStep(r, input.written, input.baselineFile),
  ];
  if (!input.baselineExists) {
    parts.push(
      `There is no baseline at ${code(input.baselineFile)} yet: every input, output and program is new. Record one with the command below, or download the proposed baseline from this run's artifact and commit it.`,
      '',
    );
  }
  parts.push(...countsSection(r), ...drawingSection(r));
  if (r.findings.length > 0 || !input.baselineExists) parts.push(...acceptSection(input));
  parts.push(...findingsSection(r), ...figuresSection(input.figures), ...ioSection(input.io));
  return withinLimit(parts.join('\n'));
}
