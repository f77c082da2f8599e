export type * from './types.js';
export { renderText, type TextOptions } from './text.js';
