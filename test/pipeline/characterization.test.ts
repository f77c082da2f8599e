/**
 * Characterization tests: they pin what ioana itself printed at a known commit, so that
 * work on its insides (speed, structure) changes nothing a user sees. They say nothing
 * about whether that output is right; the tests beside them in test/graph, test/model
 * and test/canon state the expected answers independently.
 *
 * - The canonical graphs of recorded fixture builds are, byte for byte below the header
 *   comment, the baselines ioana wrote for the same logs before the speed work
 *   (`test/fixtures/traces/*.expected.yml`, written by commit 115fa0f). One deliberate
 *   change since: issue 14 makes an installed package one entry (`node_modules/typescript`),
 *   so `tsproject-tsc.expected.yml` lists `/work/main/node_modules/typescript` where it
 *   listed its files; and issue 22 takes toolchain versions out of names (`…/gcc/x86_64-
 *   linux-gnu/{version}/cc1`, `llvm-{version}`, shared libraries by their soname) into a
 *   `toolchains:` section; nothing else moved.
 * - `ioana graph --format json` of every recorded build and every corpus log is what the
 *   bundle printed before the redesign of the parse → model contract
 *   (`test/fixtures/characterization/*.graph.json`, written by commit 9811a03's dist/cli.js).
 *   One deliberate change since: issue 13 counts a failed connect as a connection attempt,
 *   so `posix-omni-parser__testbins_client.strace.graph.json` gained its one unreachable
 *   endpoint (and the node, edge and degree that come with it); and issue 22 keeps the pipe
 *   end a program held alone after letting go of the other (tar's, node's own), so
 *   `tsproject-tsc.log.graph.json` has the three pipes node wrote to; nothing else moved.
 * - The parser gives the same graph whether or not it skips the arguments of the failed
 *   calls the model only counts.
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { mergeRun, renderBaseline } from '../../src/baseline/index.js';
import { DEFAULT_CONFIG } from '../../src/config/index.js';
import { buildGraph, graphDocument } from '../../src/graph/index.js';
import { COUNTED_FAILURES, decode, isProcessEvent } from '../../src/decode/index.js';
import { DataflowModel } from '../../src/model/index.js';
import { StraceParser, type ParserOptions, type SyscallEvent, type TraceEvent } from '../../src/parse/index.js';
import { canonicalFile } from '../helpers/pipeline.js';
import { corpusFiles, corpusPath, fileLines } from '../helpers/corpus.js';
import { ioana } from '../helpers/project.js';

const TRACES = resolve('test/fixtures/traces');

/** [log, the directory the build ran in] */
const RECORDED: [string, string][] = [
  ['cproject-make-j2', '/tmp/ioana-example'],
  ['c-hello-make-j2', '/tmp/ioana-hello'],
  ['tsproject-tsc', '/tmp/ioana-tsproject'],
];

function analyzed(lines: readonly string[], options: ParserOptions) {
  const model = new DataflowModel();
  const events: TraceEvent[] = [];
  const parser = new StraceParser((e) => {
    events.push(e);
    if (isProcessEvent(e)) model.apply(e.pid, decode(e));
  }, options);
  for (const l of lines) parser.line(l);
  parser.end();
  const flow = model.finish();
  return { events, stats: parser.stats, flow, doc: graphDocument(buildGraph(flow), { workspace: '/w' }) };
}

/** Characterization: `ioana graph --format json` as the bundle printed it before the redesign. */
const GRAPHED: [string, string][] = [
  ...RECORDED.map(([name, ws]): [string, string] => [`${TRACES}/${name}.log`, ws]),
  ...corpusFiles().map((name): [string, string] => [corpusPath(name), '/w']),
];

describe('characterization: ioana graph --format json', () => {
  test.each(GRAPHED)('%s is what ioana printed before the redesign', async (log, workspace) => {
    const r = await ioana('graph', '--trace', log, '--workspace', workspace, '--format', 'json');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(resolve('test/fixtures/characterization', `${basename(log)}.graph.json`), 'utf8'));
  });
});

describe('characterization: the canonical graphs of recorded fixture builds', () => {
  test.each(RECORDED)('%s is the baseline written before the speed work', async (name, workspace) => {
    const run = await canonicalFile(`${TRACES}/${name}.log`, workspace, DEFAULT_CONFIG);
    const expected = readFileSync(`${TRACES}/${name}.expected.yml`, 'utf8');
    expect(run.canonical.graph.outputs.length).toBeGreaterThan(1);
    expect(renderBaseline(mergeRun(undefined, run.canonical.graph))).toBe(expected);
  });
});

describe('skipping the arguments of failed calls the model only counts', () => {
  const logs = [...RECORDED.map(([name]) => `${TRACES}/${name}.log`), ...corpusFiles().map(corpusPath)];

  test.each(logs)('%s: same events otherwise, same graph, same counts', (path) => {
    const lines = fileLines(path);
    const full = analyzed(lines, {});
    const skipping = analyzed(lines, { countedFailures: COUNTED_FAILURES });
    expect(skipping.doc).toEqual(full.doc);
    expect(skipping.flow.stats).toEqual(full.flow.stats);
    expect(skipping.stats).toEqual(full.stats);
    // Event by event: a skipped call differs only in its missing arguments.
    expect(skipping.events.length).toBe(full.events.length);
    skipping.events.forEach((e, i) => {
      const f = full.events[i];
      if (e.kind === 'syscall' && e.argsSkipped) {
        const { args: _a, argsSkipped: _s, ...rest } = e;
        const { args: _b, ...fullRest } = f as SyscallEvent;
        expect(rest).toEqual(fullRest);
        expect(f.kind === 'syscall' && f.result.kind).toBe('error');
      } else {
        expect(e).toEqual(f);
      }
    });
  });

  test('the recorded C builds do have such calls (the comparison is not empty)', () => {
    const { events } = analyzed(fileLines(`${TRACES}/cproject-make-j2.log`), { countedFailures: COUNTED_FAILURES });
    const skipped = events.filter((e) => e.kind === 'syscall' && e.argsSkipped);
    expect(skipped.length).toBeGreaterThan(100);
    expect(skipped.some((e) => e.kind === 'syscall' && e.resumedAt !== undefined)).toBe(true);
  });
});
