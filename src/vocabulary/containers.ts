/**
 * Containers (issue 27): the sockets of container daemons, what a client command asks a
 * daemon to run (`docker run IMAGE …`, `docker build`), and how a path a container's
 * process sees is named on the host: a file bind-mounted from the host is the host's file
 * (`-v $PWD:/src` makes `/src/a.c` the workspace's `a.c`); the rest of the container's
 * tree is the image's, `/{container:IMAGE}/usr/include/stdio.h` in the raw graph and
 * `{container:IMAGE}/usr/include/stdio.h` once canonical. Kernel pseudo-files (`/proc`,
 * `/sys`, `/dev`) keep their names. Pure.
 */
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

/** The docker/podman CLI's options (before the command, and of `run`/`create`) that take a value. */
const GLOBAL_VALUED = new Set(['-H', '--host', '-c', '--context', '--config', '-l', '--log-level', '--tlscacert', '--tlscert', '--tlskey']);
const RUN_VALUED = new Set(
  (
    '-a --attach --add-host --annotation --blkio-weight --blkio-weight-device --cap-add --cap-drop --cgroup-parent --cgroupns ' +
    '--cidfile -c --cpu-shares --cpu-period --cpu-quota --cpu-rt-period --cpu-rt-runtime --cpus --cpuset-cpus --cpuset-mems ' +
    '--device --device-cgroup-rule --device-read-bps --device-read-iops --device-write-bps --device-write-iops --dns ' +
    '--dns-option --dns-search --domainname --entrypoint -e --env --env-file --expose --gpus --group-add --health-cmd ' +
    '--health-interval --health-retries --health-start-period --health-timeout -h --hostname --ip --ip6 --ipc --isolation ' +
    '--kernel-memory -l --label --label-file --link --link-local-ip --log-driver --log-opt --mac-address -m --memory ' +
    '--memory-reservation --memory-swap --memory-swappiness --mount --name --network --net --network-alias --net-alias ' +
    '--oom-score-adj --pid --pids-limit --platform -p --publish --pull --restart --runtime --security-opt --shm-size ' +
    '--stop-signal --stop-timeout --storage-opt --sysctl --tmpfs --ulimit -u --user --userns --uts -v --volume ' +
    '--volume-driver --volumes-from -w --workdir --arch --os --variant --secret --hooks-dir --pod --requires'
  ).split(' '),
);

/** `-v SRC:DST[:opts]` or `--volume`: a bind mount when SRC is a path (a name is a named volume). */
function volume(value: string, cwd: string): BindMount | undefined {
  const [source, target] = value.split(':');
  if (!source || !target || !(source.startsWith('/') || source.startsWith('.'))) return undefined;
  return { source: resolvePath(cwd, source), target };
}

/** `--mount type=bind,source=/a,target=/b[,readonly]`. */
function mount(value: string, cwd: string): BindMount | undefined {
  const kv = new Map(value.split(',').map((p) => [p.split('=', 1)[0], p.slice(p.indexOf('=') + 1)] as [string, string]));
  if ((kv.get('type') ?? 'volume') !== 'bind') return undefined;
  const source = kv.get('source') ?? kv.get('src');
  const target = kv.get('target') ?? kv.get('dst') ?? kv.get('destination');
  return source && target ? { source: resolvePath(cwd, source), target } : undefined;
}

/**
 * What a docker, podman or nerdctl command asks for: `docker run -v $PWD:/src debian:12
 * make` → image `debian:12`, `/src` from the working directory; `docker build …` → image
 * `build`. Undefined for anything else (`docker ps`, a program that is no container CLI).
 */
export function containerSpec(argv: readonly string[], cwd: string): ContainerSpec | undefined {
  let i = 1;
  const value = (a: string, valued: Set<string>): boolean => valued.has(a) && !a.includes('=');
  while (i < argv.length && argv[i].startsWith('-')) i += value(argv[i], GLOBAL_VALUED) ? 2 : 1;
  let command = argv[i];
  if (command === 'container' || command === 'image' || command === 'buildx') command = argv[++i];
  if (command === 'build' || command === 'builder') return { image: 'build', mounts: [] };
  if (command !== 'run' && command !== 'create') return undefined;
  const mounts: BindMount[] = [];
  for (i++; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-')) break;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const given = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : value(a, RUN_VALUED) ? argv[++i] : undefined;
    if (given === undefined) continue;
    const m = name === '-v' || name === '--volume' ? volume(given, cwd) : name === '--mount' ? mount(given, cwd) : undefined;
    if (m) mounts.push(m);
  }
  const image = argv[i];
  return image === undefined ? undefined : { image, mounts: mounts.sort((a, b) => b.target.length - a.target.length) };
}

/** Kernel pseudo-files: the same names inside a container as outside. */
const PSEUDO = /^\/(?:proc|sys|dev)(?:\/|$)/;

/** `{container:debian:12}/usr/include/stdio.h` (canonical) → `/usr/include/stdio.h`, the path in the image; undefined for any other path. */
export function inContainer(subject: string): string | undefined {
  const m = /^\{container:[^}]*\}(\/.*)?$/.exec(subject);
  return m ? (m[1] ?? '/') : undefined;
}

/** The raw prefix of a container's own files: `/{container:IMAGE}`. */
export const containerRoot = (image: string): string => `/{container:${image}}`;

/** A path as a process of the container sees it → its name on the host (relative paths stay). */
export function hostPath(spec: ContainerSpec, path: string): string {
  if (!path.startsWith('/') || PSEUDO.test(path)) return path;
  for (const m of spec.mounts)
    if (path === m.target || path.startsWith(m.target.endsWith('/') ? m.target : `${m.target}/`))
      return m.source + path.slice(m.target.length);
  return path === '/' ? containerRoot(spec.image) : containerRoot(spec.image) + path;
}
