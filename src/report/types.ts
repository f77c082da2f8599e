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
    readonly interrupted?: string;
  };
  readonly baseline: string;
  readonly stats: Readonly<Record<string, number | boolean>>;
}
