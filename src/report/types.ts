import type { Finding } from '../diff/index.js';

/** The JSON report of a check (`--json FILE`, the action's `report` output). */
export interface Report {
  readonly version: 1;
  /** `clean`: no findings; `changed`: findings; `build-failed`: the traced command failed. */
  readonly status: 'clean' | 'changed' | 'build-failed';
  readonly findings: readonly Finding[];
  readonly failing: number;
  readonly build: {
    readonly command: readonly string[];
    readonly exitCode: number | null;
    readonly signal: string | null;
    /** A SIGINT/SIGTERM passed on to the build: the report covers only what it did until then. */
    readonly interrupted?: string;
    /** Processes the build left running when tracing stopped. */
    readonly leftRunning?: number;
  };
  /** The report covers only part of the build (interrupted). */
  readonly partial: boolean;
  readonly baseline: string;
  readonly stats: Readonly<Record<string, number | boolean>>;
}
