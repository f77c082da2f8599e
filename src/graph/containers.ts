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
      const command = [program.exe, ...program.argv.slice(1)].join(' ');
      by.add(redactor ? redactor.text(command) : command);
    });
    out.push({ socket: node.path, by: [...by].sort().slice(0, 5) });
  });
  return out.sort((a, b) => (a.socket < b.socket ? -1 : a.socket > b.socket ? 1 : 0));
}

/** What the reports say: which daemon, who asked, and that its steps are not in the report. */
export function containerNote(daemons: readonly ContainerDaemon[]): string {
  const d = daemons[0];
  const others = daemons.length > 1 ? ` and ${daemons.length - 1} other daemon(s)` : '';
  const by = d.by.length > 0 ? ` (by \`${d.by[0]}\`${d.by.length > 1 ? ` and ${d.by.length - 1} more` : ''})` : '';
  return `the build asked a container daemon to work: ${d.socket}${others}${by}. Its steps (a Dockerfile's RUN, a docker run) ran in processes the daemon started, outside the trace: what they read, wrote, ran and connected to is not in this report, and neither back end traces them yet. Run the step's commands in the job itself (not in a container) to check them.`;
}
