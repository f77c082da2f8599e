/**
 * The eBPF back end against the reference, strace, on every real build the tests have:
 * the baseline recorded with one back end is, entry for entry, the baseline recorded
 * with the other (make -j2, CMake with try_compile, autotools, npm and tsc, a shell
 * pipeline script, cargo where it is installed), and a check with one against the
 * other's baseline at another path is clean. A flood with a one-page ring buffer loses
 * records, and the run refuses to compare.
 *
 * eBPF needs root (or passwordless sudo), a kernel with BTF and the collector
 * (dist/ioana-ebpf-x86_64): where one is missing, every test here is skipped, and the
 * reason is printed.
 */
import { jest } from '@jest/globals';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ebpfUnavailable } from '../helpers/ebpf.js';
import { copyFixture, ioana, TSC } from '../helpers/project.js';
import { bash, CLI, has, PROJECTS, removeScratch, REPO, scratch, settleAutotools } from '../helpers/real-builds.js';
import { tempDir } from '../helpers/trace.js';

const reason = ebpfUnavailable();
if (reason) console.warn(`ebpf.e2e: SKIPPED — eBPF cannot trace here: ${reason}`);
const eb = reason ? describe.skip : describe;

jest.setTimeout(600_000);
afterAll(removeScratch);

/** Runs `fn` with these variables in ioana's environment (the in-process CLI reads process.env). */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/**
 * Records a baseline of `command` in `dir` with each back end, from a clean tree each
 * time; returns the files (`again`: strace's second run, with `twice`).
 */
async function bothBaselines(dir: string, command: string[], clean: () => void, twice = false) {
  const out: Record<string, string> = {};
  for (const [name, backend] of [['strace', 'strace'], ['ebpf', 'ebpf'], ...(twice ? [['again', 'strace']] : [])]) {
    clean();
    const file = join(tempDir(), `${name}.yml`);
    const r = await ioana('update', '--fresh', '--quiet', '--backend', backend, '--workspace', dir, '--baseline', file, '--', ...command);
    expect({ backend, code: r.code, stderr: r.stderr }).toEqual({ backend, code: 0, stderr: '' });
    out[name] = file;
  }
  return out as { strace: string; ebpf: string; again: string };
}

/**
 * The lines where eBPF's baseline differs from strace's and strace's second run agrees
 * with its first: a build whose own names change from run to run (configure's `conf$$`
 * files it never makes, rustc's random temporary directories and codegen-unit hashes)
 * differs there whatever traces it; anywhere else a difference is the back end's.
 */
function backendDifferences(b: { strace: string; ebpf: string; again: string }) {
  const [s, e, again] = [b.strace, b.ebpf, b.again].map((f) => entries(f).split('\n'));
  // Lines only one back end wrote, shown when the counts differ (the first few of each).
  const only = (a: string[], b: string[]) => a.filter((l) => !b.includes(l)).slice(0, 20);
  const shape = (lines: string[]) =>
    lines.length === s.length ? { lines: s.length } : { lines: lines.length, only: only(lines, s), missing: only(s, lines) };
  expect({ ebpf: shape(e), again: shape(again) }).toEqual({ ebpf: { lines: s.length }, again: { lines: s.length } });
  return e.flatMap((line, i) => (line !== s[i] && again[i] === s[i] ? [{ line: i + 1, ebpf: line, strace: s[i] }] : []));
}

/** The baseline's content without its header comment (which names nothing of the build). */
const entries = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');

/** A fresh copy of test/fixtures/projects/NAME at `dir` (the same path each time, so two back ends see the same tree). */
function freshProject(name: string, dir: string, autotools = false): () => void {
  return () => {
    rmSync(dir, { recursive: true, force: true });
    cpSync(join(PROJECTS, name), dir, { recursive: true });
    if (autotools) settleAutotools(dir);
  };
}

eb('eBPF and strace record the same baseline, entry for entry', () => {
  test('C with make -j2 (the fixture project: generated header, static library, two programs)', async () => {
    const dir = copyFixture('cproject');
    const make = (...a: string[]) => execFileSync('make', ['-C', dir, ...a], { stdio: 'ignore' });
    const b = await bothBaselines(dir, ['make', '-C', dir, '-j2'], () => make('clean'));
    expect(entries(b.ebpf)).toEqual(entries(b.strace));
    expect(entries(b.strace)).toMatch(/inputs:/);
    // A check with eBPF against strace's baseline is clean.
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

  (has('cmake') ? test : test.skip)('zlib with CMake (try_compile checks in scratch projects) and make -j2', async () => {
    const dir = join(scratch(), 'zlib');
    const b = await bothBaselines(
      dir,
      bash('cmake -S . -B build -DCMAKE_POLICY_VERSION_MINIMUM=3.5 >/dev/null && cmake --build build -j2 >/dev/null'),
      freshProject('zlib', dir),
    );
    expect(entries(b.strace)).toContain('{workspace}/build/libz.a');
    expect(entries(b.ebpf)).toEqual(entries(b.strace));
  });

  test('libogg: autoconf configure (hundreds of conftest files made and removed), libtool, automake, make -j2', async () => {
    const dir = join(scratch(), 'libogg');
    const b = await bothBaselines(
      dir,
      bash('./configure --disable-maintainer-mode >/dev/null && make -j2 >/dev/null'),
      freshProject('libogg', dir, true),
      true,
    );
    expect(entries(b.strace)).toContain('{workspace}/src/.libs/libogg.a');
    // configure names files it never makes after its shell's pid (`rm -f conf$$.exe`): the
    // canonicalizer folds pids only in names the build made, so these lines differ between
    // any two runs, whichever back end traces them.
    expect(backendDifferences(b)).toEqual([]);
  });

  test('npm run build (npm, then tsc)', async () => {
    const dir = join(scratch(), 'tsdemo');
    const home = join(scratch('ioana-ebpf-home-'), 'home');
    mkdirSync(join(home, '.npm', '_logs'), { recursive: true });
    const fresh = freshProject('tsdemo', dir);
    const clean = () => {
      fresh();
      mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
      symlinkSync(join(REPO, 'node_modules', 'typescript'), join(dir, 'node_modules', 'typescript'));
      symlinkSync('../typescript/bin/tsc', join(dir, 'node_modules', '.bin', 'tsc'));
    };
    const b = await withEnv({ HOME: home, npm_config_update_notifier: 'false' }, () =>
      bothBaselines(dir, bash('npm run build >/dev/null'), clean),
    );
    expect(entries(b.strace)).toContain('{workspace}/dist/index.js');
    expect(entries(b.ebpf)).toEqual(entries(b.strace));
  });

  test('make clean && make in a tree a previous build left dirty (devtree)', async () => {
    const dir = join(scratch(), 'devtree');
    const b = await bothBaselines(dir, bash('make clean >/dev/null && make -j2 >/dev/null'), freshProject('devtree', dir));
    expect(entries(b.ebpf)).toEqual(entries(b.strace));
  });

  (has('cargo') ? test : test.skip)('cargo build of a crate without dependencies (rustc, cc, ld, cargo’s fingerprints)', async () => {
    const dir = join(scratch(), 'crate');
    const clean = () => {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(join(dir, 'src'), { recursive: true });
      writeFileSync(join(dir, 'Cargo.toml'), '[package]\nname = "crate"\nversion = "0.1.0"\nedition = "2021"\n');
      writeFileSync(join(dir, 'src', 'main.rs'), 'fn main() { println!("{}", std::env::args().count()); }\n');
      // cargo keeps a database of when it last used what (~/.cargo/.global-cache), which a
      // build writes now and then: a build untraced first, so that both traced ones find it as it is.
      execFileSync('cargo', ['build', '--offline', '-q'], { cwd: dir, stdio: 'ignore' });
      rmSync(join(dir, 'target'), { recursive: true, force: true });
    };
    const b = await bothBaselines(dir, bash('cargo build --offline -j2 -q'), clean, true);
    expect(entries(b.strace)).toContain('{workspace}/target/debug/crate');
    // rustc's temporary directory (`deps/rustcXXXXXX`) and codegen-unit names change from run to run.
    expect(backendDifferences(b)).toEqual([]);
  });
});

eb('a real configure + make project at another path', () => {
  test('libogg: a strace baseline, an eBPF check at another path — clean, names confirmed in the kernel', async () => {
    const a = join(scratch(), 'a', 'libogg');
    const b = join(scratch(), 'other-place', 'libogg');
    freshProject('libogg', a, true)();
    freshProject('libogg', b, true)();
    const baseline = join(scratch(), 'libogg.yml');
    const build = bash('./configure --disable-maintainer-mode && make -j2');
    const u = await ioana('update', '--fresh', '--quiet', '--workspace', a, '--baseline', baseline, '--', ...build);
    expect({ code: u.code, stderr: u.stderr }).toEqual({ code: 0, stderr: '' });
    const c = await ioana('check', '--backend', 'ebpf', '--workspace', b, '--baseline', baseline, '--', ...build);
    expect({ code: c.code, stderr: c.stderr.replace(/ioana: note: tracing with eBPF.*\n/, '') }).toEqual({ code: 0, stderr: '' });
    expect(c.stdout).toMatch(/clean/);
  });
});

eb('eBPF fails closed', () => {
  const flood = (dir: string) => {
    writeFileSync(join(dir, 'flood.sh'), 'for i in $(seq 400); do cat /etc/hostname /etc/passwd /etc/group > /dev/null; done\n');
    return join(dir, 'flood.sh');
  };

  test('a flood of short processes with a one-page ring buffer loses records: the run refuses to compare or write', async () => {
    const dir = tempDir('ioana-ebpf-flood-');
    const baseline = join(dir, 'b.yml');
    const r = await withEnv({ IOANA_EBPF_BUFFER_PAGES: '1' }, () =>
      ioana('update', '--fresh', '--backend', 'ebpf', '--workspace', dir, '--baseline', baseline, '--', 'bash', flood(dir)),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the eBPF trace is incomplete: \d+ event\(s\) lost by the kernel's buffers/);
    expect(r.stderr).toMatch(/Nothing was compared or written/);
    expect(r.stderr).toMatch(/--backend strace/);
    expect(existsSync(baseline)).toBe(false);
  });

  test('ioana trace does not keep a log with lost records', async () => {
    const dir = tempDir('ioana-ebpf-flood-');
    const log = join(dir, 'trace.log');
    const r = await withEnv({ IOANA_EBPF_BUFFER_PAGES: '1' }, () =>
      ioana('trace', '--backend', 'ebpf', '--out', log, '--', 'bash', flood(dir)),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/lost/);
    expect(existsSync(log)).toBe(false);
  });

  test('with the default ring buffer the same flood loses nothing', async () => {
    const dir = tempDir('ioana-ebpf-flood-');
    const log = join(dir, 'trace.log');
    const r = await ioana('trace', '--backend', 'ebpf', '--out', log, '--', 'bash', flood(dir));
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: expect.stringMatching(/^ioana: note: tracing with eBPF/) });
    expect(readFileSync(log, 'utf8').match(/execve\("\/usr\/bin\/cat"/g)?.length).toBe(400);
  });
});

eb('a trace kept and replayed', () => {
  test('--trace-out writes strace’s log, which --trace replays to the same baseline; a kept record file replays too', async () => {
    const dir = copyFixture('cproject');
    const log = join(dir, 'trace.log');
    const records = join(dir, 'trace.records');
    const live = join(dir, 'live.yml');
    const r = await withEnv({ IOANA_EBPF_RECORDS: records }, () =>
      ioana(
        'update',
        '--fresh',
        '--quiet',
        '--backend',
        'ebpf',
        '--workspace',
        dir,
        '--baseline',
        live,
        '--trace-out',
        log,
        '--',
        'make',
        '-C',
        dir,
        '-j2',
      ),
    );
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    for (const trace of [log, records]) {
      const replayed = join(dir, 'replayed.yml');
      const u = await ioana('update', '--fresh', '--quiet', '--workspace', dir, '--baseline', replayed, '--trace', trace);
      expect({ trace, code: u.code, stderr: u.stderr }).toEqual({ trace, code: 0, stderr: '' });
      expect(entries(replayed)).toEqual(entries(live));
    }
  });
});

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

eb('a collector that does not load', () => {
  test('is a clear error with its own message (exit 2); the stopped command is not left behind', async () => {
    const dir = tempDir('ioana-ebpf-noload-');
    const fake = join(dir, 'ioana-ebpf-x86_64');
    writeFileSync(
      fake,
      '#!/bin/sh\necho "ioana-ebpf: could not load the eBPF program: libbpf: prog \'on_sys_exit\': failed to load: -13" >&2\nexit 3\n',
      {
        mode: 0o755,
      },
    );
    const r = await withEnv({ IOANA_EBPF_LOADER: fake }, () =>
      ioana('trace', '--backend', 'ebpf', '--out', join(dir, 't.log'), '--', 'sleep', '77.5'),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /the eBPF collector stopped before the trace ended: could not load the eBPF program: libbpf: prog 'on_sys_exit'/,
    );
    expect(r.stderr).toMatch(/--backend strace/);
    expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })).not.toMatch(/sleep 77\.5/);
  });

  test('--backend auto falls back to strace and says why', async () => {
    const dir = tempDir('ioana-ebpf-noload-');
    const fake = join(dir, 'ioana-ebpf-x86_64');
    writeFileSync(fake, '#!/bin/sh\necho "ioana-ebpf: could not attach the eBPF program: no BTF" >&2\nexit 4\n', { mode: 0o755 });
    const r = await withEnv({ IOANA_EBPF_LOADER: fake }, () =>
      ioana('trace', '--backend', 'auto', '--out', join(dir, 't.log'), '--', 'true'),
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /--backend auto: tracing with strace; eBPF cannot trace here: the eBPF collector could not load its programs here: could not attach/,
    );
  });
});

eb('daemons and interruptions', () => {
  /** `ioana trace --backend ebpf` of a script that leaves `sleep SECONDS` running: its status, its log, the sleep's pid. */
  async function traceLeaving(flags: string[], seconds: string, rest: string) {
    const dir = tempDir('ioana-ebpf-daemon-');
    const r = await ioana(
      'trace',
      ...flags,
      '--backend',
      'ebpf',
      '--out',
      join(dir, 't.log'),
      '--',
      'bash',
      '-c',
      `sleep ${seconds} & echo started${rest}`,
    );
    const log = readFileSync(join(dir, 't.log'), 'utf8');
    const pid = new RegExp(`^(\\d+) execve\\("/usr/bin/sleep", \\["sleep", "${seconds}"\\]`, 'm').exec(log)?.[1];
    return { code: r.code, log, pid };
  }
  const running = () => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });

  test('a process the build leaves running: tracing stops after the grace, the build’s own status is kept', async () => {
    const { code, pid } = await traceLeaving(['--no-separation'], '31.5', '');
    try {
      expect(code).toBe(0);
      expect(pid).toBeDefined();
      expect(running()).not.toMatch(/ioana-ebpf/);
    } finally {
      if (pid) process.kill(Number(pid), 'SIGTERM');
    }
  });

  test('behind the wall, a process the build leaves running ends with the build’s namespace; the build’s own status is kept', async () => {
    const { code, log, pid } = await traceLeaving([], '32.5', '; exit 3');
    expect(code).toBe(3);
    expect(pid).toBeDefined();
    expect(log).toMatch(new RegExp(`^${pid} \\+\\+\\+ killed by SIGKILL`, 'm'));
    expect(running()).not.toMatch(/ioana-ebpf|sleep 32\.5/);
  });

  test('SIGTERM to ioana ends the build and the collector: exit 143, no collector left', async () => {
    const dir = tempDir('ioana-ebpf-term-');
    const child = spawn(process.execPath, [CLI, 'trace', '--backend', 'ebpf', '--out', join(dir, 't.log'), '--', 'sleep', '60.5'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const started = Date.now();
    const ps = () => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    while (Date.now() - started < 60_000 && !/\nsleep 60\.5\n/.test(ps())) await new Promise((r) => setTimeout(r, 100));
    expect(ps()).toMatch(/ioana-ebpf-x86_64/);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect({ code, stderr }).toEqual({ code: 143, stderr: expect.any(String) });
    await new Promise((r) => setTimeout(r, 500));
    expect(ps()).not.toMatch(/ioana-ebpf-x86_64|sleep 60\.5/);
  });
});
