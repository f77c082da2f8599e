/**
 * A drawing of the change, not of the build (issue 15): what changed and its nearest
 * neighbours — the program that read a new input and the outputs it reaches, the program
 * that connected to an endpoint, the writer of a modified source — added green, vanished
 * red, modified sources orange, with a legend. Mermaid flowchart text; bounded.
 */
import type { Finding } from '../diff/index.js';
import { KIND_TEXT, mermaid, shownPath } from '../vocabulary/index.js';

export const MAX_DRAWN = 40;
/** How many outputs of one finding are drawn; the rest are one node that counts them. */
export const OUTPUTS_DRAWN = 3;
/** The longest label; longer paths lose their middle, never their file name. */
export const MAX_LABEL = 48;

/**
 * A path shortened in the middle, keeping its root and as many of its last components
 * as fit: `{workspace}/third_party/abseil/absl/base/internal/detail/abi_v3.hpp` →
 * `{workspace}/…/base/internal/detail/abi_v3.hpp`. Other text (`path` false), or a file
 * name longer than the label: its start and its end.
 */
export function middle(text: string, max = MAX_LABEL, path = true): string {
  if (text.length <= max) return text;
  const parts = text.split('/');
  if (path && parts.length > 1) {
    let tail = parts.at(-1)!;
    for (let i = parts.length - 2; i > 0 && parts[0].length + tail.length + parts[i].length + 4 <= max; i--) tail = `${parts[i]}/${tail}`;
    const short = `${parts[0]}/…/${tail}`;
    if (short.length <= max) return short;
  }
  const end = Math.floor((max - 1) / 2);
  return `${text.slice(0, max - 1 - end)}…${text.slice(text.length - end)}`;
}

type Cls = 'new' | 'gone' | 'modified' | 'program' | 'output' | 'effects';
type Shape = 'box' | 'file' | 'round' | 'note';

const CLASSES: readonly string[] = [
  '  classDef new fill:#dafbe1,stroke:#1a7f37',
  '  classDef gone fill:#ffebe9,stroke:#cf222e,stroke-dasharray: 4 3',
  '  classDef modified fill:#fff1e5,stroke:#bc4c00,stroke-width:3px',
  '  classDef program fill:#f6f8fa,stroke:#57606a',
  '  classDef output fill:#ddf4ff,stroke:#0969da',
  '  classDef effects fill:#ffffff,stroke:#8c959f,stroke-dasharray: 2 2',
];

const LEGEND: readonly string[] = [
  '  subgraph legend [" "]',
  '    direction LR',
  '    legendNew[/"added"/]:::new',
  '    legendGone[/"vanished"/]:::gone',
  '    legendModified[/"modified source"/]:::modified',
  '    legendProgram["program"]:::program',
  '    legendOutput[/"output"/]:::output',
  '  end',
];

function subjectClass(kind: Finding['kind']): Cls {
  if (kind.startsWith('vanished-')) return 'gone';
  if (kind === 'source-modified') return 'modified';
  if (kind === 'changed-provenance') return 'output';
  if (kind === 'changed-arguments') return 'program';
  return 'new';
}

function subjectShape(kind: Finding['kind']): Shape {
  if (kind.endsWith('-program') || kind === 'changed-arguments') return 'box';
  if (kind === 'new-endpoint') return 'round';
  return 'file';
}

/** `/usr/lib/gcc/x86_64-linux-gnu/12/cc1 -quiet …` → `cc1 -quiet …`: the program's name and its arguments. */
function commandLabel(command: string): string {
  const space = command.indexOf(' ');
  const exe = space < 0 ? command : command.slice(0, space);
  return exe.slice(exe.lastIndexOf('/') + 1) + (space < 0 ? '' : command.slice(space));
}

/** `6 inputs changed, 2 new outputs`: an effects list in a few words. */
export function effectsText(effects: readonly Finding[]): string {
  const counts = new Map<string, number>();
  for (const e of effects) {
    const label = KIND_TEXT[e.kind].label;
    counts.set(label, (counts.get(label) ?? 0) + (e.count ?? 1));
  }
  return [...counts].map(([label, n]) => `${n} × ${label}`).join(', ');
}

export interface ChangeDrawing {
  readonly text: string;
  /** Nodes drawn (not counting the legend). */
  readonly nodes: number;
}

export function drawChange(findings: readonly Finding[], max = MAX_DRAWN): ChangeDrawing {
  const lines = ['flowchart LR', ...CLASSES];
  const ids = new Map<string, string>();
  const added: number[] = [];
  const gone: number[] = [];
  const edges = new Set<string>();
  let omitted = 0;

  const node = (key: string, label: string, cls: Cls, shape: Shape): string | undefined => {
    const known = ids.get(key);
    if (known) return known;
    if (ids.size >= max) {
      omitted++;
      return undefined;
    }
    const id = `n${ids.size}`;
    ids.set(key, id);
    // Paths keep their file name; commands their start and end; a note (what follows) is read whole, up to twice as long.
    const t = mermaid(
      shape === 'note' ? middle(label, 2 * MAX_LABEL, false) : shape === 'box' ? middle(label, MAX_LABEL, false) : middle(label),
    );
    const body = shape === 'box' ? `["${t}"]` : shape === 'round' ? `(("${t}"))` : shape === 'note' ? `("${t}")` : `[/"${t}"/]`;
    lines.push(`  ${id}${body}:::${cls}`);
    return id;
  };
  const edge = (from: string | undefined, to: string | undefined, how: 'added' | 'gone' | 'plain') => {
    if (!from || !to || edges.has(`${from} ${to}`)) return;
    edges.add(`${from} ${to}`);
    if (how === 'added') added.push(edges.size - 1);
    if (how === 'gone') gone.push(edges.size - 1);
    lines.push(`  ${from} ${how === 'gone' ? '-.->' : '-->'} ${to}`);
  };

  for (const f of findings) {
    const how = f.kind.startsWith('vanished-') ? 'gone' : f.kind === 'changed-provenance' ? 'plain' : 'added';
    const shape = subjectShape(f.kind);
    // A program is its name and its arguments, shortened as a command (its start kept: `bash -c "make … && make …"`), not as a path.
    const label = shape === 'box' ? commandLabel(f.subject) : f.count ? `${shownPath(f.subject)} (${f.count} files)` : shownPath(f.subject);
    const subject = node(`s:${f.subject}`, label, subjectClass(f.kind), shape);
    if (!subject) continue;
    const who = f.by === undefined ? undefined : node(`p:${f.by}`, commandLabel(f.by), 'program', 'box');
    // Who did it: reads flow into the program, connections and writes out of it.
    if (f.kind === 'new-input' || f.kind === 'credential-read') edge(subject, who, 'added');
    else edge(who, subject, 'added');
    const source = (f.kind === 'new-input' || f.kind === 'credential-read') && who ? who : subject;
    const outputs = f.outputs.filter((o) => o !== f.subject);
    for (const o of outputs.slice(0, OUTPUTS_DRAWN)) edge(source, node(`s:${o}`, shownPath(o), 'output', 'file'), how);
    if (outputs.length > OUTPUTS_DRAWN)
      edge(source, node(`more:${f.subject}`, `${outputs.length - OUTPUTS_DRAWN} more outputs`, 'output', 'note'), how);
    for (const a of f.added ?? []) if (f.kind === 'changed-provenance') edge(node(`s:${a}`, shownPath(a), 'new', 'file'), subject, 'added');
    for (const r of f.removed ?? [])
      if (f.kind === 'changed-provenance') edge(node(`s:${r}`, shownPath(r), 'gone', 'file'), subject, 'gone');
    if (f.effects?.length) edge(subject, node(`e:${f.subject}`, `and what follows: ${effectsText(f.effects)}`, 'effects', 'note'), 'plain');
  }
  if (omitted > 0) lines.push(`  more["… ${omitted} more left out: see the findings below"]`);
  if (added.length > 0) lines.push(`  linkStyle ${added.join(',')} stroke:#1a7f37,stroke-width:2px`);
  if (gone.length > 0) lines.push(`  linkStyle ${gone.join(',')} stroke:#cf222e,stroke-width:2px`);
  lines.push(...LEGEND);
  return { text: lines.join('\n'), nodes: ids.size };
}

/** The drawing's Mermaid text. */
export const changeDrawing = (findings: readonly Finding[], max = MAX_DRAWN): string => drawChange(findings, max).text;
