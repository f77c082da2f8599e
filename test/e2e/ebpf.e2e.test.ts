/**
 * The eBPF back end against the reference, strace, on real builds traced here: the
 * baseline recorded from one back end is the baseline recorded from the other, and a
 * check of one against the other's baseline is clean. A flood of short processes with
 * a tiny kernel buffer loses events, and the run refuses to compare.
 *
 * eBPF needs root (or passwordless sudo) and bpftrace: where they are missing, every
 * test here is skipped, and the reason is printed.
 */
import { jest } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { preflightEbpf } from '../../src/trace/ebpf/preflight.js';
import { copyFixture, ioana, TSC } from '../helpers/project.js';
import { tempDir } from '../helpers/trace.js';
import { copyProject, removeScratch, scratch, settleAutotools } from '../helpers/real-builds.js';

function unavailable(): string | undefined {
  try {
    preflightEbpf({ tryLoad: true });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const reason = unavailable();
if (reason) console.warn(`ebpf.e2e: SKIPPED — eBPF cannot trace here: ${reason}`);
const eb = reason ? describe.skip : describe;

jest.setTimeout(240_000);

/** Records a baseline of `command` with each back end, from a clean tree each time; returns both. */
async function bothBaselines(dir: string, command: string[], clean: () => void) {
  const out: Record<string, string> = {};
  for (const backend of ['strace', 'ebpf']) {
    clean();
    const file = join(tempDir(), `${backend}.yml`);
    const r = await ioana('update', '--fresh', '--quiet', '--backend', backend, '--workspace', dir, '--baseline', file, '--', ...command);
    expect({ backend, code: r.code, stderr: r.stderr }).toEqual({ backend, code: 0, stderr: '' });
    out[backend] = file;
  }
  return out as { strace: string; ebpf: string };
}

/** The baseline's content without its header comment (which names nothing of the build). */
const entries = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');

eb('eBPF and strace record the same baseline', () => {
  test('C with make -j2 (the fixture project: generated header, static library, two programs)', async () => {
    const dir = copyFixture('cproject');
    const make = (...a: string[]) => execFileSync('make', ['-C', dir, ...a], { stdio: 'ignore' });
    const b = await bothBaselines(dir, ['make', '-C', dir, '-j2'], () => make('clean'));
    expect(entries(b.ebpf)).toEqual(entries(b.strace));
    expect(entries(b.strace)).toMatch(/inputs:/);
    // Each back end's check against the other's baseline is clean.
    make('clean');
    const c = await ioana(
      'check',
      '--quiet',
      '--backend',
      'ebpf',
      '--workspace',
      dir,
      '--baseline',
      b.strace,
      '--',
      'make',
      '-C',
      dir,
      '-j2',
    );
    expect({ code: c.code, out: c.stdout }).toEqual({ code: 0, out: expect.stringMatching(/clean/) });
  });

  test('pipelines, redirections, a rename and a connect attempt in one shell script', async () => {
    const dir = tempDir('ioana-ebpf-pipes-');
    writeFileSync(join(dir, 'in.txt'), 'b\na\nc\n');
    writeFileSync(
      join(dir, 'build.sh'),
      [
        'set -e',
        'sort < in.txt | tr a-z A-Z | tee sorted.tmp > /dev/null',
        'mv sorted.tmp sorted.txt',
        'cat in.txt sorted.txt | wc -l > count.txt',
        'mkdir -p out && cp count.txt out/ && rm -f count.txt',
        // A refused connection still counts as an attempt.
        'python3 -c "import socket; socket.socket().connect_ex((\'127.0.0.1\', 9))"',
        '',
      ].join('\n'),
    );
    const clean = () => execFileSync('rm', ['-rf', join(dir, 'out'), join(dir, 'sorted.txt')]);
    const b = await bothBaselines(dir, ['bash', '--noprofile', '--norc', join(dir, 'build.sh')], clean);
    expect(entries(b.ebpf)).toEqual(entries(b.strace));
    expect(entries(b.ebpf)).toMatch(/127\.0\.0\.1:9/);
    expect(entries(b.ebpf)).toMatch(/sorted\.txt/);
  });

  test('a TypeScript project compiled by tsc (node, many threads)', async () => {
    const dir = copyFixture('tsproject');
    const clean = () => execFileSync('rm', ['-rf', join(dir, 'dist')]);
    const b = await bothBaselines(dir, [process.execPath, TSC, '-p', dir], clean);
    expect(existsSync(join(dir, 'dist'))).toBe(true);
    expect(entries(b.ebpf)).toEqual(entries(b.strace));
  });
});

eb('a real configure + make project', () => {
  test('libogg (Debian source; autoconf configure, libtool, automake): a strace baseline, an eBPF check at another path — clean', async () => {
    const a = copyProject('libogg', 'a');
    const b = copyProject('libogg', 'other-place');
    settleAutotools(a);
    settleAutotools(b);
    const baseline = join(scratch(), 'libogg.yml');
    const build = ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', './configure --disable-maintainer-mode && make -j2'];
    const u = await ioana('update', '--fresh', '--quiet', '--workspace', a, '--baseline', baseline, '--', ...build);
    expect({ code: u.code, stderr: u.stderr }).toEqual({ code: 0, stderr: '' });
    // configure makes and removes conftest.* hundreds of times: each name is confirmed.
    const c = await ioana('check', '--backend', 'ebpf', '--workspace', b, '--baseline', baseline, '--', ...build);
    expect({ code: c.code, stderr: c.stderr.replace(/ioana: note: tracing with eBPF.*\n/, '') }).toEqual({ code: 0, stderr: '' });
    expect(c.stdout).toMatch(/clean/);
    removeScratch();
  });
});

eb('eBPF fails closed', () => {
  test('a flood of short processes with a one-page buffer loses events: the run refuses to compare or write', async () => {
    const dir = tempDir('ioana-ebpf-flood-');
    writeFileSync(join(dir, 'flood.sh'), 'for i in $(seq 400); do cat /etc/hostname /etc/passwd /etc/group > /dev/null; done\n');
    const baseline = join(dir, 'b.yml');
    process.env.IOANA_EBPF_BUFFER_PAGES = '1';
    try {
      const r = await ioana(
        'update',
        '--fresh',
        '--backend',
        'ebpf',
        '--workspace',
        dir,
        '--baseline',
        baseline,
        '--',
        'bash',
        join(dir, 'flood.sh'),
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/the eBPF trace is incomplete: \d+ event\(s\) lost/);
      expect(r.stderr).toMatch(/Nothing was compared or written/);
      expect(r.stderr).toMatch(/--backend strace/);
      expect(existsSync(baseline)).toBe(false);
    } finally {
      delete process.env.IOANA_EBPF_BUFFER_PAGES;
    }
  });

  test('ioana trace does not keep a log with lost events', async () => {
    const dir = tempDir('ioana-ebpf-flood-');
    writeFileSync(join(dir, 'flood.sh'), 'for i in $(seq 400); do cat /etc/hostname /etc/passwd > /dev/null; done\n');
    const log = join(dir, 'trace.log');
    process.env.IOANA_EBPF_BUFFER_PAGES = '1';
    try {
      const r = await ioana('trace', '--backend', 'ebpf', '--out', log, '--', 'bash', join(dir, 'flood.sh'));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/lost/);
      expect(existsSync(log)).toBe(false);
    } finally {
      delete process.env.IOANA_EBPF_BUFFER_PAGES;
    }
  });
});

const CLI = join(process.cwd(), 'dist', 'cli.js');
const asNobody = process.getuid?.() === 0 && existsSync('/usr/sbin/runuser');

(asNobody ? describe : describe.skip)('without root', () => {
  test('--backend ebpf says eBPF needs root or sudo (exit 2); auto falls back to strace and says why', () => {
    const dir = tempDir('ioana-ebpf-nobody-');
    execFileSync('chmod', ['777', dir]);
    const run = (...args: string[]) => {
      const r = spawnSync(
        '/usr/sbin/runuser',
        ['-u', 'nobody', '--', 'env', `HOME=${dir}`, 'PATH=/usr/bin:/bin', process.execPath, CLI, ...args],
        {
          cwd: dir,
          encoding: 'utf8',
        },
      );
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const ebpf = run('trace', '--backend', 'ebpf', '--out', join(dir, 'e.log'), '--', 'true');
    expect(ebpf.code).toBe(2);
    expect(ebpf.stderr).toMatch(/loading eBPF programs needs root: ioana is not root and `sudo -n` is not allowed here/);
    expect(ebpf.stderr).toMatch(/--backend strace/);
    expect(existsSync(join(dir, 'e.log'))).toBe(false);
    const auto = run('trace', '--backend', 'auto', '--out', join(dir, 'a.log'), '--', 'true');
    expect(auto.stderr).toMatch(/--backend auto: tracing with strace; eBPF cannot trace here: loading eBPF programs needs root/);
    expect(auto.code).toBe(0);
    expect(readFileSync(join(dir, 'a.log'), 'utf8')).toMatch(/execve\("\/usr\/bin\/true"/);
  });
});

eb('a program that does not load', () => {
  test('is a clear error naming bpftrace’s message (exit 2); the stopped command is not left behind', async () => {
    const dir = tempDir('ioana-ebpf-noload-');
    const fake = join(dir, 'bpftrace');
    writeFileSync(
      fake,
      '#!/bin/sh\ncase "$1" in --version) echo "bpftrace v0.17.0";; *) echo "ERROR: Error loading program: tracepoint:raw_syscalls:sys_enter (try -v)" >&2; exit 1;; esac\n',
      { mode: 0o755 },
    );
    process.env.IOANA_BPFTRACE = fake;
    try {
      const r = await ioana('trace', '--backend', 'ebpf', '--out', join(dir, 't.log'), '--', 'sleep', '77.5');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/bpftrace stopped before the build ended: Error loading program: tracepoint:raw_syscalls:sys_enter/);
      expect(r.stderr).toMatch(/--backend strace/);
      expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })).not.toMatch(/sleep 77\.5/);
    } finally {
      delete process.env.IOANA_BPFTRACE;
    }
  });
});

eb('interrupted', () => {
  test('SIGTERM to ioana ends the build and the tracer: exit 143, no bpftrace left, no scratch left', async () => {
    const dir = tempDir('ioana-ebpf-term-');
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [CLI, 'trace', '--backend', 'ebpf', '--out', join(dir, 't.log'), '--', 'sleep', '60'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, TMPDIR: dir },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Wait for the build to run under the tracer (sleep is followed once it has exec'd).
    const started = Date.now();
    while (Date.now() - started < 60_000) {
      const out = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
      if (out.includes(`${dir}/ioana-`) && /\nsleep 60\n/.test(out)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const tracer = () =>
      execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l.includes('bpftrace') && l.includes(dir));
    expect(tracer().length).toBeGreaterThan(0);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect({ code, stderr }).toEqual({ code: 143, stderr: expect.any(String) });
    expect(tracer()).toEqual([]);
    expect(
      execFileSync('ls', ['-A', dir], { encoding: 'utf8' })
        .split('\n')
        .filter((n) => n.startsWith('ioana-')),
    ).toEqual([]);
  });
});

// Last: it unmounts tracefs for a moment (the other eBPF tests of this file run before it).
(reason === undefined && process.getuid?.() === 0 ? describe : describe.skip)('tracefs', () => {
  const mounted = () => readFileSync('/proc/mounts', 'utf8').includes(' /sys/kernel/tracing tracefs ');
  test('is mounted for a run that needs it and unmounted after it, as it was', async () => {
    const before = mounted();
    if (before) execFileSync('umount', ['/sys/kernel/tracing']);
    try {
      const dir = tempDir('ioana-ebpf-tracefs-');
      const r = await ioana('trace', '--backend', 'ebpf', '--out', join(dir, 't.log'), '--', 'true');
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: expect.stringMatching(/tracing with eBPF/) });
      expect(readFileSync(join(dir, 't.log'), 'utf8')).toMatch(/execve\("\/usr\/bin\/true"/);
      expect(mounted()).toBe(false);
    } finally {
      if (before && !mounted()) execFileSync('mount', ['-t', 'tracefs', 'nodev', '/sys/kernel/tracing']);
    }
  });
});
