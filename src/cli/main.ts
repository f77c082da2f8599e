/**
 * The `ioana` command line: parses arguments, runs one command, and is the one place
 * that turns errors into messages and exit statuses.
 */
import { describeError, EXIT, IoanaError } from '../vocabulary/errors.js';
import { ioanaVersion } from '../host/version.js';
import { commandHelp, unknownCommand } from './args.js';
import { attestCommand } from './attest.js';
import { checkCommand } from './check.js';
import { COMMANDS } from './commands.js';
import { diffCommand } from './diff.js';
import { explainCommand } from './explain.js';
import { graphCommand } from './graph.js';
import { processConsole, type Console } from './io.js';
import { readCommandLine } from './options.js';
import { traceCommand } from './trace.js';
import { updateCommand } from './update.js';

export type { Console } from './io.js';
export { processConsole } from './io.js';

export const EXIT_STATUS_HELP = [
  'Exit status: 0 clean (no failing findings), 1 failing findings, 2 usage, configuration, baseline',
  'or strace error (nothing was written), 3 the traced command failed, 130/143 interrupted by SIGINT/SIGTERM.',
].join('\n');

function usageText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'ioana — what your build reads, writes, runs and connects to, and what changed',
    '',
    'usage: ioana COMMAND [options] [-- COMMAND...]',
    '',
    ...Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(width + 2)}${c.summary}`),
    '',
    "Run `ioana help COMMAND` (or `ioana COMMAND --help`) for a command's options.",
    EXIT_STATUS_HELP,
    '',
  ].join('\n');
}

function help(topic: string | undefined, io: Console): number {
  if (topic === undefined) {
    io.out(usageText());
    return EXIT.ok;
  }
  const spec = COMMANDS[topic];
  if (!spec) throw unknownCommand(topic, COMMANDS);
  io.out(`${commandHelp(topic, spec)}\n\n${EXIT_STATUS_HELP}\n`);
  return EXIT.ok;
}

export async function main(argv: readonly string[], io: Console = processConsole): Promise<number> {
  try {
    if (argv.length === 0) {
      io.err(usageText());
      return EXIT.usage;
    }
    if (argv[0] === '--help' || argv[0] === '-h') return help(undefined, io);
    if (argv[0] === 'help') return help(argv[1], io);
    if (argv[0] === '--version' || argv[0] === '-V') {
      io.out(`ioana ${ioanaVersion()}\n`);
      return EXIT.ok;
    }
    const dashes = argv.indexOf('--');
    const ours = dashes < 0 ? argv.slice(1) : argv.slice(1, dashes);
    if (COMMANDS[argv[0]] && ours.some((a) => a === '--help' || a === '-h')) return help(argv[0], io);
    const call = readCommandLine(argv);
    switch (call.command) {
      case 'trace':
        return await traceCommand(call.options, io);
      case 'graph':
        return await graphCommand(call.options, io);
      case 'check':
        return await checkCommand(call.options, io);
      case 'update':
        return await updateCommand(call.options, io);
      case 'diff':
        return await diffCommand(call.options, io);
      case 'explain':
        return await explainCommand(call.options, io);
      case 'attest':
        return await attestCommand(call.options, io);
      default: {
        const never: never = call;
        throw new Error(`cli/main: unhandled command ${JSON.stringify(never)}`);
      }
    }
  } catch (error) {
    io.err(`ioana: ${describeError(error)}\n`);
    return error instanceof IoanaError ? error.exitCode : EXIT.usage;
  }
}
