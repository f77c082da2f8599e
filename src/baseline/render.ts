/**
 * Baseline → YAML text. Written by hand rather than by a generic dumper so that the
 * layout never changes under us: one entry per line, sorted, strings always
 * double-quoted (JSON's quoting is valid YAML), nothing that differs between machines.
 */
import { programKey } from '../vocabulary/index.js';
import type { Baseline, Counted } from './types.js';

const q = (s: string): string => JSON.stringify(s);

function counted(c: Counted, runs: number): string {
  return c.seen >= runs ? q(c.value) : `{ path: ${q(c.value)}, seen: ${c.seen} }`;
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

export function renderBaseline(b: Baseline): string {
  const lines = [...BASELINE_HEADER, `version: ${b.version}`, `runs: ${b.runs}`];
  lines.push(...list('inputs', b.inputs, b.runs));
  if (b.outputs.length === 0) lines.push('outputs: []');
  else {
    lines.push('outputs:');
    for (const o of b.outputs) {
      lines.push(`  - path: ${q(o.path)}`);
      if (o.seen < b.runs) lines.push(`    seen: ${o.seen}`);
      lines.push(...list('from', o.from, o.seen, '    '));
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
    }
  }
  lines.push(...list('endpoints', b.endpoints, b.runs));
  if (b.modified.length > 0) lines.push(...list('modified', b.modified, b.runs));
  return lines.join('\n') + '\n';
}
