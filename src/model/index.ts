export type * from './types.js';
export { DataflowModel, modelEvents, address, MAX_PROBES, type ModelOptions } from './model.js';
export { openMode, cloneMode, type OpenMode, type CloneMode } from './flags.js';
export { resolvePath, isUnder } from './paths.js';
