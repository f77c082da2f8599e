/**
 * `.ioana.yml` (DESIGN §2.3): which findings fail, what to ignore, collapse or
 * normalize, and severities. Invalid configuration is an error naming the key and
 * the line; nothing runs with a configuration that was not understood.
 */
import { isMap, isScalar, isSeq, type Pair } from 'yaml';
import { matchesEverything } from '../vocabulary/glob.js';
import { IoanaError } from '../vocabulary/errors.js';
import { FINDING_KINDS, isFindingKind, isSeverity, type FindingKind, type Severity } from '../vocabulary/kinds.js';
import { firstError, parseLocated } from './yaml-lines.js';

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

export interface Config {
  /** Kinds that fail the check. Default: new-input, new-output, vanished-output, new-program, new-endpoint, source-modified. */
  readonly failOn: readonly FindingKind[];
  /** Globs over canonical paths and addresses that are left out entirely. */
  readonly ignore: readonly string[];
  /** Globs whose `**` part folds into one entry (`{workspace}/node_modules/*\/**`: one per package). */
  readonly collapse: readonly string[];
  readonly normalize: readonly NormalizeRule[];
  readonly severity: readonly SeverityRule[];
}

export const DEFAULT_FAIL_ON: readonly FindingKind[] = [
  'new-input',
  'new-output',
  'vanished-output',
  'new-program',
  'new-endpoint',
  'source-modified',
];

/** The configuration file at the workspace root that is read when none is named. */
export const DEFAULT_CONFIG_FILE = '.ioana.yml';

export const DEFAULT_CONFIG: Config = { failOn: DEFAULT_FAIL_ON, ignore: [], collapse: [], normalize: [], severity: [] };

const KEYS = ['fail-on', 'ignore', 'collapse', 'normalize', 'severity'] as const;

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
  const where = (node: unknown) => located.line(node);
  const strings = (pair: Pair, key: string): string[] => {
    if (!isSeq(pair.value)) throw new ConfigError(file, where(pair.value ?? pair.key), `"${key}" must be a list of strings.`);
    return pair.value.items.map((item) => {
      if (!isScalar(item) || typeof item.value !== 'string')
        throw new ConfigError(file, where(item), `"${key}" must be a list of strings.`);
      return item.value;
    });
  };

  let failOn: readonly FindingKind[] = DEFAULT_FAIL_ON;
  let ignore: string[] = [];
  let collapse: string[] = [];
  const normalize: NormalizeRule[] = [];
  const severity: SeverityRule[] = [];
  for (const pair of root.items as Pair[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    switch (key as (typeof KEYS)[number]) {
      case 'fail-on': {
        if (isScalar(pair.value) && pair.value.value === 'none') {
          failOn = [];
          break;
        }
        const kinds = strings(pair, key);
        kinds.forEach((k, i) => {
          if (!isFindingKind(k)) {
            const node = isSeq(pair.value) ? pair.value.items[i] : pair.value;
            throw new ConfigError(
              file,
              where(node),
              `"fail-on" has an unknown finding kind "${k}" (known: ${FINDING_KINDS.join(', ')}, or none).`,
            );
          }
        });
        failOn = kinds as FindingKind[];
        break;
      }
      case 'ignore':
        ignore = strings(pair, key);
        ignore.forEach((g, i) => {
          if (matchesEverything(g)) {
            const node = isSeq(pair.value) ? pair.value.items[i] : pair.value;
            throw new ConfigError(
              file,
              where(node),
              `"ignore" glob ${JSON.stringify(g)} matches every path: it would hide the whole build.`,
            );
          }
        });
        break;
      case 'collapse':
        collapse = strings(pair, key);
        break;
      case 'normalize': {
        if (!isSeq(pair.value))
          throw new ConfigError(file, where(pair.value ?? pair.key), '"normalize" must be a list of { pattern, replace }.');
        for (const item of pair.value.items) {
          const line = where(item);
          if (!isMap(item)) throw new ConfigError(file, line, '"normalize" entries must be { pattern, replace }.');
          const pattern = item.get('pattern');
          const replace = item.get('replace');
          if (typeof pattern !== 'string' || typeof replace !== 'string') {
            throw new ConfigError(file, line, '"normalize" entries need a string "pattern" and a string "replace".');
          }
          for (const p of item.items as Pair[]) {
            const k = isScalar(p.key) ? String(p.key.value) : '';
            if (k !== 'pattern' && k !== 'replace')
              throw new ConfigError(file, where(p.key), `"normalize" entries take only pattern and replace, not "${k}".`);
          }
          try {
            new RegExp(pattern, 'g');
          } catch (e) {
            throw new ConfigError(
              file,
              line,
              `"normalize" pattern ${JSON.stringify(pattern)} is not a valid regular expression: ${(e as Error).message}.`,
            );
          }
          if (backtracksBadly(pattern)) {
            throw new ConfigError(
              file,
              line,
              `"normalize" pattern ${JSON.stringify(pattern)} has nested repetition that can take exponential time; rewrite it without (x+)+ or (a|a)*.`,
            );
          }
          normalize.push({ pattern, replace });
        }
        break;
      }
      case 'severity': {
        if (!isMap(pair.value))
          throw new ConfigError(
            file,
            where(pair.value ?? pair.key),
            '"severity" must map a finding kind or a glob to error, warning or notice.',
          );
        for (const p of pair.value.items as Pair[]) {
          const match = isScalar(p.key) ? String(p.key.value) : '';
          const value = isScalar(p.value) ? String(p.value.value) : '';
          if (!isSeverity(value))
            throw new ConfigError(
              file,
              where(p.value ?? p.key),
              `"severity" of "${match}" must be error, warning or notice, not "${value}".`,
            );
          severity.push({ match, severity: value });
        }
        break;
      }
      default:
        throw new ConfigError(file, where(pair.key), `unknown key "${key}" (known: ${KEYS.join(', ')}).`);
    }
  }
  return { failOn, ignore, collapse, normalize, severity };
}
