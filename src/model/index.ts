export type * from './types.js';
export { DataflowModel, modelEvents, COUNTED_FAILURES, type ModelOptions } from './model.js';
export { address } from './state.js';
export { openMode, cloneMode, type OpenMode, type CloneMode } from './flags.js';
export { resolvePath, isUnder } from '../vocabulary/paths.js';
