/**
 * Container steps (issue 27): a build that asks a container daemon to work — `docker
 * build`, `docker run … make`, a compose file — talks to the daemon's socket, and the
 * daemon starts the step's processes itself, outside the build's process tree. The eBPF
 * back end follows the containers a client of the build starts (their first process is a
 * child of that client in the graph, their own files under `/{container:IMAGE}`); strace
 * follows none. Which daemons the build asked, who asked, and which containers were
 * followed: a daemon asked with no container followed is work the report cannot show, and
 * it must say so rather than call the run clean. Daemons are found by the sockets the
 * build connected to (the docker CLI's, containerd's, BuildKit's, podman's service).
 */
import { containerSpec, imageOf, isContainerDaemonSocket } from '../vocabulary/containers.js';
import type { Redactor } from '../vocabulary/redact.js';
import { programText } from '../vocabulary/tokens.js';
import type { DataflowGraph, ObjectNode, ProgramNode } from './types.js';

export interface ContainerDaemon {
  /** The daemon's socket, as the build connected to it. */
  readonly socket: string;
  /** The commands that connected (redacted, first 5, sorted). */
  readonly by: readonly string[];
  /** The images (`build` for a Dockerfile's steps) of the containers followed for those commands, sorted, each once. */
  readonly followed: readonly string[];
  /** Commands that asked for a container (`run`, `create`, `build`) and had none followed (redacted, first 5, sorted). */
  readonly untraced: readonly string[];
  /** Programs of those containers still running when tracing stopped (`docker run -d`): what they did after is not traced. */
  readonly running: number;
}

/** A program whose process was still running when the trace ended: it neither ended nor exec'd another. */
function stillRunning(g: DataflowGraph, key: string, p: ProgramNode): boolean {
  return p.exitCode === undefined && p.signal === undefined && !g.someOutEdge(key, (_e, a) => a.kind === 'spawn' && a.via === 'exec');
}

/** Every container daemon the build asked to work, and the commands that asked. */
export function containerDaemons(g: DataflowGraph, redactor?: Redactor): ContainerDaemon[] {
  const out: ContainerDaemon[] = [];
  // Containers' programs that outlived the trace, whoever started them (a client gone before its container did).
  let running = 0;
  g.forEachNode((k, a) => void (a.kind === 'program' && imageOf(a.exe) !== undefined && stillRunning(g, k, a) && running++));
  g.forEachNode((key, attr) => {
    const node = attr as ObjectNode;
    if (node.kind !== 'endpoint' || !isContainerDaemonSocket(node.path)) return;
    const by = new Set<string>();
    const followed = new Set<string>();
    const untraced = new Set<string>();
    g.forEachInNeighbor(key, (client, p) => {
      const program = p as ProgramNode;
      if (program.kind !== 'program') return;
      const command = redactor ? redactor.text(programText(program)) : programText(program);
      by.add(command);
      // The container's first process: a child of the client (a copy of it until its exec) that runs the image's program.
      let mine = 0;
      g.forEachOutEdge(client, (_e, a, _s, child) => {
        if (a.kind !== 'spawn' || a.via === 'exec') return;
        for (const t of [child, ...g.outNeighbors(child)]) {
          const p = g.getNodeAttributes(t) as ProgramNode;
          const image = p.kind === 'program' ? imageOf(p.exe) : undefined;
          if (image === undefined) continue;
          followed.add(redactor ? redactor.text(image) : image);
          mine++;
        }
      });
      // One client's containers followed say nothing of another's (`--pid=host`, another runtime, a cached build).
      if (mine === 0 && containerSpec(program.argv, '/')) untraced.add(command);
    });
    out.push({
      socket: node.path,
      by: [...by].sort().slice(0, 5),
      followed: [...followed].sort(),
      untraced: [...untraced].sort().slice(0, 5),
      running,
    });
  });
  return out.sort((a, b) => (a.socket < b.socket ? -1 : a.socket > b.socket ? 1 : 0));
}
