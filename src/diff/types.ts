import type { FindingKind, Severity } from '../vocabulary/index.js';

/** How many files a folded set of outputs holds, now and in the baseline; absent where the set does not exist. */
export interface SetCount {
  readonly now?: number;
  readonly baseline?: number;
}

/** One unexpected change in the build's dataflow (docs/architecture.md §1.7), as the JSON report carries it. */
export interface Finding {
  /** What changed: `new-input`, `vanished-output`, … (README, "Findings"). */
  readonly kind: FindingKind;
  /** From the kind's default, weighted by where the subject lives, then `.ioana.yml`'s `severity`. */
  readonly severity: Severity;
  /** The canonical path, program (`exe arg…`) or endpoint; for a group, the directory, ending in `/`. */
  readonly subject: string;
  /** The outputs it affects (canonical paths, sorted); empty when it reaches none. */
  readonly outputs: readonly string[];
  /** One sentence for people, naming the subject. */
  readonly message: string;
  /** Whether it fails the check: its kind is in `fail-on` and it is not a notice. */
  readonly failing: boolean;
  /** A group of five or more of one kind in one directory: how many entries. */
  readonly count?: number;
  /** A group's entries, at most the first 20. */
  readonly members?: readonly string[];
  /**
   * new-output, vanished-output of a folded set of outputs (`fold-outputs`, the subject is
   * its glob): how many files it holds now and in the baseline; one of them is absent
   * for a new or vanished set.
   */
  readonly files?: SetCount;
  /** changed-provenance: inputs that now reach the output; changed-arguments: the commands of the program that are new. */
  readonly added?: readonly string[];
  /** changed-provenance: inputs of every baseline run that no longer reach it; changed-arguments: commands no longer run. */
  readonly removed?: readonly string[];
  /** For entries that exist only in the baseline (vanished ones): their 1-based line in the baseline file. */
  readonly baselineLine?: number;
  /**
   * Who did it, as a command: the program that modified a source, read a new input
   * first, or connected to a new endpoint.
   */
  readonly by?: string;
  /** new-endpoint: the bytes the build sent to it and got back, where the trace counted them (eBPF; strace with `--detailed`). */
  readonly traffic?: { readonly sent: number; readonly received: number };
  /**
   * Findings that follow from this one, folded under it (src/diff/causes.ts): the
   * outputs whose inputs changed because of a new input, a new program's own libraries,
   * the objects and commands of a vanished target. Never worse than their cause.
   */
  readonly effects?: readonly Finding[];
}
