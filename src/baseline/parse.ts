/**
 * YAML text → Baseline, checked against the schema. Every problem is a BaselineError
 * with the file and line, and says what to do; the file itself is never touched here.
 */
import { isMap, isScalar, isSeq, type Pair, type YAMLMap } from 'yaml';
import { parseLocated, firstError, type LocatedDocument } from '../config/index.js';
import { IoanaError } from '../vocabulary/errors.js';
import { fastParseBaseline } from './fast.js';
import {
  BASELINE_VERSION,
  entryKey,
  type Baseline,
  type BaselineLines,
  type BaselineOutput,
  type BaselineProgram,
  type Counted,
} from './types.js';
import { programKey } from '../vocabulary/index.js';

export class BaselineError extends IoanaError {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    what: string,
    hint = 'Fix the file, or restore it from version control (`git checkout -- FILE`); ioana never overwrites a baseline it cannot read.',
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${what}`, { hint });
  }
}

const TOP_KEYS = ['version', 'runs', 'inputs', 'outputs', 'programs', 'endpoints', 'modified', 'caches', 'toolchains'];

export interface ParsedBaseline {
  readonly baseline: Baseline;
  readonly lines: BaselineLines;
}

export function parseBaseline(text: string, file: string): ParsedBaseline {
  // The layout ioana writes is read line by line; anything else by the YAML parser.
  const fast = fastParseBaseline(text);
  if (fast) return fast;
  const located = parseLocated(text);
  const err = firstError(located);
  if (err) throw new BaselineError(file, err.line, `not valid YAML: ${err.message}`);
  const root = located.doc.contents;
  if (!isMap(root))
    throw new BaselineError(
      file,
      located.line(root) ?? 1,
      'a baseline is a mapping with version, runs, inputs, outputs, programs and endpoints.',
    );
  return new Reader(located, file).read(root);
}

class Reader {
  private readonly lines = new Map<string, number>();
  constructor(
    private readonly located: LocatedDocument,
    private readonly file: string,
  ) {}

  private fail(node: unknown, what: string): never {
    throw new BaselineError(this.file, this.located.line(node), what);
  }

  private pairs(map: YAMLMap, where: string, allowed: readonly string[]): Map<string, Pair> {
    const out = new Map<string, Pair>();
    for (const pair of map.items as Pair[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!allowed.includes(key)) this.fail(pair.key, `unknown key "${key}" in ${where} (known: ${allowed.join(', ')}).`);
      out.set(key, pair);
    }
    return out;
  }

  private int(pair: Pair | undefined, name: string, min: number, node: unknown): number {
    if (!pair) this.fail(node, `"${name}" is missing.`);
    const v = isScalar(pair.value) ? pair.value.value : undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
      this.fail(pair.value ?? pair.key, `"${name}" must be a whole number of at least ${min}.`);
    return v;
  }

  private str(node: unknown, what: string): string {
    if (!isScalar(node) || typeof node.value !== 'string') this.fail(node, `${what} must be a string.`);
    return node.value;
  }

  private counted(
    pair: Pair | undefined,
    section: 'inputs' | 'endpoints' | 'modified' | 'caches' | null,
    runs: number,
    name: string,
  ): Counted[] {
    if (!pair) return [];
    if (!isSeq(pair.value)) this.fail(pair.value ?? pair.key, `"${name}" must be a list.`);
    return pair.value.items.map((item) => {
      let c: Counted;
      if (isMap(item)) {
        const p = this.pairs(item, `an entry of "${name}"`, section === 'inputs' ? ['path', 'seen', 'miss'] : ['path', 'seen']);
        const seen = p.has('seen') ? this.int(p.get('seen'), 'seen', 1, item) : runs;
        if (!p.has('seen') && !p.has('miss')) this.fail(item, `an entry of "${name}" written as a mapping needs "seen" (or "miss").`);
        if (seen > runs) this.fail(p.get('seen')?.value, `"seen: ${seen}" is more than the ${runs} runs this covers.`);
        const miss = p.has('miss') ? this.str(p.get('miss')?.value, '"miss"') : undefined;
        c = { value: this.str(p.get('path')?.value, `an entry of "${name}"`), seen, ...(miss !== undefined ? { miss } : {}) };
      } else {
        c = { value: this.str(item, `an entry of "${name}"`), seen: runs };
      }
      if (section) this.lines.set(entryKey(section, c.value), this.located.line(item) ?? 0);
      return c;
    });
  }

  read(root: YAMLMap): ParsedBaseline {
    const top = this.pairs(root, 'the baseline', TOP_KEYS);
    const versionPair = top.get('version');
    const version = versionPair && isScalar(versionPair.value) ? versionPair.value.value : undefined;
    if (version !== BASELINE_VERSION) {
      throw new BaselineError(
        this.file,
        this.located.line(versionPair?.value ?? root),
        versionPair
          ? `unknown baseline version ${JSON.stringify(version)}; this ioana reads version ${BASELINE_VERSION}.`
          : `"version" is missing; this ioana reads version ${BASELINE_VERSION}.`,
        'Use the ioana release that wrote this baseline, or record a new one with `ioana update`.',
      );
    }
    const runs = this.int(top.get('runs'), 'runs', 1, root);
    const inputs = this.counted(top.get('inputs'), 'inputs', runs, 'inputs');
    const endpoints = this.counted(top.get('endpoints'), 'endpoints', runs, 'endpoints');
    const modified = this.counted(top.get('modified'), 'modified', runs, 'modified');

    const outputs: BaselineOutput[] = [];
    const outPair = top.get('outputs');
    if (outPair) {
      if (!isSeq(outPair.value)) this.fail(outPair.value ?? outPair.key, '"outputs" must be a list.');
      for (const item of outPair.value.items) {
        if (!isMap(item)) this.fail(item, 'an entry of "outputs" must be { path, from }.');
        const p = this.pairs(item, 'an entry of "outputs"', ['path', 'files', 'seen', 'from']);
        const path = this.str(p.get('path')?.value, '"path" of an output');
        // A folded set of outputs (`fold-outputs`): how many files it holds.
        const files = p.has('files') ? this.int(p.get('files'), 'files', 1, item) : undefined;
        const seen = p.has('seen') ? this.int(p.get('seen'), 'seen', 1, item) : runs;
        const from = this.counted(p.get('from'), null, seen, 'from');
        outputs.push(files === undefined ? { path, seen, from } : { path, files, seen, from });
        this.lines.set(entryKey('outputs', path), this.located.line(item) ?? 0);
      }
    }

    const programs: BaselineProgram[] = [];
    const progPair = top.get('programs');
    if (progPair) {
      if (!isSeq(progPair.value)) this.fail(progPair.value ?? progPair.key, '"programs" must be a list.');
      for (const item of progPair.value.items) {
        if (!isMap(item)) this.fail(item, 'an entry of "programs" must be { exe, argv, count }.');
        const p = this.pairs(item, 'an entry of "programs"', ['exe', 'argv', 'count', 'seen', 'miss']);
        const exe = this.str(p.get('exe')?.value, '"exe" of a program');
        const argvNode = p.get('argv')?.value;
        if (!isSeq(argvNode)) this.fail(argvNode ?? item, '"argv" of a program must be a list of strings.');
        const argv = argvNode.items.map((a) => this.str(a, 'an argument in "argv"'));
        const count = this.int(p.get('count'), 'count', 1, item);
        const seen = p.has('seen') ? this.int(p.get('seen'), 'seen', 1, item) : runs;
        const miss = p.has('miss') ? this.str(p.get('miss')?.value, '"miss" of a program') : undefined;
        programs.push({ exe, argv, count, seen, ...(miss !== undefined ? { miss } : {}) });
        this.lines.set(entryKey('programs', programKey({ exe, argv })), this.located.line(item) ?? 0);
      }
    }
    const caches = this.counted(top.get('caches'), 'caches', runs, 'caches');
    const toolchains = this.toolchains(top.get('toolchains'));
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
        ...(toolchains ? { toolchains } : {}),
      },
      lines: this.lines,
    };
  }

  /** `toolchains: { gcc: "12" }`: tool → version, both strings. */
  private toolchains(pair: Pair | undefined): Record<string, string> | undefined {
    if (!pair) return undefined;
    if (!isMap(pair.value)) this.fail(pair.value ?? pair.key, '"toolchains" must be a mapping of tool → version (gcc: "12").');
    const out: Record<string, string> = {};
    for (const p of pair.value.items as Pair[]) {
      const tool = this.str(p.key, 'a tool in "toolchains"');
      out[tool] =
        isScalar(p.value) && typeof p.value.value === 'number' ? String(p.value.value) : this.str(p.value, `the version of ${tool}`);
      this.lines.set(entryKey('toolchains', tool), this.located.line(p.key) ?? 0);
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
}
