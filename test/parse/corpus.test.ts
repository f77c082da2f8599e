import { parseLines, type TraceEvent, type UnparsedEvent } from '../../src/parse/index.js';
import { corpusFiles, corpusPath, fileLines } from '../helpers/corpus.js';

const unparsedLines = (events: TraceEvent[]): number[] =>
  events.filter((e): e is UnparsedEvent => e.kind === 'unparsed').map((e) => e.line);

/**
 * The malformed lines each file holds on purpose (or, for shell.strace, by accident
 * of its recording: line 551 is a stat line that lost its start). Every other line
 * must parse.
 */
const EXPECTED_UNPARSED: Record<string, number[]> = {
  'gitlab-strace-parser__parser_rs.extracted.log': [1, 6, 7, 9],
  'strace-process-tree__tests_log_lines.extracted.log': [23, 24, 25, 27],
  'posix-omni-parser__testbins_shell.strace': [551],
};

describe('the strace corpus', () => {
  test('has files to test', () => {
    expect(corpusFiles().length).toBeGreaterThanOrEqual(15);
  });

  test.each(corpusFiles())('%s parses, with only its malformed lines unparsed', (name) => {
    const lines = fileLines(corpusPath(name));
    const { events, stats } = parseLines(lines);
    expect(stats.lines).toBe(lines.length);
    expect(unparsedLines(events)).toEqual(EXPECTED_UNPARSED[name] ?? []);
    expect(stats.unparsed).toBe((EXPECTED_UNPARSED[name] ?? []).length);
    // Every line is one of: blank, a call, the second half of a split call, an exit,
    // kill or supersede line, a signal, a message, a dump, or unparsed.
    const ends = events.filter((e) => e.kind === 'exit' || e.kind === 'killed' || e.kind === 'superseded').length;
    expect(stats.blank + stats.syscalls + stats.resumed + ends + stats.signals + stats.messages + stats.dumps + stats.unparsed).toBe(
      stats.lines,
    );
  });

  test('the malformed cases say why', () => {
    const { events } = parseLines(fileLines(corpusPath('gitlab-strace-parser__parser_rs.extracted.log')));
    const reasons = events.filter((e): e is UnparsedEvent => e.kind === 'unparsed').map((e) => [e.line, e.reason]);
    expect(reasons).toEqual([
      [1, 'bad pid'],
      [6, 'not a strace line'],
      [7, 'bad duration "<0.000aaa>"'],
      [9, 'bad return value "23aa"'],
    ]);
  });

  test('a ninja build log (depslint) gives its renames, opens and the doubled markers', () => {
    const lines = fileLines(corpusPath('depslint__tests_tracefile.extracted.log'));
    // Each blank-line-separated case is its own log.
    const cases: string[][] = [[]];
    for (const l of lines)
      if (l === '') cases.push([]);
      else cases[cases.length - 1].push(l);
    const first = parseLines(cases[0]);
    const calls = first.events.flatMap((e) => (e.kind === 'syscall' ? [e] : []));
    expect(calls.find((c) => c.name === 'rename')?.args).toEqual(['"version_info/contained_commits~"', '"version_info/contained_commits"']);
    const open = calls.find((c) => c.name === 'open' && c.pid === 5085);
    expect(open).toMatchObject({
      args: ['"tst.h"', 'O_RDONLY|O_NOCTTY|O_LARGEFILE'],
      result: { kind: 'ok', value: 7 },
      line: 8,
      resumedAt: 13,
    });
    const restarted = calls.find((c) => c.name === 'clone' && c.result.kind === 'error');
    expect(restarted?.result).toEqual({ kind: 'error', errno: 'ERESTARTNOINTR', message: 'To be restarted', injected: false });

    // "<... open resumed>" twice for one start: the second is an orphan.
    const doubled = parseLines(cases[3]);
    expect(doubled.stats).toMatchObject({ resumed: 2, orphanResumed: 1, unparsed: 0 });
    // Two "<unfinished ...>" in a row for one pid: the first is kept, without a result.
    const twice = parseLines(cases[4]);
    expect(twice.stats).toMatchObject({ incomplete: 1, resumed: 2, unparsed: 0 });
    const cut = twice.events.find((e) => e.kind === 'syscall' && e.result.kind === 'missing');
    expect(cut).toMatchObject({ name: 'open', args: ['"../../wtf/Assertions.h"', 'O_RDONLY|O_NOCTTY'], result: { why: 'cut-off' } });
    // A log that ends inside a call keeps the call.
    const last = parseLines(cases[5]);
    expect(last.events[last.events.length - 1]).toMatchObject({ kind: 'syscall', name: 'open', result: { kind: 'missing', why: 'eof' } });
  });

  test('a hex dump is recognised as data, not as unparsed text', () => {
    const { stats } = parseLines(fileLines(corpusPath('strace__tests_unix-pair-send-recv.expected')));
    expect(stats).toMatchObject({ dumps: 4, syscalls: 5, unparsed: 0 });
  });

  test("strace's own messages are messages", () => {
    const { events } = parseLines(fileLines(corpusPath('strace__tests_strace--syscall-limit--seccomp-bpf-2.expected')));
    expect(events.map((e) => e.kind)).toEqual(['message', 'message', 'message']);
  });
});
