/**
 * A reader for the exact layout `renderBaseline` writes: one line at a time, strings
 * through JSON.parse. A general YAML parser spends most of a check's time on a large
 * baseline; this one only recognizes our own layout and gives up (undefined) on
 * anything else, so that a hand-edited file still goes through the full parser, with
 * its line-numbered errors.
 */
import { BASELINE_VERSION, entryKey, type Baseline, type BaselineOutput, type BaselineProgram, type Counted } from './types.js';
import { programKey } from '../vocabulary/index.js';

const STRING = /^"(?:[^"\\]|\\.)*"$/;
const COUNTED = /^\{ path: ("(?:[^"\\]|\\.)*"), seen: (\d+) \}$/;

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function fastParseBaseline(text: string): { baseline: Baseline; lines: Map<string, number> } | undefined {
  const src = text.split('\n');
  const lines = new Map<string, number>();
  let i = 0;
  while (i < src.length && src[i].startsWith('#')) i++;
  const header = (key: string): number | undefined => {
    const m = new RegExp(`^${key}: (\\d+)$`).exec(src[i] ?? '');
    if (!m) return undefined;
    i++;
    return Number(m[1]);
  };
  const version = header('version');
  const runs = header('runs');
  if (version !== BASELINE_VERSION || runs === undefined || runs < 1) return undefined;

  /** An optional `    seen: k` line (k from 1 to `runs`): k, `runs` when absent, undefined when invalid. */
  const optionalSeen = (): number | undefined => {
    const m = /^ {4}seen: (\d+)$/.exec(src[i] ?? '');
    if (!m) return runs;
    i++;
    const seen = Number(m[1]);
    return seen >= 1 && seen <= runs ? seen : undefined;
  };

  /** `  - "x"` or `  - { path: "x", seen: 2 }` at `indent`, for a list that `of` runs saw. */
  const countedList = (name: string, indent: string, of: number, section?: 'inputs' | 'endpoints' | 'modified'): Counted[] | undefined => {
    const line = src[i];
    if (line === `${indent}${name}: []`) {
      i++;
      return [];
    }
    if (line !== `${indent}${name}:`) return undefined;
    i++;
    const out: Counted[] = [];
    const prefix = `${indent}  - `;
    while (i < src.length && src[i].startsWith(prefix)) {
      const item = src[i].slice(prefix.length);
      let c: Counted;
      if (STRING.test(item)) {
        const value = json(item);
        if (typeof value !== 'string') return undefined;
        c = { value, seen: of };
      } else {
        const m = COUNTED.exec(item);
        const value = m ? json(m[1]) : undefined;
        if (!m || typeof value !== 'string' || Number(m[2]) < 1 || Number(m[2]) > of) return undefined;
        c = { value, seen: Number(m[2]) };
      }
      if (section) lines.set(entryKey(section, c.value), i + 1);
      out.push(c);
      i++;
    }
    return out;
  };

  const inputs = countedList('inputs', '', runs, 'inputs');
  if (!inputs) return undefined;

  const outputs: BaselineOutput[] = [];
  if (src[i] === 'outputs: []') i++;
  else if (src[i] === 'outputs:') {
    i++;
    while ((src[i] ?? '').startsWith('  - path: ')) {
      const line = i + 1;
      const path = json(src[i].slice('  - path: '.length));
      if (typeof path !== 'string') return undefined;
      i++;
      const seen = optionalSeen();
      if (seen === undefined) return undefined;
      const from = countedList('from', '    ', seen);
      if (!from) return undefined;
      lines.set(entryKey('outputs', path), line);
      outputs.push({ path, seen, from });
    }
  } else return undefined;

  const programs: BaselineProgram[] = [];
  if (src[i] === 'programs: []') i++;
  else if (src[i] === 'programs:') {
    i++;
    while ((src[i] ?? '').startsWith('  - exe: ')) {
      const line = i + 1;
      const exe = json(src[i].slice('  - exe: '.length));
      const argv = (src[i + 1] ?? '').startsWith('    argv: ') ? json(src[i + 1].slice('    argv: '.length)) : undefined;
      const count = /^ {4}count: (\d+)$/.exec(src[i + 2] ?? '');
      if (typeof exe !== 'string' || !Array.isArray(argv) || !argv.every((a) => typeof a === 'string') || !count || Number(count[1]) < 1)
        return undefined;
      i += 3;
      const seen = optionalSeen();
      if (seen === undefined) return undefined;
      lines.set(entryKey('programs', programKey({ exe, argv })), line);
      programs.push({ exe, argv: argv as string[], count: Number(count[1]), seen });
    }
  } else return undefined;

  const endpoints = countedList('endpoints', '', runs, 'endpoints');
  if (!endpoints) return undefined;
  const modified = i < src.length && src[i].startsWith('modified:') ? countedList('modified', '', runs, 'modified') : [];
  if (!modified) return undefined;
  // Only an empty last line may follow.
  if (!(i === src.length || (i === src.length - 1 && src[i] === ''))) return undefined;
  return { baseline: { version: BASELINE_VERSION, runs, inputs, outputs, programs, endpoints, modified }, lines };
}
