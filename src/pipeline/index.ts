export type * from './types.js';
export { succeeded, describeOutcome, givesSteps } from './types.js';
export {
  analyzeLog,
  parseLog,
  modelEvents,
  canonicalRun,
  canonContext,
  countsAsStats,
  runFacts,
  reportStats,
  MAX_KEPT_UNPARSED,
  type Analysis,
  type CanonicalRun,
} from './analyze.js';
export { check, runLog, assertStarted, type CheckInput, type CheckResult, type RunInput, type RunResult, type TracedBuild } from './run.js';
export { proposeUpdate, describeWrite, type RecordedRun, type UpdateResult, type UpdateOptions } from './update.js';
