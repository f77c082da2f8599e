/** The pipeline run on a log file with this machine's context, as the CLI runs it. */
import { DEFAULT_CONFIG, type Config } from '../../src/config/index.js';
import { environmentRedactor, machineRoots } from '../../src/host/environment.js';
import { logFile } from '../../src/io/lines.js';
import { analyzeLog, canonicalRun, type Analysis, type CanonicalRun, type RunContext } from '../../src/pipeline/index.js';

export function contextFor(workspace: string, control = false): RunContext {
  return { workspace, roots: machineRoots(), redactor: environmentRedactor(), control };
}

export const analyzeFile = (path: string): Promise<Analysis> => analyzeLog(logFile(path));

export const canonicalFile = (path: string, workspace: string, config: Config = DEFAULT_CONFIG): Promise<CanonicalRun> =>
  canonicalRun(logFile(path), contextFor(workspace), config);
