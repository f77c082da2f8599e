/**
 * The dataflow graph's node and edge attributes (docs/architecture.md §1.4). Node keys: `img:N` for
 * program images, `obj:N` for files, directories, pipes, endpoints and devices.
 */
import type { MultiDirectedGraph } from 'graphology';

export interface ProgramNode {
  readonly kind: 'program';
  readonly image: number;
  readonly origin: 'root' | 'exec' | 'fork';
  readonly exe: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly pid: number;
  readonly start: number;
  readonly end: number;
  readonly exitCode?: number;
  /** I/O the trace cannot see that it set up (`io_uring`). */
  readonly untraced?: readonly string[];
  readonly signal?: string;
  /** ioana's own launcher (src/trace/separation.ts): not a program of the build. */
  readonly launcher?: true;
  /** Other processes it reached into by pid (ptrace attach, process_vm_readv/writev). */
  readonly reached?: readonly { readonly call: string; readonly pid: number }[];
}

export interface ObjectNode {
  readonly kind: 'file' | 'directory' | 'pipe' | 'socketpair' | 'endpoint' | 'device';
  readonly object: number;
  /** Files: the path at the end; pipes: `pipe:[N]`; endpoints: the address. */
  readonly path: string;
  readonly names: readonly string[];
  readonly existedBefore: boolean;
  readonly detached?: 'deleted' | 'replaced';
  /** Endpoints: how the furthest attempt to connect ended (`connected`, `refused (ECONNREFUSED)`…). */
  readonly result?: string;
}

export type NodeAttributes = ProgramNode | ObjectNode;

/**
 * `read`: object → program; `write`: program → object; `exec`: file → program (its
 * image); `spawn`: program → program (a new process, or an exec replacing an image);
 * `rename`/`delete`: program → file. `since`/`until` bound when data could flow (seq numbers).
 */
export interface EdgeAttributes {
  readonly kind: 'read' | 'write' | 'exec' | 'spawn' | 'rename' | 'delete' | 'connect';
  readonly since: number;
  readonly until: number;
  /** spawn: a new process, or an exec in the same one. */
  readonly via?: 'spawn' | 'exec';
  /** read/write: how many times the program opened the object (counted on its read edge when it has both). */
  readonly calls?: number;
  /** read: the bytes read; write: the bytes written. Only where the trace counted them (eBPF; strace with `--detailed`). */
  readonly bytes?: number;
}

export type DataflowGraph = MultiDirectedGraph<NodeAttributes, EdgeAttributes>;

/** The node key of a program image: `img:N`. (A program's identity in canonical graphs is `programKey` in src/vocabulary.) */
export const imageKey = (image: number): string => `img:${image}`;
/** The node key of an object: `obj:N`. */
export const objectKey = (object: number): string => `obj:${object}`;
