export type * from './types.js';
export { diff, orderFindings, GROUP_MIN } from './diff.js';
export { defaultSeverity, SeverityPolicy } from './severity.js';
export { baselineEdits, configWeakenings, type EditPolicy } from './edits.js';
