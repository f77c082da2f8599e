/** What each `ioana` command accepts. */
import type { CommandSpec } from './args.js';

const traceOptions = {
  backend: {
    takesValue: true,
    valueName: 'NAME',
    help: 'strace (default), ebpf (ioana’s own collector: needs root or sudo and a kernel with BTF; does not stop the build) or auto (ebpf where it can load, else strace)',
  },
  'no-seccomp': { takesValue: false, help: 'trace without --seccomp-bpf (slower; keeps daemons the build leaves running alive)' },
  'no-separation': {
    takesValue: false,
    help: 'run the build beside ioana, without the namespaces and the user that keep it from reaching ioana (the result is then advisory)',
  },
  'disable-sudo': { takesValue: false, help: 'the build may not use sudo (no new privileges): with sudo it could reach ioana' },
  probes: { takesValue: false, help: 'also trace stat/access probes (what the build looked for)' },
  detailed: { takesValue: false, help: 'also trace read/write calls (slower)' },
} as const;

const checkOptions = {
  baseline: { takesValue: true, valueName: 'FILE', help: 'the baseline file (required)' },
  config: { takesValue: true, valueName: 'FILE', help: 'the configuration (default: .ioana.yml in the workspace, if any)' },
  trace: { takesValue: true, valueName: 'LOG', help: 'analyze this strace log instead of running a command' },
  'trace-out': { takesValue: true, valueName: 'LOG', help: 'keep the raw strace log here (it holds every argument unredacted)' },
  workspace: { takesValue: true, valueName: 'DIR', help: 'the repository root (default: the current directory)' },
  cwd: { takesValue: true, valueName: 'DIR', help: 'where the command runs, relative to the workspace (default: the workspace)' },
  provenance: { takesValue: true, valueName: 'MODE', help: 'data (default) or control' },
  quiet: { takesValue: false, help: 'print only the closing line (and errors)' },
  ...traceOptions,
} as const;

const reportOptions = {
  json: { takesValue: true, valueName: 'FILE', help: 'also write the report as JSON (- for standard output)' },
  format: { takesValue: true, valueName: 'FORMAT', help: 'what goes to standard output: text (default) or json' },
} as const;

export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  check: {
    summary: 'trace a build and report what changed against the baseline',
    usage:
      'ioana check --baseline FILE [--config FILE] [--json FILE|-] [--sarif FILE] [--format text|json] [--quiet] [--trace-out LOG] (-- COMMAND... | --trace LOG)',
    takesCommand: true,
    options: {
      ...checkOptions,
      ...reportOptions,
      sarif: { takesValue: true, valueName: 'FILE', help: 'also write the findings as SARIF 2.1.0, for GitHub code scanning' },
    },
  },
  update: {
    summary: 'trace a clean build and record it into the baseline',
    usage: 'ioana update --baseline FILE [--config FILE] [--runs N --clean CMD] [--merge] [--force] (-- COMMAND... | --trace LOG)',
    takesCommand: true,
    options: {
      ...checkOptions,
      runs: { takesValue: true, valueName: 'N', help: 'record N clean runs (entries not seen in all of them are tolerated when absent)' },
      clean: { takesValue: true, valueName: 'CMD', help: 'run by sh before each run, to make the tree clean (needed with --runs)' },
      merge: { takesValue: false, help: 'add the runs to what the baseline learned (runs + N, seen: k) instead of replacing it' },
      fresh: { takesValue: false, help: 'replace the baseline with these runs (the default; kept for scripts that say it)' },
      force: { takesValue: false, help: 'record even a run the guard refuses (no outputs, not a strace log, most entries missing)' },
    },
  },
  diff: {
    summary: 'compare two baselines',
    usage: 'ioana diff OLD.yml NEW.yml [--config FILE] [--json FILE|-] [--format text|json] [--quiet]',
    takesCommand: false,
    positionals: { min: 2, max: 2, names: 'two baseline files (OLD NEW)' },
    options: {
      config: checkOptions.config,
      workspace: checkOptions.workspace,
      quiet: checkOptions.quiet,
      ...reportOptions,
    },
  },
  explain: {
    summary: 'show which rules turned a path into its canonical form',
    usage: 'ioana explain --trace LOG [--workspace DIR] [--config FILE] PATH',
    takesCommand: false,
    positionals: { min: 1, max: 1, names: 'a PATH (raw or canonical)' },
    options: { trace: checkOptions.trace, workspace: checkOptions.workspace, config: checkOptions.config },
  },
  attest: {
    summary: "write an in-toto statement (SLSA provenance v1) of what each of the build's outputs was made from",
    usage:
      'ioana attest [--subjects GLOB]... [--out FILE|-] [--max-files N] [--max-bytes N] [--config FILE] [--quiet] (-- COMMAND... | --trace LOG)',
    takesCommand: true,
    options: {
      config: checkOptions.config,
      trace: checkOptions.trace,
      'trace-out': checkOptions['trace-out'],
      workspace: checkOptions.workspace,
      cwd: checkOptions.cwd,
      provenance: checkOptions.provenance,
      quiet: checkOptions.quiet,
      ...traceOptions,
      subjects: {
        takesValue: true,
        valueName: 'GLOB',
        repeatable: true,
        help: 'only the outputs this glob picks, relative to the workspace (dist/*.tar.gz); default every output in the workspace',
      },
      out: { takesValue: true, valueName: 'FILE', help: 'where the statement goes (default: - for standard output)' },
      'max-files': {
        takesValue: true,
        valueName: 'N',
        help: 'hash at most N files (default 20000); the statement says when the limit is reached',
      },
      'max-bytes': { takesValue: true, valueName: 'N', help: 'hash at most N bytes (default 4294967296)' },
    },
  },
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
    usage:
      'ioana graph --trace LOG [--workspace DIR] [--format json|yaml|mermaid|dot|folded|flame] [--flows] [--weight calls|bytes] [--verbose]',
    takesCommand: false,
    options: {
      trace: { takesValue: true, valueName: 'LOG', help: 'the strace log to read (required)' },
      workspace: { takesValue: true, valueName: 'DIR', help: 'the repository root (default: the current directory)' },
      format: {
        takesValue: true,
        valueName: 'FORMAT',
        help: 'json (default), yaml, mermaid, dot; folded (flame graph stacks: program;/;usr;include;stdio.h 42) or flame (an SVG flame graph)',
      },
      flows: { takesValue: false, help: 'json/yaml: add every flow (program, object) with its calls and bytes' },
      weight: { takesValue: true, valueName: 'WHAT', help: "folded/flame: what a frame's width is, calls (default) or bytes" },
      provenance: { takesValue: true, valueName: 'MODE', help: 'data (default) or control: whether spawning passes inputs on' },
      verbose: { takesValue: false, help: 'list unparsed lines, with their numbers, on stderr' },
      'parse-only': { takesValue: false, help: 'only parse the log and print its statistics (measures the parser alone)' },
    },
  },
};
