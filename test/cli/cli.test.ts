import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/main.js';
import { captureConsole } from '../helpers/console.js';
import { seededBytes } from '../helpers/random.js';
import { corpusFiles, corpusPath } from '../helpers/corpus.js';
import { tempDir } from '../helpers/trace.js';
import { CLI } from '../helpers/bundle.js';

async function cli(...argv: string[]) {
  const io = captureConsole();
  const code = await main(argv, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('ioana graph --trace', () => {
  test.each(corpusFiles())('prints JSON stats for %s', async (name) => {
    const r = await cli('graph', '--trace', corpusPath(name), '--format', 'json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.stats.lines).toBe(readFileSync(corpusPath(name), 'utf8').replace(/\n$/, '').split('\n').length);
    expect(typeof doc.stats.unparsed).toBe('number');
    expect(doc.stats).toHaveProperty('syscalls');
    expect(doc.stats).toHaveProperty('processes');
  });

  test('an empty file', async () => {
    const f = join(tempDir(), 'empty.log');
    writeFileSync(f, '');
    const r = await cli('graph', '--trace', f);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).stats).toMatchObject({ lines: 0, unparsed: 0, syscalls: 0 });
  });

  test('random bytes', async () => {
    const f = join(tempDir(), 'random.log');
    const byte = seededBytes(7);
    writeFileSync(f, Buffer.from(Array.from({ length: 64 * 1024 }, byte)));
    const r = await cli('graph', '--trace', f);
    expect(r.code).toBe(0);
    const stats = JSON.parse(r.stdout).stats;
    expect(stats.lines).toBeGreaterThan(100);
    expect(stats.unparsed).toBeGreaterThan(100);
  });

  test('--verbose lists the unparsed lines with their numbers on stderr', async () => {
    const f = corpusPath('strace-process-tree__tests_log_lines.extracted.log');
    const r = await cli('graph', '--trace', f, '--verbose');
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([
      `${f}:23: unparsed (expected a system call after the pid): 27369 42`,
      `${f}:24: unparsed (bad duration "<ha ha>"): 27369 arch_prctl(ARCH_SET_FS, 0x7fef1c205140) = 0 <ha ha>`,
      `${f}:25: unparsed (bad "<... resumed>" line): 27369 <... no really why am I doin this`,
      `${f}:27: unparsed (expected "(" after the system call name): Hello this is a text file and not an strace log file at all actually.`,
    ]);
  });

  test('a missing log is exit 2 with the path, and no stack trace', async () => {
    const r = await cli('graph', '--trace', '/nonexistent/trace.log');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ioana: trace log not found: /nonexistent/trace.log\n  Check the path given to --trace.\n');
  });

  test('a directory instead of a log', async () => {
    const r = await cli('graph', '--trace', tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a directory/);
  });
});

describe('usage errors', () => {
  test.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['graph'], /needs --trace/],
    [['graph', '--trace'], /needs a value/],
    [['graph', '--trace', 'x', '--bogus'], /unknown option "--bogus"/],
    [['graph', '--trace', 'x', '--format', 'svg'], /unknown --format "svg"/],
    [['trace', '--out', 'x.log'], /needs a command to run after "--"/],
    [['trace', '--out', 'x.log', 'make'], /unexpected argument "make".*after "--"/s],
  ])('%j', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('--help lists the commands; COMMAND --help its options', async () => {
    expect((await cli('--help')).stdout).toMatch(/graph\s+print the dataflow graph/);
    const r = await cli('trace', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--out LOG/);
  });
});

describe('ioana trace', () => {
  test("writes the log and exits with the command's status", async () => {
    const dir = tempDir();
    const log = join(dir, 'out.log');
    const r = await cli('trace', '--out', log, '--', 'sh', '-c', 'exit 3');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/the traced command failed: exit status 3/);
    expect(readFileSync(log, 'utf8')).toMatch(/exit_group\(3\)/);
  });

  test('a command killed by a signal exits 128+N, like a shell', async () => {
    const log = join(tempDir(), 'out.log');
    const r = await cli('trace', '--out', log, '--', 'sh', '-c', 'kill -TERM $$');
    expect(r.code).toBe(128 + 15);
    expect(r.stderr).toMatch(/killed by SIGTERM/);
  });

  test('a command that succeeds exits 0 and says nothing', async () => {
    const log = join(tempDir(), 'out.log');
    const r = await cli('trace', '--out', log, '--', 'true');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(log)).toBe(true);
  });
});

describe('the bundled CLI (dist/cli.js)', () => {
  const bin = CLI;

  test('runs graph on a corpus file', () => {
    const out = execFileSync(
      'node',
      [bin, 'graph', '--trace', corpusPath('posix-omni-parser__testbins_links.strace'), '--format', 'json'],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(out).stats).toMatchObject({ lines: 59, unparsed: 0 });
  });

  test('prints no stack trace on bad input', () => {
    const r = spawnSync('node', [bin, 'graph', '--trace', '/nonexistent'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('ioana graph formats on a recorded make -j2 build', () => {
  const log = resolve('test/fixtures/traces/cproject-make-j2.log');
  // The build ran in /tmp/ioana-example, which need not exist to analyze its log.
  const ws = '/tmp/ioana-example';
  const args = (format: string) => ['graph', '--trace', log, '--workspace', ws, '--format', format];

  test('json and yaml hold the same document', async () => {
    const json = await cli(...args('json'));
    const yaml = await cli(...args('yaml'));
    expect(json.code).toBe(0);
    expect(yaml.code).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(Object.keys(doc)).toEqual(['inputs', 'outputs', 'programs', 'endpoints', 'temporaries', 'stats', 'figures']);
    expect(doc.outputs.map((o: { path: string }) => o.path)).toContain('{workspace}/build/wordcount');
    const { parse } = await import('yaml');
    expect(parse(yaml.stdout)).toEqual(doc);
  });

  test('mermaid draws programs and files, bounded, with a note of what it left out', async () => {
    const r = await cli(...args('mermaid'));
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('flowchart LR');
    expect(r.stdout).toMatch(/\["cc1 .*app\/wc\.c/);
    expect(r.stdout).toMatch(/\[\/"\{workspace\}\/build\/wordcount"\/\]/);
    expect(lines.filter((l) => /^ {2}n\d+[[({]/.test(l)).length).toBeLessThanOrEqual(60);
  });

  test('a small bound keeps the drawing small and says so', async () => {
    const { analyzeFile } = await import('../helpers/pipeline.js');
    const { horizonSets, toMermaid, toDot } = await import('../../src/graph/index.js');
    const a = await analyzeFile(log);
    const sets = horizonSets(a.graph, { workspace: ws });
    const m = toMermaid(a.graph, sets, { maxNodes: 5 });
    expect(m.split('\n').filter((l) => /^ {2}n\d+/.test(l) && !l.includes('-->')).length).toBe(5);
    expect(m).toMatch(/more\["… \d+ more nodes left out"\]/);
    expect(toDot(a.graph, sets, { maxNodes: 5 })).toMatch(/^digraph ioana \{[\s\S]*left out[\s\S]*\}\n$/);
  });

  test('dot is a digraph with quoted labels', async () => {
    const r = await cli(...args('dot'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^digraph ioana \{\n {2}rankdir=LR;/);
    expect(r.stdout).toMatch(/ -> /);
  });

  test('--provenance takes data or control', async () => {
    expect((await cli('graph', '--trace', log, '--provenance', 'both')).stderr).toMatch(/unknown --provenance "both"/);
  });

  test('what the build leaves under /tmp is an output, whatever the workspace (it outlives the build: issue 23); what it deleted is a temporary', async () => {
    const doc = JSON.parse((await cli('graph', '--trace', log, '--workspace', tempDir())).stdout);
    expect(doc.outputs.map((o: { path: string }) => o.path)).toContain('/tmp/ioana-example/build/wordcount');
    // gcc's and ar's scratch files, deleted before the build ended.
    expect(doc.temporaries.map((t: { path: string }) => t.path)).toEqual(
      expect.arrayContaining(['/tmp/ccT0DMy0.cdtor.c', '/tmp/ccjb8EOp.res', '/tmp/ioana-example/build/stU5bldk']),
    );
  });
});

describe('ioana explain', () => {
  const log = resolve('test/fixtures/traces/cproject-make-j2.log');

  test('names the rules that turned raw paths into a canonical one', async () => {
    const r = await cli('explain', '--trace', log, '--workspace', '/tmp/ioana-example', '{tmp}/cc*.res');
    expect(r.code).toBe(0);
    const blocks = r.stdout.trim().split(/\n(?=\/)/);
    expect(blocks.length).toBe(2);
    for (const b of blocks) {
      expect(b).toMatch(
        /^\/tmp\/cc[A-Za-z0-9]{6}\.res\n {2}roots +\/tmp\/cc\w+\.res {2}→ {2}\{tmp\}\/cc\w+\.res\n {2}temp-name +\{tmp\}\/cc\w+\.res {2}→ {2}\{tmp\}\/cc\*\.res\n {2}= \{tmp\}\/cc\*\.res$/,
      );
    }
  });

  test('a raw path relative to the workspace', async () => {
    const r = await cli('explain', '--trace', log, '--workspace', '/tmp/ioana-example', 'build/libcore.a');
    expect(r.stdout).toBe(
      '/tmp/ioana-example/build/libcore.a\n  roots            /tmp/ioana-example/build/libcore.a  →  {workspace}/build/libcore.a\n  = {workspace}/build/libcore.a\n',
    );
  });

  test('a path the trace does not have', async () => {
    const r = await cli('explain', '--trace', log, 'no/such/file');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no\/such\/file is not an input, output, program or endpoint of this trace/);
  });
});
