/**
 * Container steps the trace cannot see (issue 27): a build that asks a container daemon
 * to work — `docker build`, `docker run … make`, a compose file — talks to the daemon's
 * socket, and the daemon starts the step's processes itself, outside the build's process
 * tree. Neither back end follows them yet, so their reads, writes, programs and
 * connections are missing from the graph: the report must say so rather than call the
 * run clean. Found by the sockets the build connected to (the docker CLI's, containerd's,
 * BuildKit's, podman's service), whoever connected.
 */
import type { Redactor } from '../vocabulary/redact.js';
import { programText } from '../vocabulary/tokens.js';
import type { DataflowGraph, ObjectNode, ProgramNode } from './types.js';

/** The sockets of container daemons, by their usual places (rootful and rootless). */
const DAEMON_SOCKET =
  /^unix:(?:\/var)?\/run\/(?:user\/\d+\/)?(?:docker\.sock|containerd\/containerd\.sock|buildkit\/buildkitd\.sock|podman\/podman\.sock|docker\/containerd\/containerd\.sock)$|^unix:.*\/\.(?:docker|colima|rd)\/(?:run\/)?docker\.sock$/;

export interface ContainerDaemon {
  /** The daemon's socket, as the build connected to it. */
  readonly socket: string;
  /** The commands that connected (redacted, first 5, sorted). */
  readonly by: readonly string[];
}

/** Every container daemon the build asked to work, and the commands that asked. */
export function containerDaemons(g: DataflowGraph, redactor?: Redactor): ContainerDaemon[] {
  const out: ContainerDaemon[] = [];
  g.forEachNode((key, attr) => {
    const node = attr as ObjectNode;
    if (node.kind !== 'endpoint' || !DAEMON_SOCKET.test(node.path)) return;
    const by = new Set<string>();
    g.forEachInNeighbor(key, (_p, p) => {
      const program = p as ProgramNode;
      if (program.kind !== 'program') return;
      const command = programText(program);
      by.add(redactor ? redactor.text(command) : command);
    });
    out.push({ socket: node.path, by: [...by].sort().slice(0, 5) });
  });
  return out.sort((a, b) => (a.socket < b.socket ? -1 : a.socket > b.socket ? 1 : 0));
}
