/**
 * Mounts and namespaces are traced, not trusted (issue 23): a bind mount, a moved mount, a
 * chroot name files by what they really are; what cannot be mapped is untraced I/O. The
 * namespace rules on their own first, then real strace logs (test/fixtures/strace/mounts,
 * test/fixtures/strace/bazel: their READMEs say how each was recorded).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromRoot, Mounts } from '../../src/model/mounts.js';
import type { Dataflow } from '../../src/model/index.js';
import { parseLines } from '../../src/parse/index.js';
import { modelEvents } from '../../src/pipeline/index.js';
import { fileLines } from '../helpers/corpus.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/strace');
const flowOf = (file: string): Dataflow => modelEvents(parseLines(fileLines(join(FIXTURES, file))).events);

/** The paths the images of `exe` (by its last name) opened to read, or wrote. */
function touched(flow: Dataflow, exe: string, mode: 'read' | 'write'): string[] {
  const images = new Set(flow.images.filter((i) => i.exe.endsWith(`/${exe}`)).map((i) => i.id));
  const out = new Set<string>();
  for (const a of flow.accesses) if (images.has(a.image) && a.mode === mode) out.add(flow.objects[a.object].path);
  return [...out].sort();
}

const untraced = (flow: Dataflow): string[] => flow.images.flatMap((i) => (i.untraced ?? []).map((u) => `${i.exe}: ${u}`));

describe('a mount namespace, on its own', () => {
  test('nothing mounted: every name is itself', () => {
    const m = new Mounts();
    expect(m.empty).toBe(true);
    expect(m.map('/w/a.c')).toBe('/w/a.c');
  });

  test('a file bound over another answers for it; its neighbours do not change', () => {
    const m = new Mounts();
    m.bind('/home/u/.ssh/id_rsa', '/w/main.c');
    expect(m.map('/w/main.c')).toBe('/home/u/.ssh/id_rsa');
    expect(m.map('/w/main.c.o')).toBe('/w/main.c.o');
    expect(m.map('/w/other.c')).toBe('/w/other.c');
  });

  test('a directory bound elsewhere: everything under it, the deepest mount first', () => {
    const m = new Mounts();
    m.bind('/srv/inc', '/usr/local/include');
    m.bind('/srv/special.h', '/usr/local/include/sys/special.h');
    expect(m.map('/usr/local/include/a/b.h')).toBe('/srv/inc/a/b.h');
    expect(m.map('/usr/local/include/sys/special.h')).toBe('/srv/special.h');
    expect(m.map('/usr/local/includes/x')).toBe('/usr/local/includes/x');
  });

  test('a bind of a name that is itself bound is a bind of the real file', () => {
    const m = new Mounts();
    m.bind('/secret', '/a');
    m.bind('/a/key', '/w/src.c');
    expect(m.map('/w/src.c')).toBe('/secret/key');
  });

  test('a tree bound with what is mounted inside it keeps the inner mounts', () => {
    const m = new Mounts();
    m.bind('/secret', '/home/u/.ssh');
    m.bind('/home/u', '/x');
    expect(m.map('/x/.ssh/key')).toBe('/secret/key');
  });

  test('an empty file system over a bound tree hides it: what is there is the build’s own', () => {
    const m = new Mounts();
    m.bind('/secret', '/x');
    expect(m.mountNew('tmpfs', '/x/t')).toBe(true);
    expect(m.map('/x/t/f')).toBe('/x/t/f');
    expect(m.map('/x/k')).toBe('/secret/k');
  });

  test('proc mounted elsewhere is /proc (so /proc/<pid>/environ is found wherever it is mounted)', () => {
    const m = new Mounts();
    expect(m.mountNew('proc', '/mnt/p')).toBe(true);
    expect(m.map('/mnt/p/1/environ')).toBe('/proc/1/environ');
  });

  test('a device, an overlay or FUSE cannot be named', () => {
    const m = new Mounts();
    for (const fs of ['overlay', 'ext4', 'fuse.sshfs', 'squashfs', '']) expect(m.mountNew(fs, '/mnt')).toBe(false);
  });

  test('a moved mount moves its tree; the old place shows what was beneath', () => {
    const m = new Mounts();
    m.bind('/secret', '/a');
    m.move('/a', '/b');
    expect(m.map('/b/k')).toBe('/secret/k');
    expect(m.map('/a/k')).toBe('/a/k');
  });

  test('unmounting shows what was beneath again', () => {
    const m = new Mounts();
    m.bind('/secret', '/a');
    m.unmount('/a');
    expect(m.map('/a/k')).toBe('/a/k');
    expect(m.empty).toBe(true);
  });

  test('a copy is a namespace of its own: mounts in one are not in the other', () => {
    const m = new Mounts();
    m.bind('/s1', '/a');
    const n = m.copy();
    n.bind('/s2', '/b');
    expect(m.map('/b/x')).toBe('/b/x');
    expect(n.map('/a/x')).toBe('/s1/x');
    expect(n.map('/b/x')).toBe('/s2/x');
  });

  test('after a chroot, absolute names start at the new root and cannot climb above it', () => {
    expect(fromRoot('/r', '/etc/data')).toBe('/r/etc/data');
    expect(fromRoot('/r', '/../../etc/shadow')).toBe('/r/etc/shadow');
    expect(fromRoot('/r', '/')).toBe('/r');
    expect(fromRoot('/r', 'relative')).toBe('relative');
    expect(fromRoot(undefined, '/etc/data')).toBe('/etc/data');
  });
});

describe('real strace logs: files named by what they are', () => {
  test('a key bound over a source the build reads is read as the key', () => {
    const flow = flowOf('mounts/bind-over.strace');
    expect(touched(flow, 'cat', 'read')).toContain('/tmp/mrec/secret/id_rsa');
    expect(touched(flow, 'cat', 'read')).not.toContain('/tmp/mrec/w/main.c');
    expect(untraced(flow)).toEqual([]);
  });

  test('writing through a temporary name bound to a tracked source writes the source', () => {
    const flow = flowOf('mounts/write-through.strace');
    // touch made the temporary before the bind; the shell's `>>` after it wrote through it.
    expect(touched(flow, 'touch', 'write')).toEqual(['/tmp/ccABCDEF']);
    expect(touched(flow, 'sh', 'write')).toContain('/tmp/mrec/w/main.c');
    expect(touched(flow, 'sh', 'write')).not.toContain('/tmp/ccABCDEF');
  });

  test('a chroot: absolute names (an open’s argument, a rename’s) are under the new root', () => {
    const flow = flowOf('mounts/chroot.strace');
    expect(touched(flow, 'python3', 'read')).toContain('/tmp/mrec/root/etc/data');
    expect(touched(flow, 'python3', 'write')).toContain('/tmp/mrec/root/etc/out2');
    const renames = flow.operations.filter((o) => o.kind === 'rename').map((o) => [o.source, o.path]);
    expect(renames).toEqual([['/tmp/mrec/root/etc/out', '/tmp/mrec/root/etc/out2']]);
  });

  test('a moved mount: the file is named by where it came from', () => {
    const flow = flowOf('mounts/move.strace');
    expect(touched(flow, 'cat', 'read')).toContain('/tmp/mrec/secret/id_rsa');
  });

  test('a mount in a namespace of its own is not seen outside it', () => {
    const flow = flowOf('mounts/nested.strace');
    const cats = flow.images.filter((i) => i.exe === '/usr/bin/cat');
    const readBy = (image: number) =>
      flow.accesses.filter((a) => a.image === image && a.mode === 'read').map((a) => flow.objects[a.object].path);
    const [inner, outer] = cats.map((c) => readBy(c.id));
    expect(inner).toContain('/tmp/mrec/secret/id_rsa');
    expect(outer).toContain('/tmp/mrec/w/main.c');
    expect(outer).not.toContain('/tmp/mrec/secret/id_rsa');
  });

  test('what cannot be mapped fails closed: an overlay, joining another mount namespace', () => {
    expect(untraced(flowOf('mounts/overlay.strace'))).toEqual(['/usr/bin/mount: mount -t overlay (files the trace cannot name)']);
    expect(untraced(flowOf('mounts/setns.strace'))).toEqual(['/usr/bin/nsenter: setns (joined another mount namespace)']);
  });

  test('process_vm_readv and ptrace(PTRACE_ATTACH) of another process are kept, by pid', () => {
    const flow = flowOf('mounts/vm-readv.strace');
    const python = flow.images.find((i) => i.exe === '/usr/bin/python3')!;
    expect(python.reached).toEqual([
      { call: 'process_vm_readv', pid: 471 },
      { call: 'ptrace', pid: 471 },
    ]);
  });

  test('a packet socket is an endpoint from the moment it is made; a raw IP socket’s destinations are endpoints', () => {
    const flow = flowOf('mounts/packet.strace');
    const endpoints = flow.objects.filter((o) => o.kind === 'endpoint').map((o) => [o.path, o.result]);
    expect(endpoints).toEqual([
      ['packet:raw', 'opened'],
      ['raw://127.0.0.1:0', 'sent'],
    ]);
  });

  test('Bazel’s linux-sandbox: a mount pair names the real header; the sandbox’s own binds and remounts change nothing', () => {
    const flow = flowOf('bazel/linux-sandbox-mount-pair.strace');
    const reads = flow.images
      .filter((i) => /\/(cc1|gcc)$/.test(i.exe))
      .flatMap((i) => flow.accesses.filter((a) => a.image === i.id && a.mode === 'read').map((a) => flow.objects[a.object].path));
    expect(reads).toContain('/work/bazel-play/extra-inc/extra.h');
    expect(reads).not.toContain('/usr/local/include/extra.h');
    expect(reads).toContain('/work/bazel-play/hello-mount/hello.c');
    expect(untraced(flow)).toEqual([]);
  });

  test('Bazel’s linux-sandbox without mount pairs, as root and not: the compile reads the workspace’s files, nothing untraced', () => {
    for (const file of ['bazel/linux-sandbox.strace', 'bazel/linux-sandbox-unprivileged.strace']) {
      const flow = flowOf(file);
      const reads = flow.images
        .filter((i) => /\/cc1$/.test(i.exe))
        .flatMap((i) => flow.accesses.filter((a) => a.image === i.id && a.mode === 'read').map((a) => flow.objects[a.object].path));
      expect(reads.some((p) => p.endsWith('/hello/hello.c'))).toBe(true);
      expect(reads.some((p) => p.endsWith('/hello/greet.h'))).toBe(true);
      expect(untraced(flow)).toEqual([]);
    }
  });
});
