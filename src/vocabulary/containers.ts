/**
 * Containers (issue 27): the sockets of container daemons, what a client command asks a
 * daemon to run (`docker run IMAGE …`, `docker build`), and how a path a container's
 * process sees is named on the host: a file bind-mounted from the host is the host's file
 * (`-v $PWD:/src` makes `/src/a.c` the workspace's `a.c`); the rest of the container's
 * tree is the image's, `/{container:IMAGE}/usr/include/stdio.h` in the raw graph and
 * `{container:IMAGE}/usr/include/stdio.h` once canonical. Kernel pseudo-files (`/proc`,
 * `/sys`, `/dev`) keep their names. Pure.
 */
import { posix } from 'node:path';
import { resolvePath } from './paths.js';

/** The sockets of container daemons, by their usual places (rootful and rootless). */
const DAEMON_SOCKET =
  /^unix:(?:\/var)?\/run\/(?:user\/\d+\/)?(?:docker\.sock|containerd\/containerd\.sock|buildkit\/buildkitd\.sock|podman\/podman\.sock|docker\/containerd\/containerd\.sock)$|^unix:.*\/\.(?:docker|colima|rd)\/(?:run\/)?docker\.sock$/;

/** `unix:/var/run/docker.sock` → true. */
export const isContainerDaemonSocket = (address: string): boolean => DAEMON_SOCKET.test(address);

/** A directory of the host mounted into a container. */
export interface BindMount {
  /** Where the container sees it. */
  readonly target: string;
  /** Where it is on the host. */
  readonly source: string;
}

/** What a client asked a daemon to run. */
export interface ContainerSpec {
  /** The image as the client named it (`debian:12`), or `build` for the steps of `docker build`. */
  readonly image: string;
  readonly mounts: readonly BindMount[];
}

/**
 * The docker, podman and nerdctl CLIs' flags that take no value (pflag's booleans), before the command and
 * for `run`/`create`. Every other flag takes one: a flag missing here errs toward reading the next word as
 * its value, never toward losing a mount.
 */
const GLOBAL_BOOLEAN = new Set([
  '-D',
  '--debug',
  '--tls',
  '--tlsverify',
  '--remote',
  '--log-level-debug',
  '--insecure-registry',
  '--experimental',
]);
const RUN_BOOLEAN = new Set(
  (
    '-d --detach -i --interactive -t --tty --rm --privileged --init --read-only -P --publish-all --no-healthcheck ' +
    '--oom-kill-disable -q --quiet --disable-content-trust --sig-proxy --help --use-api-socket --replace --rootfs ' +
    '--read-only-tmpfs --no-hosts --env-host --http-proxy --tls-verify --passwd --rmi --no-hostname'
  ).split(' '),
);

/** `-v SRC:DST[:opts]` or `--volume`: a bind mount when SRC is a path (a name is a named volume). */
function volume(value: string, cwd: string): BindMount | undefined {
  const [source, target] = value.split(':');
  if (!source || !target || !(source.startsWith('/') || source.startsWith('.'))) return undefined;
  return { source: resolvePath(cwd, source), target: posix.resolve('/', target) };
}

/** `--mount type=bind,source=/a,target=/b[,readonly]`. */
function mount(value: string, cwd: string): BindMount | undefined {
  const kv = new Map(value.split(',').map((p) => [p.split('=', 1)[0].toLowerCase(), p.slice(p.indexOf('=') + 1)] as [string, string]));
  if ((kv.get('type') ?? 'volume').toLowerCase() !== 'bind') return undefined;
  const source = kv.get('source') ?? kv.get('src');
  const target = kv.get('target') ?? kv.get('dst') ?? kv.get('destination');
  return source && target ? { source: resolvePath(cwd, source), target: posix.resolve('/', target) } : undefined;
}

/**
 * The flags at `argv[i]` (pflag's grammar: `--name value`, `--name=value`, `-v value`, `-v=value`,
 * `-vvalue`, and clusters `-itv value` where only the last letter may take one), each with its value.
 */
function flagAt(argv: readonly string[], i: number, boolean: ReadonlySet<string>): { flags: [string, string | undefined][]; next: number } {
  const a = argv[i];
  if (a.startsWith('--')) {
    const eq = a.indexOf('=');
    if (eq > 0) return { flags: [[a.slice(0, eq), a.slice(eq + 1)]], next: i + 1 };
    return boolean.has(a) ? { flags: [[a, undefined]], next: i + 1 } : { flags: [[a, argv[i + 1]]], next: i + 2 };
  }
  const flags: [string, string | undefined][] = [];
  for (let k = 1; k < a.length; k++) {
    const name = `-${a[k]}`;
    if (boolean.has(name)) {
      flags.push([name, undefined]);
      continue;
    }
    const rest = a.slice(k + 1).replace(/^=/, '');
    if (rest) return { flags: [...flags, [name, rest]], next: i + 1 };
    return { flags: [...flags, [name, argv[i + 1]]], next: i + 2 };
  }
  return { flags, next: i + 1 };
}

/**
 * What a docker, podman or nerdctl command asks for: `docker run -v $PWD:/src debian:12
 * make` → image `debian:12`, `/src` from the working directory; `docker build …` → image
 * `build`. Undefined for anything else (`docker ps`, a program that is no container CLI).
 */
export function containerSpec(argv: readonly string[], cwd: string): ContainerSpec | undefined {
  let i = 1;
  while (i < argv.length && argv[i].startsWith('-') && argv[i] !== '-') i = flagAt(argv, i, GLOBAL_BOOLEAN).next;
  let command = argv[i];
  if (command === 'container' || command === 'image' || command === 'buildx') command = argv[++i];
  if (command === 'build' || command === 'builder') return { image: 'build', mounts: [] };
  if (command !== 'run' && command !== 'create') return undefined;
  const mounts: BindMount[] = [];
  for (i++; i < argv.length;) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    const at = flagAt(argv, i, RUN_BOOLEAN);
    for (const [name, given] of at.flags) {
      if (given === undefined) continue;
      const m = name === '-v' || name === '--volume' ? volume(given, cwd) : name === '--mount' ? mount(given, cwd) : undefined;
      if (m) mounts.push(m);
    }
    i = at.next;
  }
  const image = argv[i];
  return image === undefined ? undefined : { image, mounts: mounts.sort((a, b) => b.target.length - a.target.length) };
}

/** Kernel pseudo-files: the same names inside a container as outside. */
const PSEUDO = /^\/(?:proc|sys|dev)(?:\/|$)/;

/** A container's own file, raw (`/{container:IMAGE}/…`) or canonical (`{container:IMAGE}/…`): its image and its path in the image. */
const CONTAINER_NAME = /^\/?\{container:([^}]*)\}(\/.*)?$/;

/** `{container:debian:12}/usr/include/stdio.h` or `/{container:debian:12}/…` → `/usr/include/stdio.h`, the path in the image; undefined for any other path. */
export function inContainer(subject: string): string | undefined {
  const m = CONTAINER_NAME.exec(subject);
  return m ? (m[2] ?? '/') : undefined;
}

/** `/{container:debian:12}/bin/sh` → `debian:12`; undefined for any other path. */
export const imageOf = (subject: string): string | undefined => CONTAINER_NAME.exec(subject)?.[1];

/** The raw prefix of a container's own files: `/{container:IMAGE}`. */
export const containerRoot = (image: string): string => `/{container:${image}}`;

/** A path as a process of the container sees it → its name on the host (relative paths stay). */
export function hostPath(spec: ContainerSpec, raw: string): string {
  if (!raw.startsWith('/')) return raw;
  // In the container's own terms first: `/src/../etc/passwd` is the image's /etc/passwd, `/proc/../usr` its /usr.
  const path = posix.resolve('/', raw);
  if (PSEUDO.test(path)) return path;
  for (const m of spec.mounts)
    if (path === m.target || path.startsWith(m.target.endsWith('/') ? m.target : `${m.target}/`))
      return m.source + path.slice(m.target.length);
  return path === '/' ? containerRoot(spec.image) : containerRoot(spec.image) + path;
}
