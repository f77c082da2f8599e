export {
  parseConfig,
  ConfigError,
  DEFAULT_CONFIG,
  DEFAULT_CONFIG_FILE,
  DEFAULT_FAIL_ON,
  backtracksBadly,
  type Config,
  type NormalizeRule,
  type SeverityRule,
} from './config.js';
export { FINDING_KINDS, SEVERITIES, isFindingKind, isSeverity, type FindingKind, type Severity } from '../vocabulary/kinds.js';
export { parseLocated, firstError, type LocatedDocument } from './yaml-lines.js';
