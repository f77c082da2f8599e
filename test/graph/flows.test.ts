/**
 * Byte totals per flow (issue 26), from real builds under the real strace: with
 * `--detailed` (read and write traced), a program's flow carries the bytes it read and
 * wrote, equal to the files' sizes; without it, its calls and no bytes. The answers are
 * the files' sizes, known before the trace.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { endpointTraffic, flows, formatBytes, ioSamples, type Flow } from '../../src/graph/index.js';
import { analyzeLog } from '../../src/pipeline/index.js';
import { traceFile } from '../../src/trace/index.js';
import { ioana } from '../helpers/project.js';
import { tempDir, trace } from '../helpers/trace.js';

const SIZES = { 'a.txt': 12_345, 'b.txt': 70_000 } as const;

function workspace(): string {
  const ws = tempDir('ioana-flows-');
  for (const [name, size] of Object.entries(SIZES)) writeFileSync(join(ws, name), 'x'.repeat(size));
  return ws;
}

const flowOf = (list: readonly Flow[], program: RegExp, object: string): Flow | undefined =>
  list.find((f) => program.test(f.program) && f.object === object);

describe('flows from a real trace', () => {
  const ws = workspace();
  // cat reads both files once, to their ends, and writes them into one output.
  const command = ['sh', '-c', 'cat a.txt b.txt > out.txt && cat a.txt > /dev/null'];

  test('strace --detailed: the bytes read are the files’ sizes, the bytes written their sum; calls count the opens', async () => {
    const t = await trace(command, ws, { detailed: true });
    const a = await analyzeLog(traceFile(t.logPath));
    const list = flows(a.graph, { workspace: ws });
    // Two cat processes read a.txt (one each); one read b.txt; the shell opened out.txt for the first.
    expect(flowOf(list, /\/cat$/, '{workspace}/a.txt')).toEqual(
      expect.objectContaining({ kind: 'file', calls: 2, read: 2 * SIZES['a.txt'] }),
    );
    expect(flowOf(list, /\/cat$/, '{workspace}/b.txt')).toEqual(expect.objectContaining({ calls: 1, read: SIZES['b.txt'] }));
    expect(flowOf(list, /\/cat$/, '{workspace}/out.txt')).toEqual(expect.objectContaining({ written: SIZES['a.txt'] + SIZES['b.txt'] }));
  });

  test('plain strace: calls, and no bytes (not counted is not 0)', async () => {
    const t = await trace(command, ws);
    const a = await analyzeLog(traceFile(t.logPath));
    const list = flows(a.graph, { workspace: ws });
    const f = flowOf(list, /\/cat$/, '{workspace}/b.txt');
    expect(f).toEqual(expect.objectContaining({ calls: 1 }));
    expect(f).not.toHaveProperty('read');
    expect(ioSamples(list, 'bytes')).toEqual([]);
  });

  test('`ioana graph --flows` and `--format folded`: the same flows, as JSON and as folded stacks', async () => {
    const t = await trace(command, ws, { detailed: true });
    const g = await ioana('graph', '--trace', t.logPath, '--workspace', ws, '--flows');
    expect(g.code).toBe(0);
    const doc = JSON.parse(g.stdout) as { flows: Flow[] };
    expect(flowOf(doc.flows, /\/cat$/, '{workspace}/b.txt')?.read).toBe(SIZES['b.txt']);

    const folded = await ioana('graph', '--trace', t.logPath, '--workspace', ws, '--format', 'folded', '--weight', 'bytes');
    expect(folded.code).toBe(0);
    const lines = folded.stdout.trimEnd().split('\n');
    for (const l of lines) expect(l).toMatch(/^[^;\n]+(;[^;\n]+)* \d+$/);
    expect(lines).toContain(`cat;{workspace};b.txt ${SIZES['b.txt']}`);
    expect(lines).toContain(`cat;{workspace};out.txt ${SIZES['a.txt'] + SIZES['b.txt']}`);

    const svg = await ioana('graph', '--trace', t.logPath, '--workspace', ws, '--format', 'flame');
    expect(svg.code).toBe(0);
    expect(svg.stdout).toMatch(/^<\?xml[^>]*>\s*<svg[\s>]/);
    expect(svg.stdout).toContain('b.txt');
  });

  test('--weight bytes of a trace without byte counts: exit 2, saying how to count them', async () => {
    const t = await trace(command, ws);
    const r = await ioana('graph', '--trace', t.logPath, '--format', 'flame', '--weight', 'bytes');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no byte counts: trace the build with --backend ebpf .* --detailed/);
  });
});

describe('endpointTraffic and formatBytes', () => {
  test('sums what each endpoint was sent and sent back, over its programs', () => {
    const list: Flow[] = [
      { program: '/usr/bin/curl', object: 'tcp://203.0.113.5:443', kind: 'endpoint', calls: 1, read: 1000, written: 4_200_000 },
      { program: '/usr/bin/git', object: 'tcp://203.0.113.5:443', kind: 'endpoint', calls: 1, read: 10, written: 5 },
      { program: '/usr/bin/cat', object: '/etc/hosts', kind: 'file', calls: 1, read: 300 },
      { program: '/usr/bin/nc', object: 'tcp://198.51.100.1:80', kind: 'endpoint', calls: 1 },
    ];
    expect([...endpointTraffic(list)]).toEqual([['tcp://203.0.113.5:443', { sent: 4_200_005, received: 1010 }]]);
  });

  test.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [4_200_000, '4.2 MB'],
    [12_345_678, '12 MB'],
    [3e12, '3.0 TB'],
  ])('%d → %s', (n, text) => expect(formatBytes(n)).toBe(text));
});
