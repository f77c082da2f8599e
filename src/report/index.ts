export type * from './types.js';
export { renderText, type TextOptions } from './text.js';
export { annotationsFor, MAX_PER_LEVEL, type Annotation, type AnnotatedFiles, type Reserved } from './annotations.js';
export { renderSummary, changeDrawing, MAX_SUMMARY_BYTES, type SummaryInput } from './summary.js';
export { acceptCommand, acceptStep, npxProgram, ACTION_SHELL, type AcceptParts } from './accept.js';
export { buildReport, type ReportParts } from './build.js';
