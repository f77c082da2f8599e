export {
  canonicalize,
  Canonicalizer,
  type CanonicalGraph,
  type CanonicalOutput,
  type CanonicalProgram,
  type Canonicalized,
} from './canonicalize.js';
export { BUILTIN_RULES, canonicalJobs, roots, type CanonContext, type RewriteStep, type Rule } from './rules.js';
