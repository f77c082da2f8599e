/**
 * The main paths, end to end, in the fast tier (`npm test`): a real build of the C fixture
 * traced by the real strace through ioana's command line (src/, in this process), recorded,
 * checked clean, and a real change caught and explained; the example's committed baseline
 * is the one `npm start` checks. The rest of the end-to-end tests run in `npm run test:all`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { copyFixture, ioana } from '../helpers/project.js';
import { tempDir } from '../helpers/trace.js';

/** A clean build, as CI runs it: from a clean tree. */
const BUILD = ['sh', '-c', 'make clean >/dev/null && make -j2 all'];

describe('record, check, catch a change', () => {
  const ws = copyFixture('cproject');
  const base = join(tempDir(), 'base.yml');

  test('update records the build; a clean rebuild checks clean (exit 0)', async () => {
    const u = await ioana('update', '--quiet', '--baseline', base, '--workspace', ws, '--', ...BUILD);
    expect(u.code).toBe(0);
    expect(parse(readFileSync(base, 'utf8'))).toMatchObject({ runs: 1, outputs: expect.anything() });
    const c = await ioana('check', '--format', 'json', '--baseline', base, '--workspace', ws, '--', ...BUILD);
    expect(c.code).toBe(0);
    expect(JSON.parse(c.stdout)).toMatchObject({ status: 'clean', failing: 0 });
  });

  test('a build that reads a file it never read before: one failing new input, named, exit 1', async () => {
    writeFileSync(join(ws, 'extra.txt'), 'x\n');
    const c = await ioana(
      'check',
      '--format',
      'json',
      '--baseline',
      base,
      '--workspace',
      ws,
      '--',
      'sh',
      '-c',
      'make clean >/dev/null && make -j2 all && cat extra.txt >/dev/null',
    );
    expect(c.code).toBe(1);
    const report = JSON.parse(c.stdout) as { findings: { kind: string; subject: string; failing: boolean }[] };
    expect(report.findings).toContainEqual(expect.objectContaining({ kind: 'new-input', subject: '{workspace}/extra.txt', failing: true }));
  });
});

test('`npm start`: the bundled example checks clean against its committed baseline (a stale baseline fails here)', async () => {
  const start = (JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  // `LC_ALL=C node dist/cli.js check …`, run through src/ in this process: the same variables, options and build.
  const m = /^((?:[A-Z_]+=\S* )*)node dist\/cli\.js (.*)$/.exec(start);
  expect(m).not.toBeNull();
  const assignments = m![1]
    .trim()
    .split(' ')
    .filter(Boolean)
    .map((a) => a.split('=', 2) as [string, string]);
  const argv = (parse(`[${m![2].replace(/ (?=(?:[^"]*"[^"]*")*[^"]*$)/g, ', ')}]`) as string[]).map(String);
  // As bare as a CI runner can be (no locale, no SHELL, no HOME) before the script's own variables:
  // what this machine's login adds must not be what keeps the example clean.
  const bare = Object.keys(process.env).filter((k) => /^(LANG|LANGUAGE|LC_\w+|SHELL|HOME)$/.test(k));
  const saved = [...new Set([...bare, ...assignments.map(([k]) => k)])].map((k) => [k, process.env[k]] as const);
  for (const k of bare) delete process.env[k];
  for (const [k, v] of assignments) process.env[k] = v;
  try {
    const c = await ioana(...argv);
    // On a failure the whole report shows: a notice from this machine names what differs.
    const report = c.stdout.slice(c.stdout.search(/^(?:ioana:| {2}(?:notice|error|warning) )/m));
    expect({ code: c.code, report }).toEqual({ code: 0, report: expect.stringMatching(/^ioana: clean/) });
  } finally {
    for (const [k, v] of saved)
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
});
