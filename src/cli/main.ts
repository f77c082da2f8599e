/**
 * The `ioana` command line: parses arguments, runs one command, and is the one place
 * that turns errors into messages and exit statuses.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { graphDocument, horizonSets, toDot, toMermaid } from '../graph/index.js';
import { describeError, EXIT, IoanaError, UsageError } from '../errors.js';
import { describeOutcome, preflight, runTraced } from '../trace/index.js';
import { analyzeLog, parseLog, type Analysis } from '../pipeline/analyze.js';
import { checkCommand, diffCommand, explainCommand, updateCommand } from './check.js';
import { assertRoomLeft } from '../pipeline/traced.js';
import { collectGarbage } from '../io/memory.js';
import { environmentRedactor } from '../pipeline/context.js';
import { commandHelp, optionValue, parseArgs, type ParsedArgs } from './args.js';
import { COMMANDS } from './commands.js';

/** Where the CLI writes; tests pass their own. */
export interface Console {
  out(text: string): void;
  err(text: string): void;
}

export const processConsole: Console = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};


function usageText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'ioana — what your build reads, writes, runs and connects to, and what changed',
    '',
    'usage: ioana COMMAND [options] [-- COMMAND...]',
    '',
    ...Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(width + 2)}${c.summary}`),
    '',
    'Run `ioana COMMAND --help` for a command\'s options.',
    'Exit status: 0 clean, 1 failing findings, 2 usage/configuration/baseline error, 3 the traced command failed.',
    '',
  ].join('\n');
}

export async function main(argv: readonly string[], io: Console = processConsole): Promise<number> {
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      io.out(usageText());
      return argv.length === 0 ? EXIT.usage : EXIT.ok;
    }
    if (argv[0] === '--version') {
      io.out(`ioana ${version()}\n`);
      return EXIT.ok;
    }
    const spec = COMMANDS[argv[0]];
    const dashes = argv.indexOf('--');
    const ours = dashes < 0 ? argv.slice(1) : argv.slice(1, dashes);
    if (spec && ours.some((a) => a === '--help' || a === '-h')) {
      io.out(commandHelp(argv[0], spec) + '\n');
      return EXIT.ok;
    }
    const args = parseArgs(argv, COMMANDS);
    switch (args.command) {
      case 'trace':
        return await traceCommand(args, io);
      case 'graph':
        return await graphCommand(args, io);
      case 'check':
        required(args, 'baseline');
        return await checkCommand(args, workspaceOf(args), io);
      case 'update':
        required(args, 'baseline');
        return await updateCommand(args, workspaceOf(args), io);
      case 'diff':
        return await diffCommand(args, workspaceOf(args), io);
      case 'explain':
        required(args, 'trace');
        return await explainCommand(args, workspaceOf(args), io);
      default:
        throw new UsageError(`unknown command "${args.command}".`);
    }
  } catch (error) {
    io.err(`ioana: ${describeError(error)}\n`);
    return error instanceof IoanaError ? error.exitCode : EXIT.usage;
  }
}

/** The version in package.json, found from dist/cli.js or src/cli/main.ts. */
function version(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8'));
      if (pkg.name === 'ioana') return String(pkg.version);
    } catch {
      // not there: try the next place
    }
  }
  return 'unknown';
}

function required(args: ParsedArgs, name: string): string {
  const value = optionValue(args, name);
  if (value === undefined || value === '') {
    throw new UsageError(`"ioana ${args.command}" needs --${name}.`, { hint: `usage: ${COMMANDS[args.command].usage}` });
  }
  return value;
}

async function traceCommand(args: ParsedArgs, io: Console): Promise<number> {
  const out = required(args, 'out');
  if (args.run.length === 0) {
    throw new UsageError('"ioana trace" needs a command to run after "--".', { hint: `usage: ${COMMANDS.trace.usage}` });
  }
  const strace = preflight(undefined, !args.flags.has('no-seccomp'));
  if (strace.seccompNote) io.err(`ioana: note: ${strace.seccompNote}\n`);
  const outcome = await runTraced({
    command: args.run,
    logPath: out,
    strace,
    probes: args.flags.has('probes'),
    detailed: args.flags.has('detailed'),
  });
  assertRoomLeft(out);
  if (outcome.exitCode !== 0) io.err(`ioana: the traced command failed: ${describeOutcome(outcome)}; the log is in ${out}\n`);
  if (outcome.signal) return 128 + (constants.signals[outcome.signal] ?? 0);
  return outcome.exitCode ?? 1;
}

/** `--verbose`: every unparsed line kept, with its number, on stderr. */
function reportUnparsed(trace: string, parsed: Pick<Analysis, 'stats' | 'unparsed'>, args: ParsedArgs, io: Console): void {
  if (!args.flags.has('verbose')) return;
  for (const u of parsed.unparsed) io.err(`${trace}:${u.line}: unparsed (${u.reason}): ${u.text}\n`);
  if (parsed.stats.unparsed > parsed.unparsed.length) {
    io.err(`${trace}: … and ${parsed.stats.unparsed - parsed.unparsed.length} more unparsed lines\n`);
  }
}

/**
 * The workspace: `--workspace`, else the current directory, with symlinks resolved
 * (strace reports real paths). A recorded log may come from a machine where the
 * directory does not exist here: then the path is taken as given.
 */
function workspaceOf(args: ParsedArgs): string {
  const dir = resolve(optionValue(args, 'workspace') ?? process.cwd());
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

const FORMATS = ['json', 'yaml', 'mermaid', 'dot'] as const;

async function graphCommand(args: ParsedArgs, io: Console): Promise<number> {
  const trace = required(args, 'trace');
  const format = optionValue(args, 'format') ?? 'json';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`unknown --format "${format}".`, { hint: `Formats: ${FORMATS.join(', ')}.` });
  }
  const provenance = optionValue(args, 'provenance') ?? 'data';
  if (provenance !== 'data' && provenance !== 'control') {
    throw new UsageError(`unknown --provenance "${provenance}".`, { hint: 'Use "data" (spawning passes nothing on) or "control".' });
  }
  const workspace = workspaceOf(args);
  if (args.flags.has('parse-only')) {
    const parsed = await parseLog(trace);
    reportUnparsed(trace, parsed, args, io);
    io.out(JSON.stringify({ stats: parsed.stats }, null, 2) + '\n');
    return EXIT.ok;
  }
  const analysis = await analyzeLog(trace);
  reportUnparsed(trace, analysis, args, io);
  const opts = { workspace, control: provenance === 'control', redact: environmentRedactor() };
  const sets = horizonSets(analysis.graph, opts);
  if (format === 'mermaid') {
    io.out(toMermaid(analysis.graph, sets, opts));
    return EXIT.ok;
  }
  if (format === 'dot') {
    io.out(toDot(analysis.graph, sets, opts));
    return EXIT.ok;
  }
  const doc = graphDocument(analysis.graph, opts, sets);
  collectGarbage();
  const m = analysis.dataflow.stats;
  const out = {
    inputs: doc.inputs,
    outputs: doc.outputs,
    programs: doc.programs,
    endpoints: doc.endpoints,
    temporaries: doc.temporaries,
    stats: {
      ...analysis.stats,
      processes: m.processes,
      threads: analysis.stats.processes,
      images: m.images,
      execs: m.execs,
      failedExecs: m.failedExecs,
      probes: m.probes,
      orphanProcesses: m.orphanProcesses,
      ioUring: m.ioUring,
    },
    figures: doc.figures,
  };
  io.out(format === 'yaml' ? stringifyYaml(out) : JSON.stringify(out, null, 2) + '\n');
  return EXIT.ok;
}
