/**
 * The baseline file (DESIGN §1.6): the canonical dataflow of a build, learned over
 * runs. An entry seen in fewer runs than `runs` carries `seen` and is tolerated when
 * absent.
 */

export const BASELINE_VERSION = 1;

/** A string entry and how many of the baseline's runs saw it. */
export interface Counted {
  readonly value: string;
  readonly seen: number;
}

export interface BaselineOutput {
  readonly path: string;
  readonly seen: number;
  readonly from: readonly Counted[];
}

export interface BaselineProgram {
  readonly exe: string;
  readonly argv: readonly string[];
  /** The most invocations seen in one run. */
  readonly count: number;
  readonly seen: number;
}

export interface Baseline {
  readonly version: typeof BASELINE_VERSION;
  readonly runs: number;
  readonly inputs: readonly Counted[];
  readonly outputs: readonly BaselineOutput[];
  readonly programs: readonly BaselineProgram[];
  readonly endpoints: readonly Counted[];
  /** Workspace files the build itself modifies (a version stamp): known, not a finding. */
  readonly modified: readonly Counted[];
}

/** Where each entry is in the file, for annotations on vanished entries: `inputs:<path>` → line. */
export type BaselineLines = ReadonlyMap<string, number>;

export const entryKey = (section: 'inputs' | 'outputs' | 'programs' | 'endpoints' | 'modified', value: string): string => `${section}:${value}`;
