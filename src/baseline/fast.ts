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
  return new LayoutReader(text.split('\n')).read();
}

/** A cursor over the lines of a baseline in ioana's layout; every reader returns undefined on anything else. */
class LayoutReader {
  readonly lines = new Map<string, number>();
  private i = 0;
  private runs = 0;

  constructor(private readonly src: readonly string[]) {}

  read(): { baseline: Baseline; lines: Map<string, number> } | undefined {
    while (this.i < this.src.length && this.src[this.i].startsWith('#')) this.i++;
    const version = this.header('version');
    const runs = this.header('runs');
    if (version !== BASELINE_VERSION || runs === undefined || runs < 1) return undefined;
    this.runs = runs;
    const inputs = this.countedList('inputs', '', runs, 'inputs');
    const outputs = inputs && this.outputs();
    const programs = outputs && this.programs();
    const endpoints = programs && this.countedList('endpoints', '', runs, 'endpoints');
    const modified = endpoints && (this.src[this.i]?.startsWith('modified:') ? this.countedList('modified', '', runs, 'modified') : []);
    if (!inputs || !outputs || !programs || !endpoints || !modified) return undefined;
    // Only an empty last line may follow.
    const { i, src } = this;
    if (!(i === src.length || (i === src.length - 1 && src[i] === ''))) return undefined;
    return { baseline: { version: BASELINE_VERSION, runs, inputs, outputs, programs, endpoints, modified }, lines: this.lines };
  }

  /** `key: N` → N. */
  private header(key: string): number | undefined {
    const m = new RegExp(`^${key}: (\\d+)$`).exec(this.src[this.i] ?? '');
    if (!m) return undefined;
    this.i++;
    return Number(m[1]);
  }

  /** An optional `    seen: k` line (k from 1 to `runs`): k, `runs` when absent, undefined when invalid. */
  private optionalSeen(): number | undefined {
    const m = /^ {4}seen: (\d+)$/.exec(this.src[this.i] ?? '');
    if (!m) return this.runs;
    this.i++;
    const seen = Number(m[1]);
    return seen >= 1 && seen <= this.runs ? seen : undefined;
  }

  /** `  - "x"` or `  - { path: "x", seen: 2 }` at `indent`, for a list that `of` runs saw. */
  private countedList(name: string, indent: string, of: number, section?: 'inputs' | 'endpoints' | 'modified'): Counted[] | undefined {
    const { src } = this;
    if (src[this.i] === `${indent}${name}: []`) {
      this.i++;
      return [];
    }
    if (src[this.i] !== `${indent}${name}:`) return undefined;
    this.i++;
    const out: Counted[] = [];
    const prefix = `${indent}  - `;
    while (this.i < src.length && src[this.i].startsWith(prefix)) {
      const item = src[this.i].slice(prefix.length);
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
      if (section) this.lines.set(entryKey(section, c.value), this.i + 1);
      out.push(c);
      this.i++;
    }
    return out;
  }

  private outputs(): BaselineOutput[] | undefined {
    const { src } = this;
    const outputs: BaselineOutput[] = [];
    if (src[this.i] === 'outputs: []') {
      this.i++;
      return outputs;
    }
    if (src[this.i] !== 'outputs:') return undefined;
    this.i++;
    while ((src[this.i] ?? '').startsWith('  - path: ')) {
      const line = this.i + 1;
      const path = json(src[this.i].slice('  - path: '.length));
      if (typeof path !== 'string') return undefined;
      this.i++;
      const seen = this.optionalSeen();
      const from = seen === undefined ? undefined : this.countedList('from', '    ', seen);
      if (seen === undefined || !from) return undefined;
      this.lines.set(entryKey('outputs', path), line);
      outputs.push({ path, seen, from });
    }
    return outputs;
  }

  private programs(): BaselineProgram[] | undefined {
    const { src } = this;
    const programs: BaselineProgram[] = [];
    if (src[this.i] === 'programs: []') {
      this.i++;
      return programs;
    }
    if (src[this.i] !== 'programs:') return undefined;
    this.i++;
    while ((src[this.i] ?? '').startsWith('  - exe: ')) {
      const line = this.i + 1;
      const exe = json(src[this.i].slice('  - exe: '.length));
      const argvLine = src[this.i + 1] ?? '';
      const argv = argvLine.startsWith('    argv: ') ? json(argvLine.slice('    argv: '.length)) : undefined;
      const count = /^ {4}count: (\d+)$/.exec(src[this.i + 2] ?? '');
      if (typeof exe !== 'string' || !Array.isArray(argv) || !argv.every((a) => typeof a === 'string') || !count || Number(count[1]) < 1) {
        return undefined;
      }
      this.i += 3;
      const seen = this.optionalSeen();
      if (seen === undefined) return undefined;
      this.lines.set(entryKey('programs', programKey({ exe, argv })), line);
      programs.push({ exe, argv: argv as string[], count: Number(count[1]), seen });
    }
    return programs;
  }
}
