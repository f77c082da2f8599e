/** Severities: defaults per kind, weighted by where the subject lives, then `.ioana.yml`. */
import { globToRegExp, inContainer, inWorkspace, isNameServiceSocket } from '../vocabulary/index.js';
import type { Config, FindingKind, Severity } from '../config/index.js';

/**
 * System locations: a change there is usually a toolchain or OS update (`/usr`, `/lib*`,
 * `/etc`, `/proc`, `/sys`, the runner's tool cache). The README lists the same. Credential
 * files among them have a kind of their own (`credential-read`), always failing by default.
 */
export const SYSTEM_PATH = /^(\/usr\/|\/lib[^/]*\/|\/etc\/|\/proc\/|\/sys\/|\{toolcache\}\/)/;

export function defaultSeverity(kind: FindingKind, subject: string): Severity {
  switch (kind) {
    case 'new-endpoint':
      return isNameServiceSocket(subject) ? 'notice' : 'error';
    case 'source-modified':
    case 'vanished-output':
    case 'credential-read':
    case 'untraced-io':
    case 'tampering':
    case 'baseline-edited':
    case 'config-weakened':
      return 'error';
    case 'new-input':
      // In a container's image (`{container:IMAGE}/usr/…`) as on this machine.
      return SYSTEM_PATH.test(inContainer(subject) ?? subject) ? 'notice' : 'warning';
    case 'new-program':
      return 'warning';
    case 'new-output':
      // A file the build leaves outside the workspace outlives it: /usr/local/bin, /etc/profile.d, a dotfile of
      // $HOME, /tmp and $RUNNER_TEMP are where a later step or job picks it up (persistence).
      // A container's own file is in its image or its container, not on this machine.
      return inWorkspace(subject) || inContainer(subject) !== undefined ? 'warning' : 'error';
    case 'changed-provenance':
    case 'changed-arguments':
    case 'toolchain-changed':
    case 'vanished-input':
    case 'vanished-program':
      return 'notice';
    default: {
      const never: never = kind;
      throw new Error(`diff/defaultSeverity: unknown kind ${String(never)}`);
    }
  }
}

export class SeverityPolicy {
  private readonly rules: readonly { kind?: string; re?: RegExp; severity: Severity }[];

  constructor(private readonly config: Config) {
    this.rules = config.severity.map((r) =>
      /^[a-z]+-[a-z-]+$/.test(r.match) && !r.match.includes('/')
        ? { kind: r.match, severity: r.severity }
        : { re: globToRegExp(r.match), severity: r.severity },
    );
  }

  severity(kind: FindingKind, subject: string): Severity {
    for (const r of this.rules) {
      if (r.kind === kind || r.re?.test(subject)) return r.severity;
    }
    return defaultSeverity(kind, subject);
  }

  failing(kind: FindingKind, severity: Severity): boolean {
    return this.config.failOn.includes(kind) && severity !== 'notice';
  }
}
