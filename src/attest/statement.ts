/**
 * The statement (README, "Attestations"): a plan and what the edge found on disk
 * (digests, packages) → an in-toto Statement v1 with a SLSA provenance v1 predicate.
 *
 * - `subject`: the outputs, each with its sha256.
 * - `resolvedDependencies`: every input of any subject, once: files by digest (or the
 *   Debian package that owns them), package-manager packages and endpoints by URI.
 * - `byproducts`: one record per subject, carrying its digest, that says which of those
 *   inputs flowed into it (exactly its `from` in the canonical graph) and which programs
 *   made it. SLSA's predicate describes one build; this is the per-artifact part.
 * - `internalParameters.hashing`: what was hashed and whether a limit was reached.
 *
 * Sorted throughout, and without timestamps: the same build gives the same statement.
 */
import { byCodeUnit } from '../vocabulary/collections.js';
import type { AttestPlan, PlannedInput } from './plan.js';
import {
  BUILD_TYPE,
  BUILDER_ID,
  DATAFLOW_MEDIA_TYPE,
  PROVENANCE_TYPE,
  STATEMENT_TYPE,
  type ResourceDescriptor,
  type Statement,
  type Subject,
} from './types.js';

/** Why a file has no digest. */
export type Unhashed = 'limit' | 'missing' | 'not a regular file' | 'unreadable';

/** What the edge found for an input. */
export type InputFact =
  /** Its sha256; `files` > 1: the digest of the sorted `<sha256>  <path>` lines of the files it folds. */
  | { readonly kind: 'digest'; readonly sha256: string; readonly files: number }
  /** The installed package that owns its file(s): a Debian package, or an npm package's package.json. */
  | { readonly kind: 'package'; readonly purl: string; readonly package: string; readonly version: string; readonly architecture?: string }
  | { readonly kind: 'unhashed'; readonly why: Unhashed };

export type SubjectFact = { readonly kind: 'digest'; readonly sha256: string } | { readonly kind: 'unhashed'; readonly why: Unhashed };

/** What hashing cost, and the limits it kept to. */
export interface HashingFigures {
  readonly files: number;
  readonly bytes: number;
  readonly limits: { readonly files: number; readonly bytes: number };
  /** A limit stopped hashing: some files have no digest (`unhashed: limit`). */
  readonly reached: boolean;
  /** Files named by their package instead of being read, and their size: what that saved. */
  readonly byPackage: number;
  readonly byPackageBytes: number;
}

export interface AttestFacts {
  /** Subject raw path → its digest. */
  readonly subjects: ReadonlyMap<string, SubjectFact>;
  /** Input canonical name → what pins it (absent: nothing to pin, e.g. an endpoint). */
  readonly inputs: ReadonlyMap<string, InputFact>;
  readonly hashing: HashingFigures;
}

export interface StatementMeta {
  /** The build command (redacted); absent for a recorded log. */
  readonly command?: readonly string[];
  /** Where it ran, relative to the workspace. */
  readonly workingDirectory: string;
  readonly globs: readonly string[];
  readonly control: boolean;
  readonly version: { readonly ioana: string; readonly strace?: string };
}

/** A statement, and the subjects it had to leave out (no digest). */
export interface Attestation {
  readonly statement: Statement;
  readonly leftOut: readonly { readonly name: string; readonly why: Unhashed }[];
}

/** `tcp://127.0.0.1:{port}` → `tcp://127.0.0.1:%7Bport%7D`; `{workspace}/a b` → `file:%7Bworkspace%7D/a%20b`. */
const uriOf = (name: string): string => (/^[a-z][a-z0-9+.-]*:/.test(name) ? encodeURI(name) : `file:${encodeURI(name)}`);

/** An input as a ResourceDescriptor. */
export function dependency(input: PlannedInput, fact: InputFact | undefined): ResourceDescriptor {
  const kind = { kind: input.kind };
  if (input.kind === 'endpoint') {
    return { name: input.name, uri: uriOf(input.name), annotations: input.result ? { ...kind, result: input.result } : kind };
  }
  if (input.kind === 'package') return { name: input.name, uri: input.purl ?? uriOf(input.name), annotations: kind };
  if (fact === undefined) return { name: input.name, uri: uriOf(input.name), annotations: kind };
  switch (fact.kind) {
    case 'digest':
      return {
        name: input.name,
        digest: { sha256: fact.sha256 },
        annotations: fact.files > 1 ? { ...kind, files: fact.files } : kind,
      };
    case 'package':
      return {
        name: input.name,
        uri: fact.purl,
        annotations: {
          ...kind,
          package: fact.package,
          version: fact.version,
          ...(fact.architecture ? { architecture: fact.architecture } : {}),
        },
      };
    case 'unhashed':
      return { name: input.name, uri: uriOf(input.name), annotations: { ...kind, unhashed: fact.why } };
    default: {
      const never: never = fact;
      throw new Error(`attest/dependency: unknown fact ${JSON.stringify(never)}`);
    }
  }
}

/** plan + facts → the statement; subjects without a digest are left out and listed. */
export function buildStatement(plan: AttestPlan, facts: AttestFacts, meta: StatementMeta): Attestation {
  const subject: Subject[] = [];
  const byproducts: ResourceDescriptor[] = [];
  const leftOut: { name: string; why: Unhashed }[] = [];
  const endpoints = new Set(plan.inputs.filter((i) => i.kind === 'endpoint').map((i) => i.name));
  for (const s of plan.subjects) {
    const fact = facts.subjects.get(s.raw) ?? { kind: 'unhashed', why: 'missing' };
    if (fact.kind === 'unhashed') {
      leftOut.push({ name: s.name, why: fact.why });
      continue;
    }
    const digest = { sha256: fact.sha256 };
    subject.push({ name: s.name, digest });
    byproducts.push({
      name: s.name,
      digest,
      mediaType: DATAFLOW_MEDIA_TYPE,
      annotations: {
        output: s.output,
        inputs: s.inputs,
        programs: s.programs,
        endpoints: s.inputs.filter((i) => endpoints.has(i)),
      },
    });
  }
  const used = new Set(byproducts.flatMap((b) => b.annotations!.inputs as readonly string[]));
  const resolvedDependencies = plan.inputs.filter((i) => used.has(i.name)).map((i) => dependency(i, facts.inputs.get(i.name)));
  const statement: Statement = {
    _type: STATEMENT_TYPE,
    subject: subject.sort((a, b) => byCodeUnit(a.name, b.name)),
    predicateType: PROVENANCE_TYPE,
    predicate: {
      buildDefinition: {
        buildType: BUILD_TYPE,
        externalParameters: {
          ...(meta.command ? { command: meta.command } : {}),
          workingDirectory: meta.workingDirectory,
          ...(meta.globs.length > 0 ? { subjects: meta.globs } : {}),
        },
        internalParameters: {
          provenance: meta.control ? 'control' : 'data',
          hashing: facts.hashing,
          ...(plan.notPicked > 0 ? { outputsNotPicked: plan.notPicked } : {}),
          ...(plan.ignored > 0 ? { outputsIgnored: plan.ignored } : {}),
          ...(leftOut.length > 0 ? { subjectsLeftOut: leftOut } : {}),
        },
        resolvedDependencies,
      },
      runDetails: {
        builder: {
          id: BUILDER_ID,
          version: { ioana: meta.version.ioana, ...(meta.version.strace ? { strace: meta.version.strace } : {}) },
        },
        byproducts,
      },
    },
  };
  return { statement, leftOut };
}
