/** What each `ioana` command accepts. */
import type { CommandSpec } from './args.js';

const traceOptions = {
  'no-seccomp': { takesValue: false, help: 'trace without --seccomp-bpf (slower; keeps daemons the build leaves running alive)' },
  probes: { takesValue: false, help: 'also trace stat/access probes (what the build looked for)' },
  detailed: { takesValue: false, help: 'also trace read/write calls (slower)' },
} as const;

export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  trace: {
    summary: 'run a command under strace and keep the raw log',
    usage: 'ioana trace --out LOG [--no-seccomp] [--probes] [--detailed] -- COMMAND...',
    takesCommand: true,
    options: {
      out: { takesValue: true, valueName: 'LOG', help: 'where strace writes its log (required)' },
      ...traceOptions,
    },
  },
  graph: {
    summary: 'print the dataflow graph of a strace log',
    usage: 'ioana graph --trace LOG [--workspace DIR] [--format json|yaml|mermaid|dot] [--verbose]',
    takesCommand: false,
    options: {
      trace: { takesValue: true, valueName: 'LOG', help: 'the strace log to read (required)' },
      workspace: { takesValue: true, valueName: 'DIR', help: 'the repository root (default: the current directory)' },
      format: { takesValue: true, valueName: 'FORMAT', help: 'json (default), yaml, mermaid or dot' },
      provenance: { takesValue: true, valueName: 'MODE', help: 'data (default) or control: whether spawning passes inputs on' },
      verbose: { takesValue: false, help: 'list unparsed lines, with their numbers, on stderr' },
      'parse-only': { takesValue: false, help: 'only parse the log and print its statistics (measures the parser alone)' },
    },
  },
};
