/**
 * The job summary (DESIGN §1.8): a headline, counts, findings grouped by the output
 * they affect, a drawing of what changed, graph figures, and the exact command that
 * accepts the change. Pure: returns Markdown; the action's edge writes it. Bounded:
 * GitHub refuses a step summary over 1 MiB, so every list is cut with a note.
 */
import type { Finding } from '../diff/index.js';
import type { GraphFigures } from '../graph/index.js';
import { append, code, html, KIND_TEXT, mermaid, shownPath, type Redactor } from '../vocabulary/index.js';
import { ACTION_SHELL, acceptCommand, acceptStep, npxProgram } from './accept.js';
import type { Report } from './types.js';

/** GitHub's limit is 1 MiB, in bytes; this leaves room for everything else in the step's summary. */
export const MAX_SUMMARY_BYTES = 900 * 1024;
export const MAX_ROWS = 250;
export const MAX_DRAWN = 40;

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
}

const ICON: Readonly<Record<Finding['severity'], string>> = { error: '🔴', warning: '🟠', notice: '🔵' };

const show = shownPath;

function headline(r: Report): string {
  if (r.build.interrupted) return `## ❌ ioana: the build was interrupted (${html(r.build.interrupted)}): this report is partial`;
  if (r.status === 'build-failed') {
    const how = r.build.signal ? `killed by ${r.build.signal}` : `exit status ${r.build.exitCode}`;
    return `## ❌ ioana: the build failed (${html(how)})`;
  }
  if (r.findings.length === 0) return '## ✅ ioana: clean';
  return `## ${r.failing > 0 ? '⚠️' : 'ℹ️'} ioana: ${r.findings.length} finding${r.findings.length === 1 ? '' : 's'} (${r.failing} failing)`;
}

function findingCell(f: Finding): string {
  const what =
    f.kind === 'changed-provenance'
      ? [
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

/** The changed part of the graph: findings' subjects and the outputs they reach, bounded. */
export function changeDrawing(findings: readonly Finding[], max = MAX_DRAWN): string {
  const ids = new Map<string, string>();
  const lines = [
    'flowchart LR',
    '  classDef new fill:#dafbe1,stroke:#1a7f37',
    '  classDef gone fill:#ffebe9,stroke:#cf222e,stroke-dasharray: 4 3',
    '  classDef output fill:#ddf4ff,stroke:#0969da',
  ];
  let omitted = 0;
  const arrows = new Set<string>();
  const arrow = (line: string) => {
    if (!arrows.has(line)) lines.push(line);
    arrows.add(line);
  };
  const node = (key: string, label: string, cls: string, shape: 'box' | 'file' | 'round'): string | undefined => {
    const known = ids.get(key);
    if (known) return known;
    if (ids.size >= max) {
      omitted++;
      return undefined;
    }
    const id = `n${ids.size}`;
    ids.set(key, id);
    const t = mermaid(label.length > 60 ? label.slice(0, 59) + '…' : label);
    lines.push(
      shape === 'box' ? `  ${id}["${t}"]:::${cls}` : shape === 'round' ? `  ${id}(("${t}")):::${cls}` : `  ${id}[/"${t}"/]:::${cls}`,
    );
    return id;
  };
  for (const f of findings) {
    const gone = f.kind.startsWith('vanished-');
    const cls = gone ? 'gone' : f.kind === 'changed-provenance' ? 'output' : 'new';
    const shape = f.kind.endsWith('program') ? 'box' : f.kind === 'new-endpoint' ? 'round' : 'file';
    const subject = node(f.subject, show(f.subject), cls, shape);
    if (!subject) continue;
    for (const o of f.outputs) {
      if (o === f.subject) continue;
      const out = node(o, show(o), 'output', 'file');
      if (out) arrow(gone ? `  ${subject} -.-> ${out}` : `  ${subject} --> ${out}`);
    }
    for (const a of f.added ?? []) {
      const input = node(a, show(a), 'new', 'file');
      if (input) arrow(`  ${input} --> ${subject}`);
    }
    for (const r of f.removed ?? []) {
      const input = node(r, show(r), 'gone', 'file');
      if (input) arrow(`  ${input} -.-> ${subject}`);
    }
  }
  if (omitted > 0) lines.push(`  more["… ${omitted} more left out"]`);
  return lines.join('\n');
}

/** Counts per kind. */
function countsSection(r: Report): string[] {
  if (r.findings.length === 0) return [];
  const counts = new Map<string, number>();
  for (const f of r.findings) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  return ['| finding | count |', '|---|---|', ...[...counts].map(([k, n]) => `| ${KIND_TEXT[k as Finding['kind']].label} | ${n} |`), ''];
}

/** A drawing of what changed. */
function drawingSection(r: Report): string[] {
  if (r.findings.length === 0) return [];
  return ['<details><summary>What changed, drawn</summary>', '', '```mermaid', changeDrawing(r.findings), '```', '', '</details>', ''];
}

/** The findings, grouped by the output they reach (the long part: last, so that a cut takes it first). */
function findingsSection(r: Report): string[] {
  const parts: string[] = [];
  const byOutput = new Map<string, Finding[]>();
  const orphans: Finding[] = [];
  for (const f of r.findings) {
    if (f.outputs.length === 0) orphans.push(f);
    for (const o of f.outputs) append(byOutput, o, f);
  }
  if (orphans.length > 0) {
    parts.push('### Findings that reach no output', '');
    for (const f of orphans.slice(0, MAX_ROWS)) parts.push(`- ${findingCell(f)}`);
    if (orphans.length > MAX_ROWS) parts.push(`- … ${orphans.length - MAX_ROWS} more: see the JSON report`);
    parts.push('');
  }
  if (byOutput.size > 0) {
    parts.push('### Findings by output', '', '| output | findings |', '|---|---|');
    const rows = [...byOutput].sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [o, fs] of rows.slice(0, MAX_ROWS)) {
      parts.push(
        `| ${code(show(o))} | ${fs.slice(0, 20).map(findingCell).join('<br>')}${fs.length > 20 ? `<br>… ${fs.length - 20} more` : ''} |`,
      );
    }
    if (rows.length > MAX_ROWS) parts.push(`| … | ${rows.length - MAX_ROWS} more outputs: see the JSON report |`);
    parts.push('');
  }
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
  const parts: string[] = [headline(r), '', `Build ${code(input.run, 300)} checked against ${code(input.baselineFile)}.`, ''];
  if (!input.baselineExists) {
    parts.push(
      `There is no baseline at ${code(input.baselineFile)} yet: every input, output and program is new. Record one with the command below, or download the proposed baseline from this run's artifact and commit it.`,
      '',
    );
  }
  parts.push(...countsSection(r), ...drawingSection(r));
  if (r.findings.length > 0 || !input.baselineExists) parts.push(...acceptSection(input));
  parts.push(...findingsSection(r), ...figuresSection(input.figures));
  return withinLimit(parts.join('\n'));
}
