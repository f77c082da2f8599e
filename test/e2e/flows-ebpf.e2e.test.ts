/**
 * Byte totals under the eBPF back end (issue 26), summed in the kernel per descriptor and
 * handed over at close and exit: a build that reads known files once has read exactly
 * their sizes, and what it sent to a local server is what the server received — both
 * answers known outside ioana (the files' sizes, the server's own count).
 *
 * eBPF needs root (or passwordless sudo), a kernel with BTF and the collector: where one
 * is missing, every test here is skipped, and the reason is printed.
 */
import { jest } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Flow } from '../../src/graph/index.js';
import { ebpfUnavailable } from '../helpers/ebpf.js';
import { ioana } from '../helpers/project.js';
import { tempDir } from '../helpers/trace.js';

const reason = ebpfUnavailable();
if (reason) console.warn(`flows-ebpf.e2e: SKIPPED — eBPF cannot trace here: ${reason}`);
const eb = reason ? describe.skip : describe;

jest.setTimeout(120_000);

/** The build's flows under eBPF: its records kept, then `ioana graph --flows` of them. */
async function flowsOf(dir: string, command: string[]): Promise<Flow[]> {
  const records = join(dir, 'build.records');
  process.env.IOANA_EBPF_RECORDS = records;
  try {
    const t = await ioana('trace', '--backend', 'ebpf', '--out', join(dir, 'build.log'), '--', ...command);
    expect({ code: t.code }).toEqual({ code: 0 });
  } finally {
    delete process.env.IOANA_EBPF_RECORDS;
  }
  const g = await ioana('graph', '--trace', records, '--workspace', dir, '--flows');
  expect({ code: g.code, stderr: g.stderr }).toEqual({ code: 0, stderr: '' });
  return (JSON.parse(g.stdout) as { flows: Flow[] }).flows;
}

eb('byte totals under eBPF', () => {
  test('a build that reads known files once has read exactly their sizes', async () => {
    const dir = tempDir('ioana-bytes-');
    const sizes: Record<string, number> = { 'small.txt': 1_000, 'medium.txt': 200_000, 'large.bin': 3_000_001 };
    for (const [name, size] of Object.entries(sizes)) writeFileSync(join(dir, name), Buffer.alloc(size, 7));
    const list = await flowsOf(dir, ['bash', '-c', `cd ${dir} && cat small.txt medium.txt large.bin > /dev/null`]);
    const read = Object.fromEntries(
      list.filter((f) => /\/cat$/.test(f.program) && f.object.startsWith('{workspace}/')).map((f) => [f.object, f.read]),
    );
    expect(read).toEqual({
      '{workspace}/small.txt': 1_000,
      '{workspace}/medium.txt': 200_000,
      '{workspace}/large.bin': 3_000_001,
    });
  });

  test('what the build sent to a local server is what the server received; a check names it on the new endpoint', async () => {
    let received = 0;
    let done!: () => void;
    const ended = new Promise<void>((resolve) => (done = resolve));
    const server = createServer((socket) => {
      socket.on('data', (chunk: Buffer) => (received += chunk.length));
      socket.on('end', () => {
        socket.end();
        done();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const dir = tempDir('ioana-send-');
      const send = ['bash', '-c', `head -c 123457 /dev/zero > /dev/tcp/127.0.0.1/${port}`];
      const list = await flowsOf(dir, send);
      await ended;
      const sent = list.filter((f) => f.kind === 'endpoint').reduce((n, f) => n + (f.written ?? 0), 0);
      expect({ sent, received }).toEqual({ sent: 123_457, received: 123_457 });

      // The same build checked against a baseline without the connection: the new endpoint says how much went out.
      const base = join(dir, 'base.yml');
      expect((await ioana('update', '--quiet', '--backend', 'ebpf', '--baseline', base, '--workspace', dir, '--', 'true')).code).toBe(0);
      received = 0;
      const again = new Promise<void>((resolve) => (done = resolve));
      const c = await ioana('check', '--format', 'json', '--backend', 'ebpf', '--baseline', base, '--workspace', dir, '--', ...send);
      await again;
      const report = JSON.parse(c.stdout) as { findings: { kind: string; subject: string; message: string; traffic?: object }[] };
      const endpoint = report.findings.find((f) => f.kind === 'new-endpoint' && f.subject.includes(`127.0.0.1:${port}`));
      expect(endpoint).toEqual(
        expect.objectContaining({
          traffic: { sent: 123_457, received: 0 },
          message: expect.stringContaining('(123 kB sent, 0 B received)'),
        }),
      );
    } finally {
      server.close();
    }
  });
});
