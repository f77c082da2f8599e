/**
 * The first hour with the CLI: every bad input a newcomer makes is caught before the
 * build where it can be, said in one line with what to do, with the documented exit
 * status, nothing written, and no finding made of a trace that did not run.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { useColor } from '../../src/cli/io.js';
import { CLI } from '../helpers/bundle.js';
import { copyFixture, ioana } from '../helpers/project.js';
import { tempDir } from '../helpers/trace.js';

const BUILD = ['make', '-j2', 'all'];

/** A recorded baseline of a clean build of the C fixture, and the tree it was built in. */
async function recorded(): Promise<{ ws: string; base: string; bytes: string }> {
  const ws = copyFixture('cproject');
  const base = join(tempDir(), 'base.yml');
  const r = await ioana('update', '--baseline', base, '--workspace', ws, '--', ...BUILD);
  expect(r.code).toBe(0);
  return { ws, base, bytes: readFileSync(base, 'utf8') };
}

describe('update guards a good baseline', () => {
  test('a first update says what it recorded', async () => {
    const ws = copyFixture('cproject');
    const base = join(tempDir(), 'base.yml');
    const r = await ioana('update', '--baseline', base, '--workspace', ws, '--', ...BUILD);
    // On standard output, last, as check's closing line.
    expect(r.stdout).toMatch(/^ioana: wrote \S+base\.yml \(1 run\): \d+ inputs, 10 outputs, \d+ programs, 0 endpoints\.\n$/);
    expect(r.stderr).toBe('');
  });

  test('an incremental build with nothing to do is refused (exit 2, baseline unchanged); --force records it', async () => {
    const { ws, base, bytes } = await recorded();
    const r = await ioana('update', '--baseline', base, '--workspace', ws, '--', ...BUILD);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^ioana: refusing to update \S+: this run wrote no outputs, but the baseline lists 10: an incremental build with nothing to do\? Record from a clean tree/,
    );
    expect(r.stderr).toMatch(
      /\n {2}Nothing was written\. If this run is what the baseline should say, run the same command with --force\.\n$/,
    );
    expect(readFileSync(base, 'utf8')).toBe(bytes);
    const forced = await ioana('update', '--force', '--baseline', base, '--workspace', ws, '--', ...BUILD);
    expect(forced.code).toBe(0);
    // Accepted: the baseline now says what this run saw (no outputs), not a mix of both.
    expect(forced.stdout).toMatch(/\(1 run\): .*−10 outputs/);
  });

  test('a check of an incremental build says so, and how to check from a clean tree', async () => {
    const { ws, base } = await recorded();
    const r = await ioana('check', '--baseline', base, '--workspace', ws, '--', ...BUILD);
    expect(r.stdout).toMatch(
      /ioana: the build rewrote 0 of the baseline's 10 outputs: an incremental build \(the tree was not clean\)\? .*Check from a clean tree/,
    );
    const json = await ioana('check', '--format', 'json', '--baseline', base, '--workspace', ws, '--', ...BUILD);
    expect(JSON.parse(json.stdout).build.incremental).toEqual({ rewritten: 0, outputs: 10 });
  });

  test('an empty --trace file is refused', async () => {
    const { base, bytes } = await recorded();
    const empty = join(tempDir(), 'empty.log');
    writeFileSync(empty, '');
    const r = await ioana('update', '--baseline', base, '--trace', empty);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the trace is empty: nothing ran/);
    expect(readFileSync(base, 'utf8')).toBe(bytes);
  });

  test('a file that is not a strace log is refused, with the share of lines that did not parse', async () => {
    const { base, bytes } = await recorded();
    const r = await ioana('update', '--baseline', base, '--trace', '/usr/bin/ls');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ioana: refusing to update \S+: \d+ of \d+ lines of the trace \(\d+ %\) are not strace output/);
    expect(readFileSync(base, 'utf8')).toBe(bytes);
  });

  test('a run that would drop most of the baseline is refused (replacing or merging)', async () => {
    const { base, bytes } = await recorded();
    const other = copyFixture('cproject');
    for (const merge of [[], ['--merge']]) {
      const r = await ioana(
        'update',
        ...merge,
        '--baseline',
        base,
        '--workspace',
        other,
        '--',
        'sh',
        '-c',
        'mkdir -p build && echo x > build/only',
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /this run lacks \d+ of the \d+ entries every earlier run had: recording it would drop more than half of the baseline/,
      );
      expect(readFileSync(base, 'utf8')).toBe(bytes);
    }
  });

  test('a second clean run replaces the first and says what changed (nothing); --merge adds it (2 runs)', async () => {
    const { base } = await recorded();
    const r = await ioana('update', '--baseline', base, '--workspace', copyFixture('cproject'), '--', ...BUILD);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\(1 run\): no entry changed\.\n$/);
    const m = await ioana('update', '--merge', '--baseline', base, '--workspace', copyFixture('cproject'), '--', ...BUILD);
    expect(m.stdout).toMatch(/\(2 runs\): no entry changed\.\n$/);
  });

  test('accepting means it: entries accepted once are required; an accepted output that vanishes fails the next check', async () => {
    const { base } = await recorded();
    const changed = copyFixture('cproject');
    writeFileSync(join(changed, 'include/extra.h'), '#define EXTRA 1\n');
    // The accepted change: one more input read and one more output written.
    const withExtra = (dir: string) => [
      'sh',
      '-c',
      `make -C ${dir} -j2 all >/dev/null && cat ${dir}/include/extra.h > ${dir}/build/extra.txt`,
    ];
    const plain = (dir: string) => ['sh', '-c', `make -C ${dir} -j2 all >/dev/null`];
    expect((await ioana('update', '--quiet', '--baseline', base, '--workspace', changed, '--', ...withExtra(changed))).code).toBe(0);
    const text = readFileSync(base, 'utf8');
    expect(text).toMatch(/^runs: 1$/m);
    expect(text).toContain('"{workspace}/include/extra.h"');
    expect(text).toContain('"{workspace}/build/extra.txt"');
    expect(text).not.toMatch(/seen: \d/);
    // Both gone again: the output's absence fails the check (an error), the input's is named (a notice) —
    // where a merged baseline held them as optional (`seen: 1` of 2) and checked clean.
    const again = copyFixture('cproject');
    const c = await ioana('check', '--format', 'json', '--baseline', base, '--workspace', again, '--', ...plain(again));
    expect(c.code).toBe(1);
    type Found = { kind: string; subject: string; failing: boolean; effects?: Found[] };
    const report = JSON.parse(c.stdout) as { findings: Found[] };
    const gone = report.findings.find((f) => f.kind === 'vanished-output' && f.subject === '{workspace}/build/extra.txt');
    expect(gone?.failing).toBe(true);
    // The input no longer read is what follows from it (one cause, one finding).
    expect(gone?.effects).toContainEqual(expect.objectContaining({ kind: 'vanished-input', subject: '{workspace}/include/extra.h' }));
  });
});

describe('preflight: mistakes cost no build', () => {
  /** A command that leaves a mark when it runs. */
  const marking = (dir: string) => ['sh', '-c', `touch ${join(dir, 'ran')}`];

  test('a command that does not exist: exit 2, one line, no finding, no report, the baseline unchanged', async () => {
    const { ws, base, bytes } = await recorded();
    const report = join(tempDir(), 'r.json');
    const r = await ioana('check', '--baseline', base, '--workspace', ws, '--json', report, '--', 'no-such-command', '-x');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'ioana: command not found: no-such-command (looked along PATH).\n  Check the spelling, install it, or give its path (e.g. -- ./build.sh).\n',
    );
    expect(r.stdout).toBe('');
    expect(existsSync(report)).toBe(false);
    expect(readFileSync(base, 'utf8')).toBe(bytes);
  });

  test('a script that is not executable, or a directory', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'build.sh'), 'echo hi\n');
    const base = join(dir, 'b.yml');
    const r = await ioana('update', '--baseline', base, '--workspace', dir, '--', './build.sh');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^ioana: cannot run \.\/build\.sh: \S+\/build\.sh is not executable \(no x permission\)\.\n {2}Make it executable \(chmod \+x \.\/build\.sh\)/,
    );
    expect((await ioana('update', '--baseline', base, '--workspace', dir, '--', '/tmp')).stderr).toMatch(
      /cannot run \/tmp: \/tmp is a directory/,
    );
    expect(existsSync(base)).toBe(false);
  });

  test('a command that cannot be started (a missing interpreter): exit 2, not a failed build', async () => {
    const { ws, base, bytes } = await recorded();
    writeFileSync(join(ws, 'build.sh'), '#!/nonexistent/interpreter\n');
    chmodSync(join(ws, 'build.sh'), 0o755);
    const r = await ioana('check', '--baseline', base, '--workspace', ws, '--', './build.sh');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^ioana: could not start "\.\/build\.sh" \(exit status 12[67]\); the message above says why\. Nothing was compared or written\./,
    );
    expect(r.stdout).toBe('');
    expect(readFileSync(base, 'utf8')).toBe(bytes);
  });

  test("check of a log that is not a build's strace log: exit 2, no finding", async () => {
    const { base } = await recorded();
    const empty = join(tempDir(), 'empty.log');
    writeFileSync(empty, '');
    for (const [log, why] of [
      ['/usr/bin/ls', /are not strace output/],
      [empty, /the trace is empty/],
    ] as const) {
      const r = await ioana('check', '--baseline', base, '--trace', log);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(why);
      expect(r.stderr).toMatch(/Nothing was compared\./);
      expect(r.stdout).toBe('');
    }
  });

  test.each([
    [
      'update into a missing directory',
      (d: string) => ['update', '--baseline', join(d, 'baselines/b.yml'), '--workspace', d],
      /^ioana: --baseline \S+\/baselines\/b\.yml: the directory \S+\/baselines does not exist\.\n {2}Create it first \(mkdir -p \S+\/baselines\)/,
    ],
    [
      '--json into a missing directory',
      (d: string) => ['check', '--baseline', join(d, 'b.yml'), '--workspace', d, '--json', join(d, 'no/r.json')],
      /^ioana: --json \S+\/no\/r\.json: the directory \S+\/no does not exist\./,
    ],
    [
      '--trace-out into a missing directory',
      (d: string) => ['update', '--baseline', join(d, 'b.yml'), '--workspace', d, '--trace-out', join(d, 'no/t.log')],
      /^ioana: --trace-out \S+\/no\/t\.log: the directory \S+\/no does not exist\./,
    ],
  ])('%s: exit 2 before the build runs', async (_name, argv, message) => {
    const d = tempDir();
    if (argv(d)[0] === 'check') await ioana('update', '--baseline', join(d, 'b.yml'), '--workspace', d, '--', 'true');
    const r = await ioana(...argv(d), '--', ...marking(d));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(d, 'ran'))).toBe(false);
  });
});

describe('command-line conventions', () => {
  /** Two hand-written baselines whose difference gives findings of every severity. */
  function baselines(): { old: string; now: string } {
    const dir = tempDir();
    const head = 'version: 1\nruns: 1\n';
    const ld = `/usr/bin/ld ${Array.from({ length: 200 }, (_, i) => `-L/opt/lib${i}`).join(' ')} -o {workspace}/app`;
    writeFileSync(
      join(dir, 'old.yml'),
      `${head}inputs:\n  - "/usr/include/a.h"\n  - "{workspace}/a.c"\noutputs:\n  - path: "{workspace}/app"\n    from: ["{workspace}/a.c"]\nprograms: []\nendpoints: []\n`,
    );
    writeFileSync(
      join(dir, 'new.yml'),
      `${head}inputs:\n  - "/usr/include/b.h"\n  - "{workspace}/a.c"\n  - "{workspace}/b.h"\noutputs:\n  - path: "{workspace}/other"\n    from: ["{workspace}/a.c"]\nprograms:\n  - exe: "/usr/bin/ld"\n    argv: ${JSON.stringify(ld.split(' ').map((a) => a.replace('/usr/bin/ld', 'ld')))}\n    count: 1\nendpoints: ["tcp://192.0.2.1:443"]\n`,
    );
    return { old: join(dir, 'old.yml'), now: join(dir, 'new.yml') };
  }

  test('failing findings first (errors, then warnings), then the rest, and one closing line', async () => {
    const { old, now } = baselines();
    const r = await ioana('diff', old, now);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    const severities = lines.slice(0, -1).map((l) => /^ {2}(\w+)/.exec(l)![1]);
    expect(severities).toEqual(['error', 'error', 'warning', 'warning', 'warning', 'notice', 'notice']);
    expect(lines.filter((l) => l.includes('(not failing)')).length).toBe(2);
    expect(lines.at(-1)).toBe(`ioana: failing — 5 of 7 findings fail the check (2 errors, 3 warnings), against ${old}.`);
  });

  test('a long command line is shortened in the text, keeping its end, and whole in the JSON', async () => {
    const { old, now } = baselines();
    const text = (await ioana('diff', old, now)).stdout;
    const line = text.split('\n').find((l) => l.includes('new-program'))!;
    expect(line.length).toBeLessThan(340);
    expect(line).toMatch(/-L\/opt\/lib0 .*….*-o \{workspace\}\/app/);
    const json = JSON.parse((await ioana('diff', old, now, '--format', 'json')).stdout);
    expect(json.findings.find((f: { kind: string }) => f.kind === 'new-program').subject).toContain('-L/opt/lib199 -o {workspace}/app');
  });

  test('--quiet prints only the closing line; --json - and --format json print JSON on stdout', async () => {
    const { old, now } = baselines();
    const quiet = await ioana('diff', old, now, '--quiet');
    expect(quiet.stdout.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^ioana: failing — 5 of 7 findings/)]);
    for (const flag of [
      ['--json', '-'],
      ['--format', 'json'],
    ]) {
      const r = await ioana('diff', old, now, ...flag);
      expect(JSON.parse(r.stdout)).toMatchObject({ version: 1, status: 'changed', failing: 5 });
    }
    const file = join(tempDir(), 'r.json');
    const both = await ioana('diff', old, now, '--json', file);
    expect(both.stdout).toMatch(/^ {2}error/);
    expect(JSON.parse(readFileSync(file, 'utf8')).failing).toBe(5);
    expect(existsSync(join(process.cwd(), '-'))).toBe(false);
  });

  test('a failing check ends with the exact accept command, which records the change', async () => {
    const { ws, base } = await recorded();
    writeFileSync(join(ws, 'include/extra.h'), '#define EXTRA 1\n');
    writeFileSync(join(ws, 'lib/util.c'), `#include "extra.h"\n${readFileSync(join(ws, 'lib/util.c'), 'utf8')}`);
    await ioana('update', '--baseline', join(tempDir(), 'scratch.yml'), '--workspace', ws, '--', 'make', 'clean');
    const r = await ioana('check', '--baseline', base, '--workspace', ws, '--', ...BUILD);
    expect(r.code).toBe(1);
    const last = r.stdout.trimEnd().split('\n').at(-1)!;
    expect(last).toBe(
      `To accept this change as the new baseline (from a clean tree): ioana update --baseline ${base} --workspace ${ws} -- make -j2 all`,
    );
  });

  test('ioana help CMD, and did-you-mean for a mistyped command or option', async () => {
    const help = await ioana('help', 'check');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ioana check — trace a build[\s\S]*--baseline FILE[\s\S]*130\/143 interrupted/);
    const cmd = await ioana('chek', '--baseline', 'b.yml');
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toMatch(/^ioana: unknown command "chek"\. Did you mean "ioana check"\?/);
    const opt = await ioana('check', '--baselin', 'b.yml');
    expect(opt.stderr).toMatch(/^ioana: unknown option "--baselin" for "ioana check"\. Did you mean "--baseline"\?/);
    expect((await ioana('help', 'grpah')).stderr).toMatch(/Did you mean "ioana graph"\?/);
    expect((await ioana('frobnicate')).stderr).not.toMatch(/Did you mean/);
  });

  test('colour: NO_COLOR wins, FORCE_COLOR forces it off a terminal, a terminal has it by default', () => {
    expect(useColor({}, true)).toBe(true);
    expect(useColor({}, false)).toBe(false);
    expect(useColor({ TERM: 'dumb' }, true)).toBe(false);
    expect(useColor({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(useColor({ FORCE_COLOR: '0' }, true)).toBe(false);
    expect(useColor({ NO_COLOR: '1', FORCE_COLOR: '1' }, true)).toBe(false);
    expect(useColor({ NO_COLOR: '' }, true)).toBe(true);
  });
});

/** The bundled CLI in a process of its own: the build's output goes where ioana's own process sends it. */
async function cli(...argv: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const r = spawnSync('node', [CLI, ...argv], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('output that composes: with --format json, --json -, attest to standard output or --quiet, standard output holds only ioana’s', () => {
  /** A build that prints on its standard output (as make does), and writes one file. */
  const PRINTS = ['sh', '-c', 'echo building; echo out > out.txt; echo done'];

  test('check --format json: standard output is the report, whole (what `| jq .` reads); the build’s lines are on standard error', async () => {
    const ws = tempDir();
    const base = join(tempDir(), 'base.yml');
    // Recorded with the build's output on standard output: where it goes is not part of what the build did.
    expect((await cli('update', '--baseline', base, '--workspace', ws, '--', ...PRINTS)).code).toBe(0);
    for (const flags of [
      ['--format', 'json'],
      ['--json', '-'],
    ]) {
      const r = await cli('check', ...flags, '--baseline', base, '--workspace', ws, '--', ...PRINTS);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ status: 'clean' });
      expect(r.stderr).toMatch(/^building\ndone\n/m);
    }
  });

  test('check --quiet and update --quiet: only ioana’s line or nothing on standard output', async () => {
    const ws = tempDir();
    const base = join(tempDir(), 'base.yml');
    const u = await cli('update', '--quiet', '--baseline', base, '--workspace', ws, '--', ...PRINTS);
    expect({ code: u.code, stdout: u.stdout }).toEqual({ code: 0, stdout: '' });
    expect(u.stderr).toContain('building\n');
    const c = await cli('check', '--quiet', '--baseline', base, '--workspace', ws, '--', ...PRINTS);
    expect(c.code).toBe(0);
    expect(c.stdout).not.toMatch(/building|done/);
    expect(c.stderr).toContain('building\n');
  });

  test('attest: the statement alone on standard output; its closing line on standard error', async () => {
    const ws = tempDir();
    const r = await cli('attest', '--workspace', ws, '--', ...PRINTS);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ _type: 'https://in-toto.io/Statement/v1' });
    expect(r.stderr).toMatch(/^building\n/m);
    expect(r.stderr).toMatch(/^ioana: attest: /m);
  });

  test('without them, update and check put their closing line on standard output, after the build’s', async () => {
    const ws = tempDir();
    const base = join(tempDir(), 'base.yml');
    const u = await cli('update', '--baseline', base, '--workspace', ws, '--', ...PRINTS);
    expect(u.stdout).toMatch(/^building\ndone\nioana: wrote \S+ \(1 run\)/);
    const c = await cli('check', '--baseline', base, '--workspace', ws, '--', ...PRINTS);
    expect(c.stdout).toMatch(/^building\ndone\n[^]*ioana: clean/);
  });
});
