import type { FindingKind, Severity } from '../config/index.js';

/** One unexpected change in the build's dataflow (DESIGN §1.7). */
export interface Finding {
  readonly kind: FindingKind;
  readonly severity: Severity;
  /** The canonical path, program (`exe argv…`) or endpoint; a directory ending in `/` for a group. */
  readonly subject: string;
  /** The outputs it affects (canonical paths). */
  readonly outputs: readonly string[];
  /** One sentence for people. */
  readonly message: string;
  /** Whether it fails the check (its kind is in `fail-on` and it is not a notice). */
  readonly failing: boolean;
  /** A group: how many entries, and the first of them. */
  readonly count?: number;
  readonly members?: readonly string[];
  /** changed-provenance: inputs that now reach the output, and inputs that no longer do. */
  readonly added?: readonly string[];
  readonly removed?: readonly string[];
  /** For entries that exist only in the baseline: their line in the baseline file. */
  readonly baselineLine?: number;
}
