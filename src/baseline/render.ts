/**
 * Baseline → YAML text. Written by hand rather than by a generic dumper so that the
 * layout never changes under us: one entry per line, sorted, nothing that differs
 * between machines. Strings are double-quoted (JSON's quoting is valid YAML) unless the
 * style says otherwise: a baseline a formatter (prettier) keeps in single quotes, with
 * long flow lines broken at its width, is written the way the formatter leaves it, so
 * that an update's diff is only what changed (src/io/baseline-style.ts finds the style).
 */
import { programKey } from '../vocabulary/index.js';
import type { Baseline, Counted } from './types.js';

/** How the file is laid out: its quotes, and where a formatter breaks long flow lines (prettier's printWidth). */
export interface BaselineStyle {
  readonly quote: 'double' | 'single';
  /** Break a flow line longer than this, one item a line (undefined: never). */
  readonly width?: number;
  /** A comma after the last item of a broken flow collection (prettier's default). */
  readonly trailingComma?: boolean;
}

export const DEFAULT_STYLE: BaselineStyle = { quote: 'double' };

/**
 * A string as YAML, in the style's quotes where a formatter would keep them: escapes
 * need double quotes; a `"` inside prefers single quotes, a `'` double ones (prettier's rule).
 */
function quoter(style: BaselineStyle): (s: string) => string {
  // ioana's own layout (no formatter known): JSON's quoting throughout, which the fast reader reads.
  if (style.quote === 'double' && style.width === undefined) return (s) => JSON.stringify(s);
  return (s) => {
    const json = JSON.stringify(s);
    const raw = json.slice(1, -1);
    if (/\\[^"]/.test(raw)) return json;
    if (raw.includes('"')) return `'${s.replaceAll("'", "''")}'`;
    if (s.includes("'")) return json;
    return style.quote === 'single' ? `'${s}'` : json;
  };
}

/**
 * A flow mapping (`{ path: …, seen: 1 }`) or sequence (`[…]`) on one line, or, when the
 * line is longer than the style's width, one item a line as prettier breaks it.
 */
function flow(head: string, kind: 'map' | 'seq', items: readonly string[], indent: number, style: BaselineStyle): string[] {
  const line = kind === 'map' ? `${head}{ ${items.join(', ')} }` : `${head}[${items.join(', ')}]`;
  if (style.width === undefined || line.length <= style.width) return [line];
  const pad = ' '.repeat(indent);
  const last = style.trailingComma === false ? '' : ',';
  const each = items.map((it, i) => `${pad}    ${it}${i < items.length - 1 ? ',' : last}`);
  // `  - {` / `      path: …,` / `    }`; `    argv:` / `      [` / `        'cc',` / `      ]`
  return kind === 'map' ? [`${head}{`, ...each, `${pad}  }`] : [head.trimEnd(), `${pad}  [`, ...each, `${pad}  ]`];
}

class Writer {
  readonly q: (s: string) => string;
  constructor(readonly style: BaselineStyle) {
    this.q = quoter(style);
  }

  counted(c: Counted, runs: number, indent: number): string[] {
    const head = `${' '.repeat(indent)}- `;
    if (c.seen >= runs && c.miss === undefined) return [head + this.q(c.value)];
    const members = [
      `path: ${this.q(c.value)}`,
      ...(c.seen < runs ? [`seen: ${c.seen}`] : []),
      ...(c.miss !== undefined ? [`miss: ${this.q(c.miss)}`] : []),
    ];
    return flow(head, 'map', members, indent, this.style);
  }

  list(name: string, items: readonly Counted[], runs: number, indent = ''): string[] {
    if (items.length === 0) return [`${indent}${name}: []`];
    return [`${indent}${name}:`, ...items.flatMap((c) => this.counted(c, runs, indent.length + 2))];
  }
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
  constructor(private readonly w: Writer) {}

  of(from: readonly Counted[], seen: number): string {
    let bySeen = this.known.get(from);
    if (!bySeen) this.known.set(from, (bySeen = new Map()));
    let block = bySeen.get(seen);
    if (block === undefined) bySeen.set(seen, (block = this.w.list('from', from, seen, '    ').join('\n')));
    return block;
  }
}

export function renderBaseline(b: Baseline, style: BaselineStyle = DEFAULT_STYLE): string {
  const w = new Writer(style);
  const q = w.q;
  const folded = b.outputs.some((o) => o.files !== undefined);
  const missed = b.inputs.some((c) => c.miss !== undefined) || b.programs.some((p) => p.miss !== undefined);
  const lines = [
    ...BASELINE_HEADER,
    ...(folded ? [FOLDED_NOTE] : []),
    ...(missed ? [MISS_NOTE] : []),
    `version: ${b.version}`,
    `runs: ${b.runs}`,
  ];
  lines.push(...w.list('inputs', b.inputs, b.runs));
  if (b.outputs.length === 0) lines.push('outputs: []');
  else {
    lines.push('outputs:');
    const blocks = new FromBlocks(w);
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
      lines.push(...flow('    argv: ', 'seq', p.argv.map(q), 4, style));
      lines.push(`    count: ${p.count}`);
      if (p.seen < b.runs) lines.push(`    seen: ${p.seen}`);
      if (p.miss !== undefined) lines.push(`    miss: ${q(p.miss)}`);
    }
  }
  lines.push(...w.list('endpoints', b.endpoints, b.runs));
  if (b.modified.length > 0) lines.push(...w.list('modified', b.modified, b.runs));
  if (b.caches && b.caches.length > 0) lines.push(...w.list('caches', b.caches, b.runs));
  const tools = Object.keys(b.toolchains ?? {}).sort();
  if (tools.length > 0) lines.push('toolchains:', ...tools.map((t) => `  ${q(t)}: ${q(b.toolchains![t])}`));
  return lines.join('\n') + '\n';
}
