/**
 * The finding kinds and severities (docs/architecture.md §1.7), and the words every report uses for
 * each kind: one table, so that the CLI, the summary, the annotations and the
 * messages cannot drift apart.
 */

export const FINDING_KINDS = [
  'new-input',
  'vanished-input',
  'new-output',
  'vanished-output',
  'new-program',
  'vanished-program',
  'changed-arguments',
  'toolchain-changed',
  'new-endpoint',
  'changed-provenance',
  'source-modified',
  'credential-read',
  'untraced-io',
  'tampering',
  'baseline-edited',
  'config-weakened',
] as const;

export type FindingKind = (typeof FINDING_KINDS)[number];

export const SEVERITIES = ['error', 'warning', 'notice'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const isFindingKind = (s: string): s is FindingKind => (FINDING_KINDS as readonly string[]).includes(s);
export const isSeverity = (s: string): s is Severity => (SEVERITIES as readonly string[]).includes(s);

/** How reports name a kind. */
export interface KindText {
  /** An annotation's title: `ioana: new input`. */
  readonly title: string;
  /** A label in a table or a list: `new input`. */
  readonly label: string;
  /** The start of a finding's message, followed by its subject: `The build now reads`. */
  readonly verb: string;
}

export const KIND_TEXT: Readonly<Record<FindingKind, KindText>> = {
  'new-input': { title: 'ioana: new input', label: 'new input', verb: 'The build now reads' },
  'vanished-input': { title: 'ioana: input no longer read', label: 'input no longer read', verb: 'The build no longer reads' },
  'new-output': { title: 'ioana: new output', label: 'new output', verb: 'The build now writes' },
  'vanished-output': {
    title: 'ioana: output no longer produced',
    label: 'output no longer produced',
    verb: 'The build no longer produces',
  },
  'new-program': { title: 'ioana: new program', label: 'new program', verb: 'The build now runs' },
  'vanished-program': { title: 'ioana: program no longer run', label: 'program no longer run', verb: 'The build no longer runs' },
  'changed-arguments': {
    title: 'ioana: a program runs with other arguments',
    label: 'other arguments',
    verb: 'The build runs a program with other arguments:',
  },
  'toolchain-changed': {
    title: 'ioana: a toolchain changed version',
    label: 'toolchain version changed',
    verb: 'A toolchain changed version:',
  },
  'new-endpoint': { title: 'ioana: new network endpoint', label: 'new endpoint', verb: 'The build now connects to' },
  'changed-provenance': { title: 'ioana: inputs of an output changed', label: 'inputs changed', verb: 'The inputs of an output changed:' },
  'source-modified': {
    title: 'ioana: build modifies a source file',
    label: 'source file modified',
    verb: 'The build modifies a file of the working tree:',
  },
  'credential-read': {
    title: 'ioana: build reads a credential file',
    label: 'credential file read',
    verb: 'The build now reads a credential or identity file:',
  },
  'untraced-io': { title: 'ioana: I/O the trace cannot see', label: 'untraced I/O', verb: 'The build does I/O the trace cannot see:' },
  tampering: {
    title: 'ioana: the build goes after ioana itself',
    label: 'ioana itself tampered with',
    verb: 'The build went after ioana itself:',
  },
  'baseline-edited': {
    title: 'ioana: the pull request edits the baseline',
    label: 'baseline edited by the pull request',
    verb: "The pull request's edit of the baseline accepts",
  },
  'config-weakened': {
    title: 'ioana: the pull request weakens the check',
    label: 'check weakened by the pull request',
    verb: "The pull request's .ioana.yml weakens the check:",
  },
};
