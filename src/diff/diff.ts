/**
 * Baseline vs the canonical graph of this run → findings (docs/architecture.md §1.7). Entries the
 * baseline saw in only some runs are tolerated when absent; related findings about
 * many files in one directory become one finding.
 */
import type { Baseline, BaselineLines, Counted } from '../baseline/index.js';
import { append } from '../vocabulary/collections.js';
import { entryKey } from '../baseline/index.js';
import type { CanonicalGraph } from '../canon/index.js';
import { byCodeUnit, inWorkspace, isCredentialPath, isIdentityPath, KIND_TEXT, programKey } from '../vocabulary/index.js';
import { FINDING_KINDS, type Config, type FindingKind } from '../config/index.js';
import { foldEffects, rankOf, type Node } from './causes.js';
import { comparePrograms, fileNames } from './programs.js';
import { foldedBaseline, setText } from './folded.js';
import { minus, ProvenanceChanges, Reach, Values } from './shared-lists.js';
import { SeverityPolicy, SYSTEM_PATH } from './severity.js';
import { cacheToken } from '../vocabulary/caches.js';
import type { Finding, SetCount } from './types.js';

/** At least this many findings of one kind in one directory become one finding. */
export const GROUP_MIN = 5;
const GROUPED: ReadonlySet<FindingKind> = new Set(['new-input', 'vanished-input', 'new-output', 'vanished-output']);

interface Draft extends Node {
  outputs: string[];
  baselineLine?: number;
  effects?: Draft[];
  /** new-endpoint: how the attempts at it ended (`refused (ECONNREFUSED)`). */
  result?: string;
  /** Programs: how many distinct commands are new or gone. */
  commands?: number;
  /** Who did it: the command that changed a source, read an input first, connected to an endpoint. */
  by?: string;
  /** A folded set of outputs (`fold-outputs`): how many files it holds now and in the baseline. */
  files?: SetCount;
  /** An identity file read: the endpoints what it holds may have gone out to. */
  sentTo?: readonly string[];
  /** new-program: the build cache whose miss alone ran it (a toolchain program the baseline's hits skipped). */
  cacheMiss?: string;
}

type Unrated = Omit<Draft, 'severity' | 'failing'>;

export function diff(base: Baseline, current: CanonicalGraph, config: Config, baselineLines: BaselineLines = new Map()): Finding[] {
  const policy = new SeverityPolicy(config);
  const drafts: Unrated[] = [];
  const runs = base.runs;
  const all = (xs: readonly { value: string }[]) => new Set(xs.map((c) => c.value));
  // An entry seen in fewer runs, or that only a cache miss needs, may be absent.
  const always = (xs: readonly Counted[]) => xs.filter((c) => c.seen >= runs && c.miss === undefined).map((c) => c.value);
  const { outputs: baseOutputList, lines } = foldedBaseline(base, config, baselineLines);

  // Which outputs each input reaches, now and in the baseline.
  const reachNow = new Reach(current.outputs, (f: string) => f);
  const reachBefore = new Reach(baseOutputList, (c: Counted) => c.value);

  const inputsNow = new Set(current.inputs);
  const outputsNow = new Set(current.outputs.map((o) => o.path));
  const baseInputs = all(base.inputs);
  const baseOutputs = new Set(baseOutputList.map((o) => o.path));

  // source-modified: the build wrote a file of the working tree it also reads, or read.
  // A file the baseline lists as an output is a product of the build (left over from an
  // earlier, incremental build), not a source.
  // In a git work tree the tracked files are the sources, and `modified` is the answer;
  // elsewhere an output that was also read existed before the build, so it is one too.
  const knownModified = new Set([...all(base.modified), ...baseOutputs]);
  const candidates =
    current.sources === 'git'
      ? current.modified
      : [...current.modified, ...[...outputsNow].filter((p) => inputsNow.has(p) || baseInputs.has(p))];
  const modified = new Set(candidates.filter((p) => inWorkspace(p) && !knownModified.has(p)));
  for (const p of [...modified].sort(byCodeUnit))
    drafts.push({ kind: 'source-modified', subject: p, outputs: [p], by: current.modifiedBy?.[p] });

  // A new program's executable is a new input too; the new-program finding says it.
  const baseExes = new Set(base.programs.map((p) => p.exe));
  /**
   * The cache whose miss ran a new program, when that is all it is: every run of it behind a
   * launcher of a cache the baseline used, and its executable the system's (`/usr/lib/go-1.19/
   * pkg/tool/linux_amd64/compile`, `cc1`), not the project's or a temporary one.
   */
  const missedTool = (exe: string): string | undefined => {
    if (!SYSTEM_PATH.test(exe)) return undefined;
    const runs = current.programs.filter((p) => p.exe === exe);
    const cache = runs[0]?.miss;
    return cache !== undefined && baseCacheNames.has(cache) && runs.every((p) => p.miss === cache) ? cache : undefined;
  };
  const newExes = new Set(current.programs.map((p) => p.exe).filter((e) => !baseExes.has(e)));
  // A cache the baseline used may miss now: what only that miss read of the system's (the toolchain's own files) is no change.
  const baseCacheNames = new Set((base.caches ?? []).map((c) => c.value));
  const onMiss = (p: string): boolean => {
    const cache = current.miss?.[p];
    return cache !== undefined && baseCacheNames.has(cache) && SYSTEM_PATH.test(p) && !isCredentialPath(p) && !isIdentityPath(p);
  };
  // What may have gone out to an endpoint, by input.
  const sentTo = new Map<string, string[]>();
  for (const [e, from] of Object.entries(current.endpointFrom ?? {})) for (const f of from) append(sentTo, f, e);
  for (const p of minus(current.inputs, baseInputs)) {
    if (onMiss(p)) continue;
    // A credential file is its own kind, whatever directory it is in (/etc/shadow is a system path).
    const who = current.actors?.[p];
    const read = { subject: p, outputs: reachNow.get(p), by: who?.by, readers: who?.exes };
    // An identity file (/etc/passwd) is one only when what it holds reaches an output or an endpoint.
    const leaks = isIdentityPath(p) && (read.outputs.length > 0 || sentTo.has(p));
    if (isCredentialPath(p) || leaks) drafts.push({ kind: 'credential-read', ...read, ...(leaks ? { sentTo: sentTo.get(p) } : {}) });
    else if (!newExes.has(p)) drafts.push({ kind: 'new-input', ...read });
  }
  for (const p of minus(always(base.inputs), inputsNow)) {
    if (modified.has(p)) continue;
    drafts.push({ kind: 'vanished-input', subject: p, outputs: reachBefore.get(p), baselineLine: lines.get(entryKey('inputs', p)) });
  }
  const now = new Map(current.outputs.map((o) => [o.path, o]));
  for (const p of minus(outputsNow, baseOutputs)) {
    if (modified.has(p)) continue;
    const o = now.get(p)!;
    drafts.push({
      kind: 'new-output',
      subject: p,
      outputs: [p],
      from: o.from,
      ...(o.files === undefined ? {} : { files: { now: o.files } }),
    });
  }
  const values = new Values();
  for (const o of baseOutputList) {
    if (o.seen >= runs && !outputsNow.has(o.path))
      drafts.push({
        kind: 'vanished-output',
        subject: o.path,
        outputs: [o.path],
        from: values.of(o.from),
        baselineLine: lines.get(entryKey('outputs', o.path)),
        ...(o.files === undefined ? {} : { files: { baseline: o.files } }),
      });
  }
  // A folded set that holds more files, or fewer: one finding about the set.
  for (const b of baseOutputList) {
    const o = now.get(b.path);
    if (!o || (o.files === undefined && b.files === undefined) || (o.files ?? 1) === (b.files ?? 1)) continue;
    const files = { now: o.files ?? 1, baseline: b.files ?? 1 };
    if (files.now > files.baseline) drafts.push({ kind: 'new-output', subject: b.path, outputs: [b.path], files });
    else if (b.seen >= runs)
      drafts.push({
        kind: 'vanished-output',
        subject: b.path,
        outputs: [b.path],
        files,
        baselineLine: lines.get(entryKey('outputs', b.path)),
      });
  }

  for (const c of comparePrograms(
    // A program a cache hit skips is known, and optional.
    base.programs.map((p) => (p.miss !== undefined ? { ...p, seen: 0 } : p)),
    current.programs,
    runs,
    fileNames({ inputs: current.inputs, outputs: [...outputsNow] }, { inputs: [...baseInputs], outputs: [...baseOutputs] }),
  )) {
    drafts.push({
      kind: c.kind,
      subject: c.subject,
      outputs: [],
      exe: c.exe,
      ...(c.kind === 'new-program' ? { cacheMiss: missedTool(c.exe) } : {}),
      ...(c.kind === 'changed-arguments' ? { added: [...(c.added ?? [])], removed: [...(c.removed ?? [])] } : {}),
      ...(c.entry ? { baselineLine: lines.get(entryKey('programs', programKey(c.entry))) } : {}),
      commands: c.commands,
    });
  }

  // A build cache is one entity: one that the baseline never used is one finding that names it.
  const baseCaches = all(base.caches ?? []);
  for (const c of current.caches ?? [])
    if (!baseCaches.has(c))
      drafts.push({ kind: 'new-input', subject: cacheToken(c), outputs: [], by: current.actors?.[cacheToken(c)]?.by });
  for (const c of always(base.caches ?? []))
    if (!(current.caches ?? []).includes(c))
      drafts.push({ kind: 'vanished-input', subject: cacheToken(c), outputs: [], baselineLine: lines.get(entryKey('caches', c)) });
  // A toolchain's version is not in its files' names: another version is one notice per tool.
  for (const [tool, version] of Object.entries(current.toolchains ?? {})) {
    const was = base.toolchains?.[tool];
    if (was !== undefined && was !== version)
      drafts.push({
        kind: 'toolchain-changed',
        subject: tool,
        outputs: [],
        added: [version],
        removed: [was],
        baselineLine: lines.get(entryKey('toolchains', tool)),
      });
  }

  const baseEndpoints = all(base.endpoints);
  for (const e of current.endpoints)
    if (!baseEndpoints.has(e))
      drafts.push({
        kind: 'new-endpoint',
        subject: e,
        outputs: reachNow.get(e),
        result: current.endpointResults?.[e],
        by: current.actors?.[e]?.by,
        readers: current.actors?.[e]?.exes,
      });
  // Reported every run, not only when new: what ioana cannot see, it cannot compare.
  for (const u of current.untraced ?? []) drafts.push({ kind: 'untraced-io', subject: u, outputs: [] });
  for (const t of current.tampered ?? []) drafts.push({ kind: 'tampering', subject: t, outputs: [] });
  // Reaching into a process outside the build: its secrets are a credential read, its handles tampering; every run.
  for (const r of current.reached ?? [])
    drafts.push({ kind: r.what === 'secrets' ? 'credential-read' : 'tampering', subject: r.path, outputs: [], by: r.by });

  const baseFrom = new Map(baseOutputList.map((o) => [o.path, o]));
  // Not changes of an output's inputs: what only a cache miss needs (cold or warm, it comes and goes), and an
  // endpoint the build no longer reaches at all (a warm cache's downloads: no endpoint vanishing is a finding either).
  const nowEndpoints = new Set(current.endpoints);
  const provenance = new ProvenanceChanges(
    new Set([
      ...base.inputs.filter((c) => c.miss !== undefined).map((c) => c.value),
      ...Object.keys(current.miss ?? {}),
      ...base.endpoints.map((c) => c.value).filter((e) => !nowEndpoints.has(e)),
    ]),
  );
  for (const o of current.outputs) {
    const b = baseFrom.get(o.path);
    if (!b) continue;
    const { added, removed } = provenance.of(o.from, b.from, b.seen);
    // Lists shared between outputs: each finding gets its own copies.
    if (added.length + removed.length > 0)
      drafts.push({ kind: 'changed-provenance', subject: o.path, outputs: [o.path], added: [...added], removed: [...removed] });
  }

  const rate = <T extends Unrated>(d: T): T & Draft => {
    // What a cache miss ran, of the system's toolchain, is what the baseline's hits skipped: a notice.
    const severity = d.cacheMiss !== undefined ? 'notice' : policy.severity(d.kind, d.subject);
    return { ...d, severity, failing: policy.failing(d.kind, severity) };
  };
  const causes = foldEffects(withPackages(drafts).map(rate)) as Draft[];
  return finish(group(causes, rate));
}

/**
 * A new package's build products are reported with the package: the new output
 * `{workspace}/target/debug/itoa.crate` goes into the finding about the new input
 * `{cargo}/itoa@1.0.1` (as an output it reaches), so that adding a dependency is one
 * finding that names it.
 */
function withPackages(drafts: Unrated[]): Unrated[] {
  const packages = new Map<string, Unrated>();
  for (const d of drafts) {
    const m = d.kind === 'new-input' ? /^\{cargo\}\/([^@/]+)@/.exec(d.subject) : null;
    if (m) packages.set(m[1].replace(/-/g, '_'), d);
  }
  if (packages.size === 0) return drafts;
  return drafts.filter((d) => {
    const crate = d.kind === 'new-output' ? /\/([A-Za-z0-9_]+)\.crate$/.exec(d.subject)?.[1] : undefined;
    const from = crate === undefined ? undefined : packages.get(crate);
    if (!from) return true;
    if (!from.outputs.includes(d.subject)) from.outputs.push(d.subject);
    return false;
  });
}

/** Many findings of one kind in one directory → one finding about the directory, with the effects of them all. */
function group(drafts: Draft[], rate: (d: Unrated) => Draft): Draft[] {
  const buckets = new Map<string, Draft[]>();
  const out: Draft[] = [];
  for (const d of drafts) {
    // A folded set is a group already.
    if (!GROUPED.has(d.kind) || d.files) {
      out.push(d);
      continue;
    }
    const dir = d.subject.slice(0, d.subject.lastIndexOf('/') + 1);
    const key = `${d.kind}\u0000${dir}`;
    append(buckets, key, d);
  }
  for (const [key, list] of buckets) {
    if (list.length < GROUP_MIN) {
      out.push(...list);
      continue;
    }
    const [kind, dir] = key.split('\u0000') as [FindingKind, string];
    const members = list.map((d) => d.subject).sort(byCodeUnit);
    const effects = list.flatMap((d) => d.effects ?? []);
    out.push(
      rate({
        kind,
        subject: dir,
        outputs: [...new Set(list.flatMap((d) => d.outputs))].sort(byCodeUnit),
        baselineLine: list.map((d) => d.baselineLine).find((l) => l !== undefined),
        members,
        ...(effects.length > 0 ? { effects } : {}),
      }),
    );
  }
  return out;
}

/** At most three commands, quoted, and how many more. */
function quoteList(commands: readonly string[]): string {
  const shown = commands.slice(0, 3).map((c) => `\`${c}\``);
  return commands.length > 3 ? `${shown.join(', ')} and ${commands.length - 3} more` : shown.join(', ');
}

function message(d: Draft): string {
  const what = d.files ? setText(d.subject, d.files) : d.members ? `${d.members.length} files under ${d.subject}` : d.subject;
  let text = `${KIND_TEXT[d.kind].verb} ${what}`;
  if (d.kind === 'changed-arguments') {
    const parts = [];
    if (d.added?.length) parts.push(`now also ${quoteList(d.added)}`);
    if (d.removed?.length) parts.push(`no longer ${quoteList(d.removed)}`);
    text += ` (${parts.join('; ')})`;
  } else if ((d.kind === 'new-program' || d.kind === 'vanished-program') && (d.commands ?? 1) > 1) {
    text += ` (and ${d.commands! - 1} other command${d.commands! > 2 ? 's' : ''} of it)`;
  }
  if (d.cacheMiss !== undefined)
    text += ` (run on a miss of the build cache {cache:${d.cacheMiss}}, whose hits skipped it when the baseline was recorded)`;
  else if (d.kind === 'toolchain-changed') {
    text += ` ${d.removed?.[0] ?? '?'} → ${d.added?.[0] ?? '?'}`;
  } else if (d.kind === 'changed-provenance') {
    const parts = [];
    if (d.added?.length) parts.push(`now also from ${d.added.join(', ')}`);
    if (d.removed?.length) parts.push(`no longer from ${d.removed.join(', ')}`);
    text += ` (${parts.join('; ')})`;
  } else if (d.outputs.length > 0 && d.kind !== 'new-output' && d.kind !== 'vanished-output' && d.kind !== 'source-modified') {
    text += d.outputs.length === 1 ? `, which reaches ${d.outputs[0]}` : `, which reaches ${d.outputs.length} outputs`;
  } else if (d.sentTo && d.sentTo.length > 0) {
    text +=
      d.sentTo.length === 1 ? `, which may have gone out to ${d.sentTo[0]}` : `, which may have gone out to ${d.sentTo.length} endpoints`;
  }
  if (d.by !== undefined) {
    // A compiler's command line can be thousands of characters: its start names the program, its end the files.
    const by = d.by.length > 120 ? `${d.by.slice(0, 80)}…${d.by.slice(-39)}` : d.by;
    text += d.kind === 'new-input' || d.kind === 'credential-read' ? ` (read first by \`${by}\`)` : ` (by \`${by}\`)`;
  }
  if (d.result === 'sent') text += ' (datagrams sent to it without a connect)';
  else if (d.result !== undefined && d.result !== 'connected') text += ` (the attempt: ${d.result})`;
  return text + '.';
}

/**
 * Drafts → findings, in the order every report shows them: what fails the check first
 * (a reader of 77 findings must not miss the two errors), then by kind and subject;
 * each cause with its effects, in the same order.
 */
function finish(drafts: readonly Draft[]): Finding[] {
  return orderFindings(
    drafts.map((d) => {
      const effects = d.effects ? finish(d.effects) : [];
      const f: Finding = {
        kind: d.kind,
        severity: d.severity,
        subject: d.subject,
        outputs: [...new Set(d.outputs)].sort(byCodeUnit),
        message: message(d),
        failing: d.failing,
        ...(d.members ? { count: d.members.length, members: d.members.slice(0, 20) } : {}),
        ...(d.added ? { added: d.added, removed: d.removed ?? [] } : {}),
        ...(d.baselineLine !== undefined ? { baselineLine: d.baselineLine } : {}),
        ...(d.by !== undefined ? { by: d.by } : {}),
        ...(d.files ? { files: d.files } : {}),
        ...(effects.length > 0 ? { effects } : {}),
      };
      return f;
    }),
  );
}

/** Findings in the order every report shows them: by `rankOf`, then kind, then subject. */
export function orderFindings(findings: readonly Finding[]): Finding[] {
  const order = (k: FindingKind) => FINDING_KINDS.indexOf(k);
  return [...findings].sort((a, b) => rankOf(a) - rankOf(b) || order(a.kind) - order(b.kind) || byCodeUnit(a.subject, b.subject));
}
