export type * from './types.js';
export { STATEMENT_TYPE, PROVENANCE_TYPE, BUILD_TYPE, BUILDER_ID, DATAFLOW_MEDIA_TYPE } from './types.js';
export { Contributors } from './contributors.js';
export { subjectGlob, subjectGlobs, SubjectGlobError, type SubjectGlob } from './subjects.js';
export {
  planAttestation,
  packageUrl,
  type AttestPlan,
  type PlannedInput,
  type PlannedSubject,
  type PlanOptions,
  type InputKind,
} from './plan.js';
export {
  buildStatement,
  dependency,
  type AttestFacts,
  type Attestation,
  type HashingFigures,
  type InputFact,
  type StatementMeta,
  type SubjectFact,
  type Unhashed,
} from './statement.js';
