/**
 * Builds in containers, with a real daemon (issue 27): a `docker build` of a Dockerfile
 * whose base image is made locally (`FROM scratch`, nothing from a registry) runs under
 * `ioana check` with both back ends; the report says its steps ran outside the trace and
 * never calls the run clean. A build that does not use docker says nothing of containers.
 *
 * Needs a docker daemon that answers (Debian: `sudo apt-get install -y docker.io`, then
 * `sudo dockerd &`): where none does, every test here is skipped, and the reason is printed.
 */
import { jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
      { socket: expect.stringMatching(/^unix:(?:\/var)?\/run\/docker\.sock$/), by: [expect.stringMatching(/docker build -q -t /)] },
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
