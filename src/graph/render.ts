/**
 * Drawings of the graph: Mermaid (for GitHub Markdown) and DOT (Graphviz). Bounded:
 * a drawing shows the outputs, the programs that wrote them and what those programs
 * read from the workspace or through pipes; past `maxNodes` it stops and says what it
 * left out.
 */
import { basename } from 'node:path/posix';
import { isUnder, mermaid, TOKEN } from '../vocabulary/index.js';
import { workspaceArg, workspacePath } from './document.js';
import type { HorizonSets } from './sets.js';
import type { DataflowGraph, NodeAttributes } from './types.js';
import type { Redactor } from '../vocabulary/redact.js';

export interface DrawOptions {
  readonly workspace?: string;
  /** Default 60: GitHub renders larger Mermaid drawings poorly. */
  readonly maxNodes?: number;
  /** Credentials out of every label (arguments and names). Default: none. */
  readonly redactor?: Redactor;
}

export interface Drawing {
  readonly nodes: readonly string[];
  readonly edges: readonly (readonly [string, string, string])[];
  /** How many nodes of the neighbourhood were left out by the bound. */
  readonly omitted: number;
}

/** The part of the graph around the outputs, bounded. */
export function drawingOf(g: DataflowGraph, sets: HorizonSets, opts: DrawOptions = {}): Drawing {
  const max = opts.maxNodes ?? 60;
  const ws = opts.workspace;
  const nodes = new Set<string>();
  const wanted = new Set<string>();
  const interesting = (key: string): boolean => {
    const a = g.getNodeAttributes(key);
    if (a.kind === 'program') return true;
    if (a.kind === 'endpoint') return true;
    // A pipe nobody wrote into carried nothing (make's jobserver, as seen by a reader).
    if (a.kind === 'pipe' || a.kind === 'socketpair') return g.someInEdge(key, (_e, e) => e.kind === 'write');
    if (a.kind !== 'file') return false;
    return ws !== undefined ? isUnder(a.path, ws) || !a.existedBefore : !a.existedBefore;
  };
  // Breadth-first from the outputs, backwards along writes, reads and pipes.
  const queue: string[] = [...sets.outputs];
  for (const k of queue) wanted.add(k);
  for (let i = 0; i < queue.length; i++) {
    const key = queue[i];
    g.forEachInEdge(key, (_e, a, src) => {
      if (a.kind === 'spawn' || a.kind === 'rename' || a.kind === 'delete') return;
      if (!interesting(src) || wanted.has(src)) return;
      wanted.add(src);
      queue.push(src);
    });
  }
  for (const k of queue) {
    if (nodes.size >= max) break;
    nodes.add(k);
  }
  const edges: [string, string, string][] = [];
  for (const k of nodes) {
    g.forEachOutEdge(k, (_e, a, _s, target) => {
      if (!nodes.has(target) || a.kind === 'spawn') return;
      edges.push([k, target, a.kind]);
    });
  }
  // One arrow per pair: a write and a delete of the same file are one line in a drawing.
  const unique = new Map(edges.map((e) => [`${e[0]}\u0000${e[1]}`, e] as const));
  return { nodes: [...nodes], edges: [...unique.values()], omitted: wanted.size - nodes.size };
}

/**
 * A short label: the program's name and the arguments that name files (`-o` and its
 * value, operands that are not options or absolute system paths), at most 60
 * characters: `cc -Iinclude -c app/wc.c -o build/wc.o` → `cc app/wc.c -o build/wc.o`.
 */
export function label(a: NodeAttributes, workspace?: string, redactor?: Redactor): string {
  const clean = (text: string) => (redactor ? redactor.text(text) : text);
  if (a.kind === 'program') {
    const argv = redactor ? redactor.argv(a.exe, a.argv, (x) => x) : a.argv;
    const args = argv.slice(1).map((x) => clean(workspaceArg(x, workspace)));
    const shown: string[] = [];
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '-o' && i + 1 < args.length) shown.push('-o', args[++i]);
      else if (!args[i].startsWith('-') && (!args[i].startsWith('/') || args[i].startsWith(TOKEN.workspace))) shown.push(args[i]);
    }
    const text = [clean(basename(a.exe)) + (a.origin === 'fork' ? ' (fork)' : ''), ...shown].join(' ');
    return text.length > 60 ? text.slice(0, 59) + '…' : text;
  }
  const p = clean(workspacePath(a.path, workspace)) + (a.detached === 'replaced' ? ' (replaced)' : '');
  return p.length > 60 ? '…' + p.slice(-59) : p;
}

export function toMermaid(g: DataflowGraph, sets: HorizonSets, opts: DrawOptions = {}): string {
  const d = drawingOf(g, sets, opts);
  const id = new Map(d.nodes.map((k, i) => [k, `n${i}`]));
  const lines = ['flowchart LR'];
  for (const k of d.nodes) {
    const a = g.getNodeAttributes(k);
    const t = mermaid(label(a, opts.workspace, opts.redactor));
    const n = id.get(k);
    if (a.kind === 'program') lines.push(`  ${n}["${t}"]`);
    else if (a.kind === 'pipe' || a.kind === 'socketpair') lines.push(`  ${n}{{"${a.kind}"}}`);
    else if (a.kind === 'endpoint') lines.push(`  ${n}(("${t}"))`);
    else lines.push(`  ${n}[/"${t}"/]`);
  }
  for (const [from, to, kind] of d.edges) {
    lines.push(kind === 'exec' ? `  ${id.get(from)} -. exec .-> ${id.get(to)}` : `  ${id.get(from)} --> ${id.get(to)}`);
  }
  if (d.omitted > 0) lines.push(`  more["… ${d.omitted} more nodes left out"]`);
  return lines.join('\n') + '\n';
}

const dotText = (s: string): string => s.replace(/[\\"]/g, (c) => '\\' + c).replace(/[\r\n]/g, ' ');

export function toDot(g: DataflowGraph, sets: HorizonSets, opts: DrawOptions = {}): string {
  const d = drawingOf(g, sets, opts);
  const id = new Map(d.nodes.map((k, i) => [k, `n${i}`]));
  const lines = ['digraph ioana {', '  rankdir=LR;', '  node [fontname="monospace", fontsize=10];'];
  for (const k of d.nodes) {
    const a = g.getNodeAttributes(k);
    const shape =
      a.kind === 'program' ? 'box' : a.kind === 'pipe' || a.kind === 'socketpair' ? 'hexagon' : a.kind === 'endpoint' ? 'ellipse' : 'note';
    lines.push(`  ${id.get(k)} [shape=${shape}, label="${dotText(label(a, opts.workspace, opts.redactor))}"];`);
  }
  for (const [from, to, kind] of d.edges) lines.push(`  ${id.get(from)} -> ${id.get(to)}${kind === 'exec' ? ' [style=dashed]' : ''};`);
  if (d.omitted > 0) lines.push(`  more [shape=plaintext, label="… ${d.omitted} more nodes left out"];`);
  lines.push('}');
  return lines.join('\n') + '\n';
}
