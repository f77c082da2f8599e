/**
 * Baseline → YAML text. Written by hand rather than by a generic dumper so that the
 * layout never changes under us: one entry per line, sorted, strings always
 * double-quoted (JSON's quoting is valid YAML), nothing that differs between machines.
 */
import { programKey } from '../vocabulary/index.js';
import type { Baseline, Counted } from './types.js';

const q = (s: string): string => JSON.stringify(s);

function counted(c: Counted, runs: number): string {
  if (c.seen >= runs && c.miss === undefined) return q(c.value);
  const seen = c.seen < runs ? `, seen: ${c.seen}` : '';
  const miss = c.miss !== undefined ? `, miss: ${q(c.miss)}` : '';
  return `{ path: ${q(c.value)}${seen}${miss} }`;
}

function list(name: string, items: readonly Counted[], runs: number, indent = ''): string[] {
  if (items.length === 0) return [`${indent}${name}: []`];
  return [`${indent}${name}:`, ...items.map((c) => `${indent}  - ${counted(c, runs)}`)];
}

/** Where editors find the baseline's JSON Schema (schemas/baseline.schema.json at the action's major version). */
export const BASELINE_SCHEMA_URL = 'https://raw.githubusercontent.com/ioana/action/v1/schemas/baseline.schema.json';

export const BASELINE_HEADER = [
  `# yaml-language-server: $schema=${BASELINE_SCHEMA_URL}`,
  '# ioana baseline: the canonical dataflow of a build (inputs, outputs and what each',
  '# output is made from, programs, network endpoints). Written by `ioana update`;',
  '# review changes to it like code. `seen: k` marks an entry seen in k of `runs` runs.',
];

/** The header's last line when an entry is needed only when a build cache misses. */
export const MISS_NOTE = '# `miss: NAME` marks what only a miss of that build cache needs: a hit skips it, and its absence is no change.';

/** The header's last line when an output is a folded set: what `files: N` means. */
export const FOLDED_NOTE = '# `files: N` marks a set of N generated files, folded into one entry (`fold-outputs` in .ioana.yml).';

/**
 * The `from:` block of outputs, each distinct one rendered once: outputs share their
 * provenance lists (a generator's 100 000 outputs, one list of inputs), and the block of
 * one list at one `seen` is the same text every time.
 */
class FromBlocks {
  private readonly known = new Map<readonly Counted[], Map<number, string>>();

  of(from: readonly Counted[], seen: number): string {
    let bySeen = this.known.get(from);
    if (!bySeen) this.known.set(from, (bySeen = new Map()));
    let block = bySeen.get(seen);
    if (block === undefined) bySeen.set(seen, (block = list('from', from, seen, '    ').join('\n')));
    return block;
  }
}

export function renderBaseline(b: Baseline): string {
  const folded = b.outputs.some((o) => o.files !== undefined);
  const missed = b.inputs.some((c) => c.miss !== undefined) || b.programs.some((p) => p.miss !== undefined);
  const lines = [
    ...BASELINE_HEADER,
    ...(folded ? [FOLDED_NOTE] : []),
    ...(missed ? [MISS_NOTE] : []),
    `version: ${b.version}`,
    `runs: ${b.runs}`,
  ];
  lines.push(...list('inputs', b.inputs, b.runs));
  if (b.outputs.length === 0) lines.push('outputs: []');
  else {
    lines.push('outputs:');
    const blocks = new FromBlocks();
    for (const o of b.outputs) {
      lines.push(`  - path: ${q(o.path)}`);
      // A folded set (`fold-outputs`) says so, with its count, before anything else.
      if (o.files !== undefined) lines.push(`    files: ${o.files}`);
      if (o.seen < b.runs) lines.push(`    seen: ${o.seen}`);
      lines.push(blocks.of(o.from, o.seen));
    }
  }
  if (b.programs.length === 0) lines.push('programs: []');
  else {
    lines.push('programs:');
    for (const p of [...b.programs].sort((x, y) => (programKey(x) < programKey(y) ? -1 : 1))) {
      lines.push(`  - exe: ${q(p.exe)}`);
      lines.push(`    argv: [${p.argv.map(q).join(', ')}]`);
      lines.push(`    count: ${p.count}`);
      if (p.seen < b.runs) lines.push(`    seen: ${p.seen}`);
      if (p.miss !== undefined) lines.push(`    miss: ${q(p.miss)}`);
    }
  }
  lines.push(...list('endpoints', b.endpoints, b.runs));
  if (b.modified.length > 0) lines.push(...list('modified', b.modified, b.runs));
  if (b.caches && b.caches.length > 0) lines.push(...list('caches', b.caches, b.runs));
  const tools = Object.keys(b.toolchains ?? {}).sort();
  if (tools.length > 0) lines.push('toolchains:', ...tools.map((t) => `  ${q(t)}: ${q(b.toolchains![t])}`));
  return lines.join('\n') + '\n';
}
