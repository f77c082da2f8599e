/**
 * The canonical graph (docs/architecture.md §1.5): the graph document with every path, argument and
 * address rewritten so that two clean builds of the same source look identical, then
 * the user's `ignore`, `collapse` and `normalize` rules. Every rewrite is recorded.
 */
import type { GraphDocument, GraphFigures } from '../graph/index.js';
import type { Config } from '../config/index.js';
import { collapseWith, globToRegExp } from '../vocabulary/glob.js';
import { FORMAT_REDACTOR, type Redactor } from '../vocabulary/redact.js';
import { byCodeUnit } from '../vocabulary/collections.js';
import { programKey, programText } from '../vocabulary/tokens.js';
import { KNOWLEDGE_RULES } from './knowledge.js';
import { canonicalOutputs } from './outputs.js';
import { toolchainVersions } from './toolchains.js';
import { cacheName, cacheToken } from '../vocabulary/caches.js';
import { isCredentialPath } from '../vocabulary/credentials.js';

/**
 * What name lookups read: the resolver's configuration and the hosts file. Reading them is
 * part of reaching an endpoint, which is what a finding names; and a run that finds its
 * answer cached (npm's update check, once a day) does not read them at all.
 */
const NETWORK_CONFIG: ReadonlySet<string> = new Set([
  '/etc/hosts',
  '/etc/host.conf',
  '/etc/resolv.conf',
  '/etc/nsswitch.conf',
  '/etc/gai.conf',
  '/run/systemd/resolve/resolv.conf',
  '/run/systemd/resolve/stub-resolv.conf',
]);

/** A package manager's package, one entry per package and version. */
const PACKAGE = /^\{(?:cargo|gomod|npm|pip)\}\//;
import {
  canonicalJobs,
  CONTAINER_RULE,
  EARLY_RULES,
  GENERIC_RULES,
  madeComponents,
  ROOTS_RULE,
  type CanonContext,
  type RewriteStep,
  type Rule,
  type Scope,
} from './rules.js';

/**
 * The built-in rules in the order they run, the user's `normalize` rules going in after
 * the roots: a user rule sees `{workspace}/…`, and no built-in rule has rewritten what it
 * is meant to match.
 */
export const BUILTIN_RULES: readonly Rule[] = [ROOTS_RULE, ...EARLY_RULES, ...KNOWLEDGE_RULES, ...GENERIC_RULES];

const ARG: Scope = { kind: 'arg' };

/** A program of one run: identical invocations merged. */
export interface CanonicalProgram {
  /** The canonical path of the executable. */
  readonly exe: string;
  /** The canonical arguments, `argv[0]` included (parallelism `-j{n}`, credentials `{redacted}`). */
  readonly argv: readonly string[];
  /** How many times it ran in this run (at least 1). */
  readonly count: number;
  /** Every run of it was behind this cache's launcher: a hit skips it (src/graph/caches.ts). */
  readonly miss?: string;
}

/** An output of one run and its provenance, or a folded set of outputs (`files`). */
export interface CanonicalOutput {
  /** The canonical path; for a folded set, its glob as `collapse` names it (`{workspace}/out/gen/**`). */
  readonly path: string;
  /** The canonical inputs whose data reaches it (for a set: any of its files), sorted; may be empty (a file written from nothing read). */
  readonly from: readonly string[];
  /** A folded set (`fold-outputs`): how many distinct canonical paths it holds. Absent for a single file. */
  readonly files?: number;
}

/**
 * One run's dataflow as baselines store it and the diff compares it (the action's
 * `graph.json` artifact): every string canonical, every list sorted by code unit and
 * without duplicates, nothing that differs between machines, checkouts or runs.
 */
export interface CanonicalGraph {
  /** Files read that the build did not write first. */
  readonly inputs: readonly string[];
  /** Files written that exist at the end, with their provenance. */
  readonly outputs: readonly CanonicalOutput[];
  /** Sorted by `programKey`. */
  readonly programs: readonly CanonicalProgram[];
  /** Addresses connected to, or tried: `tcp://192.0.2.1:443`, `unix:/run/x.sock`. */
  readonly endpoints: readonly string[];
  /** How the attempts at each endpoint ended, where known: `connected`, `refused (ECONNREFUSED)`… Not stored in baselines. */
  readonly endpointResults?: Readonly<Record<string, string>>;
  /** Each endpoint → the inputs whose data may have gone out to it (read before the build sent to it). Not stored in baselines. */
  readonly endpointFrom?: Readonly<Record<string, readonly string[]>>;
  /** Sources the build wrote (in a git work tree: tracked files it wrote, renamed over or deleted; elsewhere: workspace files that existed before and that it wrote). */
  readonly modified: readonly string[];
  /** Each modified source → the program that changed it (`/usr/bin/sed -i s/a/b/ src/a.c`). Not stored in baselines. */
  readonly modifiedBy?: Readonly<Record<string, string>>;
  /**
   * Inputs and endpoints → who read or connected to them: the first program's command
   * (`by`) and the distinct executables (`exes`, ending in `…` when there were more).
   * Not stored in baselines.
   */
  readonly actors?: Readonly<Record<string, { readonly by: string; readonly exes: readonly string[] }>>;
  /** `git`: sources are the tracked files of the work tree, so `modified` is the whole answer. Not stored in baselines. */
  readonly sources?: 'git';
  /** I/O the trace could not see: `io_uring by /usr/bin/tool`. Never stored in baselines: it is reported every run. */
  readonly untraced?: readonly string[];
  /** ioana's own files the build touched (`RunContext.own`). Never stored in baselines: reported every run. */
  readonly tampered?: readonly string[];
  /**
   * Processes outside the build that it reached into (`/proc/{pid}/environ by …`): `secrets`
   * (environment, memory) and `handles` (descriptors, root, working directory). Never
   * stored in baselines: reported every run.
   */
  readonly reached?: readonly { readonly path: string; readonly what: 'secrets' | 'handles'; readonly by: string }[];
  /**
   * The toolchains the build ran and read, by the version their paths carried before it
   * went out of the canonical names (`src/canon/toolchains.ts`): `{ gcc: '12', node: '20.12.0' }`.
   */
  readonly toolchains?: Readonly<Record<string, string>>;
  /**
   * The build caches the build read or wrote (`ccache`, `go`, `npm`: `{cache:NAME}`), sorted.
   * Their files are neither inputs nor outputs, and no provenance names them.
   */
  readonly caches?: readonly string[];
  /** Inputs that only a cache miss needs (only the cache's users and what they ran read them) → the cache. */
  readonly miss?: Readonly<Record<string, string>>;
}

export interface Canonicalized {
  readonly graph: CanonicalGraph;
  /** The document's figures, with the programs they name canonical (and redacted) too. */
  readonly figures: GraphFigures;
  /** Raw path (or address) → the steps that produced its canonical form; ignored ones end in `ignore`. */
  readonly explanations: ReadonlyMap<string, readonly RewriteStep[]>;
  /** Any raw path or address → its canonical form (undefined when ignored), by the same rules and memo. */
  readonly path: (raw: string) => string | undefined;
}

/** The user's `normalize` rules as named rules, then the caches `.ioana.yml` names (their directories with the roots as tokens). */
function userRules(config: Config, ctx: CanonContext): Rule[] {
  const normalize = config.normalize.map((n, i) => ({
    name: `normalize[${i}] ${n.pattern}`,
    apply: (text: string) => text.replace(new RegExp(n.pattern, 'g'), n.replace),
  }));
  const caches = (config.caches ?? []).map((c): Rule => {
    const dir = ROOTS_RULE.apply(c.path, ctx, ARG);
    const re = new RegExp(`(?<=^|[\\s'"=:,@])${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=/|$|[\\s'"])(?:/[^\\s'"]*)?`, 'g');
    return { name: `caches.${c.name} ${c.path}`, apply: (text) => (text.includes(dir) ? text.replace(re, cacheToken(c.name)) : text) };
  });
  return [...normalize, ...caches];
}

export class Canonicalizer {
  private readonly rules: readonly Rule[];
  private readonly ignore: readonly RegExp[];
  private readonly memo = new Map<string, { value: string | undefined; steps: RewriteStep[] }>();
  private readonly args = new Map<string, string>();
  private readonly redactor: Redactor;

  constructor(
    private readonly ctx: CanonContext,
    private readonly config: Config,
  ) {
    this.rules = [CONTAINER_RULE, ROOTS_RULE, ...userRules(config, ctx), ...EARLY_RULES, ...KNOWLEDGE_RULES, ...GENERIC_RULES];
    this.ignore = config.ignore.map(globToRegExp);
    this.redactor = ctx.redactor ?? FORMAT_REDACTOR;
  }

  /** A path or address → its canonical form, or undefined when an `ignore` rule drops it. */
  path(raw: string): string | undefined {
    return this.explain(raw).value;
  }

  explain(raw: string): { value: string | undefined; steps: RewriteStep[] } {
    const known = this.memo.get(raw);
    if (known) return known;
    const steps: RewriteStep[] = [];
    let text = raw;
    // A credential in a name (a file named after a token) is as secret as one in an
    // argument. Redacted first, so that no rule (`{pid}`) rewrites part of it out of shape.
    const redacted = this.redactor.text(text);
    if (redacted !== text) {
      steps.push({ rule: 'redact', before: text, after: redacted });
      text = redacted;
    }
    const scope: Scope = { kind: 'path', made: madeComponents(this.ctx.made, raw) };
    for (const rule of this.rules) {
      const next = rule.apply(text, this.ctx, scope);
      if (next !== text) steps.push({ rule: rule.name, before: text, after: next });
      text = next;
    }
    for (const glob of this.config.collapse) {
      const collapsed = collapseWith(glob, text);
      if (collapsed !== undefined && collapsed !== text) {
        steps.push({ rule: `collapse ${glob}`, before: text, after: collapsed });
        text = collapsed;
        break;
      }
    }
    let value: string | undefined = text;
    const hit = this.ignore.findIndex((re) => re.test(text));
    if (hit >= 0) {
      steps.push({ rule: `ignore ${this.config.ignore[hit]}`, before: text, after: '(ignored)' });
      value = undefined;
    }
    const result = { value, steps };
    this.memo.set(raw, result);
    return result;
  }

  /** An argument: the same rules, then credentials redacted. Arguments repeat a lot (`-c`, `-I`): each is done once. */
  arg(raw: string): string {
    const known = this.args.get(raw);
    if (known !== undefined) return known;
    // Redacted before the rules (a `{pid}` inside a token would hide its shape) and after (what they made).
    let text = this.redactor.text(raw);
    for (const rule of this.rules) text = rule.apply(text, this.ctx, ARG);
    text = this.redactor.text(text);
    this.args.set(raw, text);
    return text;
  }

  program(p: { exe: string; argv: readonly string[] }): { exe: string; argv: string[] } {
    const argv = this.redactor.argv(p.exe, p.argv, (a) => this.arg(a));
    return { exe: this.path(p.exe) ?? p.exe, argv: canonicalJobs(argv) };
  }
}

/** Canonical input → the cache only whose miss needs it, when every raw input of that name says the same cache. */
function missedInputs(doc: GraphDocument, c: Canonicalizer): Record<string, string> {
  const by = new Map<string, string | null>();
  for (const i of doc.inputs) {
    const path = c.path(i.path);
    if (path === undefined) continue;
    const m = i.miss ?? null;
    by.set(path, by.has(path) && by.get(path) !== m ? null : m);
  }
  const out: Record<string, string> = {};
  for (const [path, m] of [...by].sort((a, b) => byCodeUnit(a[0], b[0]))) if (m) out[path] = m;
  return out;
}

/** Canonical modified source → the command of the program that changed it. */
function modifiedBy(doc: GraphDocument, c: Canonicalizer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of doc.modified) {
    const path = c.path(m.path);
    if (path === undefined || m.by === undefined || out[path] !== undefined) continue;
    out[path] = programText(c.program(m.by));
  }
  return out;
}

/** Canonical input or endpoint → who read it or connected to it first, and every executable that did (several raw names may fold into one: the first kept). */
function actors(doc: GraphDocument, c: Canonicalizer): Record<string, { by: string; exes: string[] }> {
  const out: Record<string, { by: string; exes: string[] }> = {};
  for (const a of doc.actors ?? []) {
    const path = c.path(a.path);
    if (path === undefined) continue;
    const exes = a.exes.map((e) => c.path(e) ?? e);
    const prev = out[path];
    if (prev) {
      for (const e of exes) if (!prev.exes.includes(e)) prev.exes.push(e);
      continue;
    }
    out[path] = { by: programText(c.program(a.first)), exes: a.more ? [...exes, '…'] : exes };
  }
  return out;
}

/** Canonical endpoint → the canonical inputs whose data may have gone out to it. */
function endpointFrom(doc: GraphDocument, c: Canonicalizer): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  for (const e of doc.endpoints) {
    const address = c.path(e.address);
    if (address === undefined || !e.from) continue;
    for (const f of e.from) {
      const p = c.path(f);
      if (p !== undefined) (out[address] ??= new Set()).add(p);
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v].sort(byCodeUnit)]));
}

/** Canonical endpoint → the furthest result of the attempts at it (several raw addresses may fold into one). */
function endpointResults(doc: GraphDocument, c: Canonicalizer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of doc.endpoints) {
    const address = c.path(e.address);
    if (address === undefined || e.result === undefined) continue;
    if (out[address] === undefined || e.result === 'connected') out[address] = e.result;
  }
  return out;
}

/** The raw graph document (absolute paths) → the canonical graph. */
export function canonicalize(doc: GraphDocument, ctx: CanonContext, config: Config, sources?: 'git'): Canonicalized {
  const c = new Canonicalizer(ctx, config);
  const explanations = new Map<string, RewriteStep[]>();
  const seen = (raw: string): string | undefined => {
    const r = c.explain(raw);
    explanations.set(raw, r.steps);
    return r.value;
  };
  const set = (xs: Iterable<string | undefined>): string[] =>
    [...new Set([...xs].filter((x): x is string => x !== undefined))].sort(byCodeUnit);

  // What is in a build cache is the cache: one entity, used or not, never an input or an output.
  const caches = new Set<string>();
  const outsideCaches = (raw: string): string | undefined => {
    const path = seen(raw);
    const cache = path === undefined ? undefined : cacheName(path);
    if (cache === undefined) return path;
    caches.add(cache);
    return undefined;
  };
  // Resolver configuration is part of connecting (the endpoint is what counts), not an input.
  const asInput = (raw: string): string | undefined => {
    const path = outsideCaches(raw);
    return path !== undefined && NETWORK_CONFIG.has(path) ? undefined : path;
  };
  // A credential by any of its names is a credential (copied into a cache, renamed into the tree).
  const credentialName = (i: GraphDocument['inputs'][number]): string =>
    i.aka?.find((n) => {
      const p = c.path(n);
      return p !== undefined && isCredentialPath(p);
    }) ?? i.path;
  const read = set(doc.inputs.map((i) => asInput(credentialName(i))));
  const miss = missedInputs(doc, c);
  const folded = new Map<string, RewriteStep>();
  const allOutputs = canonicalOutputs(doc, config, outsideCaches, read, folded, asInput);
  // A package a build downloads is a package it uses (`{cargo}/regex@1.7.1`), whether it was there before or not.
  const packages = allOutputs.filter((o) => PACKAGE.test(o.path));
  const inputs = packages.length > 0 ? set([...read, ...packages.map((o) => o.path)]) : read;
  const toolchains = toolchainVersions(
    [...doc.inputs.map((i) => i.path), ...doc.programs.flatMap((p) => [p.exe, p.argv[0] ?? ''])].map((raw) =>
      ROOTS_RULE.apply(raw, ctx, ARG),
    ),
  );
  const outputs = packages.length > 0 ? allOutputs.filter((o) => !PACKAGE.test(o.path)) : allOutputs;
  // Temporaries are not compared, but `explain` can say what became of them.
  // A cache in a temporary directory (`CCACHE_DIR=$RUNNER_TEMP/ccache`) is used all the same.
  for (const t of doc.temporaries) outsideCaches(t.path);
  const programs = new Map<string, CanonicalProgram>();
  for (const p of doc.programs) {
    const cp = c.program(p);
    if (seen(p.exe) === undefined) continue;
    const key = programKey(cp);
    const prev = programs.get(key);
    const missed = p.miss !== undefined && (prev === undefined || prev.miss === p.miss) ? p.miss : undefined;
    programs.set(key, { exe: cp.exe, argv: cp.argv, count: (prev?.count ?? 0) + p.count, ...(missed ? { miss: missed } : {}) });
  }
  for (const [raw, step] of folded) explanations.set(raw, [...(explanations.get(raw) ?? []), step]);
  return {
    graph: {
      inputs,
      outputs,
      programs: [...programs.values()].sort((a, b) => byCodeUnit(programKey(a), programKey(b))),
      endpoints: set(doc.endpoints.map((e) => seen(e.address))),
      endpointResults: endpointResults(doc, c),
      endpointFrom: endpointFrom(doc, c),
      untraced: set(doc.untraced.map((u) => `${u.what} by ${c.path(u.exe) ?? u.exe}`)),
      modified: set(doc.modified.map((m) => seen(m.path))),
      modifiedBy: modifiedBy(doc, c),
      ...(doc.actors ? { actors: actors(doc, c) } : {}),
      ...(sources ? { sources: 'git' as const } : {}),
      ...(Object.keys(toolchains).length > 0 ? { toolchains } : {}),
      ...(caches.size > 0 ? { caches: [...caches].sort(byCodeUnit) } : {}),
      ...(Object.keys(miss).length > 0 ? { miss } : {}),
    },
    explanations,
    path: (raw) => c.path(raw),
    figures: { ...doc.figures, mostConnected: doc.figures.mostConnected.map((p) => ({ ...c.program(p), degree: p.degree })) },
  };
}
