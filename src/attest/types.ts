/**
 * An in-toto Statement v1 with a SLSA provenance v1 predicate, as ioana writes it
 * (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md,
 * https://slsa.dev/spec/v1.0/provenance). Plain data: JSON.stringify gives the statement.
 */

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PROVENANCE_TYPE = 'https://slsa.dev/provenance/v1';
/** How ioana's statements are to be read: the README section that says what goes where. */
export const BUILD_TYPE = 'https://github.com/ioana/action/blob/main/README.md#attestations';
/** ioana, observing a build under strace: what every statement's `builder.id` names. */
export const BUILDER_ID = 'https://github.com/ioana/action';
/** The media type of the per-subject byproducts (RFC 6838 §3.3 vendor tree). */
export const DATAFLOW_MEDIA_TYPE = 'application/vnd.ioana.dataflow+json';

/** A digest set: algorithm → lowercase hex. */
export type DigestSet = Readonly<Record<string, string>>;

/** The in-toto ResourceDescriptor: at least one of `uri`, `digest` (or `content`, which ioana never writes). */
export interface ResourceDescriptor {
  readonly name?: string;
  readonly uri?: string;
  readonly digest?: DigestSet;
  readonly mediaType?: string;
  readonly annotations?: Readonly<Record<string, unknown>>;
}

export interface Subject {
  /** The file, relative to the workspace: `build/hello`. */
  readonly name: string;
  readonly digest: DigestSet & { readonly sha256: string };
}

export interface Provenance {
  readonly buildDefinition: {
    readonly buildType: string;
    readonly externalParameters: Readonly<Record<string, unknown>>;
    readonly internalParameters?: Readonly<Record<string, unknown>>;
    readonly resolvedDependencies: readonly ResourceDescriptor[];
  };
  readonly runDetails: {
    readonly builder: { readonly id: string; readonly version?: Readonly<Record<string, string>> };
    readonly byproducts: readonly ResourceDescriptor[];
  };
}

export interface Statement {
  readonly _type: typeof STATEMENT_TYPE;
  readonly subject: readonly Subject[];
  readonly predicateType: typeof PROVENANCE_TYPE;
  readonly predicate: Provenance;
}
