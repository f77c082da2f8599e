/**
 * What `ioana attest` needs from disk for a plan (src/attest): each subject's sha256,
 * and for each input its digest, or the package that owns it. Files are hashed once
 * each, several at a time, subjects first, within the limits (`FileHasher`); toolchain
 * files a Debian package owns are named by the package instead of being read, and an
 * installed npm package by its package.json.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import {
  buildStatement,
  planAttestation,
  subjectGlob,
  type AttestFacts,
  type Attestation,
  type AttestPlan,
  type InputFact,
  type PlannedInput,
  type StatementMeta,
  type SubjectFact,
} from '../attest/index.js';
import type { Config } from '../config/index.js';
import type { CanonicalRun, RunContext } from '../pipeline/index.js';
import type { PackageIndex } from '../host/packages.js';
import { DEFAULT_HASH_LIMITS, FileHasher, type FileHash, type HashLimits } from './digests.js';

export interface FactOptions {
  readonly limits?: HashLimits;
  /** dpkg's database, being read (started early: it does not depend on the build). */
  readonly packages?: Promise<PackageIndex | undefined>;
}

/** `a/b/x`, `a/c/y` → `a/`: where the names of a folded input's files start. */
function commonDir(paths: readonly string[]): string {
  let prefix = paths[0] ?? '';
  for (const p of paths) while (!p.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.slice(0, prefix.lastIndexOf('/') + 1);
}

/** The files' hashes → the input's digest: the file's own, or over `<sha256>  <path>` lines of the files it folds. */
function digestOf(raw: readonly string[], hashes: ReadonlyMap<string, FileHash>): InputFact {
  const found = raw.map((p) => [p, hashes.get(p)!] as const);
  const missing = found.find(([, h]) => h.kind === 'unhashed');
  if (missing && missing[1].kind === 'unhashed') return { kind: 'unhashed', why: missing[1].why };
  const digests = found.map(([p, h]) => [p, h.kind === 'digest' ? h.sha256 : ''] as const);
  if (digests.length === 1) return { kind: 'digest', sha256: digests[0][1], files: 1 };
  const dir = commonDir(raw);
  const lines = digests.map(([p, d]) => `${d}  ${p.slice(dir.length)}\n`).sort();
  return { kind: 'digest', sha256: createHash('sha256').update(lines.join('')).digest('hex'), files: raw.length };
}

/** `{name, version}` of `dir/package.json`, or undefined. */
async function npmPackage(dir: string): Promise<InputFact | undefined> {
  try {
    const json = JSON.parse(await readFile(`${dir}/package.json`, 'utf8')) as { name?: unknown; version?: unknown };
    if (typeof json.name !== 'string' || typeof json.version !== 'string') return undefined;
    const path = json.name.split('/').map(encodeURIComponent).join('/');
    return { kind: 'package', purl: `pkg:npm/${path}@${encodeURIComponent(json.version)}`, package: json.name, version: json.version };
  } catch {
    return undefined;
  }
}

/** The one Debian package that owns every file of the input, or undefined. */
function debianOwner(input: PlannedInput, index: PackageIndex | undefined): InputFact | undefined {
  if (!index || input.raw.length === 0) return undefined;
  const owners = input.raw.map((p) => index.owner(p));
  const first = owners[0];
  if (!first || owners.some((o) => o?.purl !== first.purl)) return undefined;
  return { kind: 'package', purl: first.purl, package: first.package, version: first.version, architecture: first.architecture };
}

export async function gatherFacts(plan: AttestPlan, opts: FactOptions = {}): Promise<AttestFacts> {
  const limits = opts.limits ?? DEFAULT_HASH_LIMITS;
  const hasher = new FileHasher(limits);
  const index = await opts.packages;
  const inputs = new Map<string, InputFact>();
  let byPackage = 0;
  const packaged: string[] = [];
  const toHash: PlannedInput[] = [];
  for (const input of plan.inputs) {
    if (input.kind === 'endpoint' || input.kind === 'package' || input.raw.length === 0) continue;
    const named =
      input.kind === 'node-module' ? await npmPackage(input.dir!) : input.kind === 'toolchain' ? debianOwner(input, index) : undefined;
    if (named) {
      inputs.set(input.name, named);
      byPackage += input.raw.length;
      packaged.push(...input.raw);
    } else toHash.push(input);
  }
  // Subjects first: a statement without them is no statement; then the repository's files, then the rest.
  const order = (i: PlannedInput) => (i.kind === 'workspace' ? 0 : 1);
  toHash.sort((a, b) => order(a) - order(b));
  // What naming them by package saved: their sizes (a stat each, no read).
  const saved = Promise.all(
    packaged.map((p) =>
      stat(p).then(
        (st) => st.size,
        () => 0,
      ),
    ),
  ).then((sizes) => sizes.reduce((a, b) => a + b, 0));
  const hashes = await hasher.hash([...plan.subjects.map((s) => s.raw), ...toHash.flatMap((i) => i.raw)]);
  const subjects = new Map<string, SubjectFact>();
  for (const s of plan.subjects) {
    const h = hashes.get(s.raw)!;
    subjects.set(s.raw, h.kind === 'digest' ? { kind: 'digest', sha256: h.sha256 } : h);
  }
  for (const input of toHash) inputs.set(input.name, digestOf(input.raw, hashes));
  return {
    subjects,
    inputs,
    hashing: {
      ...hasher.figures,
      limits: { files: limits.files, bytes: limits.bytes },
      byPackage,
      byPackageBytes: await saved,
    },
  };
}

export interface AttestRunOptions extends FactOptions {
  /** The subject globs as given; the statement records them relative to the workspace (`./dist/*` → `dist/*`). */
  readonly globs: readonly string[];
  readonly meta: Omit<StatementMeta, 'globs' | 'control'>;
}

/** What attesting a run cost: the plan's size and the time spent on disk. */
export interface AttestFigures {
  readonly subjects: number;
  readonly inputs: number;
  /** Outputs in the workspace the globs did not pick. */
  readonly notPicked: number;
  readonly hashing: AttestFacts['hashing'];
  /** Milliseconds spent hashing and looking up packages. */
  readonly factsMs: number;
}

/** A canonical run → its statement: plan (pure), facts (disk), statement (pure). */
export async function attestRun(
  run: CanonicalRun,
  context: RunContext,
  config: Config,
  opts: AttestRunOptions,
): Promise<Attestation & { readonly figures: AttestFigures }> {
  // Relative to the workspace, as matched: no machine's path in the statement.
  const globs = opts.globs.map((given) => {
    const s = subjectGlob(given, context.workspace);
    return s.kind === 'glob' ? s.glob : given;
  });
  const plan = planAttestation(run, context, config, { globs });
  const t0 = performance.now();
  const facts = await gatherFacts(plan, opts);
  const factsMs = performance.now() - t0;
  const attestation = buildStatement(plan, facts, { ...opts.meta, globs, control: context.control ?? false });
  return {
    ...attestation,
    figures: { subjects: plan.subjects.length, inputs: plan.inputs.length, notPicked: plan.notPicked, hashing: facts.hashing, factsMs },
  };
}

const MB = 1024 * 1024;

/** `4294967296` → `4096 MB`; `1000` → `1000 bytes`: a limit as given, not rounded to `0 MB`. */
function sizeLimit(bytes: number): string {
  return bytes >= MB && bytes % MB === 0 ? `${bytes / MB} MB` : `${bytes} bytes`;
}

/** `12 subjects, 40 inputs; hashed 52 files (3.1 MB) in 0.04 s; 30 files named by their package` (and the limit, when reached). */
export function describeFigures(f: AttestFigures): string {
  const h = f.hashing;
  const limit = h.reached
    ? `; the hashing limit (${h.limits.files} files, ${sizeLimit(h.limits.bytes)}) was reached: some files have no digest (unhashed: limit)`
    : '';
  return (
    `${f.subjects} subject${f.subjects === 1 ? '' : 's'}, ${f.inputs} input${f.inputs === 1 ? '' : 's'}; ` +
    `hashed ${h.files} files (${(h.bytes / MB).toFixed(1)} MB) in ${(f.factsMs / 1000).toFixed(2)} s; ` +
    `${h.byPackage} files (${(h.byPackageBytes / MB).toFixed(1)} MB) named by their package instead${limit}`
  );
}
