/**
 * Reading `ioana COMMAND [options] [-- COMMAND...]` (the CLI's edge): node's
 * `util.parseArgs` splits the words into tokens; this checks them against the
 * command's options, with messages that name the culprit and suggest the closest
 * known name. The result is then turned into typed options once (`options.ts`).
 */
import { parseArgs as tokenize } from 'node:util';
import { UsageError } from '../vocabulary/errors.js';

/** One option a command accepts: `--trace LOG` takes a value, `--verbose` does not. */
export interface OptionSpec {
  readonly takesValue: boolean;
  /** May be given more than once (values collect in order). */
  readonly repeatable?: boolean;
  readonly help: string;
  /** Shown in help: `LOG`. */
  readonly valueName?: string;
}

export interface CommandSpec {
  readonly summary: string;
  readonly usage: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Whether `-- COMMAND...` is accepted. */
  readonly takesCommand: boolean;
  /** How many plain arguments (`ioana diff OLD NEW`: 2). */
  readonly positionals?: { readonly min: number; readonly max: number; readonly names: string };
}

export interface ParsedArgs {
  readonly command: string;
  readonly values: ReadonlyMap<string, readonly string[]>;
  readonly flags: ReadonlySet<string>;
  readonly positionals: readonly string[];
  /** What followed `--`. */
  readonly run: readonly string[];
}

/**
 * Edit distance counting a swap of two neighbours as one edit, as typos go:
 * `('chek', 'check')` → 1, `('grpah', 'graph')` → 1.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** `('chek', ['check', 'update'])` → `check`: the closest candidate within a typo's reach, if any. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const reach = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = c.startsWith(word) && word.length >= 3 ? 1 : editDistance(word, c);
    if (d <= reach && (!best || d < best.d)) best = { c, d };
  }
  return best?.c;
}

const suggestion = (word: string, candidates: readonly string[], form: (c: string) => string) => {
  const c = didYouMean(word, candidates);
  return c ? ` Did you mean "${form(c)}"?` : '';
};

/** `parsed.values.get('trace')?.[0]` as a function: the last value of an option. */
export function optionValue(args: ParsedArgs, name: string): string | undefined {
  const v = args.values.get(name);
  return v?.[v.length - 1];
}

/**
 * `['graph', '--trace', 'a.log', '--format=json']` → `{ command: 'graph', values: {trace:
 * ['a.log'], format: ['json']}, … }`. Unknown commands and options, missing values and
 * stray arguments are UsageErrors that name the culprit.
 */
export function parseArgs(argv: readonly string[], commands: Readonly<Record<string, CommandSpec>>): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('no command given.', { hint: 'Run `ioana --help` for the commands.' });
  const spec = commands[command];
  if (!spec) throw unknownCommand(command, commands);
  const dashes = rest.indexOf('--');
  if (dashes >= 0 && !spec.takesCommand)
    throw new UsageError(`"ioana ${command}" does not run a command (unexpected "--").`, { hint: spec.usage });
  const ours = dashes < 0 ? rest : rest.slice(0, dashes);
  const run = dashes < 0 ? [] : rest.slice(dashes + 1);
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([name, o]) => [name, { type: o.takesValue ? ('string' as const) : ('boolean' as const) }]),
  );
  const { tokens } = tokenize({ args: [...ours], options, strict: false, allowPositionals: true, tokens: true });
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'positional') {
      positionals.push(t.value);
      continue;
    }
    if (t.kind !== 'option') continue;
    const opt = spec.options[t.name];
    if (!opt)
      throw new UsageError(
        `unknown option "${t.rawName}" for "ioana ${command}".${suggestion(t.name, Object.keys(spec.options), (c) => `--${c}`)}`,
        { hint: spec.usage },
      );
    if (!opt.takesValue) {
      if (t.value !== undefined) throw new UsageError(`option "--${t.name}" takes no value.`, { hint: spec.usage });
      flags.add(t.name);
      continue;
    }
    if (t.value === undefined)
      throw new UsageError(`option "--${t.name}" needs a value (${opt.valueName ?? 'VALUE'}).`, { hint: spec.usage });
    if (values.has(t.name) && !opt.repeatable) throw new UsageError(`option "--${t.name}" given twice.`, { hint: spec.usage });
    values.set(t.name, [...(values.get(t.name) ?? []), t.value]);
  }
  const pos = spec.positionals ?? { min: 0, max: 0, names: '' };
  if (positionals.length > pos.max) {
    throw new UsageError(`unexpected argument "${positionals[pos.max]}" for "ioana ${command}".`, {
      hint: spec.takesCommand ? `Put the command to trace after "--". ${spec.usage}` : spec.usage,
    });
  }
  if (positionals.length < pos.min) throw new UsageError(`"ioana ${command}" needs ${pos.names}.`, { hint: spec.usage });
  return { command, values, flags, positionals, run };
}

/** An unknown command, with the closest known one. */
export function unknownCommand(command: string, commands: Readonly<Record<string, CommandSpec>>): UsageError {
  return new UsageError(`unknown command "${command}".${suggestion(command, Object.keys(commands), (c) => `ioana ${c}`)}`, {
    hint: `Commands: ${Object.keys(commands).join(', ')}. Run \`ioana --help\`.`,
  });
}

/** The help text of one command. */
export function commandHelp(name: string, spec: CommandSpec): string {
  const lines = [`ioana ${name} — ${spec.summary}`, '', `usage: ${spec.usage}`, ''];
  const width = Math.max(0, ...Object.entries(spec.options).map(([k, o]) => k.length + (o.valueName ? o.valueName.length + 1 : 0)));
  for (const [k, o] of Object.entries(spec.options)) {
    const left = `--${k}${o.valueName ? ' ' + o.valueName : ''}`;
    lines.push(`  ${left.padEnd(width + 4)}${o.help}`);
  }
  return lines.join('\n');
}
