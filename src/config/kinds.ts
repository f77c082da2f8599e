/** The vocabulary shared by the config, the diff and the reports (DESIGN §1.7). */

export const FINDING_KINDS = [
  'new-input',
  'vanished-input',
  'new-output',
  'vanished-output',
  'new-program',
  'vanished-program',
  'new-endpoint',
  'changed-provenance',
  'source-modified',
] as const;

export type FindingKind = (typeof FINDING_KINDS)[number];

export const SEVERITIES = ['error', 'warning', 'notice'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const isFindingKind = (s: string): s is FindingKind => (FINDING_KINDS as readonly string[]).includes(s);
export const isSeverity = (s: string): s is Severity => (SEVERITIES as readonly string[]).includes(s);
