/**
 * The sets at the horizon (DESIGN §1.4): inputs, outputs, temporaries, programs and
 * endpoints, read off the graph.
 */
import { isUnder, programKey } from '../vocabulary/index.js';
import type { DataflowGraph, ObjectNode, ProgramNode } from './types.js';

export interface SetOptions {
  /** The repository root; nothing under it is a temporary for living under a temp root. */
  readonly workspace?: string;
  /** Where temporaries live: `/tmp`, `$TMPDIR`, `$RUNNER_TEMP`. Default: `/tmp`, `/var/tmp`, `/dev/shm`. */
  readonly tmpRoots?: readonly string[];
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
  /** Node keys of files the build wrote and deleted, or left under a temp root. */
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

export function horizonSets(g: DataflowGraph, opts: SetOptions = {}): HorizonSets {
  const inputs: string[] = [];
  const outputs: string[] = [];
  const temporaries: string[] = [];
  const endpoints: string[] = [];
  const modified: string[] = [];
  const programs = new Map<string, { exe: string; argv: readonly string[]; nodes: string[] }>();
  g.forEachNode((key, attrs) => {
    switch (attrs.kind) {
      case 'program': {
        if (attrs.origin !== 'exec') return;
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
        // A version replaced by a later one is an earlier state of an output, not a temporary.
        if (w && (attrs.detached === 'deleted' || (!attrs.detached && isTemporaryPath(attrs.path, opts)))) temporaries.push(key);
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
