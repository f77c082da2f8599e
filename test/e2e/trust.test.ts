/**
 * The build is hostile (SECURITY.md): what it tries is seen, and nothing it does forges
 * or hides the check. Real builds under the real strace, through the bundled CLI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from '@jest/globals';
import { mountTmpfs, unmountAll, withMount } from '../helpers/mount.js';
import { FIXTURES, tempDir } from '../helpers/trace.js';
import { CLI } from '../helpers/bundle.js';

afterAll(unmountAll);

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly report: { findings: { kind: string; subject: string; message: string; failing: boolean; severity: string }[]; failing: number };
}

/** Records `before` as the baseline, then checks `after` in the same workspace (both with `options`). */
function recordThenCheck(ws: string, before: string, after: string, env: NodeJS.ProcessEnv = process.env, options: string[] = []): Run {
  const base = join(tempDir(), 'b.yml');
  const cli = (...args: string[]) => spawnSync('node', [CLI, ...args], { encoding: 'utf8', env });
  const up = cli('update', ...options, '--baseline', base, '--workspace', ws, '--', 'sh', '-c', before);
  expect(up.stdout).toMatch(/ioana: wrote/);
  const json = join(tempDir(), 'r.json');
  const r = cli('check', ...options, '--baseline', base, '--workspace', ws, '--json', json, '--', 'sh', '-c', after);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, report: JSON.parse(readFileSync(json, 'utf8')) };
}

const kinds = (r: Run) => r.report.findings.map((f) => [f.kind, f.subject, f.failing]);

describe('attempts and credentials', () => {
  test('a connection refused by the peer is a new endpoint, failing, and the report says how it ended', () => {
    const ws = tempDir();
    const r = recordThenCheck(ws, 'true', "bash -c 'exec 3<>/dev/tcp/127.0.0.1/9' 2>/dev/null || true");
    expect(kinds(r)).toContainEqual(['new-endpoint', 'tcp://127.0.0.1:9', true]);
    expect(r.report.findings.find((f) => f.kind === 'new-endpoint')!.message).toMatch(/\(the attempt: refused \(ECONNREFUSED\)\)\.$/);
    expect(r.status).toBe(1);
  });

  test('a file compiled in with .incbin "/etc/passwd", and a shell that reads it, are failing credential reads', () => {
    const ws = tempDir();
    writeFileSync(join(ws, 'ok.c'), 'int ok(void) { return 0; }\n');
    writeFileSync(join(ws, 'evil.c'), 'int ok(void) { return 0; }\n__asm__(".section .rodata\\n.incbin \\"/etc/passwd\\"\\n.previous");\n');
    const r = recordThenCheck(ws, 'cc -c ok.c -o ok.o', 'cc -c evil.c -o ok.o');
    expect(kinds(r)).toContainEqual(['credential-read', '/etc/passwd', true]);
    expect(r.status).toBe(1);
    const s = recordThenCheck(tempDir(), 'echo hi > out', 'while read line; do :; done < /etc/passwd; echo hi > out');
    expect(kinds(s)).toContainEqual(['credential-read', '/etc/passwd', true]);
  });
});

describe('what the trace cannot see, and what a build might do to it', () => {
  test('io_uring: a failing finding of its own kind, naming the program, every run', () => {
    const ws = tempDir();
    execFileSync('cc', ['-o', join(ws, 'uring'), join(FIXTURES, 'programs', 'uring.c')]);
    const r = recordThenCheck(ws, './uring > /dev/null', './uring > /dev/null');
    expect(kinds(r)).toEqual([['untraced-io', `io_uring by {workspace}/uring`, true]]);
    expect(r.stdout).toMatch(/error +untraced-io +The build does I\/O the trace cannot see: io_uring by \{workspace\}\/uring\./);
    expect(r.status).toBe(1);
  });

  test('a child made with CLONE_UNTRACED, which strace cannot follow: a failing finding naming the program, with or without seccomp', () => {
    const ws = tempDir();
    execFileSync('cc', ['-o', join(ws, 'hide'), join(FIXTURES, 'programs', 'untraced-clone.c')]);
    // With --seccomp-bpf (the default) the untraced child inherits strace's filter and,
    // with no tracer to stop for, every traced call fails (ENOSYS): it cannot open the file.
    const r = recordThenCheck(ws, 'echo hi > out', './hide hidden.txt; echo hi > out');
    expect(existsSync(join(ws, 'hidden.txt'))).toBe(false);
    expect(kinds(r)).toContainEqual(['untraced-io', 'CLONE_UNTRACED by {workspace}/hide', true]);
    expect(r.status).toBe(1);
    // Without seccomp it writes the file unseen: that is the blind spot, and why it fails the check.
    const n = recordThenCheck(ws, 'echo hi > out', './hide hidden.txt; echo hi > out', process.env, ['--no-seccomp']);
    expect(readFileSync(join(ws, 'hidden.txt'), 'utf8')).toBe('hidden\n');
    expect(n.report.findings.map((f) => f.subject)).not.toContain('{workspace}/hidden.txt');
    expect(kinds(n)).toContainEqual(['untraced-io', 'CLONE_UNTRACED by {workspace}/hide', true]);
    expect(n.status).toBe(1);
  });

  test('datagrams sent without a connect (sendto, sendmsg, sendmmsg) are new endpoints, failing', () => {
    const ws = tempDir();
    execFileSync('cc', ['-o', join(ws, 'datagrams'), join(FIXTURES, 'programs', 'datagrams.c')]);
    const r = recordThenCheck(ws, 'echo hi > out', './datagrams && echo hi > out');
    const endpoints = r.report.findings.filter((f) => f.kind === 'new-endpoint');
    expect(endpoints.map((f) => [f.subject, f.failing]).sort()).toEqual([10, 11, 12, 9].map((port) => [`udp://127.0.0.1:${port}`, true]));
    expect(endpoints[0].message).toMatch(/\(datagrams sent to it without a connect\)\.$/);
    expect(r.status).toBe(1);
  });

  test("a build that looks for ioana's trace pipe to write into finds none: its name is gone before the build starts", () => {
    const ws = tempDir();
    const r = recordThenCheck(
      ws,
      'true',
      'for p in ${TMPDIR:-/tmp}/ioana-*/trace.fifo; do [ -p "$p" ] && echo "1 exit_group(0) = ?" > "$p" && touch wrote; done; true',
    );
    expect(existsSync(join(ws, 'wrote'))).toBe(false);
    expect(r.report.findings.filter((f) => f.failing)).toEqual([]);
    expect(r.status).toBe(0);
  });

  withMount('a build that fills the disk for a moment is seen whole: what it did meanwhile is a finding', () => {
    const tiny = mountTmpfs('size=256k')!;
    const ws = tempDir();
    writeFileSync(join(ws, 'secret.txt'), 'x');
    const fill = `head -c 1M /dev/zero > ${tiny}/fill 2>/dev/null; cat secret.txt > /dev/null; echo new > made; rm -f ${tiny}/fill`;
    const r = recordThenCheck(ws, 'true', fill, { ...process.env, TMPDIR: tiny });
    expect(kinds(r)).toEqual(
      expect.arrayContaining([
        ['new-input', '{workspace}/secret.txt', true],
        ['new-output', '{workspace}/made', true],
      ]),
    );
    expect(r.status).toBe(1);
  });
});

describe('terminal- and runner-safe output', () => {
  test('file names with escape sequences, carriage returns and workflow commands are shown, not acted on', () => {
    const ws = tempDir();
    // Four: five in one directory would be one grouped finding.
    const names = ['\u001b[2J\u001b[31mred', '::error file=x::forged', 'line\rover', 'two\nlines\u202eexe.txt'];
    const r = recordThenCheck(ws, 'true', names.map((n) => `: > '${n}'`).join('; '));
    expect(r.report.findings.filter((f) => f.kind === 'new-output')).toHaveLength(names.length);
    const out = r.stdout + r.stderr;
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/); // eslint-disable-line no-control-regex
    for (const line of out.split('\n')) expect(line.startsWith('::')).toBe(false);
    expect(r.stdout).toContain('\\x1b[2J\\x1b[31mred');
    expect(r.stdout).toContain('{workspace}/::error file=x::forged');
  });
});
