/** The environment checks before a build is traced, and signals passed on to the build. */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareVersions, parseStraceVersion, preflight } from '../../src/trace/index.js';
import { tempDir } from '../helpers/trace.js';
import { CLI } from '../helpers/bundle.js';

/** A stand-in for strace that says what a real one says in a given situation. */
function fakeStrace(script: string): string {
  const path = join(tempDir(), 'strace');
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('preflight', () => {
  test('strace missing: the error names strace and how to install it', () => {
    expect(() => preflight('/nonexistent/strace')).toThrow(/strace was not found \(looked for "\/nonexistent\/strace" on PATH\)/);
    try {
      preflight('/nonexistent/strace');
    } catch (e) {
      expect((e as { hint: string }).hint).toMatch(/apt-get install -y strace/);
    }
  });

  test('ptrace not permitted: the error names the cause and the fix', () => {
    const s = fakeStrace(
      [
        'case "$1" in -V) echo "strace -- version 6.1"; exit 0;; esac',
        'echo "strace: test_ptrace_get_syscall_info: PTRACE_TRACEME: Operation not permitted" >&2',
        'exit 1',
      ].join('\n'),
    );
    expect(() => preflight(s)).toThrow(
      /strace is not permitted to trace here: .*Operation not permitted \(.*(CAP_SYS_PTRACE|ptrace_scope).*\)/,
    );
    try {
      preflight(s);
    } catch (e) {
      expect((e as { hint: string }).hint).toMatch(/--cap-add=SYS_PTRACE/);
      expect((e as { hint: string }).hint).toMatch(/kernel\.yama\.ptrace_scope/);
    }
  });

  test('no --seccomp-bpf (strace before 5.3): traced without it, and said', () => {
    const s = fakeStrace('case "$1" in -V) echo "strace -- version 5.2"; exit 0;; esac\nexit 0');
    expect(preflight(s)).toMatchObject({
      version: '5.2',
      seccomp: false,
      seccompNote: expect.stringMatching(/has no --seccomp-bpf \(it needs 5\.3\)/),
    });
  });

  test('a filter strace cannot install: traced without it, and said', () => {
    const s = fakeStrace(
      'case "$1" in -V) echo "strace -- version 6.1"; exit 0;; esac\nfor a; do [ "$a" = --seccomp-bpf ] && { echo "strace: seccomp filter: Invalid argument" >&2; exit 1; }; done\nexit 0',
    );
    expect(preflight(s)).toMatchObject({
      seccomp: false,
      seccompNote: expect.stringMatching(/could not install its seccomp filter \(strace: seccomp filter: Invalid argument\)/),
    });
  });

  test('too old for -yy', () => {
    const s = fakeStrace('echo "strace -- version 4.8"');
    expect(() => preflight(s)).toThrow(/strace 4\.8 is too old: ioana needs strace 4\.22 or newer/);
  });

  test('version strings', () => {
    expect(parseStraceVersion('strace -- version 6.1\nCopyright')).toBe('6.1');
    expect(parseStraceVersion('strace version 4.26')).toBe('4.26');
    expect(compareVersions('5.10', '5.3')).toBe(1);
    expect(compareVersions('5.3', '5.3.0')).toBe(0);
  });

  test('the real strace on this machine passes', () => {
    expect(preflight()).toMatchObject({ seccomp: expect.any(Boolean), version: expect.stringMatching(/^\d+\.\d+/) });
  });
});

describe('signals sent to ioana reach the build', () => {
  test.each(['SIGTERM', 'SIGINT'] as const)('%s: the build ends by it, and ioana says so', async (signal) => {
    const dir = tempDir();
    const log = join(dir, 'trace.log');
    const marker = join(dir, 'started');
    const child = spawn('node', [CLI, 'trace', '--out', log, '--', 'sh', '-c', `touch ${marker}; exec sleep 30`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    for (let i = 0; i < 200 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    child.kill(signal);
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(code).toBe(128 + (signal === 'SIGTERM' ? 15 : 2));
    expect(stderr).toMatch(new RegExp(`killed by ${signal} \\(interrupted by ${signal}\\)`));
  });
});
