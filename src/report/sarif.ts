/**
 * A check's findings as a SARIF 2.1.0 log (`ioana check --sarif FILE`, the action's
 * `sarif` output), for GitHub code scanning and other SARIF viewers. Pure: the CLI and
 * the action write what it returns.
 *
 * One tool, `ioana`, with one rule per finding kind (README, "Findings"), and one
 * result per top-level finding, in the report's order. What GitHub's ingestion asks of
 * a file (docs.github.com, "SARIF support for code scanning"), and how it is met:
 * - every result has a location with `physicalLocation.artifactLocation.uri` (a result
 *   without one makes the whole upload fail: "locationFromSarifResult: expected at
 *   least one location"). A finding about a file of the repository points at it, with
 *   the placement the annotations use (location.ts); any other finding points at the
 *   baseline, the file that accepts the change;
 * - paths are relative to the repository root, so that they are the same in every run;
 * - `partialFingerprints`: `ioanaFinding/v1`, a hash of the kind and the canonical
 *   subject, the same wherever and whenever the build ran. Code scanning itself keys
 *   alerts on `primaryLocationLineHash`, which upload-sarif computes from the line a
 *   location names; a location without a line (a whole file: several findings can
 *   share it) gets no region, and ioana gives it a `primaryLocationLineHash` of its own,
 *   so that two findings on one file are two alerts, and upload-sarif, which hashes
 *   only lines, has nothing to contradict;
 * - at most 25,000 results per run are accepted, and 5,000 shown: the first 5,000
 *   findings, failing ones first, are the results.
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { defaultSeverity, type Finding } from '../diff/index.js';
import { FINDING_KINDS, KIND_TEXT, type FindingKind, type Severity } from '../vocabulary/index.js';
import { placeOf, type Place, type RepositoryFiles } from './location.js';
import { ACCEPT_TEXT, RULE_TEXT } from './sarif-rules.js';
import type { Report } from './types.js';

/** The schema every SARIF 2.1.0 log names (the one GitHub's documentation gives). */
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The key of ioana's own fingerprint in `partialFingerprints`: its version changes when its input does. */
export const FINGERPRINT_KEY = 'ioanaFinding/v1';
/** Code scanning shows the first 5,000 results of a run (and refuses more than 25,000). */
export const MAX_RESULTS = 5000;
/** Members, effects, added and removed commands listed in a result's properties; the JSON report has them all. */
export const MAX_LISTED = 20;
/** The base of repository-relative URIs. */
export const SOURCE_ROOT = '%SRCROOT%';

/** ioana's home (host/version.ts's HOME_REPOSITORY: a stage reads no host module; a test keeps them equal). */
export const INFORMATION_URI = 'https://github.com/ioana/action';
const HELP_URI = `${INFORMATION_URI}#findings`;

type Level = 'error' | 'warning' | 'note';

/** A SARIF 2.1.0 log: the parts of the format ioana writes. */
export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly SarifRun[];
}

export interface SarifRun {
  readonly tool: { readonly driver: SarifDriver };
  readonly originalUriBaseIds: Readonly<Record<string, { readonly description: SarifMessage }>>;
  readonly invocations: readonly SarifInvocation[];
  readonly results: readonly SarifResult[];
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface SarifDriver {
  readonly name: 'ioana';
  readonly informationUri: string;
  readonly version?: string;
  readonly semanticVersion?: string;
  readonly rules: readonly SarifRule[];
}

export interface SarifMessage {
  readonly text: string;
}

export interface SarifRule {
  readonly id: FindingKind;
  readonly name: string;
  readonly shortDescription: SarifMessage;
  readonly fullDescription: SarifMessage;
  readonly help: { readonly text: string; readonly markdown: string };
  readonly helpUri: string;
  readonly defaultConfiguration: { readonly level: Level };
  readonly properties: { readonly tags: readonly string[]; readonly precision: string; readonly 'problem.severity': string };
}

export interface SarifInvocation {
  readonly executionSuccessful: boolean;
  readonly toolExecutionNotifications?: readonly { readonly level: Level; readonly message: SarifMessage }[];
}

export interface SarifLocation {
  readonly physicalLocation: {
    readonly artifactLocation: { readonly uri: string; readonly uriBaseId?: string };
    readonly region?: { readonly startLine: number };
  };
}

export interface SarifResult {
  readonly ruleId: FindingKind;
  readonly ruleIndex: number;
  readonly level: Level;
  readonly message: SarifMessage;
  readonly locations: readonly [SarifLocation];
  readonly partialFingerprints: Readonly<Record<string, string>>;
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface SarifOptions {
  /**
   * The repository's files findings point at (location.ts), repository-relative. The
   * baseline is required: a finding about no file of the repository is placed on it.
   */
  readonly files: RepositoryFiles & { readonly baseline: string };
  /** ioana's version (host/version.ts); omitted when not given. */
  readonly version?: string;
  /** The command that accepts the change, as the text report prints it. */
  readonly accept?: string;
}

const LEVEL: Readonly<Record<Severity, Level>> = { error: 'error', warning: 'warning', notice: 'note' };
const PROBLEM_SEVERITY: Readonly<Record<Level, string>> = { error: 'error', warning: 'warning', note: 'recommendation' };

/** `new-input` → `NewInput`: SARIF wants a rule's name to be an identifier people can read. */
const pascal = (kind: string): string => kind.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());

/** The rule of each kind, in FINDING_KINDS' order (a result's `ruleIndex`). */
export function sarifRules(): SarifRule[] {
  return FINDING_KINDS.map((kind): SarifRule => {
    const { when, todo } = RULE_TEXT[kind];
    // A subject in the workspace: the kind's own default, not a system path's.
    const level = LEVEL[defaultSeverity(kind, '{workspace}/file')];
    const label = KIND_TEXT[kind].label;
    return {
      id: kind,
      name: pascal(kind),
      shortDescription: { text: KIND_TEXT[kind].title },
      fullDescription: { text: when },
      help: {
        text: `${when}\n\n${todo}\n\n${ACCEPT_TEXT}`,
        markdown: `**${label[0].toUpperCase()}${label.slice(1)}** (\`${kind}\`): ${when}\n\n${todo}\n\n${ACCEPT_TEXT}\n\nSee [the findings](${HELP_URI}) in ioana's README.`,
      },
      helpUri: HELP_URI,
      defaultConfiguration: { level },
      properties: { tags: ['security', 'supply-chain', 'build'], precision: 'very-high', 'problem.severity': PROBLEM_SEVERITY[level] },
    };
  });
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The same for the same change, whatever machine or run found it: subjects are canonical. */
export function findingFingerprint(f: Pick<Finding, 'kind' | 'subject'>): string {
  return sha256(`${f.kind}\u0000${f.subject}`);
}

/** `src/a b.c` → `src/a%20b.c` (relative to the repository root); an absolute path → a `file:` URI. */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (file.startsWith('/')) return { uri: pathToFileURL(file).href };
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT };
}

/** Every effect under a finding, however deep. */
function allEffects(f: Finding): Finding[] {
  return (f.effects ?? []).flatMap((e) => [e, ...allEffects(e)]);
}

const listed = (items: readonly string[] | undefined) => (items && items.length > 0 ? items.slice(0, MAX_LISTED) : undefined);

function resultOf(f: Finding, files: SarifOptions['files']): SarifResult {
  const place: Place = placeOf(f, files) ?? { file: files.baseline };
  const effects = allEffects(f);
  const n = effects.length;
  const more = n === 0 ? '' : ` (${n} more finding${n === 1 ? ' follows' : 's follow'} from it: see the JSON report)`;
  const fingerprint = findingFingerprint(f);
  const properties: Record<string, unknown> = {
    subject: f.subject,
    severity: f.severity,
    failing: f.failing,
    outputs: f.outputs.length,
    ...(f.count !== undefined ? { count: f.count, members: f.members ?? [] } : {}),
    ...(f.by !== undefined ? { by: f.by } : {}),
    ...(listed(f.added) ? { added: listed(f.added) } : {}),
    ...(listed(f.removed) ? { removed: listed(f.removed) } : {}),
    ...(effects.length > 0
      ? {
          effectCount: effects.length,
          effects: effects
            .slice(0, MAX_LISTED)
            .map((e) => ({ kind: e.kind, subject: e.subject, severity: e.severity, message: e.message })),
        }
      : {}),
  };
  return {
    ruleId: f.kind,
    ruleIndex: FINDING_KINDS.indexOf(f.kind),
    level: LEVEL[f.severity],
    message: { text: more ? `${f.message.replace(/\.$/, '')}${more}.` : f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(place.file),
          ...(place.line !== undefined ? { region: { startLine: place.line } } : {}),
        },
      },
    ],
    // A line is hashed by upload-sarif, from the file as checked out; a whole file is
    // not, and several findings can share it: those carry their own line hash.
    partialFingerprints: {
      [FINGERPRINT_KEY]: fingerprint,
      ...(place.line === undefined ? { primaryLocationLineHash: `${fingerprint.slice(0, 16)}:1` } : {}),
    },
    properties,
  };
}

/** Why the run's findings may be incomplete: the build failed or was interrupted. */
function invocationOf(report: Report): SarifInvocation {
  const { build } = report;
  const how = build.signal ? `killed by ${build.signal}` : `exit status ${build.exitCode}`;
  const problem = build.interrupted
    ? `ioana was interrupted by ${build.interrupted}: the findings cover only what the build did until then.`
    : report.status === 'build-failed'
      ? `The traced build failed (${how}): the findings cover what it did before it failed.`
      : undefined;
  return problem === undefined
    ? { executionSuccessful: true }
    : { executionSuccessful: false, toolExecutionNotifications: [{ level: 'error', message: { text: problem } }] };
}

/** The report of a check → a SARIF 2.1.0 log (JSON-serializable). */
export function renderSarif(report: Report, opts: SarifOptions): SarifLog {
  const results = report.findings.slice(0, MAX_RESULTS).map((f) => resultOf(f, opts.files));
  const omitted = report.findings.length - results.length;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ioana',
            informationUri: INFORMATION_URI,
            ...(opts.version ? { version: opts.version, semanticVersion: opts.version } : {}),
            rules: sarifRules(),
          },
        },
        originalUriBaseIds: { [SOURCE_ROOT]: { description: { text: 'The root of the repository: the workspace the build ran in.' } } },
        invocations: [invocationOf(report)],
        results,
        properties: {
          status: report.status,
          findings: report.findings.length,
          failing: report.failing,
          baseline: report.baseline,
          partial: report.partial,
          ...(omitted > 0 ? { omittedFindings: omitted } : {}),
          ...(opts.accept ? { accept: opts.accept } : {}),
        },
      },
    ],
  };
}
