/**
 * What a container client asks for, and how a container's paths are named on the host
 * (issue 27), stated by hand: docker's and podman's own argument grammar, not ioana's output.
 */
import {
  containerSpec,
  hostPath,
  imageOf,
  inContainer,
  isContainerDaemonSocket,
  isIdentityPath,
  isNameServiceSocket,
} from '../../src/vocabulary/index.js';

describe('containerSpec: the image and the bind mounts a client asks for', () => {
  test.each([
    [['docker', 'run', '--rm', '-v', '/w:/src', '-w', '/src', 'debian:12', 'make'], 'debian:12', [{ source: '/w', target: '/src' }]],
    [['docker', 'run', '--rm', '--volume=/w/out:/out:rw', '-it', 'gcc:13', 'sh'], 'gcc:13', [{ source: '/w/out', target: '/out' }]],
    [
      ['docker', 'container', 'run', '-e', 'A=1', '--mount', 'type=bind,source=.,target=/src,readonly', 'alpine'],
      'alpine',
      [{ source: '/cwd', target: '/src' }],
    ],
    [['podman', 'run', '--name', 'x', '-v', 'cache:/root/.cache', 'fedora:40', 'dnf'], 'fedora:40', []],
    [
      ['docker', '-H', 'unix:///run/d.sock', 'run', '-v', './sub:/s', '-v', '/w:/src', 'img'],
      'img',
      [
        { source: '/cwd/sub', target: '/s' },
        { source: '/w', target: '/src' },
      ],
    ],
    [['docker', 'create', '-p', '8080:80', 'nginx'], 'nginx', []],
    // pflag's forms: a cluster whose last letter takes the value, `-v=`, `-vVALUE`, a trailing slash, BIND in capitals.
    [['docker', 'run', '-itv', '/w:/src', 'img', 'make'], 'img', [{ source: '/w', target: '/src' }]],
    [['docker', 'run', '-v=/w:/src', 'img'], 'img', [{ source: '/w', target: '/src' }]],
    [['docker', 'run', '-v/w:/src/', 'img'], 'img', [{ source: '/w', target: '/src' }]],
    [['docker', 'run', '--mount', 'type=BIND,src=/w,dst=/src/./x', 'img'], 'img', [{ source: '/w', target: '/src/x' }]],
    // A flag ioana does not know takes a value (here it does): the image is still the image.
    [
      ['docker', 'run', '--detach-keys', 'ctrl-x', '--dns-opt', 'ndots:1', '-v', '/w:/src', 'img'],
      'img',
      [{ source: '/w', target: '/src' }],
    ],
    [['nerdctl', '-n', 'k8s.io', 'run', '-v', '/w:/src', 'img'], 'img', [{ source: '/w', target: '/src' }]],
    [['podman', '--root', '/x', 'run', '--rm', '-it', 'img'], 'img', []],
  ])('%j → %s', (argv, image, mounts) => {
    const spec = containerSpec(argv, '/cwd')!;
    expect(spec.image).toBe(image);
    expect([...spec.mounts].sort((a, b) => (a.target < b.target ? -1 : 1))).toEqual(mounts);
  });

  test('a Dockerfile build’s steps are the image `build`; other commands ask for no container', () => {
    expect(containerSpec(['docker', 'build', '-t', 'x', '.'], '/w')).toEqual({ image: 'build', mounts: [] });
    expect(containerSpec(['docker', 'buildx', 'build', '.'], '/w')).toEqual({ image: 'build', mounts: [] });
    expect(containerSpec(['docker', 'image', 'build', '.'], '/w')).toEqual({ image: 'build', mounts: [] });
    expect(containerSpec(['docker', 'ps'], '/w')).toBeUndefined();
    expect(containerSpec(['docker', 'run', '--rm'], '/w')).toBeUndefined();
  });
});

describe('hostPath: a container’s path on the host', () => {
  const spec = {
    image: 'debian:12',
    mounts: [
      { target: '/src/sub', source: '/other' },
      { target: '/src', source: '/w' },
    ],
  };
  test.each([
    ['/usr/include/stdio.h', '/{container:debian:12}/usr/include/stdio.h'],
    ['/', '/{container:debian:12}'],
    ['/src', '/w'],
    ['/src/a.c', '/w/a.c'],
    ['/src/sub/b.c', '/other/b.c'],
    ['/srcx/a.c', '/{container:debian:12}/srcx/a.c'],
    ['/dev/null', '/dev/null'],
    ['/proc/self/maps', '/proc/self/maps'],
    ['/sys/kernel/mm/x', '/sys/kernel/mm/x'],
    ['relative/a.c', 'relative/a.c'],
    // `..` in the container's own terms, never past its root: the image's files, not this machine's.
    ['/src/../etc/passwd', '/{container:debian:12}/etc/passwd'],
    ['/proc/../usr/bin/gcc', '/{container:debian:12}/usr/bin/gcc'],
    ['/src/../../../../usr/bin/gcc', '/{container:debian:12}/usr/bin/gcc'],
    ['//src/a.c', '/w/a.c'],
  ])('%s → %s', (path, host) => expect(hostPath(spec, path)).toBe(host));

  test('inContainer reads the path in the image back from a canonical name', () => {
    expect(inContainer('{container:debian:12}/usr/lib/x.so')).toBe('/usr/lib/x.so');
    expect(inContainer('{container:build}')).toBe('/');
    expect(inContainer('{workspace}/a.c')).toBeUndefined();
    expect(inContainer('/usr/lib/x.so')).toBeUndefined();
    // The raw form (the graph's) reads the same, and says its image.
    expect(inContainer('/{container:debian:12}/usr/lib/x.so')).toBe('/usr/lib/x.so');
    expect(imageOf('/{container:debian:12}/bin/sh')).toBe('debian:12');
    expect(imageOf('/usr/bin/sh')).toBeUndefined();
    // A container's user lookups are the same lookups as this machine's.
    expect(isNameServiceSocket('unix:/{container:img}/var/run/nscd/socket')).toBe(true);
    expect(isNameServiceSocket('unix:{container:img}/run/nscd/socket')).toBe(true);
    expect(isNameServiceSocket('unix:{container:img}/run/docker.sock')).toBe(false);
    expect(isIdentityPath('{container:img}/etc/passwd')).toBe(true);
  });

  test('daemon sockets', () => {
    expect(isContainerDaemonSocket('unix:/var/run/docker.sock')).toBe(true);
    expect(isContainerDaemonSocket('unix:/run/user/1000/podman/podman.sock')).toBe(true);
    expect(isContainerDaemonSocket('unix:/run/dbus/system_bus_socket')).toBe(false);
  });
});
