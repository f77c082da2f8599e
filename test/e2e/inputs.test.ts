/**
 * Input that is not what ioana expects: each gives the documented exit status and a
 * message naming the file, the line or key, and what to do; never a stack trace, never
 * a partial write.
 */
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseLines } from '../../src/parse/index.js';
import { ioana } from '../helpers/project.js';
import { tempDir } from '../helpers/trace.js';

const LOG = resolve('test/fixtures/traces/cproject-make-j2.log');

async function baselineFor(log: string): Promise<string> {
  const b = join(tempDir(), 'base.yml');
  expect((await ioana('update', '--baseline', b, '--workspace', '/tmp/ioana-example', '--trace', log)).code).toBe(0);
  return b;
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);

describe('traces that are not whole', () => {
  test('cut in the middle of a line: check reports what vanished, exit 1', async () => {
    const b = await baselineFor(LOG);
    const log = join(tempDir(), 'trace.log');
    writeFileSync(log, readFileSync(LOG, 'utf8').slice(0, 200_000), 'latin1');
    const r = await ioana('check', '--baseline', b, '--workspace', '/tmp/ioana-example', '--trace', log);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/vanished-output/);
    noStack(r.stderr);
  });

  test.each([
    ['empty', '', /the trace is empty/],
    [
      'binary',
      Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256)).toString('latin1'),
      /lines of the trace \(\d+ %\) are not strace output/,
    ],
  ])("%s: not a build's trace, so nothing is compared (exit 2, no finding)", async (_what, text, why) => {
    const b = await baselineFor(LOG);
    const log = join(tempDir(), 'trace.log');
    writeFileSync(log, text, 'latin1');
    const r = await ioana('check', '--baseline', b, '--workspace', '/tmp/ioana-example', '--trace', log);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(why);
    expect(r.stdout).toBe('');
    noStack(r.stderr);
  });

  test('an enormous line (17 MiB without a newline): no strace line is that long, so the log is refused (exit 2)', async () => {
    const log = join(tempDir(), 'huge.log');
    writeFileSync(log, '1 openat(AT_FDCWD</w>, "' + 'a'.repeat(17 * 1024 * 1024) + '\n2 close(3) = 0\n');
    const r = await ioana('graph', '--trace', log, '--parse-only');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ioana: line 1 of the trace log is longer than 16 MiB: this is not a strace log\./);
    expect(r.stdout).toBe('');
    noStack(r.stderr);
  });

  test('the parser never throws, whatever the line (property)', () => {
    const strace = fc
      .constantFrom('1 ', '[pid 2] ', '', '3 11:00:00.1 ', ' ')
      .chain((prefix) =>
        fc
          .array(
            fc.constantFrom(
              'open(',
              'openat(',
              '"',
              '\\',
              '<',
              '>',
              ')',
              ' = ',
              '-1 ENOENT (x)',
              '<... open resumed>',
              ' <unfinished ...>',
              '+++ ',
              '--- ',
              '[',
              ']',
              '{',
              '}',
              ',',
              'AT_FDCWD</w>',
              '3</a b>',
              '?',
              '0x1f',
              'a',
              '9',
            ),
            { maxLength: 12 },
          )
          .map((parts) => prefix + parts.join('')),
      );
    fc.assert(
      fc.property(fc.array(fc.oneof(strace, fc.string(), fc.string({ unit: 'binary' })), { maxLength: 30 }), (lines) => {
        const { stats } = parseLines(lines);
        expect(stats.lines).toBe(lines.length);
      }),
      { seed: 11, numRuns: 3000 },
    );
  });
});

describe('configuration that is wrong', () => {
  test.each([
    ['fail-on: [new-input, bogus]\n', /\.ioana\.yml:1: "fail-on" has an unknown finding kind "bogus"/],
    ['normalize:\n  - { pattern: "[", replace: "x" }\n', /\.ioana\.yml:2: "normalize" pattern "\[" is not a valid regular expression/],
    ['normalize:\n  - { pattern: "(x+)+y", replace: "x" }\n', /\.ioana\.yml:2: "normalize" pattern "\(x\+\)\+y" has nested repetition/],
    ['ignore:\n  - "**"\n', /\.ioana\.yml:2: "ignore" glob "\*\*" matches every path/],
    ['colapse: []\n', /\.ioana\.yml:1: unknown key "colapse"/],
  ])('%j → exit 2, file and line, nothing written', async (text, message) => {
    const dir = tempDir();
    const config = join(dir, '.ioana.yml');
    writeFileSync(config, text);
    const b = join(dir, 'base.yml');
    for (const cmd of ['update', 'check']) {
      const r = await ioana(cmd, '--baseline', b, '--config', config, '--workspace', '/tmp/ioana-example', '--trace', LOG);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/Fix the configuration/);
      noStack(r.stderr);
    }
    expect(() => readFileSync(b)).toThrow();
  });

  test('a configuration file given that does not exist', async () => {
    const r = await ioana('check', '--baseline', 'x.yml', '--config', '/nonexistent/.ioana.yml', '--trace', LOG);
    expect(r).toMatchObject({ code: 2, stderr: expect.stringMatching(/configuration file not found: \/nonexistent\/\.ioana\.yml/) });
  });
});
