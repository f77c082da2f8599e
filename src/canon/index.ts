export {
  BUILTIN_RULES,
  canonicalize,
  Canonicalizer,
  type CanonicalGraph,
  type CanonicalOutput,
  type CanonicalProgram,
  type Canonicalized,
} from './canonicalize.js';
export {
  canonicalJobs,
  foldPids,
  foldTempName,
  madeComponents,
  madeNames,
  roots,
  type CanonContext,
  type MadeNames,
  type RewriteStep,
  type Rule,
  type Scope,
} from './rules.js';
export { KNOWLEDGE_RULES } from './knowledge.js';
export { TOOLCHAIN_RULES, toolchainVersions, VERSION_TOKEN } from './toolchains.js';
export { OutputFolds } from './outputs.js';
