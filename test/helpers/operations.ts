/**
 * Operations written as literals, for model tests: what each process did, with no strace
 * notation. Paths are under the workspace `/w`.
 */
import type { FdArg, OpenMode, Operation, PathRef, Step } from '../../src/decode/index.js';
import { buildGraph, graphDocument } from '../../src/graph/index.js';
import { modelSteps } from '../../src/model/index.js';

export const MODE: OpenMode = {
  read: true,
  write: false,
  create: false,
  truncate: false,
  exclusive: false,
  cloexec: false,
  directory: false,
  path: false,
  tmpfile: false,
};
export const READ = MODE;
export const WRITE: OpenMode = { ...MODE, read: false, write: true, create: true, truncate: true };
export const at = (path: string): PathRef => ({ dir: { kind: 'cwd', path: '/w' }, path });
export const fd = (n: number): FdArg => ({ fd: n });
export const exec = (exe: string, ...argv: string[]): Operation => ({ kind: 'exec', path: { path: exe }, argv, argvTruncated: false });
export const open = (n: number, path: string, mode: OpenMode): Operation => ({
  kind: 'open',
  fd: n,
  path: at(path),
  target: { kind: 'path', path: `/w/${path}`, deleted: false },
  mode,
});
export const step = (pid: number, op: Operation): Step => ({ pid, op });
/** The outputs of the graph of `steps`, each with what it is made from. */
export const outputs = (steps: Step[]) => graphDocument(buildGraph(modelSteps(steps)), { workspace: '/w' }).outputs;
