export type * from './types.js';
export { renderText, type TextOptions } from './text.js';
export { annotationsFor, MAX_PER_LEVEL, type Annotation, type AnnotatedFiles, type Reserved } from './annotations.js';
export { renderSummary, MAX_SUMMARY_BYTES, type SummaryInput } from './summary.js';
export { changeDrawing, drawChange, effectsText, middle, type ChangeDrawing } from './drawing.js';
export { acceptCommand, acceptStep, npxProgram, ACTION_SHELL, type AcceptParts } from './accept.js';
export {
  buildReport,
  containerNote,
  followedNote,
  untracedContainers,
  separationNote,
  setuidNote,
  wallWeakened,
  type ReportParts,
} from './build.js';
export { placeOf, inside, type Place, type RepositoryFiles } from './location.js';
export {
  renderSarif,
  sarifRules,
  findingFingerprint,
  FINGERPRINT_KEY,
  SARIF_SCHEMA,
  MAX_RESULTS,
  type SarifLog,
  type SarifOptions,
  type SarifResult,
  type SarifRule,
} from './sarif.js';
export { flameSvg, foldedStacks, heaviestDirectories, type IoSample, type FlameWeight, type DirectoryWeight } from './flame.js';
