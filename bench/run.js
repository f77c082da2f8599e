/**
 * ioana's benchmark: `npm run bench` (`npm run bench -- --quick` for a short run).
 *
 * Each figure is measured side by side in one run: A and B alternate, after a warm-up
 * of each, and the ratio is the ratio of the medians. Results go to bench/results.json
 * and a table on stdout.
 *
 *   tracing:  a clean `make -j2` of generated C projects (200 tiny files with shared
 *             headers: the worst case, process start-up dominates; and 100 files of
 *             compile units as heavy as ordinary C files), and of the test fixture
 *             project, under `ioana check` vs bare: wall and CPU (user+sys of the whole
 *             process tree); and the floor, strace following every process while
 *             stopping on no call
 *   per call: what one traced call costs (a loop of failed openat calls, bare and
 *             traced), and how much of the tracing overhead the build's calls explain
 *   parsing:  `ioana graph --parse-only` vs reading the log with node's readline
 *   analysis: `ioana check --trace LOG` vs the same readline
 *   attest:   `ioana attest --trace LOG` (every output hashed, toolchain by package) vs
 *             the check of the same log
 *   scale:    analysis time and peak memory on 1×, 4×, 7× (a million lines) and 16×
 *             that log
 *   forks:    analysis time and peak memory of a process holding N open files that
 *             forks N children (N = 500…3000), and of a Python running N subprocesses
 *   large:    a build that writes 100 000 files, bare / update / check, with and
 *             without fold-outputs (bench/large.js)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateProject } from './gen-project.js';
import { largeBuild } from './large.js';
import { scaleLog } from './scale.js';
import { fmt, summarize } from './stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const cli = join(root, 'dist', 'cli.js');
const quick = process.argv.includes('--quick');
const RUNS = quick ? 2 : 7;
const FILES = quick ? 40 : 200;
const work = join(here, 'work');

/** Runs a command; wall seconds, CPU seconds (user+sys of it and its children) and peak RSS (KB). */
function time(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', cmd, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    ...opts,
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [user, sys, rss] = last.split(' ').map(Number);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return { wall, cpu: user + sys, rss };
}

/** Runs a then b, RUNS times each after one warm-up of each, alternating. */
function sideBySide(name, a, b) {
  a();
  b();
  const ra = [];
  const rb = [];
  for (let i = 0; i < RUNS; i++) {
    ra.push(a());
    rb.push(b());
  }
  const pick = (rs, k) => summarize(rs.map((r) => r[k]));
  const A = { wall: pick(ra, 'wall'), cpu: pick(ra, 'cpu'), rss: pick(ra, 'rss') };
  const B = { wall: pick(rb, 'wall'), cpu: pick(rb, 'cpu'), rss: pick(rb, 'rss') };
  return { name, a: A, b: B, wallRatio: B.wall.median / A.wall.median, cpuRatio: B.cpu.median / A.cpu.median };
}

if (!existsSync(cli)) {
  console.error('bench: dist/cli.js is missing; run `npm run package` first.');
  process.exit(2);
}
if (!existsSync('/usr/bin/time')) {
  console.error('bench: /usr/bin/time is missing (Debian: apt-get install -y time).');
  process.exit(2);
}
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const results = [];
const log = join(work, 'build.log');

// Tracing overhead: the same clean build, bare and under `ioana check` (tracing and
// analysis together, as a user runs it).
function tracingOverhead(label, dir, build) {
  const clean = () => rmSync(join(dir, 'build'), { recursive: true, force: true });
  const baseline = join(work, `${label}.yml`);
  clean();
  execFileSync('node', [cli, 'update', '--fresh', '--baseline', baseline, '--workspace', dir, '--', ...build], { stdio: 'ignore' });
  return sideBySide(
    `${label}: clean \`${build.join(' ')}\` under ioana check / bare`,
    () => (clean(), time(build[0], build.slice(1), { cwd: dir })),
    () => (
      clean(),
      time('node', [cli, 'check', '--baseline', baseline, '--workspace', dir, '--trace-out', log, '--', ...build], { cwd: dir })
    ),
  );
}

const project = join(work, 'generated');
generateProject(project, FILES);
results.push({ kind: 'tracing', ...tracingOverhead(`generated C project, ${FILES} files`, project, ['make', '-j2', '-s']) });
// The floor of any strace-based tracer: following every process, stopping on no call.
{
  const clean = () => rmSync(join(project, 'build'), { recursive: true, force: true });
  results.push({
    kind: 'floor',
    ...sideBySide(
      `same build under \`strace -f --seccomp-bpf -e trace=none\` / bare (the floor)`,
      () => (clean(), time('make', ['-j2', '-s'], { cwd: project })),
      () => (
        clean(),
        time('strace', ['-f', '-qq', '--seccomp-bpf', '-e', 'trace=none', '-o', '/dev/null', 'make', '-j2', '-s'], { cwd: project })
      ),
    ),
  });
}
// What one traced call costs on this machine: a loop of failed openat() calls (what a
// compiler's header search is), bare and under strace as ioana runs it.
const CALLS = quick ? 5000 : 20000;
let perCall;
{
  const src = join(work, 'openat-loop.c');
  const bin = join(work, 'openat-loop');
  writeFileSync(
    src,
    '#include <fcntl.h>\n#include <stdlib.h>\nint main(int c, char **v) { int n = atoi(v[1]); for (int i = 0; i < n; i++) openat(AT_FDCWD, "/nonexistent/x.h", O_RDONLY | O_NOCTTY); return 0; }\n',
  );
  execFileSync('cc', ['-O2', '-o', bin, src]);
  const r = sideBySide(
    `${CALLS} failed \`openat\` calls under \`strace -f -yy --seccomp-bpf -e trace=openat\` / bare`,
    () => time(bin, [String(CALLS)]),
    () => time('strace', ['-f', '-yy', '-qq', '--seccomp-bpf', '-e', 'trace=openat', '-o', '/dev/null', bin, String(CALLS)]),
  );
  perCall = ((r.b.wall.median - r.a.wall.median) / CALLS) * 1e6;
  results.push({ kind: 'per-call', microsecondsPerCall: perCall, ...r });
}
const heavy = join(work, 'generated-heavy');
generateProject(heavy, quick ? 20 : 100, 12, 25);
results.push({
  kind: 'tracing',
  ...tracingOverhead(`generated C project, ${quick ? 20 : 100} files of ordinary weight`, heavy, ['make', '-j2', '-s']),
});
const fixture = join(work, 'fixture');
cpSync(join(root, 'test', 'fixtures', 'cproject'), fixture, { recursive: true });
results.push({ kind: 'tracing', ...tracingOverhead('test fixture C project', fixture, ['make', '-j2', '-s']) });

// The log of the generated project's build, for the analysis figures.
rmSync(join(project, 'build'), { recursive: true, force: true });
execFileSync('node', [cli, 'trace', '--out', log, '--', 'make', '-j2', '-s'], { cwd: project, stdio: 'ignore' });
const lines = Number(execFileSync('node', [join(here, 'readline-count.js'), log], { encoding: 'utf8' }).trim());
// How much of the tracing overhead the stops explain: the build's traced calls × the cost of one.
const tracedCalls = JSON.parse(execFileSync('node', [cli, 'graph', '--trace', log, '--parse-only'], { encoding: 'utf8' })).stats.syscalls;
const bareBuild = results[0].a.wall.median;
const readline = (file) => () => time('node', [join(here, 'readline-count.js'), file]);
const baseline = join(work, 'generated C project, ' + FILES + ' files.yml');
results.push({
  kind: 'parsing',
  ...sideBySide(`parse the ${lines}-line log: graph --parse-only / readline`, readline(log), () =>
    time('node', [cli, 'graph', '--trace', log, '--parse-only']),
  ),
});
results.push({
  kind: 'analysis',
  ...sideBySide(`analyze it: check --trace LOG / readline`, readline(log), () =>
    time('node', [cli, 'check', '--baseline', baseline, '--workspace', project, '--trace', log]),
  ),
});
// The statement of every output of that build (analysis, hashing, dpkg's database), against the check of the same log.
results.push({
  kind: 'attest',
  ...sideBySide(
    `attest it: attest --trace LOG (every output) / check --trace LOG`,
    () => time('node', [cli, 'check', '--baseline', baseline, '--workspace', project, '--trace', log]),
    () => time('node', [cli, 'attest', '--workspace', project, '--trace', log, '--out', join(work, 'attest.intoto.json'), '--quiet']),
  ),
});

// Scale: the same log 1×, 4× and 16×.
const scale = [];
for (const k of quick ? [1, 4] : [1, 4, 7, 16]) {
  const file = k === 1 ? log : join(work, `build-x${k}.log`);
  if (k > 1) await scaleLog(log, file, k);
  const n = Number(execFileSync('node', [join(here, 'readline-count.js'), file], { encoding: 'utf8' }).trim());
  const runs = [];
  for (let i = 0; i < (quick ? 1 : 3); i++)
    runs.push(time('node', [cli, 'graph', '--trace', file, '--workspace', project, '--format', 'json']));
  const wall = summarize(runs.map((r) => r.wall)).median;
  const rss = summarize(runs.map((r) => r.rss)).median;
  scale.push({ copies: k, lines: n, bytes: statSync(file).size, wall, rssKB: rss });
}

// Forks: a process that holds N open files and forks N children, recorded once per N, then
// analysed (`ioana graph`): time and peak memory should grow with N, not N². The same with
// N `subprocess.run` calls of a Python holding N files (vfork, close_range, exec).
const forks = [];
{
  const dir = join(work, 'forks');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'in'), { recursive: true });
  execFileSync('cc', ['-O2', '-o', join(dir, 'forkn'), join(root, 'test/fixtures/programs/forkn.c')]);
  const sizes = quick ? [500, 1000] : [500, 1000, 2000, 3000];
  for (let i = 0; i < sizes[sizes.length - 1]; i++) writeFileSync(join(dir, 'in', `f${i}`), `${i}\n`);
  writeFileSync(
    join(dir, 'subprocesses.py'),
    "import subprocess, sys\nfiles = [open(f'in/f{i}') for i in range(int(sys.argv[1]))]\nfor _ in files:\n    subprocess.run(['true'], stdout=subprocess.PIPE)\n",
  );
  const python = spawnSync('python3', ['--version']).status === 0;
  for (const [what, command] of [
    ['forks that exit', (n) => ['./forkn', String(n)]],
    ...(python ? [['Python subprocesses', (n) => ['python3', 'subprocesses.py', String(n)]]] : []),
  ]) {
    for (const n of sizes) {
      const file = join(dir, `${what.split(' ')[0]}-${n}.log`);
      execFileSync('node', [cli, 'trace', '--out', file, '--', ...command(n)], { cwd: dir, stdio: 'ignore' });
      const runs = [];
      for (let i = 0; i < (quick ? 1 : 3); i++) runs.push(time('node', [cli, 'graph', '--trace', file, '--workspace', dir], { cwd: dir }));
      forks.push({
        what,
        n,
        bytes: statSync(file).size,
        wall: summarize(runs.map((r) => r.wall)).median,
        rssKB: summarize(runs.map((r) => r.rss)).median,
      });
    }
  }
}

// A build that writes many files (100 000; 10 000 in quick mode): bare, recorded and
// checked, with and without `fold-outputs` for its generated directory.
const large = [];
for (const fold of [false, true]) large.push(largeBuild({ files: quick ? 10_000 : 100_000, cli, fold }));

const row = (r) =>
  `| ${r.name} | ${fmt(r.a.wall.median)} | ${fmt(r.b.wall.median)} | **${r.wallRatio.toFixed(2)}×** | ${Number.isFinite(r.cpuRatio) ? `${r.cpuRatio.toFixed(2)}×` : '—'} | ${fmt(r.b.wall.min)}–${fmt(r.b.wall.max)} |`;
const table = [
  '| measurement (B / A) | A median | B median | wall B/A | CPU B/A | B min–max |',
  '|---|---|---|---|---|---|',
  ...results.map(row),
  '',
  '| log | lines | size | `ioana graph` wall | peak memory |',
  '|---|---|---|---|---|',
  ...scale.map(
    (s) => `| ${s.copies}× | ${s.lines} | ${(s.bytes / 1e6).toFixed(1)} MB | ${fmt(s.wall)} | ${(s.rssKB / 1024).toFixed(0)} MB |`,
  ),
  '',
  '| N open files, N children | N | log | `ioana graph` wall | peak memory |',
  '|---|---|---|---|---|',
  ...forks.map((f) => `| ${f.what} | ${f.n} | ${(f.bytes / 1e6).toFixed(1)} MB | ${fmt(f.wall)} | ${(f.rssKB / 1024).toFixed(0)} MB |`),
  '',
  '| files written | fold-outputs | bare build | `update` (×bare, peak) | `check` (×bare, peak) | baseline |',
  '|---|---|---|---|---|---|',
  ...large.map(
    (l) =>
      `| ${l.files} | ${l.fold ? 'yes' : 'no'} | ${fmt(l.bare.wall)} | ${fmt(l.update.wall)} (${(l.update.wall / l.bare.wall).toFixed(1)}×, ${(l.update.rssKb / 1024).toFixed(0)} MB) | ${fmt(l.check.wall)} (${(l.check.wall / l.bare.wall).toFixed(1)}×, ${(l.check.rssKb / 1024).toFixed(0)} MB) | ${(l.update.baselineBytes / 1e6).toFixed(2)} MB |`,
  ),
].join('\n');
console.log(table);
const growth = scale.length > 1 ? scale[scale.length - 1].wall / scale[0].wall : 1;
console.log(
  `\none traced call costs ${perCall.toFixed(1)} µs here; the generated build makes ${tracedCalls} traced calls: ` +
    `${((tracedCalls * perCall) / 1e6).toFixed(2)} s of stops over a ${fmt(bareBuild)} bare build (${(1 + (tracedCalls * perCall) / 1e6 / bareBuild).toFixed(2)}× if nothing overlapped); ` +
    `1.3× would need ≤ ${(((0.3 * bareBuild) / tracedCalls) * 1e6).toFixed(1)} µs a call.`,
);
console.log(
  `\ntime from 1× to ${scale[scale.length - 1].copies}×: ${growth.toFixed(1)}×; ${RUNS} runs each after a warm-up; node ${process.version}; ${quick ? 'quick mode' : 'full mode'}`,
);
writeFileSync(
  join(here, 'results.json'),
  JSON.stringify(
    { node: process.version, quick, files: FILES, runs: RUNS, results, tracedCalls, microsecondsPerCall: perCall, scale, forks, large },
    null,
    2,
  ) + '\n',
);
