/**
 * `.ioana.yml` (docs/architecture.md §2.3): which findings fail, what to ignore, collapse or
 * normalize, which sets of generated outputs to count rather than list, and
 * severities. Invalid configuration is an error naming the key and the line; nothing
 * runs with a configuration that was not understood.
 */
import { isMap, isScalar, isSeq, type Pair } from 'yaml';
import { matchesEverything } from '../vocabulary/glob.js';
import { IoanaError } from '../vocabulary/errors.js';
import { FINDING_KINDS, isFindingKind, isSeverity, type FindingKind, type Severity } from '../vocabulary/kinds.js';
import { firstError, parseLocated, type LocatedDocument } from './yaml-lines.js';

export interface NormalizeRule {
  /** A JavaScript regular expression (applied globally). */
  readonly pattern: string;
  /** The replacement; `$1` refers to a group. */
  readonly replace: string;
}

export interface SeverityRule {
  /** A finding kind (`new-program`) or a glob over the subject (`/usr/share/locale/**`). */
  readonly match: string;
  readonly severity: Severity;
}

/** A build cache named in `.ioana.yml`: everything under `path` is the one entity `{cache:NAME}`. */
export interface CacheRule {
  /** `bazel`: the entity `{cache:bazel}`. */
  readonly name: string;
  /** A directory, canonical (`{home}/.cache/bazel`) or absolute (`/var/cache/bazel`). */
  readonly path: string;
}

export interface Config {
  /**
   * Kinds that fail the check. Default: new-input, new-output, vanished-output, new-program, new-endpoint,
   * source-modified, credential-read, untraced-io, tampering, baseline-edited, config-weakened.
   */
  readonly failOn: readonly FindingKind[];
  /** Globs over canonical paths and addresses that are left out entirely. */
  readonly ignore: readonly string[];
  /** Globs whose `**` part folds into one entry (`{workspace}/node_modules/*\/**`: one per package). */
  readonly collapse: readonly string[];
  /**
   * `fold-outputs`: globs over canonical paths whose outputs are recorded as one entry
   * with their count (`{workspace}/out/gen/**` → one entry of 100 000 files), the way
   * `collapse` names it; a change of the set is one finding. Default: none. Only
   * outputs fold: an input under such a glob is still listed.
   */
  readonly foldOutputs: readonly string[];
  readonly normalize: readonly NormalizeRule[];
  readonly severity: readonly SeverityRule[];
  /** `caches`: directories the build keeps between runs that ioana does not know by itself. Default: none. */
  readonly caches?: readonly CacheRule[];
}

export const DEFAULT_FAIL_ON: readonly FindingKind[] = [
  'new-input',
  'new-output',
  'vanished-output',
  'new-program',
  'new-endpoint',
  'source-modified',
  'credential-read',
  'untraced-io',
  'tampering',
  'baseline-edited',
  'config-weakened',
];

/** The configuration file at the workspace root that is read when none is named. */
export const DEFAULT_CONFIG_FILE = '.ioana.yml';

export const DEFAULT_CONFIG: Config = { failOn: DEFAULT_FAIL_ON, ignore: [], collapse: [], foldOutputs: [], normalize: [], severity: [] };

const KEYS = ['fail-on', 'ignore', 'collapse', 'fold-outputs', 'normalize', 'severity', 'caches'] as const;

/** `.ioana.yml` could not be used; `line` is 1-based. */
export class ConfigError extends IoanaError {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    what: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${what}`, { hint: 'Fix the configuration; see the README section ".ioana.yml".' });
  }
}

/** Reject patterns that can take exponential time (`(a+)+`, `(a|a)*`): they would stall the check. */
export function backtracksBadly(pattern: string): boolean {
  return /\((?:[^()\\]|\\.)*[+*](?:[^()\\]|\\.)*\)[+*{]/.test(pattern) || /\(([^()|]+)\|\1\)[+*]/.test(pattern);
}

export function parseConfig(text: string, file: string): Config {
  const located = parseLocated(text);
  const err = firstError(located);
  if (err) throw new ConfigError(file, err.line, `not valid YAML: ${err.message}`);
  const root = located.doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return DEFAULT_CONFIG;
  if (!isMap(root)) throw new ConfigError(file, located.line(root), 'the file must be a mapping (keys such as fail-on, ignore, collapse).');
  const read = new Reader(located, file);
  let config: Config = DEFAULT_CONFIG;
  for (const pair of root.items as Pair[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    switch (key as (typeof KEYS)[number]) {
      case 'fail-on':
        config = { ...config, failOn: read.failOn(pair) };
        break;
      case 'ignore':
        config = { ...config, ignore: read.ignore(pair) };
        break;
      case 'collapse':
        config = { ...config, collapse: read.strings(pair, key) };
        break;
      case 'fold-outputs':
        config = {
          ...config,
          foldOutputs: read.everythingRefused(pair, key, 'it would count every output of the build instead of naming them'),
        };
        break;
      case 'normalize':
        config = { ...config, normalize: read.normalize(pair) };
        break;
      case 'severity':
        config = { ...config, severity: read.severity(pair) };
        break;
      case 'caches':
        config = { ...config, caches: read.caches(pair) };
        break;
      default:
        throw new ConfigError(file, located.line(pair.key), `unknown key "${key}" (known: ${KEYS.join(', ')}).`);
    }
  }
  return config;
}

/** Reads each key's value, with errors that name the file and the line. */
class Reader {
  constructor(
    private readonly located: LocatedDocument,
    private readonly file: string,
  ) {}

  private fail(node: unknown, what: string): never {
    throw new ConfigError(this.file, this.located.line(node), what);
  }

  /** The node of the i-th item of a list value (for an error's line). */
  private item(pair: Pair, i: number): unknown {
    return isSeq(pair.value) ? pair.value.items[i] : pair.value;
  }

  strings(pair: Pair, key: string): string[] {
    if (!isSeq(pair.value)) this.fail(pair.value ?? pair.key, `"${key}" must be a list of strings.`);
    return pair.value.items.map((item) => {
      if (!isScalar(item) || typeof item.value !== 'string') this.fail(item, `"${key}" must be a list of strings.`);
      return item.value;
    });
  }

  failOn(pair: Pair): readonly FindingKind[] {
    if (isScalar(pair.value) && pair.value.value === 'none') return [];
    const kinds = this.strings(pair, 'fail-on');
    kinds.forEach((k, i) => {
      if (!isFindingKind(k))
        this.fail(this.item(pair, i), `"fail-on" has an unknown finding kind "${k}" (known: ${FINDING_KINDS.join(', ')}, or none).`);
    });
    return kinds as FindingKind[];
  }

  ignore(pair: Pair): string[] {
    return this.everythingRefused(pair, 'ignore', 'it would hide the whole build');
  }

  /** Globs, none of which may match every path (`**`): `why` says what it would do. */
  everythingRefused(pair: Pair, key: string, why: string): string[] {
    const globs = this.strings(pair, key);
    globs.forEach((g, i) => {
      if (matchesEverything(g)) this.fail(this.item(pair, i), `"${key}" glob ${JSON.stringify(g)} matches every path: ${why}.`);
    });
    return globs;
  }

  normalize(pair: Pair): NormalizeRule[] {
    if (!isSeq(pair.value)) this.fail(pair.value ?? pair.key, '"normalize" must be a list of { pattern, replace }.');
    return pair.value.items.map((item) => {
      if (!isMap(item)) this.fail(item, '"normalize" entries must be { pattern, replace }.');
      const pattern = item.get('pattern');
      const replace = item.get('replace');
      if (typeof pattern !== 'string' || typeof replace !== 'string')
        this.fail(item, '"normalize" entries need a string "pattern" and a string "replace".');
      for (const p of item.items as Pair[]) {
        const k = isScalar(p.key) ? String(p.key.value) : '';
        if (k !== 'pattern' && k !== 'replace') this.fail(p.key, `"normalize" entries take only pattern and replace, not "${k}".`);
      }
      try {
        new RegExp(pattern, 'g');
      } catch (e) {
        this.fail(item, `"normalize" pattern ${JSON.stringify(pattern)} is not a valid regular expression: ${(e as Error).message}.`);
      }
      if (backtracksBadly(pattern)) {
        this.fail(
          item,
          `"normalize" pattern ${JSON.stringify(pattern)} has nested repetition that can take exponential time; rewrite it without (x+)+ or (a|a)*.`,
        );
      }
      return { pattern, replace };
    });
  }

  caches(pair: Pair): CacheRule[] {
    if (!isMap(pair.value))
      this.fail(pair.value ?? pair.key, '"caches" must map a name to a directory ({home}/.cache/bazel, /var/cache/x).');
    return (pair.value.items as Pair[]).map((p) => {
      const name = isScalar(p.key) ? String(p.key.value) : '';
      const path = isScalar(p.value) && typeof p.value.value === 'string' ? p.value.value.replace(/\/+$/, '') : '';
      if (!/^[A-Za-z0-9_.-]+$/.test(name))
        this.fail(p.key, `"caches" names are letters, digits, ".", "_" and "-", not ${JSON.stringify(name)}.`);
      if (!/^(?:\/|\{[a-z]+\}\/)./.test(path))
        this.fail(
          p.value ?? p.key,
          `the cache "${name}" must be a directory below a root (/var/cache/x, {home}/.cache/x), not ${JSON.stringify(path || String((p.value as { value?: unknown })?.value ?? ''))}: a root itself would hide the whole build.`,
        );
      return { name, path };
    });
  }

  severity(pair: Pair): SeverityRule[] {
    if (!isMap(pair.value)) this.fail(pair.value ?? pair.key, '"severity" must map a finding kind or a glob to error, warning or notice.');
    return (pair.value.items as Pair[]).map((p) => {
      const match = isScalar(p.key) ? String(p.key.value) : '';
      const value = isScalar(p.value) ? String(p.value.value) : '';
      if (!isSeverity(value)) this.fail(p.value ?? p.key, `"severity" of "${match}" must be error, warning or notice, not "${value}".`);
      return { match, severity: value };
    });
  }
}
