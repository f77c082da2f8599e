/**
 * How a baseline file is laid out, so that `ioana update` writes it the same way (the
 * edge: it reads the file and the project's formatter settings). Many repositories run
 * prettier over every YAML file: it keeps a baseline in single quotes (`singleQuote`)
 * and breaks flow lines longer than its `printWidth`. A baseline written in that style
 * stays formatter-clean, and an update's diff is only what changed.
 *
 * The quotes are the existing file's (its first quoted entry), else the formatter's;
 * the width is the formatter's `printWidth` where a prettier configuration is found
 * between the baseline and the repository's root, else 80 when the existing file already
 * has a broken flow line, else none.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_STYLE, type BaselineStyle } from '../baseline/index.js';

interface PrettierSettings {
  readonly printWidth?: number;
  readonly singleQuote?: boolean;
  readonly trailingComma?: string;
}

const CONFIG_FILES = ['.prettierrc', '.prettierrc.json', '.prettierrc.yaml', '.prettierrc.yml'];

/** The prettier settings that apply to `dir` (a .prettierrc or package.json's `prettier`), up to the repository's root. */
export function prettierSettings(dir: string): PrettierSettings | undefined {
  for (let at = dir; ; at = dirname(at)) {
    for (const name of CONFIG_FILES) {
      const file = join(at, name);
      if (!existsSync(file)) continue;
      try {
        const settings: unknown = parse(readFileSync(file, 'utf8'));
        return typeof settings === 'object' && settings !== null ? (settings as PrettierSettings) : {};
      } catch {
        return undefined;
      }
    }
    const pkg = join(at, 'package.json');
    if (existsSync(pkg)) {
      try {
        const settings: unknown = (JSON.parse(readFileSync(pkg, 'utf8')) as { prettier?: unknown }).prettier;
        if (typeof settings === 'object' && settings !== null) return settings as PrettierSettings;
      } catch {
        // Not ours to judge: no settings from it.
      }
    }
    if (existsSync(join(at, '.git')) || dirname(at) === at) return undefined;
  }
}

/** The style to write the baseline at `path` in, given what the file holds now (if anything). */
export function baselineStyle(path: string, existing: string | undefined): BaselineStyle {
  const prettier = prettierSettings(dirname(path));
  const quoted = existing === undefined ? undefined : /^\s*- (?:\{ path: |exe: )?(['"])/m.exec(existing)?.[1];
  const quote = quoted === "'" || (quoted === undefined && prettier?.singleQuote === true) ? 'single' : 'double';
  const broken = existing !== undefined && /^\s+(?:- \{|\[)$/m.test(existing);
  const width = prettier ? (prettier.printWidth ?? 80) : broken ? 80 : undefined;
  if (quote === DEFAULT_STYLE.quote && width === undefined) return DEFAULT_STYLE;
  return { quote, ...(width !== undefined ? { width, trailingComma: prettier?.trailingComma !== 'none' } : {}) };
}
