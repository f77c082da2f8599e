/**
 * Container steps the trace cannot see (issue 27): a real `docker build` traced by strace
 * (test/fixtures/containers/ORIGIN.md) connects to the daemon's socket, and the report
 * says its steps ran outside the trace instead of calling the run clean. The socket
 * patterns are stated independently of any trace.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { containerDaemons } from '../../src/graph/index.js';
import { analyzeLog } from '../../src/pipeline/index.js';
import { buildReport, containerNote, followedNote, renderSummary, renderText } from '../../src/report/index.js';
import { traceFile } from '../../src/trace/index.js';
import { FIXTURES, tempDir } from '../helpers/trace.js';

const DOCKER_BUILD = resolve(FIXTURES, 'containers/docker-build.strace');

/** A report of a build with no findings and these daemons. */
const reportWith = (containers: Parameters<typeof containerNote>[0], baseline = 'b.yml') =>
  buildReport({
    findings: [],
    failed: false,
    baseline,
    stats: {},
    build: { command: ['docker', 'build', '.'], exitCode: 0, signal: null, containers },
  });

describe('a real docker build', () => {
  test('its daemon and the command that asked are found', async () => {
    const a = await analyzeLog(traceFile(DOCKER_BUILD));
    expect(containerDaemons(a.graph)).toEqual([
      // strace follows no container: none is followed.
      {
        socket: 'unix:/var/run/docker.sock',
        by: ['/usr/local/bin/docker build -q -t ioana-test/scratch:1 .'],
        followed: [],
        untraced: ['/usr/local/bin/docker build -q -t ioana-test/scratch:1 .'],
        running: 0,
      },
    ]);
  });

  test('a report without findings is not called clean: the text, its closing line and the summary say why', async () => {
    const a = await analyzeLog(traceFile(DOCKER_BUILD));
    const containers = containerDaemons(a.graph);
    const report = reportWith(containers, 'baselines/build.yml');
    const text = renderText(report);
    expect(text).toContain('ioana: the build asked a container daemon to work: unix:/var/run/docker.sock (by `/usr/local/bin/docker build');
    expect(text).toContain('and no container it started was traced');
    expect(text).toContain('strace does not follow them, the eBPF back end (--backend ebpf, or the action');
    expect(text).toMatch(/What they read, wrote, ran and connected to is not in this report\./);
    expect(text.trimEnd().split('\n').pop()).toMatch(/^ioana: clean as far as traced — container steps ran outside the trace/);
    expect(text).not.toMatch(/^ioana: clean —/m);
    const summary = renderSummary({
      report,
      run: 'docker build .',
      baselineFile: 'baselines/build.yml',
      baselineExists: true,
      installSpec: 'ioana',
    });
    expect(summary).toMatch(/^## ⚠️ ioana: clean as far as traced/);
    expect(summary).toContain('> ⚠️ the build asked a container daemon to work');
  });
});

describe('the daemons’ sockets', () => {
  const graphWith = async (socket: string) => {
    // The fixture's build, with its socket renamed: the same graph shape, another daemon.
    const log = resolve(tempDir(), 'trace.log');
    writeFileSync(log, readFileSync(DOCKER_BUILD, 'utf8').replace('/var/run/docker.sock', socket));
    return (await analyzeLog(traceFile(log))).graph;
  };

  test.each([
    '/run/docker.sock',
    '/run/user/1001/docker.sock',
    '/run/containerd/containerd.sock',
    '/run/buildkit/buildkitd.sock',
    '/run/podman/podman.sock',
    '/home/runner/.docker/run/docker.sock',
  ])('%s is a container daemon', async (socket) => {
    expect(containerDaemons(await graphWith(socket)).map((d) => d.socket)).toEqual([`unix:${socket}`]);
  });

  test.each(['/run/dbus/system_bus_socket', '/tmp/docker.sock.bak', '/run/systemd/journal/stdout'])('%s is not', async (socket) => {
    expect(containerDaemons(await graphWith(socket))).toEqual([]);
  });

  test('the note names one daemon and counts the others', () => {
    const note = containerNote([
      { socket: 'unix:/run/docker.sock', by: ['docker build .', 'docker run x'] },
      { socket: 'unix:/run/containerd/containerd.sock', by: [] },
    ]);
    expect(note).toMatch(
      /^the build asked a container daemon to work: unix:\/run\/docker\.sock and 1 other daemon\(s\) \(by `docker build \.` and 1 more\), and no container it started was traced\./,
    );
  });

  test('containers followed (eBPF) are a note, not a warning, and the run can be clean', () => {
    const containers = [{ socket: 'unix:/run/docker.sock', by: ['docker build .'], followed: ['build', 'debian:12'] }];
    const text = renderText(reportWith(containers));
    expect(text).toContain(
      "ioana: note: followed the containers the build's container client started (images: build, debian:12): their programs, files and connections are in this report",
    );
    expect(text).not.toContain('no container it started was traced');
    expect(text.trimEnd().split('\n').pop()).toMatch(/^ioana: clean — /);
    expect(followedNote([{ socket: 's', by: [], followed: [] }])).toBeUndefined();
  });

  test('programs of followed containers still running at the end are a warning, and the run is not called clean', () => {
    const text = renderText(
      reportWith([{ socket: 'unix:/run/docker.sock', by: ['docker run -d img'], followed: ['img'], untraced: [], running: 2 }]),
    );
    expect(text).toContain(
      'ioana: 2 program(s) of the containers the build started (images: img) were still running when tracing stopped (`docker run -d`, a service it left): what they do from then on is not in this report.',
    );
    expect(text.trimEnd().split('\n').pop()).toMatch(/^ioana: clean as far as traced/);
  });

  test('a command whose container was not followed keeps the warning, though another’s was (--pid=host, another runtime)', () => {
    const containers = [
      {
        socket: 'unix:/run/docker.sock',
        by: ['docker run --pid=host img', 'docker run img'],
        followed: ['img'],
        untraced: ['docker run --pid=host img'],
      },
    ];
    const text = renderText(reportWith(containers));
    expect(text).toContain('(by `docker run --pid=host img`), and no container it started was traced');
    expect(text.trimEnd().split('\n').pop()).toMatch(/^ioana: clean as far as traced/);
  });
});
