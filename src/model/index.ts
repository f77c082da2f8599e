export type * from './types.js';
export { DataflowModel, modelSteps, type ModelOptions } from './model.js';
export { MAX_BUFFERED } from './processes.js';
export { address } from './state.js';
