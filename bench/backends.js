/**
 * The capture back ends side by side (issues 17, 24): what the bench needs to put eBPF
 * rows beside strace's.
 *
 *   ebpfAvailable   whether `ioana … --backend ebpf` can trace here; when it cannot, the
 *                   reason ioana gives (its exit-2 message), which the bench prints in
 *                   place of the eBPF rows
 *   startupCost     the fixed cost of each back end: from starting ioana to the build's
 *                   first instruction (the traced command prints the time it started),
 *                   and the whole run of a command that does nothing
 *   realProject     a real configure+make project (libogg 1.3.5, Debian 1.3.5-3, the
 *                   copy test/e2e/real-builds.test.ts builds): a fresh copy in bench/work
 *                   before each run, timestamps put back in the order the autotools made
 *                   them
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { summarize } from './stats.js';

/** What ioana said when it refused (its `ioana: …` line other than notes, and the hint under it), else the tail. */
export function reason(stderr) {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^Command exited with non-zero status/.test(l) && !/^[\d.]+ [\d.]+ \d+$/.test(l));
  const said = lines.findIndex((l) => /^ioana:/.test(l) && !/^ioana: note:/.test(l));
  return (said >= 0 ? lines.slice(said, said + 2) : lines.slice(-2)).join(' ').slice(0, 500) || 'no message';
}

/** `{ ok: true }`, or `{ ok: false, reason }` from `ioana trace --backend ebpf -- true` failing. */
export function ebpfAvailable(cli) {
  const r = spawnSync('node', [cli, 'trace', '--backend', 'ebpf', '--out', '/dev/null', '--', 'true'], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 120_000,
  });
  if (r.error) return { ok: false, reason: `could not run ioana: ${r.error.message}` };
  if (r.status === 0) return { ok: true };
  return { ok: false, reason: `\`ioana trace --backend ebpf\` exited ${r.status}: ${reason(r.stderr)}` };
}

/**
 * Start-up cost of each back end, alternating, after a warm-up: `date +%s%N` bare and
 * under `ioana trace [--backend ebpf] --out /dev/null`. `toStart` is from spawning to the
 * time `date` printed (the build's start); `total` the whole run.
 */
export function startupCost(cli, runs, { ebpf = true } = {}) {
  const variants = [
    ['bare', ['date', '+%s%N']],
    ['strace', ['node', cli, 'trace', '--out', '/dev/null', '--', 'date', '+%s%N']],
    ...(ebpf ? [['ebpf', ['node', cli, 'trace', '--backend', 'ebpf', '--out', '/dev/null', '--', 'date', '+%s%N']]] : []),
  ];
  const once = ([cmd, ...args]) => {
    const t0 = performance.timeOrigin + performance.now();
    const h0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const total = Number(process.hrtime.bigint() - h0) / 1e9;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${reason(r.stderr ?? '')}`);
    const started = r.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^\d{16,}$/.test(l))
      .pop();
    if (!started) throw new Error(`${cmd} ${args.join(' ')} did not print the time it started`);
    return { toStart: (Number(BigInt(started) / 1000n) / 1000 - t0) / 1000, total };
  };
  const times = new Map(variants.map(([k]) => [k, []]));
  for (const [, argv] of variants) once(argv);
  for (let i = 0; i < runs; i++) for (const [k, argv] of variants) times.get(k).push(once(argv));
  const out = {};
  for (const [k, rs] of times) out[k] = { toStart: summarize(rs.map((r) => r.toStart)), total: summarize(rs.map((r) => r.total)) };
  return out;
}

function filesUnder(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/**
 * A copy (as git or cp makes it) gives every file the time of the copy, and make may then
 * re-run aclocal/automake/autoconf (not installed). Put the times back: sources, then
 * aclocal.m4, then configure, then the Makefile.in files and config.h.in (as
 * test/helpers/real-builds.ts `settleAutotools` does).
 */
function settleAutotools(dir) {
  const base = Math.floor(Date.now() / 1000) - 3600;
  const at = (file, t) => utimesSync(file, t, t);
  const files = filesUnder(dir);
  for (const f of files) at(f, base);
  at(join(dir, 'aclocal.m4'), base + 10);
  at(join(dir, 'configure'), base + 20);
  for (const f of files) {
    const rel = relative(dir, f);
    if (rel.endsWith('Makefile.in') || rel === 'config.h.in') at(f, base + 30);
  }
}

/**
 * zlib (test/fixtures/projects/zlib, Debian's 1.2.13) at `<work>/zlib`: `full` is its
 * CMake configure (try_compile checks) and make -j2 from an empty build directory;
 * `make`, after `configure()`, is make -j2 alone of the configured tree (`make clean`
 * before each run, not timed).
 */
export function zlibProject(root, work) {
  const dir = join(work, 'zlib');
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(root, 'test', 'fixtures', 'projects', 'zlib'), dir, { recursive: true });
  const cmake = 'cmake -S . -B build -DCMAKE_POLICY_VERSION_MINIMUM=3.5 >/dev/null';
  return {
    dir,
    full: {
      label: 'zlib 1.2.13 (Debian), CMake configure + make -j2',
      build: ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', `${cmake} && cmake --build build -j2 >/dev/null`],
    },
    configure: () => {
      rmSync(join(dir, 'build'), { recursive: true, force: true });
      spawnSync('bash', ['-c', cmake], { cwd: dir, stdio: 'ignore' });
    },
    make: {
      label: 'zlib 1.2.13 (Debian), make -j2 of the configured tree',
      build: ['make', '-C', 'build', '-j2', '-s'],
      clean: () => spawnSync('make', ['-C', join(dir, 'build'), 'clean'], { stdio: 'ignore' }),
    },
  };
}

/**
 * libogg (test/fixtures/projects/libogg, vendored from `apt-get source libogg`; see its
 * ORIGIN.md) at `<work>/libogg`: `fresh()` puts back an unbuilt copy (not timed), `build`
 * is its configure and make as the action runs a build.
 */
export function realProject(root, work) {
  const source = join(root, 'test', 'fixtures', 'projects', 'libogg');
  const dir = join(work, 'libogg');
  const fresh = () => {
    rmSync(dir, { recursive: true, force: true });
    cpSync(source, dir, { recursive: true });
    settleAutotools(dir);
  };
  fresh();
  return {
    label: 'libogg 1.3.5 (Debian), autoconf configure + libtool/automake make -j2',
    dir,
    fresh,
    build: ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', './configure --disable-maintainer-mode && make -j2'],
  };
}
