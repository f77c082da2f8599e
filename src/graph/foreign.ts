/**
 * What the build reached of processes that are not its own (issue 23): another process's
 * environment or memory (`/proc/<pid>/environ`, `/mem`: ioana's and the runner's secrets
 * are there), its descriptors, root or working directory (`/proc/<pid>/fd/*`: a way to
 * ioana's trace pipe and step files), or the process itself by its pid (`ptrace` attached
 * to it, `process_vm_readv` read its memory, `process_vm_writev` wrote it). Reading
 * `/proc/<pid>/stat` or `cmdline`, as `ps` does, is not in it. The build's own processes
 * are the pids and thread ids the trace showed doing something.
 *
 * A container's process (issue 27: its executable is `/{container:IMAGE}/…`) sees only its
 * own PID namespace, its `/proc` is that namespace's, and ioana is in none of them: what it
 * does to `/proc/<pid>` or to a pid is inside its container, not a reach out of the build.
 */
import { inContainer as pathInContainer } from '../vocabulary/containers.js';
import type { DataflowGraph, ObjectNode, ProgramNode } from './types.js';

/** A program of a container (its raw executable `/{container:IMAGE}/…`). */
const inContainer = (exe: string): boolean => pathInContainer(exe) !== undefined;

/** `/proc/<pid>/environ`, `/proc/<pid>/task/<tid>/mem`, `/proc/<pid>/fd/3`, `/proc/<pid>/root/…`: the pid and what of it. */
const INVASIVE = /^\/proc\/(\d+)\/(?:task\/\d+\/)?(environ|mem|fd|root|cwd)(?:\/|$)/;

export interface ForeignReach {
  /** The path as the build named it; for a call, `/proc/<pid>/mem` (what it reads or writes) and the call in `call`. */
  readonly path: string;
  readonly call?: string;
  /** `secrets` (environ, mem), `handles` (fd, root, cwd). */
  readonly what: 'secrets' | 'handles';
  /** The program that did it. */
  readonly by: { readonly exe: string; readonly argv: readonly string[] };
}

/** Every invasive `/proc` path of a process outside `tids` that a program of the build opened, once per path. */
export function foreignProcesses(g: DataflowGraph, tids: ReadonlySet<number>): ForeignReach[] {
  const out = new Map<string, ForeignReach>();
  g.forEachNode((key, a) => {
    if (a.kind !== 'file' && a.kind !== 'directory') return;
    for (const name of (a as ObjectNode).names) {
      const m = INVASIVE.exec(name);
      if (!m || tids.has(Number(m[1])) || out.has(name)) continue;
      let by: ForeignReach['by'] | undefined;
      g.someEdge(key, (_e, e, source, target) => {
        const program = source === key ? target : source;
        const p = g.getNodeAttributes(program);
        if (p.kind !== 'program' || e.kind === 'spawn' || inContainer((p as ProgramNode).exe)) return false;
        by = { exe: (p as ProgramNode).exe, argv: (p as ProgramNode).argv };
        return true;
      });
      if (by) out.set(name, { path: name, what: m[2] === 'environ' || m[2] === 'mem' ? 'secrets' : 'handles', by });
    }
  });
  g.forEachNode((_key, a) => {
    if (a.kind !== 'program' || !a.reached || inContainer(a.exe)) return;
    for (const r of a.reached) {
      const path = `/proc/${r.pid}/mem`;
      if (tids.has(r.pid) || out.has(`${r.call} ${path}`)) continue;
      // Reading memory is reading its secrets; attaching or writing is taking it over.
      const what = r.call === 'process_vm_readv' ? 'secrets' : 'handles';
      out.set(`${r.call} ${path}`, { path, call: r.call, what, by: { exe: a.exe, argv: a.argv } });
    }
  });
  return [...out.values()].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}
