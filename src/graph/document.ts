/**
 * The graph as a document (`ioana graph --format json|yaml`): inputs, outputs with
 * their provenance, programs, endpoints, temporaries and figures. Sorted, so that the
 * same build gives the same document.
 */
import { isUnder, rootPattern } from '../vocabulary/paths.js';
import type { Redactor } from '../vocabulary/redact.js';
import { TOKEN } from '../vocabulary/tokens.js';
import { graphFigures, type GraphFigures } from './metrics.js';
import { Provenance, type ProvenanceOptions } from './provenance.js';
import { cacheUse, missOf, type CacheUse } from './caches.js';
import type { CacheRoot } from '../vocabulary/caches.js';
import { horizonSets, nodePath, type Actors, type HorizonSets, type SetOptions } from './sets.js';
import type { DataflowGraph, ObjectNode } from './types.js';

export interface GraphDocument {
  /**
   * `miss`: only a build cache's users, and the programs behind a launcher, read it (src/graph/caches.ts).
   * `aka`: the file's other names during the build (it was renamed or linked): a credential by any name is one.
   */
  readonly inputs: readonly { readonly path: string; readonly miss?: string; readonly aka?: readonly string[] }[];
  readonly outputs: readonly { readonly path: string; readonly from: readonly string[] }[];
  /** `miss`: every run of it was behind a cache launcher (a hit skips it). */
  readonly programs: readonly { readonly exe: string; readonly argv: readonly string[]; readonly count: number; readonly miss?: string }[];
  /** Every endpoint the build connected or tried to connect to, and how the furthest attempt ended. */
  readonly endpoints: readonly { readonly address: string; readonly result?: string; readonly from?: readonly string[] }[];
  readonly temporaries: readonly { readonly path: string }[];
  /** Files that existed before the build and that it wrote in place. */
  readonly modified: readonly { readonly path: string; readonly by?: { readonly exe: string; readonly argv: readonly string[] } }[];
  /** Programs that did I/O the trace cannot see, and what (`io_uring`). */
  readonly untraced: readonly { readonly exe: string; readonly what: string }[];
  readonly figures: GraphFigures;
  /** Inputs and endpoints → who read or connected to them (`actorsOf`); only where a finding names who did it. */
  readonly actors?: readonly ({ readonly path: string } & Actors)[];
}

export interface DocumentOptions extends SetOptions, Omit<ProvenanceOptions, 'behind' | 'cacheFiles'> {
  /** Credentials out of every program argument that is printed. Default: none. */
  readonly redactor?: Redactor;
  /** Build caches (raw directories): their users and launchers (src/graph/caches.ts). Default: none. */
  readonly caches?: readonly CacheRoot[];
}

/** `/w/src/a.c` with workspace `/w` → `{workspace}/src/a.c`; other paths unchanged. */
export function workspacePath(path: string, workspace: string | undefined): string {
  if (!workspace || workspace === '/' || !isUnder(path, workspace)) return path;
  return TOKEN.workspace + path.slice(workspace.length);
}

/**
 * `-I/w/include` → `-I{workspace}/include`: the workspace wherever it starts a path in
 * an argument, as canonicalization's `roots` rule finds it (`rootPattern`).
 */
export function workspaceArg(arg: string, workspace: string | undefined): string {
  if (!workspace || workspace === '/' || !arg.includes(workspace)) return arg;
  return arg.replace(rootPattern(workspace), TOKEN.workspace);
}

/** Every program that set up I/O the trace cannot see, once per executable and kind. */
function untracedList(g: DataflowGraph, ws: string | undefined): { exe: string; what: string }[] {
  const seen = new Set<string>();
  g.forEachNode((_k, a) => {
    if (a.kind !== 'program' || !a.untraced) return;
    for (const what of a.untraced) seen.add(JSON.stringify([workspacePath(a.exe, ws), what]));
  });
  return [...seen].sort().map((s) => {
    const [exe, what] = JSON.parse(s) as [string, string];
    return { exe, what };
  });
}

/** Inputs by path, sorted; one a cache miss alone needs says which cache (several nodes of one path: only when all say so). */
function inputList(
  g: DataflowGraph,
  keys: readonly string[],
  show: (key: string) => string,
  use: CacheUse,
): { path: string; miss?: string; aka?: string[] }[] {
  const miss = new Map<string, string | null>();
  const aka = new Map<string, Set<string>>();
  for (const key of keys) {
    const path = show(key);
    const m = missOf(g, key, use) ?? null;
    miss.set(path, miss.has(path) && miss.get(path) !== m ? null : m);
    const names = (g.getNodeAttributes(key) as ObjectNode).names;
    if (names.length > 1) {
      const others = aka.get(path) ?? aka.set(path, new Set()).get(path)!;
      for (const n of names) if (n !== path) others.add(n);
    }
  }
  return [...miss.keys()].sort().map((path) => {
    const m = miss.get(path);
    const others = aka.get(path);
    return { path, ...(m ? { miss: m } : {}), ...(others && others.size > 0 ? { aka: [...others].sort() } : {}) };
  });
}

/** Endpoints by address, sorted, each with the furthest result of the attempts at it. */
function endpointList(
  g: DataflowGraph,
  keys: readonly string[],
  show: (key: string) => string,
  prov: Provenance,
): { address: string; result?: string; from?: string[] }[] {
  const results = new Map<string, string | undefined>();
  const from = new Map<string, Set<string>>();
  for (const key of keys) {
    const address = show(key);
    const result = (g.getNodeAttributes(key) as ObjectNode).result;
    if (!results.has(address) || result === 'connected') results.set(address, result ?? results.get(address));
    // What the build had read before it sent to the endpoint: what may have gone out.
    const sent = prov.ofObject(key);
    if (sent.size > 0) for (const s of sent) (from.get(address) ?? from.set(address, new Set()).get(address)!).add(show(s));
  }
  return [...results.keys()].sort().map((address) => {
    const result = results.get(address);
    const sources = from.get(address);
    return {
      address,
      ...(result === undefined ? {} : { result }),
      ...(sources ? { from: [...sources].sort() } : {}),
    };
  });
}

export function graphDocument(g: DataflowGraph, opts: DocumentOptions = {}, sets: HorizonSets = horizonSets(g, opts)): GraphDocument {
  const ws = opts.workspace;
  const use = cacheUse(g, opts.caches);
  const prov = new Provenance(g, { ...opts, behind: use.behind, cacheFiles: use.files });
  const missOfProgram = (nodes: readonly string[]): string | undefined => {
    const first = missOf(g, nodes[0], use);
    return first !== undefined && nodes.every((n) => missOf(g, n, use) === first) ? first : undefined;
  };
  // Names are redacted too: a file named after a token is as secret as the token.
  const clean = (text: string) => (opts.redactor ? opts.redactor.text(text) : text);
  // Each node's path once, and each provenance set's list once: a generator's 100 000
  // outputs share one set of inputs, and so one list (memory grows with the files, not
  // with files × inputs).
  const shown = new Map<string, string>();
  const show = (key: string) => shown.get(key) ?? shown.set(key, clean(workspacePath(nodePath(g, key), ws))).get(key)!;
  const sorted = (xs: string[]) => [...new Set(xs)].sort();
  const lists = new Map<ReadonlySet<string>, string[]>();
  const fromList = (from: ReadonlySet<string>) => lists.get(from) ?? lists.set(from, sorted([...from].map(show))).get(from)!;
  const redactArgv = (p: { exe: string; argv: readonly string[] }, then: (a: string) => string) =>
    opts.redactor ? opts.redactor.argv(p.exe, p.argv, (a) => then(opts.redactor!.text(a))) : p.argv.map(then);
  return {
    inputs: inputList(g, sets.inputs, show, use),
    outputs: sets.outputs
      .map((key) => ({ path: show(key), from: fromList(prov.ofObject(key)) }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    programs: sets.programs
      .map((p) => {
        const miss = missOfProgram(p.nodes);
        const program = { exe: clean(workspacePath(p.exe, ws)), argv: redactArgv(p, (a) => workspaceArg(a, ws)), count: p.count };
        return miss === undefined ? program : { ...program, miss };
      })
      .sort((a, b) => (a.exe < b.exe ? -1 : a.exe > b.exe ? 1 : JSON.stringify(a.argv) < JSON.stringify(b.argv) ? -1 : 1)),
    endpoints: endpointList(g, sets.endpoints, show, prov),
    temporaries: sorted(sets.temporaries.map(show)).map((path) => ({ path })),
    modified: sorted(sets.modified.map(show)).map((path) => ({ path })),
    untraced: untracedList(g, ws).map((u) => ({ ...u, exe: clean(u.exe) })),
    figures: ((f) =>
      opts.redactor
        ? { ...f, mostConnected: f.mostConnected.map((p) => ({ ...p, exe: clean(p.exe), argv: redactArgv(p, (a) => a) })) }
        : f)(graphFigures(g)),
  };
}
