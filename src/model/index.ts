export type * from './types.js';
export { DataflowModel, modelSteps, MAX_BUFFERED, type ModelOptions } from './model.js';
export { address } from './state.js';
