/**
 * The sets at the horizon (docs/architecture.md §1.4): inputs, outputs, temporaries, programs and
 * endpoints, read off the graph.
 */
import { isNameServiceSocket, isUnder, programKey } from '../vocabulary/index.js';
import type { DataflowGraph, ObjectNode, ProgramNode } from './types.js';

export interface SetOptions {
  /** The repository root; nothing under it is a temporary for living under a temp root. */
  readonly workspace?: string;
  /** Where temporaries live: `/tmp`, `$TMPDIR`, `$RUNNER_TEMP`. Default: `/tmp`, `/var/tmp`, `/dev/shm`. */
  readonly tmpRoots?: readonly string[];
  /** Leave wrappers (`wrappers`) and the helpers they ran out of `programs`: they are shown as the program they run. */
  readonly hideWrappers?: boolean;
}

export const DEFAULT_TMP_ROOTS: readonly string[] = ['/tmp', '/var/tmp', '/dev/shm'];

/** Process introspection: different in every run, and not something the build consumes. */
export const SELF_PROC = /^\/proc\/(self|thread-self|\d+)(\/|$)/;
/** Kernel pseudo-files are never outputs. */
const PSEUDO = /^\/(proc|sys|dev)(\/|$)/;

export interface Program {
  readonly exe: string;
  readonly argv: readonly string[];
  /** How many times this exact invocation ran. */
  readonly count: number;
  readonly nodes: readonly string[];
}

export interface HorizonSets {
  /** Node keys of file versions the build read (or executed) that existed before it. */
  readonly inputs: readonly string[];
  /** Node keys of file versions the build wrote that still exist at the end. */
  readonly outputs: readonly string[];
  /** Node keys of files the build wrote and deleted. */
  readonly temporaries: readonly string[];
  readonly programs: readonly Program[];
  /** Node keys of endpoints. */
  readonly endpoints: readonly string[];
  /** Node keys of files that existed before the build and that it wrote in place (append, O_RDWR). */
  readonly modified: readonly string[];
}

export function isTemporaryPath(path: string, opts: SetOptions): boolean {
  if (opts.workspace && isUnder(path, opts.workspace)) return false;
  return (opts.tmpRoots ?? DEFAULT_TMP_ROOTS).some((root) => isUnder(path, root));
}

function written(g: DataflowGraph, key: string): boolean {
  return g.someInEdge(key, (_e, a) => a.kind === 'write');
}

function read(g: DataflowGraph, key: string): boolean {
  return g.someOutEdge(key, (_e, a) => a.kind === 'read' || a.kind === 'exec');
}

const byPath =
  (g: DataflowGraph) =>
  (a: string, b: string): number => {
    const pa = (g.getNodeAttributes(a) as ObjectNode).path;
    const pb = (g.getNodeAttributes(b) as ObjectNode).path;
    return pa < pb ? -1 : pa > pb ? 1 : a < b ? -1 : 1;
  };

/**
 * Whether an image changed anything but pipes and devices: wrote, renamed or deleted a
 * file, or tried an endpoint other than a name service's (bash looks its user up when `SHELL`
 * is unset: that leaves it a wrapper). `passedOn`: what it holds for writing only because it
 * hands it on (a standard output redirected to a file, held by the program it execs).
 */
function acts(g: DataflowGraph, key: string, passedOn: ReadonlySet<string> = new Set()): boolean {
  return g.someOutEdge(key, (_e, a, _s, target) => {
    if (a.kind === 'connect') return !isNameServiceSocket((g.getNodeAttributes(target) as ObjectNode).path);
    if (a.kind !== 'write' && a.kind !== 'rename' && a.kind !== 'delete') return false;
    const t = g.getNodeAttributes(target);
    if (a.kind === 'write' && passedOn.has(target)) return false;
    return t.kind === 'file' || t.kind === 'directory' || t.kind === 'endpoint';
  });
}

/** The objects an image holds for writing. */
function writes(g: DataflowGraph, key: string): Set<string> {
  const out = new Set<string>();
  g.forEachOutEdge(key, (_e, a, _s, t) => void (a.kind === 'write' && out.add(t)));
  return out;
}

/**
 * Wrappers: images whose process went on as another program (they exec'd it) and that,
 * with every helper they started, changed nothing — `sh -c 'cc …'` as make runs it, a
 * pyenv or rbenv shim that asks a dozen helpers which interpreter to run and then execs
 * it. They and their helpers are shown as the program they run. Their reads stay inputs
 * of the build; a wrapper that writes a file or connects is a program like any other.
 */
export function wrappers(g: DataflowGraph): Set<string> {
  const quiet = new Map<string, boolean>();
  /** The image and everything it started (spawned or exec'd into) changed nothing. */
  const quietTree = (root: string): boolean => {
    const known = quiet.get(root);
    if (known !== undefined) return known;
    const stack = [root];
    const seen = new Set<string>();
    let ok = true;
    while (ok && stack.length > 0) {
      const key = stack.pop()!;
      if (seen.has(key)) continue;
      seen.add(key);
      if (quiet.get(key) === false || acts(g, key)) ok = false;
      else g.forEachOutEdge(key, (_e, a, _s, t) => void (a.kind === 'spawn' && stack.push(t)));
    }
    quiet.set(root, ok);
    return ok;
  };
  const hidden = new Set<string>();
  g.forEachNode((key, a) => {
    if (a.kind !== 'program') return;
    let next: string | undefined;
    const helpers: string[] = [];
    g.forEachOutEdge(key, (_e, e, _s, t) => {
      if (e.kind !== 'spawn') return;
      if (e.via === 'exec') next = t;
      else helpers.push(t);
    });
    if (next === undefined || acts(g, key, writes(g, next)) || !helpers.every(quietTree)) return;
    hidden.add(key);
    // The helpers, and everything they ran.
    const stack = [...helpers];
    while (stack.length > 0) {
      const h = stack.pop()!;
      if (hidden.has(h)) continue;
      hidden.add(h);
      g.forEachOutEdge(h, (_e, e, _s, t) => void (e.kind === 'spawn' && stack.push(t)));
    }
  });
  return hidden;
}

export function horizonSets(g: DataflowGraph, opts: SetOptions = {}): HorizonSets {
  const hidden = opts.hideWrappers ? wrappers(g) : undefined;
  const inputs: string[] = [];
  const outputs: string[] = [];
  const temporaries: string[] = [];
  const endpoints: string[] = [];
  const modified: string[] = [];
  const programs = new Map<string, { exe: string; argv: readonly string[]; nodes: string[] }>();
  g.forEachNode((key, attrs) => {
    switch (attrs.kind) {
      case 'program': {
        if (attrs.origin !== 'exec' || attrs.launcher || hidden?.has(key)) return;
        const id = programKey(attrs);
        const p = programs.get(id) ?? { exe: attrs.exe, argv: attrs.argv, nodes: [] };
        p.nodes.push(key);
        programs.set(id, p);
        return;
      }
      case 'endpoint':
        endpoints.push(key);
        return;
      case 'file': {
        const w = written(g, key);
        // A version replaced by a later one is an earlier state of an output, not a temporary. A file
        // the build leaves behind is an output wherever it is: one in /tmp or $RUNNER_TEMP outlives the
        // build as much as one in $HOME or /usr/local/bin (a later step, or a later job, finds it).
        if (w && attrs.detached === 'deleted') temporaries.push(key);
        else if (w && !attrs.detached && !PSEUDO.test(attrs.path)) outputs.push(key);
        if (w && attrs.existedBefore && !PSEUDO.test(attrs.names[0])) modified.push(key);
        if (
          attrs.existedBefore &&
          read(g, key) &&
          !SELF_PROC.test(attrs.names[0]) &&
          !(w && attrs.detached && isTemporaryPath(attrs.path, opts))
        ) {
          inputs.push(key);
        }
        return;
      }
      case 'directory':
      case 'pipe':
      case 'socketpair':
      case 'device':
        return;
      default: {
        const never: never = attrs;
        throw new Error(`graph/horizonSets: unknown node ${JSON.stringify(never)}`);
      }
    }
  });
  const order = byPath(g);
  return {
    inputs: inputs.sort(order),
    outputs: outputs.sort(order),
    temporaries: temporaries.sort(order),
    endpoints: endpoints.sort(order),
    modified: modified.sort(order),
    programs: [...programs.values()]
      .map((p) => ({ exe: p.exe, argv: p.argv, count: p.nodes.length, nodes: p.nodes }))
      .sort((a, b) => (a.exe < b.exe ? -1 : a.exe > b.exe ? 1 : JSON.stringify(a.argv) < JSON.stringify(b.argv) ? -1 : 1)),
  };
}

/** The path a node has in reports: a program's executable, an object's current (or last) path. */
export function nodePath(g: DataflowGraph, key: string): string {
  const a = g.getNodeAttributes(key) as ObjectNode | ProgramNode;
  return a.kind === 'program' ? a.exe : a.path;
}

/** A source the build wrote, renamed over or deleted, and the program that did it. */
export interface ModifiedFile {
  readonly path: string;
  readonly by?: { readonly exe: string; readonly argv: readonly string[] };
}

/** Who touched a node: the programs that read an input, or connected to an endpoint. */
export interface Actors {
  /** The first one, by the time of its access. */
  readonly first: { readonly exe: string; readonly argv: readonly string[] };
  /** The distinct executables, sorted, at most MAX_ACTOR_EXES; `more` when there were others. */
  readonly exes: readonly string[];
  readonly more: boolean;
}

/** A library read by every compiler has hundreds of readers: only so many executables are kept. */
export const MAX_ACTOR_EXES = 8;

/**
 * Each node → the programs that read it (`read` and `exec` edges) or connected to it
 * (`connect`), first one first: the answer to "who did it" in a finding.
 */
export function actorsOf(g: DataflowGraph, keys: readonly string[]): Map<string, Actors> {
  const out = new Map<string, Actors>();
  for (const key of keys) {
    const seen: { since: number; program: string }[] = [];
    g.forEachEdge(key, (_e, a, source, target) => {
      const program =
        a.kind === 'connect' && target === key ? source : (a.kind === 'read' || a.kind === 'exec') && source === key ? target : undefined;
      if (program !== undefined && g.getNodeAttributes(program).kind === 'program') seen.push({ since: a.since, program });
    });
    if (seen.length === 0) continue;
    seen.sort((a, b) => a.since - b.since);
    // Sorted, not in the order of the accesses: the same in every run of a parallel build.
    const all = [...new Set(seen.map((s) => (g.getNodeAttributes(s.program) as ProgramNode).exe))].sort();
    const p = g.getNodeAttributes(seen[0].program) as ProgramNode;
    out.set(key, { first: { exe: p.exe, argv: p.argv }, exes: all.slice(0, MAX_ACTOR_EXES), more: all.length > MAX_ACTOR_EXES });
  }
  return out;
}

/** The first program that wrote, renamed or deleted a version. */
function changer(g: DataflowGraph, key: string): ModifiedFile['by'] {
  let by: ModifiedFile['by'];
  g.someInEdge(key, (_e, a, source) => {
    if (a.kind !== 'write' && a.kind !== 'rename' && a.kind !== 'delete') return false;
    const p = g.getNodeAttributes(source);
    if (p.kind !== 'program') return false;
    by = { exe: p.exe, argv: p.argv };
    return true;
  });
  return by;
}

/**
 * The sources the build changed. With `sources` (the tracked files of a git work tree):
 * every version that bears a tracked name and that the build wrote, renamed over or
 * deleted. Without: the files that existed before the build and that it wrote in place
 * (`sets.modified`).
 */
export function modifiedFiles(g: DataflowGraph, sets: HorizonSets, sources?: ReadonlySet<string>): ModifiedFile[] {
  if (!sources) return sets.modified.map((key) => ({ path: nodePath(g, key), by: changer(g, key) }));
  const out = new Map<string, ModifiedFile>();
  g.forEachNode((key, a) => {
    if (a.kind !== 'file') return;
    const name = a.names.find((n) => sources.has(n));
    if (name === undefined || out.has(name)) return;
    const by = changer(g, key);
    if (by) out.set(name, { path: name, by });
  });
  return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
