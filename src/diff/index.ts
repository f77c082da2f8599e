export type * from './types.js';
export { diff, GROUP_MIN } from './diff.js';
export { defaultSeverity, SeverityPolicy } from './severity.js';
