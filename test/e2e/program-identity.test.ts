/**
 * What a program is, and what a source is, on real builds under the real strace through
 * the bundled CLI: wrappers (shims, `sh -c` that execs) are shown as the program they
 * run; the same executable with other arguments is one notice; in a git work tree the
 * sources are the tracked files; a file made in a directory the build made is no source.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { tempDir } from '../helpers/trace.js';
import { CLI } from '../helpers/bundle.js';

interface Finding {
  readonly kind: string;
  readonly subject: string;
  readonly severity: string;
  readonly failing: boolean;
  readonly message: string;
}

function cli(ws: string, ...args: string[]) {
  return spawnSync('node', [CLI, ...args], { cwd: ws, encoding: 'utf8' });
}

/** Records `before` in `ws`, then (after `between`) checks `after` there; the findings. */
function recordThenCheck(ws: string, before: string, after: string, between?: () => void): { findings: Finding[]; baseline: string } {
  const base = join(tempDir(), 'b.yml');
  const up = cli(ws, 'update', '--baseline', base, '--workspace', ws, '--', 'sh', '-c', before);
  expect(up.stdout).toMatch(/ioana: wrote/);
  between?.();
  const json = join(tempDir(), 'r.json');
  cli(ws, 'check', '--baseline', base, '--workspace', ws, '--json', json, '--', 'sh', '-c', after);
  return { findings: (JSON.parse(readFileSync(json, 'utf8')) as { findings: Finding[] }).findings, baseline: readFileSync(base, 'utf8') };
}

const programs = (baseline: string) => (parse(baseline) as { programs: { exe: string; argv: string[] }[] }).programs;

/** A shim in the manner of pyenv's: it asks helpers what to run, then execs it. */
function shim(ws: string, helpers: string): void {
  mkdirSync(join(ws, 'bin'), { recursive: true });
  writeFileSync(join(ws, '.tool-version'), '1.0\n');
  writeFileSync(
    join(ws, 'bin/tool'),
    `#!/bin/sh\nhere=$(dirname "$0")\nversion=$(cat "$here/../.tool-version")\n${helpers}\nexec /usr/bin/tr a-z A-Z\n`,
  );
  chmodSync(join(ws, 'bin/tool'), 0o755);
}

describe('wrappers are shown as the program they run', () => {
  test('a shim and the helpers it asks are not programs of the build; the program it runs is', () => {
    const ws = tempDir();
    shim(ws, 'basename "$here" > /dev/null');
    const build = 'echo hello | ./bin/tool > out.txt';
    const { findings, baseline } = recordThenCheck(ws, build, build);
    expect(findings).toEqual([]);
    const exes = programs(baseline).map((p) => p.exe);
    expect(exes).toContain('/usr/bin/tr');
    for (const hidden of ['{workspace}/bin/tool', '/usr/bin/dirname', '/usr/bin/cat', '/usr/bin/basename'])
      expect(exes).not.toContain(hidden);
    // The shim's helpers are still the build's inputs: its script and the version file it read.
    expect(baseline).toContain('"{workspace}/.tool-version"');
  });

  test('a shim that asks other helpers runs the same program: no program finding, nothing failing', () => {
    const ws = tempDir();
    shim(ws, 'basename "$here" > /dev/null');
    const build = 'echo hello | ./bin/tool > out.txt';
    // Another version of the shim: other helpers, the same program in the end.
    const { findings } = recordThenCheck(ws, build, build, () =>
      shim(ws, 'uname -s > /dev/null; id -u > /dev/null; readlink -f "$0" > /dev/null'),
    );
    // No program finding; what the new helpers read (their executables and libraries) are
    // inputs of the build, notices under /usr, and nothing fails.
    expect(findings.filter((f) => /program|arguments/.test(f.kind))).toEqual([]);
    expect(findings.filter((f) => f.failing)).toEqual([]);
    expect(findings.map((f) => f.subject)).toContain('/usr/bin/uname');
  });

  test('bash that looks its user up (SHELL unset: nscd, then /etc/passwd) is still a wrapper; the lookup is two notices', () => {
    const ws = tempDir();
    writeFileSync(join(ws, 'in.txt'), 'hello\n');
    const base = join(tempDir(), 'b.yml');
    const json = join(tempDir(), 'r.json');
    const build = ['--', 'bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', 'rm -f out.txt && cp in.txt out.txt'];
    const run = (env: NodeJS.ProcessEnv, ...args: string[]) => spawnSync('node', [CLI, ...args], { cwd: ws, encoding: 'utf8', env });
    const { SHELL: _shell, ...noShell } = process.env;
    expect(run({ ...process.env, SHELL: '/bin/bash' }, 'update', '--baseline', base, '--workspace', ws, ...build).stdout).toMatch(
      /ioana: wrote/,
    );
    run(noShell, 'check', '--baseline', base, '--workspace', ws, '--json', json, ...build);
    const findings = (JSON.parse(readFileSync(json, 'utf8')) as { findings: Finding[] }).findings;
    // Not `bash` and `rm` as two failing new programs: bash, which ran rm and exec'd cp, is shown as cp both times.
    expect(findings.filter((f) => /program|arguments/.test(f.kind))).toEqual([]);
    expect(findings.map((f) => [f.kind, f.subject, f.severity, f.failing]).sort()).toEqual([
      ['new-endpoint', 'unix:/var/run/nscd/socket', 'notice', false],
      ['new-input', '/etc/passwd', 'notice', false],
    ]);
  });

  test('a wrapper that writes a file before it execs is a program like any other', () => {
    const ws = tempDir();
    shim(ws, 'echo seen > "$here/../wrapper.log"');
    const { baseline } = recordThenCheck(ws, 'echo hello | ./bin/tool > out.txt', 'true');
    expect(programs(baseline).map((p) => p.exe)).toContain('{workspace}/bin/tool');
  });
});

describe('the same executable with other arguments', () => {
  test('is one changed-arguments notice naming the commands, not a new and a vanished program', () => {
    const ws = tempDir();
    writeFileSync(join(ws, 'a.c'), 'int a(void) { return 1; }\n');
    const { findings } = recordThenCheck(ws, 'cc -O2 -c a.c -o a.o', 'cc -O1 -c a.c -o a.o');
    const changed = findings.filter((f) => f.kind === 'changed-arguments');
    expect(findings.filter((f) => f.kind === 'new-program' || f.kind === 'vanished-program')).toEqual([]);
    expect(changed.map((f) => [f.subject, f.severity, f.failing])).toContainEqual(['/usr/bin/cc', 'notice', false]);
    expect(changed.find((f) => f.subject === '/usr/bin/cc')!.message).toBe(
      'The build runs a program with other arguments: /usr/bin/cc (now also `/usr/bin/cc -O1 -c a.c -o a.o`; no longer `/usr/bin/cc -O2 -c a.c -o a.o`).',
    );
  });
});

describe('sources', () => {
  const git = (ws: string, ...args: string[]) => execFileSync('git', args, { cwd: ws, stdio: 'ignore' });
  function repo(): string {
    const ws = tempDir();
    mkdirSync(join(ws, 'src'));
    writeFileSync(join(ws, 'src/a.c'), 'int x;\n');
    writeFileSync(join(ws, 'notes.txt'), 'notes\n');
    git(ws, 'init', '-q');
    git(ws, 'add', '-A');
    git(ws, '-c', 'user.name=dev', '-c', 'user.email=dev@example.com', 'commit', '-qm', 'sources');
    return ws;
  }

  test('in a git work tree, writing a tracked file modifies a source, and the finding names who did it', () => {
    const ws = repo();
    const { findings } = recordThenCheck(ws, 'cat src/a.c > /dev/null', "sed -i 's/x/y/' src/a.c");
    const modified = findings.filter((f) => f.kind === 'source-modified');
    expect(modified.map((f) => [f.subject, f.failing])).toEqual([['{workspace}/src/a.c', true]]);
    expect(modified[0].message).toBe(
      'The build modifies a file of the working tree: {workspace}/src/a.c (by `/usr/bin/sed -i s/x/y/ src/a.c`).',
    );
  });

  test('in a git work tree, an untracked file left by an earlier build, read and rewritten, is no source', () => {
    const ws = repo();
    writeFileSync(join(ws, 'config.h'), '#define OLD 1\n');
    const { findings } = recordThenCheck(ws, 'cat src/a.c > /dev/null', 'cat config.h > /dev/null; echo "#define NEW 1" > config.h');
    expect(findings.filter((f) => f.kind === 'source-modified')).toEqual([]);
  });

  test('outside git, a file touched or appended in a directory the build made is no source; appending to an old file is', () => {
    const ws = tempDir();
    writeFileSync(join(ws, 'notes.txt'), 'notes\n');
    const { findings } = recordThenCheck(
      ws,
      'true',
      'mkdir -p out/sub && touch out/sub/stamp && echo x >> out/log.txt; echo more >> notes.txt',
    );
    expect(findings.filter((f) => f.kind === 'source-modified').map((f) => f.subject)).toEqual(['{workspace}/notes.txt']);
    expect(
      findings
        .filter((f) => f.kind === 'new-output')
        .map((f) => f.subject)
        .sort(),
    ).toEqual(['{workspace}/out/log.txt', '{workspace}/out/sub/stamp']);
  });
});
