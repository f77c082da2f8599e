export { TOKEN, programKey, programText, repoPath, inWorkspace, shownPath } from './tokens.js';
export {
  FINDING_KINDS,
  SEVERITIES,
  KIND_TEXT,
  isFindingKind,
  isSeverity,
  type FindingKind,
  type Severity,
  type KindText,
} from './kinds.js';
export { Redactor, FORMAT_REDACTOR } from './redact.js';
export { isSecretName } from './secret-names.js';
export { html, code, mermaid, shellQuote, terminal } from './escape.js';
export { globToRegExp, collapseWith, matchesEverything } from './glob.js';
export { resolvePath, isUnder, rootPattern } from './paths.js';
export { append, own, byCodeUnit } from './collections.js';
export { IoanaError, UsageError, TraceSetupError, InputError, EXIT, signalExit, describeError } from './errors.js';
export {
  isContainerDaemonSocket,
  containerSpec,
  containerRoot,
  hostPath,
  imageOf,
  inContainer,
  type ContainerSpec,
  type BindMount,
} from './containers.js';
export { CREDENTIAL_GLOBS, IDENTITY_GLOBS, isCredentialPath, isIdentityPath, isNameServiceSocket } from './credentials.js';
