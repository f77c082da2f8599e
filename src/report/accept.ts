/**
 * The one command that accepts a change: `ioana update` with the options of the check
 * that found it, so that it records the build exactly as the check traced it. Pure.
 */
import { shellQuote } from '../vocabulary/escape.js';

/** The action runs `run` as `bash --noprofile --norc -eo pipefail -c RUN`: the CLI must run it the same way to record the same programs. */
export const ACTION_SHELL: readonly string[] = ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c'];

export interface AcceptParts {
  /** How to start ioana: `ioana` (the installed CLI), or an `npx` line that installs this version. */
  readonly program: string;
  readonly baseline: string;
  /** A configuration file other than the default one. */
  readonly config?: string;
  /** The workspace, when it is not where the command is typed. */
  readonly workspace?: string;
  /** Where the command ran, relative to the workspace (`.` or absent: the workspace). */
  readonly cwd?: string;
  /** The traced command; absent when the check read a log (`trace`). */
  readonly command?: readonly string[];
  /** The log the check read. */
  readonly trace?: string;
}

/** `npx --yes --package=SPEC -- ioana`: runs the ioana that `spec` names, without installing it for good. */
export const npxProgram = (spec: string): string => `npx --yes --package=${shellQuote(spec)} -- ioana`;

/**
 * `{program: 'ioana', baseline: 'baselines/b.yml', command: ['make', '-j2']}` →
 * `ioana update --baseline baselines/b.yml -- make -j2`.
 */
export function acceptCommand(p: AcceptParts): string {
  const parts = [p.program, 'update', '--baseline', shellQuote(p.baseline)];
  if (p.config) parts.push('--config', shellQuote(p.config));
  if (p.workspace) parts.push('--workspace', shellQuote(p.workspace));
  if (p.cwd && p.cwd !== '.') parts.push('--cwd', shellQuote(p.cwd));
  if (p.trace !== undefined) parts.push('--trace', shellQuote(p.trace));
  else if (p.command) parts.push('--', ...p.command.map(shellQuote));
  return parts.join(' ');
}

/** The workflow step that records the baseline with the action itself (`mode: update`). */
export function acceptStep(run: string, baselineFile: string, workingDirectory = '.', config?: string): string {
  return [
    '- uses: ioana/action@v1',
    '  with:',
    `    run: ${JSON.stringify(run)}`,
    ...(workingDirectory !== '.' && workingDirectory !== '' ? [`    working-directory: ${JSON.stringify(workingDirectory)}`] : []),
    `    baseline: ${JSON.stringify(baselineFile)}`,
    ...(config ? [`    config: ${JSON.stringify(config)}`] : []),
    '    mode: update',
  ].join('\n');
}
