/**
 * A reader for the exact layout `renderBaseline` writes: one line at a time, strings
 * through JSON.parse. A general YAML parser spends most of a check's time on a large
 * baseline; this one only recognizes our own layout and gives up (undefined) on
 * anything else, so that a hand-edited file still goes through the full parser, with
 * its line-numbered errors.
 *
 * Large baselines repeat themselves: a generator's 100 000 outputs each list the same
 * inputs. Lines are cut from the text one at a time (never all at once), each distinct
 * `from:` list is parsed once and shared by every output that has it, so memory grows
 * with what the file says, not with how often it says it.
 */
import { BASELINE_VERSION, entryKey, type Baseline, type BaselineOutput, type BaselineProgram, type Counted } from './types.js';
import { programKey } from '../vocabulary/index.js';

const STRING = /^"(?:[^"\\]|\\.)*"$/;
const QUOTED = String.raw`"(?:[^"\\]|\\.)*"`;
/** `{ path: "x", seen: 2 }`, `{ path: "x", miss: "ccache" }`, `{ path: "x", seen: 2, miss: "ccache" }`. */
const COUNTED = new RegExp(String.raw`^\{ path: (${QUOTED})(?:, seen: (\d+))?(?:, miss: (${QUOTED}))? \}$`);
/** `  "gcc": "12"`: a toolchain's version. */
const TOOLCHAIN = new RegExp(String.raw`^  (${QUOTED}): (${QUOTED})$`);
/** The prefix of an item of an output's `from:` list. */
const FROM_ITEM = '      - ';

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function fastParseBaseline(text: string): { baseline: Baseline; lines: Map<string, number> } | undefined {
  // A file in a formatter's style (single quotes, flow lines broken at its width) is read in ioana's own layout.
  if (!FORMATTED.test(text)) return new LayoutReader(text).read();
  const own = ownLayout(text);
  return own && new LayoutReader(own.text, own.lineOf).read();
}

/**
 * A formatter's touch: a string in single quotes (a formatter's style, or the quotes a
 * value with `"` takes in any style), or a flow mapping or sequence broken over lines.
 */
const FORMATTED = /'|^\s*(?:- )?\{$|\[$/m;

/**
 * A quoted YAML scalar at `at` in `line` (`"…"` with JSON's escapes, `'…'` with `''`):
 * its value and where it ends; undefined when it does not close on the line.
 */
function quotedAt(line: string, at: number): { value: string; end: number } | undefined {
  if (line[at] === '"') {
    for (let i = at + 1; i < line.length; i++) {
      if (line[i] === '\\') i++;
      else if (line[i] === '"') {
        const value = json(line.slice(at, i + 1));
        return typeof value === 'string' ? { value, end: i + 1 } : undefined;
      }
    }
    return undefined;
  }
  let value = '';
  for (let i = at + 1; i < line.length; i++) {
    if (line[i] !== "'") value += line[i];
    else if (line[i + 1] !== "'") return { value, end: i + 1 };
    else {
      value += "'";
      i++;
    }
  }
  return undefined;
}

/** A line with every quoted scalar in JSON's double quotes (what `LayoutReader` reads); undefined when a quote does not close. */
function doubleQuoted(line: string): string | undefined {
  if (!line.includes("'")) return line;
  let out = '';
  let from = 0;
  for (let i = 0; i < line.length; i++) {
    if (line[i] !== "'" && line[i] !== '"') continue;
    const q = quotedAt(line, i);
    if (!q) return undefined;
    out += line.slice(from, i) + JSON.stringify(q.value);
    from = q.end;
    i = q.end - 1;
  }
  return out + line.slice(from);
}

/**
 * A baseline in a formatter's style → the same entries in ioana's own layout (flow lines
 * joined, JSON's quotes), with each line's number in the original file (1-based); undefined
 * on anything unexpected. Only for files a formatter touched: the others are read as they are.
 */
function ownLayout(text: string): { text: string; lineOf: number[] } | undefined {
  const src = text.split('\n');
  const out: string[] = [];
  const lineOf: number[] = [];
  for (let i = 0; i < src.length; i++) {
    const start = i;
    let line = src[i];
    if (line.startsWith('#')) {
      out.push(line);
      lineOf.push(start + 1);
      continue;
    }
    // `  - {` … `  }` and `    argv:` `      [` … `      ]`: prettier's broken flow lines, one item a line.
    const opens = /^(\s*)(- )?\{$/.exec(line) ?? (/^\s*argv:$/.test(line) && /^\s*\[$/.test(src[i + 1] ?? '') ? [] : null);
    if (opens) {
      const isMap = line.endsWith('{');
      const head = isMap ? line.slice(0, -1) : line + ' ';
      if (!isMap) i++;
      const items: string[] = [];
      for (i++; i < src.length && !/^\s*[}\]]$/.test(src[i]); i++) items.push(src[i].trim().replace(/,$/, ''));
      if (i >= src.length) return undefined;
      line = isMap ? `${head}{ ${items.join(', ')} }` : `${head}[${items.join(', ')}]`;
    }
    const quoted = doubleQuoted(line);
    if (quoted === undefined) return undefined;
    out.push(quoted);
    lineOf.push(start + 1);
  }
  return { text: out.join('\n'), lineOf };
}

/** `  - "x"` or `  - { path: "x", seen: 2 }` (the part after the dash) for a list that `of` runs saw → the entry, or undefined. */
function countedItem(item: string, of: number): Counted | undefined {
  if (STRING.test(item)) {
    const value = json(item);
    return typeof value === 'string' ? { value, seen: of } : undefined;
  }
  const m = COUNTED.exec(item);
  const value = m ? json(m[1]) : undefined;
  if (!m || typeof value !== 'string' || (m[2] === undefined && m[3] === undefined)) return undefined;
  const seen = m[2] === undefined ? of : Number(m[2]);
  if (seen < 1 || seen > of) return undefined;
  if (m[3] === undefined) return { value, seen };
  const miss = json(m[3]);
  return typeof miss === 'string' ? { value, seen, miss } : undefined;
}

/** A trie of `from:` lists by their lines: the same lines give the same list (one object). */
interface ListNode {
  readonly next: Map<string, ListNode>;
  /** The entry of the line that led here, and the node it came from. */
  readonly item?: Counted;
  readonly parent?: ListNode;
  /** The list that ends here, once one did. */
  list?: readonly Counted[];
}

/** The entries on the way from the root to `node`. */
function listTo(node: ListNode): Counted[] {
  const out: Counted[] = [];
  for (let n: ListNode | undefined = node; n?.item !== undefined; n = n.parent) out.push(n.item);
  return out.reverse();
}

/** A cursor over the lines of a baseline in ioana's layout; every reader returns undefined on anything else. */
class LayoutReader {
  readonly lines = new Map<string, number>();
  /** The current line's number (0-based) and where it starts in the text. */
  private i = 0;
  private at = 0;
  /** The current line, cut once. */
  private current: string | undefined;
  private runs = 0;
  /** `from:` lists by the `seen` of their output (which bounds their entries'). */
  private readonly lists = new Map<number, ListNode>();

  /** @param lineOf each line's number in the file it came from, when `text` was rewritten from another layout (`ownLayout`). */
  constructor(
    private readonly text: string,
    private readonly lineOf?: readonly number[],
  ) {}

  /** The current line's 1-based number in the file. */
  private lineNo(): number {
    return this.lineOf ? this.lineOf[this.i] : this.i + 1;
  }

  /** The current line; undefined past the end. A text that ends with a newline has an empty last line, as `split` gives. */
  private get line(): string | undefined {
    if (this.current !== undefined || this.at > this.text.length) return this.current;
    const end = this.text.indexOf('\n', this.at);
    this.current = this.text.slice(this.at, end < 0 ? this.text.length : end);
    return this.current;
  }

  /** The line `k` after the current one, without moving. */
  private ahead(k: number): string | undefined {
    let at = this.at;
    for (let n = 0; n < k; n++) {
      const end = this.text.indexOf('\n', at);
      if (end < 0) return undefined;
      at = end + 1;
    }
    const end = this.text.indexOf('\n', at);
    return this.text.slice(at, end < 0 ? this.text.length : end);
  }

  private advance(): void {
    const end = this.text.indexOf('\n', this.at);
    this.at = end < 0 ? this.text.length + 1 : end + 1;
    this.current = undefined;
    this.i++;
  }

  read(): { baseline: Baseline; lines: Map<string, number> } | undefined {
    while (this.line?.startsWith('#')) this.advance();
    const version = this.header('version');
    const runs = this.header('runs');
    if (version !== BASELINE_VERSION || runs === undefined || runs < 1) return undefined;
    this.runs = runs;
    const inputs = this.countedList('inputs', '', runs, 'inputs');
    const outputs = inputs && this.outputs();
    const programs = outputs && this.programs();
    const endpoints = programs && this.countedList('endpoints', '', runs, 'endpoints');
    const modified = endpoints && (this.line?.startsWith('modified:') ? this.countedList('modified', '', runs, 'modified') : []);
    const caches = modified && (this.line?.startsWith('caches:') ? this.countedList('caches', '', runs, 'caches') : []);
    const toolchains = caches && (this.line === 'toolchains:' ? this.toolchains() : {});
    if (!inputs || !outputs || !programs || !endpoints || !modified || !caches || !toolchains) return undefined;
    // Miss marks are for inputs only.
    if ([...endpoints, ...modified, ...caches].some((c) => c.miss !== undefined)) return undefined;
    // Only an empty last line may follow.
    if (this.line === '') this.advance();
    if (this.line !== undefined) return undefined;
    return {
      baseline: {
        version: BASELINE_VERSION,
        runs,
        inputs,
        outputs,
        programs,
        endpoints,
        modified,
        ...(caches.length > 0 ? { caches } : {}),
        ...(Object.keys(toolchains).length > 0 ? { toolchains } : {}),
      },
      lines: this.lines,
    };
  }

  /** `toolchains:` and its `  "tool": "version"` lines. */
  private toolchains(): Record<string, string> | undefined {
    this.advance();
    const out: Record<string, string> = {};
    for (let line = this.line; line?.startsWith('  '); line = this.line) {
      const m = TOOLCHAIN.exec(line);
      const tool = m ? json(m[1]) : undefined;
      const version = m ? json(m[2]) : undefined;
      if (typeof tool !== 'string' || typeof version !== 'string') return undefined;
      this.lines.set(entryKey('toolchains', tool), this.lineNo());
      out[tool] = version;
      this.advance();
    }
    return out;
  }

  /** `key: N` → N. */
  private header(key: string): number | undefined {
    const m = new RegExp(`^${key}: (\\d+)$`).exec(this.line ?? '');
    if (!m) return undefined;
    this.advance();
    return Number(m[1]);
  }

  /** An optional `    name: k` line (k from 1 to `max`): k, `absent` when there is none, undefined when invalid. */
  private optionalNumber(name: string, absent: number | undefined, max: number): number | undefined | null {
    const m = new RegExp(`^ {4}${name}: (\\d+)$`).exec(this.line ?? '');
    if (!m) return absent;
    this.advance();
    const n = Number(m[1]);
    return n >= 1 && n <= max ? n : null;
  }

  /** `  - "x"` or `  - { path: "x", seen: 2 }` at `indent`, for a list that `of` runs saw. */
  private countedList(
    name: string,
    indent: string,
    of: number,
    section: 'inputs' | 'endpoints' | 'modified' | 'caches',
  ): Counted[] | undefined {
    if (this.line === `${indent}${name}: []`) {
      this.advance();
      return [];
    }
    if (this.line !== `${indent}${name}:`) return undefined;
    this.advance();
    const out: Counted[] = [];
    const prefix = `${indent}  - `;
    for (let line = this.line; line?.startsWith(prefix); line = this.line) {
      const c = countedItem(line.slice(prefix.length), of);
      if (!c) return undefined;
      this.lines.set(entryKey(section, c.value), this.lineNo());
      out.push(c);
      this.advance();
    }
    return out;
  }

  /** An output's `from:` list (its entries seen in at most `of` runs), shared with every earlier output that had the same lines. */
  private fromList(of: number): readonly Counted[] | undefined {
    if (this.line === '    from: []') {
      this.advance();
      return [];
    }
    if (this.line !== '    from:') return undefined;
    this.advance();
    let node = this.lists.get(of) ?? this.lists.set(of, { next: new Map() }).get(of)!;
    for (let line = this.line; line?.startsWith(FROM_ITEM); line = this.line) {
      let next = node.next.get(line);
      if (!next) {
        const item = countedItem(line.slice(FROM_ITEM.length), of);
        if (!item || item.miss !== undefined) return undefined;
        node.next.set(line, (next = { next: new Map(), item, parent: node }));
      }
      node = next;
      this.advance();
    }
    return (node.list ??= listTo(node));
  }

  private outputs(): BaselineOutput[] | undefined {
    const outputs: BaselineOutput[] = [];
    if (this.line === 'outputs: []') {
      this.advance();
      return outputs;
    }
    if (this.line !== 'outputs:') return undefined;
    this.advance();
    for (let line = this.line; line?.startsWith('  - path: '); line = this.line) {
      const at = this.lineNo();
      const path = json(line.slice('  - path: '.length));
      if (typeof path !== 'string') return undefined;
      this.advance();
      const files = this.optionalNumber('files', undefined, Number.MAX_SAFE_INTEGER);
      if (files === null) return undefined;
      const seen = this.optionalNumber('seen', this.runs, this.runs);
      const from = typeof seen === 'number' ? this.fromList(seen) : undefined;
      if (typeof seen !== 'number' || !from) return undefined;
      this.lines.set(entryKey('outputs', path), at);
      outputs.push(files === undefined ? { path, seen, from } : { path, files, seen, from });
    }
    return outputs;
  }

  private programs(): BaselineProgram[] | undefined {
    const programs: BaselineProgram[] = [];
    if (this.line === 'programs: []') {
      this.advance();
      return programs;
    }
    if (this.line !== 'programs:') return undefined;
    this.advance();
    for (let line = this.line; line?.startsWith('  - exe: '); line = this.line) {
      const at = this.lineNo();
      const exe = json(line.slice('  - exe: '.length));
      const argvLine = this.ahead(1) ?? '';
      const argv = argvLine.startsWith('    argv: ') ? json(argvLine.slice('    argv: '.length)) : undefined;
      const count = /^ {4}count: (\d+)$/.exec(this.ahead(2) ?? '');
      if (typeof exe !== 'string' || !Array.isArray(argv) || !argv.every((a) => typeof a === 'string') || !count || Number(count[1]) < 1) {
        return undefined;
      }
      this.advance();
      this.advance();
      this.advance();
      const seen = this.optionalNumber('seen', this.runs, this.runs);
      if (typeof seen !== 'number') return undefined;
      let miss: unknown;
      if (this.line?.startsWith('    miss: ')) {
        miss = json(this.line.slice('    miss: '.length));
        if (typeof miss !== 'string') return undefined;
        this.advance();
      }
      this.lines.set(entryKey('programs', programKey({ exe, argv })), at);
      const program = { exe, argv: argv as string[], count: Number(count[1]), seen };
      programs.push(typeof miss === 'string' ? { ...program, miss } : program);
    }
    return programs;
  }
}
