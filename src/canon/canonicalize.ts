/**
 * The canonical graph (DESIGN §1.5): the graph document with every path, argument and
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
import {
  canonicalJobs,
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
}

export interface Canonicalized {
  readonly graph: CanonicalGraph;
  /** The document's figures, with the programs they name canonical (and redacted) too. */
  readonly figures: GraphFigures;
  /** Raw path (or address) → the steps that produced its canonical form; ignored ones end in `ignore`. */
  readonly explanations: ReadonlyMap<string, readonly RewriteStep[]>;
}

/** The user's `normalize` rules as named rules. */
function userRules(config: Config): Rule[] {
  return config.normalize.map((n, i) => ({
    name: `normalize[${i}] ${n.pattern}`,
    apply: (text: string) => text.replace(new RegExp(n.pattern, 'g'), n.replace),
  }));
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
    this.rules = [ROOTS_RULE, ...userRules(config), ...EARLY_RULES, ...KNOWLEDGE_RULES, ...GENERIC_RULES];
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

  const inputs = set(doc.inputs.map((i) => seen(i.path)));
  const folded = new Map<string, RewriteStep>();
  const outputs = canonicalOutputs(doc, config, seen, inputs, folded);
  // Temporaries are not compared, but `explain` can say what became of them.
  for (const t of doc.temporaries) seen(t.path);
  const programs = new Map<string, CanonicalProgram>();
  for (const p of doc.programs) {
    const cp = c.program(p);
    if (seen(p.exe) === undefined) continue;
    const key = programKey(cp);
    const prev = programs.get(key);
    programs.set(key, { exe: cp.exe, argv: cp.argv, count: (prev?.count ?? 0) + p.count });
  }
  for (const [raw, step] of folded) explanations.set(raw, [...(explanations.get(raw) ?? []), step]);
  return {
    graph: {
      inputs,
      outputs,
      programs: [...programs.values()].sort((a, b) => byCodeUnit(programKey(a), programKey(b))),
      endpoints: set(doc.endpoints.map((e) => seen(e.address))),
      endpointResults: endpointResults(doc, c),
      untraced: set(doc.untraced.map((u) => `${u.what} by ${c.path(u.exe) ?? u.exe}`)),
      modified: set(doc.modified.map((m) => seen(m.path))),
      modifiedBy: modifiedBy(doc, c),
      ...(doc.actors ? { actors: actors(doc, c) } : {}),
      ...(sources ? { sources: 'git' as const } : {}),
    },
    explanations,
    figures: { ...doc.figures, mostConnected: doc.figures.mostConnected.map((p) => ({ ...c.program(p), degree: p.degree })) },
  };
}
