/**
 * The baseline file (docs/architecture.md §1.6): the canonical dataflow of a build, learned over
 * runs, committed under `baselines/` and reviewed like code. An entry seen in fewer runs
 * than `runs` carries `seen` and is tolerated when absent. Its JSON Schema is
 * `schemas/baseline.schema.json`; this is the same format as typed data.
 *
 * Every string is canonical (src/canon): paths and arguments with `{workspace}`,
 * `{home}`, `{tmp}`, `{toolcache}` for the machine's roots, folded temporary names and
 * numbers, and credentials `{redacted}`. Lists are sorted by code unit.
 */

/** The format's version, written as `version:`; a baseline of another version is refused, not guessed at. */
export const BASELINE_VERSION = 1;

/** A string entry and how many of the baseline's runs saw it. */
export interface Counted {
  /** A canonical path or address. */
  readonly value: string;
  /** In how many runs it was seen: 1 to the baseline's `runs` (written only when fewer than all). */
  readonly seen: number;
  /**
   * Inputs only: only a build cache's miss needs it (only that cache's users, and the
   * programs a launcher ran, read it): tolerated when absent, since a hit skips it.
   */
  readonly miss?: string;
}

/** A file the build writes that exists at its end, or a folded set of them (`files`). */
export interface BaselineOutput {
  /** Its canonical path; for a folded set, its glob (`{workspace}/out/gen/**`). */
  readonly path: string;
  /**
   * A folded set (`fold-outputs` in `.ioana.yml`): how many files it held in the latest
   * run that produced it (at least 1). Absent for a single file.
   */
  readonly files?: number;
  /** In how many runs it was produced (1 to `runs`). */
  readonly seen: number;
  /** The inputs whose data reaches it (its provenance), each with the runs that saw it reach it (at most `seen`). */
  readonly from: readonly Counted[];
}

/** A program the build runs: its identity is the executable and the canonical arguments together. */
export interface BaselineProgram {
  /** The canonical path of the executable. */
  readonly exe: string;
  /** Its canonical arguments, `argv[0]` included; parallelism (`-j{n}`) and credentials normalized. */
  readonly argv: readonly string[];
  /** The most invocations seen in one run (at least 1). */
  readonly count: number;
  /** In how many runs it ran (1 to `runs`). */
  readonly seen: number;
  /** It ran behind this cache's launcher (ccache, `go build`): a hit skips it, so it is tolerated when absent. */
  readonly miss?: string;
}

export interface Baseline {
  /** Always `BASELINE_VERSION`. */
  readonly version: typeof BASELINE_VERSION;
  /** How many runs it summarizes (at least 1; 0 only in memory, before the first run). */
  readonly runs: number;
  /** Files read that the build did not write first. */
  readonly inputs: readonly Counted[];
  /** Files written that exist at the end, with their provenance. */
  readonly outputs: readonly BaselineOutput[];
  readonly programs: readonly BaselineProgram[];
  /** Network and socket addresses connected to: `tcp://192.0.2.1:443`, `unix:/run/x.sock`, `tcp://127.0.0.1:{port}`. */
  readonly endpoints: readonly Counted[];
  /** Workspace files the build itself modifies (a version stamp): known, not a finding. Written only when not empty. */
  readonly modified: readonly Counted[];
  /** Build caches the build uses (`ccache`, `go`, `npm`: `{cache:NAME}`). Written only when not empty. */
  readonly caches?: readonly Counted[];
  /**
   * The versions of the toolchains the build uses, which canonical names leave out
   * (`{ gcc: '12', node: '20.12.0' }`): another version is a `toolchain-changed` notice.
   * Written only when not empty.
   */
  readonly toolchains?: Readonly<Record<string, string>>;
}

/** Where each entry is in the file, for annotations on vanished entries: `inputs:<path>` → line (1-based). */
export type BaselineLines = ReadonlyMap<string, number>;

/** The key of an entry in `BaselineLines`: `entryKey('inputs', '/usr/include/stdio.h')`; programs by their `programKey`. */
export const entryKey = (
  section: 'inputs' | 'outputs' | 'programs' | 'endpoints' | 'modified' | 'caches' | 'toolchains',
  value: string,
): string => `${section}:${value}`;
