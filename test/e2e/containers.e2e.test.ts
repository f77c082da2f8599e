/**
 * Builds in containers, with a real daemon (issue 27). A `docker build` with no RUN step
 * (`FROM scratch`, nothing from a registry) starts no container: with both back ends the
 * report says the daemon's work is not in it and never calls the run clean. With the eBPF
 * back end, the containers the build's client starts are followed, on an image made here
 * from this machine's own packages (test/fixtures/containers/make-cc-image.sh): `docker run
 * -v $PWD:/src IMAGE make` is traced down to the compiler, the workspace's files by their
 * own names; a Dockerfile with two RUN steps that compile rebuilds clean (0 findings); an
 * added `RUN cat /etc/hostname > /src/x` is one failing finding whose effects name the step.
 * A build that does not use docker says nothing of containers.
 *
 * Needs a docker daemon that answers (Debian: `sudo apt-get install -y docker.io`, then
 * `sudo dockerd &`): where none does, every test here is skipped, and the reason is printed.
 */
import { jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ebpfUnavailable } from '../helpers/ebpf.js';
import { ioana } from '../helpers/project.js';
import { tempDir } from '../helpers/trace.js';

function noDaemon(): string | undefined {
  const r = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8', timeout: 30_000 });
  if (r.error) return `no docker command (${r.error.message})`;
  return r.status === 0 ? undefined : `the docker daemon does not answer: ${(r.stderr || r.stdout).trim().split('\n')[0]}`;
}

const reason = noDaemon();
if (reason) console.warn(`containers.e2e: SKIPPED — ${reason}`);
const withDaemon = reason ? describe.skip : describe;
const ebpfReason = reason ? undefined : ebpfUnavailable();
if (ebpfReason) console.warn(`containers.e2e: the eBPF case is skipped: ${ebpfReason}`);

jest.setTimeout(300_000);

/** A project whose build is a Dockerfile with two steps on a local base (`FROM scratch`). */
function project(): string {
  const dir = tempDir('ioana-docker-');
  writeFileSync(join(dir, 'hello.txt'), 'hello\n');
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\nCOPY Dockerfile /Dockerfile\n');
  return dir;
}

withDaemon('a docker build under ioana', () => {
  const tag = `ioana-test/e2e:${process.pid}`;
  afterAll(() => spawnSync('docker', ['image', 'rm', '-f', tag], { stdio: 'ignore' }));

  test.each([['strace'], ['ebpf']])('%s: the report names the daemon and the command, and does not call the run clean', async (backend) => {
    if (backend === 'ebpf' && ebpfReason) return;
    const dir = project();
    const build = ['docker', 'build', '-q', '-t', tag, '.'];
    // Outside the project: docker build sends the whole directory to the daemon (its context).
    const base = join(tempDir(), 'base.yml');
    const u = await ioana('update', '--quiet', '--backend', backend, '--baseline', base, '--workspace', dir, '--', ...build);
    expect({ code: u.code, stderr: u.stderr }).toEqual({ code: 0, stderr: expect.stringContaining('container daemon') });

    const json = await ioana('check', '--format', 'json', '--backend', backend, '--baseline', base, '--workspace', dir, '--', ...build);
    const report = JSON.parse(json.stdout) as {
      status: string;
      findings: { message: string }[];
      build: { containers?: { socket: string; by: string[] }[] };
    };
    expect({ code: json.code, findings: report.findings.map((f) => f.message) }).toEqual({ code: 0, findings: [] });
    expect(report.build.containers).toEqual([
      {
        socket: expect.stringMatching(/^unix:(?:\/var)?\/run\/docker\.sock$/),
        by: [expect.stringMatching(/docker build -q -t /)],
        // No RUN step: no container ran, under either back end.
        followed: [],
        untraced: [expect.stringMatching(/docker build -q -t /)],
        running: 0,
      },
    ]);

    const text = await ioana('check', '--backend', backend, '--baseline', base, '--workspace', dir, '--', ...build);
    expect(text.stderr + text.stdout).toMatch(
      /the build asked a container daemon to work: unix:\S*docker\.sock \(by `\S*docker build -q -t/,
    );
    expect(text.stdout.trimEnd().split('\n').pop()).toMatch(/^ioana: clean as far as traced — container steps ran outside the trace/);
  });

  test('a build without docker says nothing of containers', async () => {
    const dir = project();
    const base = join(dir, 'base.yml');
    expect((await ioana('update', '--quiet', '--baseline', base, '--workspace', dir, '--', 'cat', 'hello.txt')).code).toBe(0);
    const c = await ioana('check', '--format', 'json', '--baseline', base, '--workspace', dir, '--', 'cat', 'hello.txt');
    expect(JSON.parse(c.stdout)).toMatchObject({ status: 'clean' });
    expect(JSON.parse(c.stdout).build).not.toHaveProperty('containers');
  });
});

/** The local image with a shell, make and cc (made once, from this machine's packages). */
const IMAGE = 'ioana-test/cc:1';
function imageMissing(): string | undefined {
  if (spawnSync('docker', ['image', 'inspect', IMAGE], { stdio: 'ignore' }).status === 0) return undefined;
  const made = spawnSync('bash', [resolve('test/fixtures/containers/make-cc-image.sh'), IMAGE], { encoding: 'utf8', timeout: 240_000 });
  return made.status === 0 ? undefined : `could not make ${IMAGE}: ${(made.stderr || made.stdout).trim().split('\n').pop()}`;
}
const imageReason = reason || ebpfReason ? undefined : imageMissing();
if (imageReason) console.warn(`containers.e2e: the eBPF container cases are skipped: ${imageReason}`);
const following = reason || ebpfReason || imageReason ? describe.skip : describe;

interface Finding {
  kind: string;
  subject: string;
  failing: boolean;
  message: string;
  effects?: Finding[];
}

following('eBPF follows the containers the build starts', () => {
  const tag = `ioana-test/steps:${process.pid}`;
  afterAll(() => spawnSync('docker', ['image', 'rm', '-f', tag], { stdio: 'ignore' }));

  test('docker run -v $PWD:/src IMAGE make: the make in the container is traced, the workspace by its own names, and a rebuild is clean', async () => {
    const dir = tempDir('ioana-docker-run-');
    writeFileSync(join(dir, 'hello.c'), 'int main(void) { return 0; }\n');
    writeFileSync(join(dir, 'Makefile'), 'hello: hello.c\n\tcc -O1 -o hello hello.c\n');
    const build = ['sh', '-c', `rm -f hello && docker run --rm -v "$PWD:/src" -w /src ${IMAGE} make`];
    const base = join(tempDir(), 'base.yml');
    const u = await ioana('update', '--quiet', '--backend', 'ebpf', '--baseline', base, '--workspace', dir, '--', ...build);
    expect(u.code).toBe(0);
    expect(u.stderr).toContain(`followed the containers the build's container client started (images: ${IMAGE})`);
    const baseline = parse(readFileSync(base, 'utf8')) as {
      inputs: string[];
      outputs: { path: string; from: string[] }[];
      programs: { exe: string; argv: string[] }[];
    };
    const image = `{container:${IMAGE}}`;
    expect(baseline.programs).toContainEqual(expect.objectContaining({ exe: `${image}/usr/bin/make`, argv: ['make'] }));
    expect(baseline.programs).toContainEqual(
      expect.objectContaining({ exe: `${image}/usr/bin/cc`, argv: ['cc', '-O1', '-o', 'hello', 'hello.c'] }),
    );
    // The mounted directory is the workspace: its files by their own names, the compiler's by the image's.
    expect(baseline.inputs).toEqual(
      expect.arrayContaining(['{workspace}/Makefile', '{workspace}/hello.c', `${image}/usr/include/stdc-predef.h`]),
    );
    const hello = baseline.outputs.find((o) => o.path === '{workspace}/hello');
    expect(hello?.from).toEqual(expect.arrayContaining(['{workspace}/hello.c', `${image}/usr/bin/ld`]));
    expect([...baseline.inputs, ...baseline.outputs.map((o) => o.path)].filter((p) => p.startsWith('/usr/include'))).toEqual([]);

    const c = await ioana('check', '--format', 'json', '--backend', 'ebpf', '--baseline', base, '--workspace', dir, '--', ...build);
    const report = JSON.parse(c.stdout) as { status: string; findings: Finding[]; build: { containers: { followed: string[] }[] } };
    expect({ code: c.code, status: report.status, findings: report.findings.map((f) => f.message) }).toEqual({
      code: 0,
      status: 'clean',
      findings: [],
    });
    expect(report.build.containers.map((d) => d.followed)).toEqual([[IMAGE]]);
  });

  test('a container’s working directory is its own: a relative rename in -w /tmp is the image’s /tmp, not the workspace', async () => {
    const dir = tempDir('ioana-docker-cwd-');
    const base = join(tempDir(), 'base.yml');
    const run = ['docker', 'run', '--rm', '-w', '/tmp', IMAGE, 'sh', '-c', 'echo x > a && mv a b'];
    const u = await ioana('update', '--quiet', '--backend', 'ebpf', '--baseline', base, '--workspace', dir, '--', ...run);
    expect(u.code).toBe(0);
    const outputs = (parse(readFileSync(base, 'utf8')) as { outputs?: { path: string }[] }).outputs ?? [];
    // mv's rename names no file the kernel resolved: its relative names go by the container's directory.
    expect(outputs.map((o) => o.path)).toEqual([`{container:${IMAGE}}/tmp/b`]);
  });

  test('a container left running (docker run -d) is followed while the build runs, and the report says it outlived the trace', async () => {
    const dir = tempDir('ioana-docker-detached-');
    const base = join(tempDir(), 'base.yml');
    const run = ['docker', 'run', '-d', '--rm', IMAGE, 'sh', '-c', 'sleep 3; cat /etc/hostname'];
    const u = await ioana('update', '--quiet', '--backend', 'ebpf', '--baseline', base, '--workspace', dir, '--', ...run);
    expect(u.code).toBe(0);
    expect(u.stderr).toMatch(
      /ioana: warning: \d+ program\(s\) of the containers the build started \(images: ioana-test\/cc:1\) were still running when tracing stopped/,
    );
    const c = await ioana('check', '--backend', 'ebpf', '--baseline', base, '--workspace', dir, '--', ...run);
    // Never "clean": what the container does after the build is not in the report.
    expect(c.stdout.trimEnd().split('\n').pop()).toMatch(/^ioana: clean as far as traced/);
  });

  test('a container started through the daemon’s API (curl, no docker CLI) is followed too, as an unknown image', async () => {
    const dir = tempDir('ioana-docker-api-');
    const api = (method: string, path: string, body?: string) =>
      `curl -sf --unix-socket /var/run/docker.sock -X ${method}${body ? ` -H 'Content-Type: application/json' -d '${body}'` : ''} http://localhost${path}`;
    const script = [
      `id=$(${api('POST', '/containers/create', `{"Image":"${IMAGE}","Cmd":["cat","/etc/hostname"]}`)} | sed 's/.*"Id":"\\([0-9a-f]*\\)".*/\\1/')`,
      `${api('POST', '/containers/$id/start')}`,
      `${api('POST', '/containers/$id/wait')} >/dev/null`,
      `${api('DELETE', '/containers/$id')}`,
    ].join('\n');
    writeFileSync(join(dir, 'api.sh'), script + '\n');
    const base = join(tempDir(), 'base.yml');
    const u = await ioana('update', '--quiet', '--backend', 'ebpf', '--baseline', base, '--workspace', dir, '--', 'sh', 'api.sh');
    expect(u.code).toBe(0);
    const programs = (parse(readFileSync(base, 'utf8')) as { programs: { exe: string; argv: string[] }[] }).programs;
    expect(programs).toContainEqual(expect.objectContaining({ exe: '{container:unknown}/usr/bin/cat', argv: ['cat', '/etc/hostname'] }));
  });

  test('a Dockerfile with two RUN steps rebuilds clean; an added RUN step is one failing finding that names it', async () => {
    const dir = tempDir('ioana-docker-steps-');
    writeFileSync(join(dir, 'hello.c'), 'int main(void) { return 0; }\n');
    const steps = [
      `FROM ${IMAGE}`,
      'COPY hello.c /src/hello.c',
      'RUN cc -c -o /src/hello.o /src/hello.c',
      'RUN cc -o /src/hello /src/hello.o',
    ];
    writeFileSync(join(dir, 'Dockerfile'), steps.join('\n') + '\n');
    // --no-cache: a cached step runs nothing, and there is nothing to trace.
    const build = ['docker', 'build', '--no-cache', '-q', '-t', tag, '.'];
    const base = join(tempDir(), 'base.yml');
    expect((await ioana('update', '--quiet', '--backend', 'ebpf', '--baseline', base, '--workspace', dir, '--', ...build)).code).toBe(0);
    const programs = (parse(readFileSync(base, 'utf8')) as { programs: { exe: string; argv: string[] }[] }).programs;
    expect(programs.filter((p) => p.exe === '{container:build}/bin/sh').map((p) => p.argv)).toEqual([
      ['/bin/sh', '-c', 'cc -c -o /src/hello.o /src/hello.c'],
      ['/bin/sh', '-c', 'cc -o /src/hello /src/hello.o'],
    ]);

    const clean = await ioana('check', '--format', 'json', '--backend', 'ebpf', '--baseline', base, '--workspace', dir, '--', ...build);
    expect({ code: clean.code, findings: (JSON.parse(clean.stdout) as { findings: Finding[] }).findings.map((f) => f.message) }).toEqual({
      code: 0,
      findings: [],
    });

    writeFileSync(join(dir, 'Dockerfile'), [...steps, 'RUN cat /etc/hostname > /src/x'].join('\n') + '\n');
    const c = await ioana('check', '--format', 'json', '--backend', 'ebpf', '--baseline', base, '--workspace', dir, '--', ...build);
    const findings = (JSON.parse(c.stdout) as { findings: Finding[] }).findings;
    expect(c.code).toBe(1);
    expect(findings.map((f) => [f.kind, f.subject, f.failing])).toEqual([
      ['new-program', '{container:build}/usr/bin/cat /etc/hostname', true],
    ]);
    const effects = findings[0].effects!.map((e) => e.message).join('\n');
    expect(effects).toContain('{container:build}/src/x');
    expect(effects).toContain('/bin/sh -c cat /etc/hostname > /src/x');
  });

  test('a RUN step that connects out is one finding: the endpoint, with the step’s program under it', async () => {
    const dir = tempDir('ioana-docker-net-');
    // A program that tries 127.0.0.1:9 (the container's own loopback: refused at once), compiled by a step of the baseline.
    writeFileSync(
      join(dir, 'net.c'),
      [
        '#include <arpa/inet.h>',
        '#include <netinet/in.h>',
        '#include <sys/socket.h>',
        'int main(void) {',
        '  int s = socket(AF_INET, SOCK_STREAM, 0);',
        '  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9) };',
        '  a.sin_addr.s_addr = htonl(0x7f000001);',
        '  connect(s, (struct sockaddr *)&a, sizeof a);',
        '  return 0;',
        '}',
        '',
      ].join('\n'),
    );
    const steps = [`FROM ${IMAGE}`, 'COPY net.c /src/net.c', 'RUN cc -o /src/net /src/net.c'];
    writeFileSync(join(dir, 'Dockerfile'), steps.join('\n') + '\n');
    const build = ['docker', 'build', '--no-cache', '-q', '-t', tag, '.'];
    const base = join(tempDir(), 'base.yml');
    expect((await ioana('update', '--quiet', '--backend', 'ebpf', '--baseline', base, '--workspace', dir, '--', ...build)).code).toBe(0);
    writeFileSync(join(dir, 'Dockerfile'), [...steps, 'RUN /src/net'].join('\n') + '\n');
    const c = await ioana('check', '--format', 'json', '--backend', 'ebpf', '--baseline', base, '--workspace', dir, '--', ...build);
    const findings = (JSON.parse(c.stdout) as { findings: Finding[] }).findings;
    expect(c.code).toBe(1);
    expect(findings.map((f) => [f.kind, f.subject, f.failing])).toEqual([['new-endpoint', 'tcp://127.0.0.1:9', true]]);
    expect(findings[0].effects!.map((e) => `${e.kind} ${e.subject}`)).toContain('new-program {container:build}/src/net');
  });

  test('BuildKit (DOCKER_BUILDKIT=1): its RUN steps are followed too, and a second build is clean (its client state is a cache)', async () => {
    // A client that builds with BuildKit by itself (docker 20.10; a newer one needs the buildx plugin).
    const client = ['docker', '/usr/bin/docker'].find(
      (c) =>
        spawnSync(c, ['build', '-q', '-'], {
          input: 'FROM scratch\n',
          env: { ...process.env, DOCKER_BUILDKIT: '1' },
          stdio: ['pipe', 'ignore', 'ignore'],
        }).status === 0,
    );
    if (!client) {
      console.warn('containers.e2e: the BuildKit case is skipped: no docker client here builds with DOCKER_BUILDKIT=1');
      return;
    }
    const dir = tempDir('ioana-buildkit-');
    writeFileSync(join(dir, 'hello.c'), 'int main(void) { return 0; }\n');
    writeFileSync(
      join(dir, 'Dockerfile'),
      [`FROM ${IMAGE}`, 'COPY hello.c /src/hello.c', 'RUN cc -o /src/hello /src/hello.c'].join('\n') + '\n',
    );
    const build = ['env', 'DOCKER_BUILDKIT=1', client, 'build', '--no-cache', '-q', '-t', tag, '.'];
    const base = join(tempDir(), 'base.yml');
    expect((await ioana('update', '--quiet', '--backend', 'ebpf', '--baseline', base, '--workspace', dir, '--', ...build)).code).toBe(0);
    const programs = (parse(readFileSync(base, 'utf8')) as { programs: { exe: string; argv: string[] }[] }).programs;
    expect(programs).toContainEqual(
      expect.objectContaining({ exe: '{container:build}/bin/sh', argv: ['/bin/sh', '-c', 'cc -o /src/hello /src/hello.c'] }),
    );
    for (let i = 0; i < 2; i++) {
      const c = await ioana('check', '--format', 'json', '--backend', 'ebpf', '--baseline', base, '--workspace', dir, '--', ...build);
      expect({ code: c.code, findings: (JSON.parse(c.stdout) as { findings: Finding[] }).findings.map((f) => f.message) }).toEqual({
        code: 0,
        findings: [],
      });
    }
  });
});
