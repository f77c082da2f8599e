export type * from './types.js';
export { BASELINE_VERSION, entryKey } from './types.js';
export { renderBaseline, BASELINE_HEADER, BASELINE_SCHEMA_URL, DEFAULT_STYLE, type BaselineStyle } from './render.js';
export { parseBaseline, BaselineError, type ParsedBaseline } from './parse.js';
export { mergeRun, baselineOf, graphOf } from './merge.js';
export { refusal, untrustedTrace, describeUpdate, MAX_UNPARSED_SHARE, type RunFacts } from './guard.js';
