/**
 * What a statement is about, worked out from a canonical run before anything is read
 * from disk: the subjects (the build's outputs in the workspace, or those a glob picks),
 * each with the inputs ioana reports for it (its entry in the canonical graph, as the
 * baseline records it) and the programs on the way; and every input named once, with
 * the raw paths it stands for, so that the edge can hash each file once.
 */
import { Canonicalizer } from '../canon/index.js';
import type { Config } from '../config/index.js';
import { horizonSets, nodePath, wrappers, type ProgramNode } from '../graph/index.js';
import { canonContext, type CanonicalRun, type RunContext } from '../pipeline/index.js';
import { byCodeUnit, isUnder } from '../vocabulary/index.js';
import { globToRegExp } from '../vocabulary/glob.js';
import { programText, TOKEN } from '../vocabulary/tokens.js';
import { Contributors } from './contributors.js';
import { subjectGlob } from './subjects.js';

/** What an input is, which decides how the statement pins it. */
export type InputKind =
  /** A file of the repository: pinned by its digest. */
  | 'workspace'
  /** A file outside the repository (compilers, headers, libraries): its Debian package, or its digest. */
  | 'toolchain'
  /** A package manager's package and version (`{npm}/lodash@4.17.21`): a purl. */
  | 'package'
  /** An installed npm package (`{workspace}/node_modules/typescript`): a purl, once its version is read. */
  | 'node-module'
  /** An address connected to (or tried): its URI. */
  | 'endpoint';

export interface PlannedInput {
  /** The canonical name, as the baseline writes it. */
  readonly name: string;
  readonly kind: InputKind;
  /** The raw paths that became this name (absolute; never written out). Empty for endpoints and package-manager entries. */
  readonly raw: readonly string[];
  /** `package`: its purl. */
  readonly purl?: string;
  /** `node-module`: the package's directory (absolute), whose package.json names its version. */
  readonly dir?: string;
  /** `endpoint`: how the furthest attempt ended (`connected`, `refused (ECONNREFUSED)`). */
  readonly result?: string;
}

export interface PlannedSubject {
  /** Relative to the workspace, credentials redacted: `build/hello`. */
  readonly name: string;
  /** The absolute path, to hash (never written out). */
  readonly raw: string;
  /** Its entry in the canonical graph (for a folded set, the set's glob). */
  readonly output: string;
  /** Exactly that entry's `from`: the canonical inputs whose data reaches it. */
  readonly inputs: readonly string[];
  /** The programs on the way (`programText`, canonical, redacted), sorted. */
  readonly programs: readonly string[];
}

export interface AttestPlan {
  readonly subjects: readonly PlannedSubject[];
  /** Every input of any subject, once, sorted by name. */
  readonly inputs: readonly PlannedInput[];
  /** Outputs in the workspace the globs did not pick. */
  readonly notPicked: number;
  /** Outputs in the workspace that no canonical entry reports (an `ignore` rule drops them). */
  readonly ignored: number;
}

export interface PlanOptions {
  /**
   * Globs over the subjects' workspace-relative names (`dist/*.tar.gz`, `build/**`), also
   * written as paths (`./dist/*`, `{workspace}/dist/*`: `subjectGlob`); one that can name no
   * file in the workspace picks nothing. Empty: every output in the workspace.
   */
  readonly globs: readonly string[];
}

/** `{npm}/@types/node@20.1.0` → `pkg:npm/%40types/node@20.1.0`; not a package-manager entry → undefined. */
export function packageUrl(name: string): string | undefined {
  const m = /^\{(npm|cargo|pip|gomod)\}\/(.+)@([^@/]+)$/.exec(name);
  if (!m) return undefined;
  const [, manager, pkg, version] = m;
  const type = { npm: 'npm', cargo: 'cargo', pip: 'pypi', gomod: 'golang' }[manager as 'npm' | 'cargo' | 'pip' | 'gomod'];
  const path = pkg
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
  return `pkg:${type}/${path}@${encodeURIComponent(version)}`;
}

/** `{workspace}/node_modules/typescript`, `{workspace}/web/node_modules/@types/node` → true: an installed npm package, folded. */
const NODE_MODULE = /\/node_modules\/(?:@[^/]+\/)?[^/@.][^/]*$/;

/** The canonical name a raw path ended as; undefined when an `ignore` rule dropped it. */
function finalName(raw: string, steps: readonly { readonly rule: string; readonly after: string }[] | undefined): string | undefined {
  if (!steps || steps.length === 0) return raw;
  const last = steps[steps.length - 1];
  return last.rule.startsWith('ignore ') ? undefined : last.after;
}

function kindOf(name: string, endpoints: ReadonlySet<string>): InputKind {
  if (endpoints.has(name)) return 'endpoint';
  if (packageUrl(name) !== undefined) return 'package';
  if (name.startsWith(`${TOKEN.workspace}/`)) return NODE_MODULE.test(name) ? 'node-module' : 'workspace';
  return 'toolchain';
}

/** A canonical run → the subjects the globs pick, their inputs and programs, and every input once. */
export function planAttestation(run: CanonicalRun, context: RunContext, config: Config, opts: PlanOptions): AttestPlan {
  const g = run.analysis.graph;
  const graph = run.canonical.graph;
  const ws = context.workspace;
  const picking = opts.globs.length > 0;
  const picks = opts.globs.flatMap((given) => {
    const s = subjectGlob(given, ws);
    return s.kind === 'glob' ? [globToRegExp(s.glob)] : [];
  });
  const entries = new Map(graph.outputs.map((o) => [o.path, o]));
  const sets = horizonSets(g, { workspace: ws });
  const hidden = wrappers(g);
  const contributors = new Contributors(g, context.control ?? false);
  const canon = new Canonicalizer(canonContext(context, run.analysis.dataflow), config);
  const programName = (key: string): string | undefined => {
    const a = g.getNodeAttributes(key) as ProgramNode;
    // Forked copies and wrappers are not programs of their own, as in the canonical graph.
    if (a.origin !== 'exec' || hidden.has(key) || canon.path(a.exe) === undefined) return undefined;
    return programText(canon.program(a));
  };

  const byRaw = new Map<string, { output: string; keys: string[] }>();
  let notPicked = 0;
  let ignored = 0;
  for (const key of sets.outputs) {
    const raw = nodePath(g, key);
    if (!isUnder(raw, ws) || raw === ws) continue;
    const known = byRaw.get(raw);
    if (known) {
      known.keys.push(key);
      continue;
    }
    const output = finalName(raw, run.canonical.explanations.get(raw));
    if (output === undefined || !entries.has(output)) {
      ignored++;
      continue;
    }
    const name = context.redactor.text(raw.slice(ws.length + 1));
    if (picking && !picks.some((re) => re.test(name))) {
      notPicked++;
      continue;
    }
    byRaw.set(raw, { output, keys: [key] });
  }

  const subjects: PlannedSubject[] = [...byRaw.entries()]
    .map(([raw, { output, keys }]) => {
      const programs = new Set<string>();
      for (const key of keys) {
        for (const p of contributors.ofObject(key)) {
          const text = programName(p);
          if (text !== undefined) programs.add(text);
        }
      }
      return {
        name: context.redactor.text(raw.slice(ws.length + 1)),
        raw,
        output,
        inputs: entries.get(output)!.from,
        programs: [...programs].sort(byCodeUnit),
      };
    })
    .sort((a, b) => byCodeUnit(a.name, b.name));

  const needed = new Set(subjects.flatMap((s) => s.inputs));
  const raws = new Map<string, string[]>();
  for (const [raw, steps] of run.canonical.explanations) {
    const name = finalName(raw, steps);
    if (name !== undefined && needed.has(name) && raw.startsWith('/')) (raws.get(name) ?? raws.set(name, []).get(name)!).push(raw);
  }
  const endpoints = new Set(graph.endpoints);
  const inputs: PlannedInput[] = [...needed].sort(byCodeUnit).map((name) => {
    const kind = kindOf(name, endpoints);
    const raw = kind === 'endpoint' || kind === 'package' ? [] : (raws.get(name) ?? []).sort(byCodeUnit);
    switch (kind) {
      case 'endpoint': {
        const result = graph.endpointResults?.[name];
        return result === undefined ? { name, kind, raw } : { name, kind, raw, result };
      }
      case 'package':
        return { name, kind, raw, purl: packageUrl(name) };
      case 'node-module':
        return { name, kind, raw, dir: ws + name.slice(TOKEN.workspace.length) };
      case 'workspace':
      case 'toolchain':
        return { name, kind, raw };
      default: {
        const never: never = kind;
        throw new Error(`attest/planAttestation: unknown input kind ${JSON.stringify(never)}`);
      }
    }
  });
  return { subjects, inputs, notPicked, ignored };
}
