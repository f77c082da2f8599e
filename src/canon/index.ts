export { canonicalize, Canonicalizer, byCodeUnit, programKey, type CanonicalGraph, type CanonicalOutput, type CanonicalProgram, type Canonicalized } from './canonicalize.js';
export { BUILTIN_RULES, SECRET_RULE, canonicalJobs, redactor, roots, type CanonContext, type RewriteStep, type Rule } from './rules.js';
export { globToRegExp, collapseWith, matchesEverything } from './glob.js';
