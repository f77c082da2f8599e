/**
 * ioana's benchmark: `npm run bench` (`npm run bench -- --quick` for a short run).
 *
 * Each figure is measured side by side in one run: A and B alternate, after a warm-up
 * of each, and the ratio is the ratio of the medians. Results go to bench/results.json
 * and a table on stdout.
 *
 *   tracing:  a clean `make -j2` of generated C projects (200 tiny files with shared
 *             headers: the worst case, process start-up dominates; and 100 files of
 *             compile units as heavy as ordinary C files), of the test fixture project,
 *             of zlib (CMake: configure and make -j2, and make -j2 alone of a configured
 *             tree) and of a real configure+make project (libogg, Debian's source, the
 *             copies the real-build tests use), bare, under `ioana check` (strace) and
 *             under `ioana check --backend ebpf` (ioana's collector), the three
 *             alternating: wall and CPU (user+sys of the whole process tree); where eBPF
 *             cannot trace, its rows say "skipped:" and why; and the floor, strace
 *             following every process while stopping on no call
 *   start-up: each back end's fixed cost, from starting ioana to the build's start
 *             (the collector loads and attaches its programs first)
 *   records:  the analysis of one eBPF trace read from its binary records (decoded
 *             straight into operations) and from the strace-format log written from the
 *             same records (parsed, then decoded): `check --trace RECORDS` / `check --trace LOG`
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
 *
 * `--tracing` runs only the tracing, start-up and records rows (results in
 * bench/results-tracing.json); `--runs=N` sets the number of runs after the warm-up (7; 2
 * with --quick); `--cli=FILE` benchmarks another build of ioana's CLI; `--only=WORD,…`
 * keeps the tracing rows whose build's name holds one of the words.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ebpfAvailable, realProject, reason, startupCost, zlibProject } from './backends.js';
import { generateProject } from './gen-project.js';
import { largeBuild } from './large.js';
import { scaleLog } from './scale.js';
import { fmt, summarize } from './stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
// `--cli=FILE`: another build of ioana's CLI (the collector beside it, as in dist/).
const cliArg = process.argv.find((a) => a.startsWith('--cli='));
const cli = cliArg ? resolve(cliArg.slice(6)) : join(root, 'dist', 'cli.js');
// `--only=WORD,WORD`: only the tracing rows whose build's name holds one of the words (with --tracing).
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const quick = process.argv.includes('--quick');
const tracingOnly = process.argv.includes('--tracing');
const runsArg = process.argv.find((a) => a.startsWith('--runs='));
const RUNS = runsArg ? Number(runsArg.slice(7)) : quick ? 2 : 7;
const FILES = quick ? 40 : 200;
const work = join(here, 'work');

/**
 * Runs a command; wall seconds, CPU seconds (user+sys of it and its children) and peak RSS (KB).
 * An exit status other than 0 throws, unless `ok` lists it (then `code` and `stderr` say what happened).
 */
function time(cmd, args, { ok = [0], ...opts } = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', cmd, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    ...opts,
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [user, sys, rss] = last.split(' ').map(Number);
  // /usr/bin/time reports the command's own failure as "Command exited with non-zero status N".
  const code = r.status;
  if (!ok.includes(code)) throw new Error(`${cmd} ${args.join(' ')} failed (${code}): ${r.stderr.slice(-2000)}`);
  return { wall, cpu: user + sys, rss, code, stderr: r.stderr.slice(-8000) };
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

/**
 * Several variants side by side: one warm-up of each, then `runs` rounds of each in turn.
 * A run that returns `refused` (eBPF refusing an incomplete trace: the build ran traced
 * to its end, nothing was compared) is timed all the same and counted; one that returns
 * `failed` ends that variant (its summary is `{ failed }`).
 */
function alongside(variants, runs = RUNS) {
  const res = new Map(variants.map(([k]) => [k, { runs: [], refusals: [], notes: new Set(), failed: undefined }]));
  const round = (keep) => {
    for (const [k, fn] of variants) {
      const r = res.get(k);
      if (r.failed) continue;
      const x = fn();
      if (x.failed) {
        r.failed = x.failed;
        continue;
      }
      if (x.note) r.notes.add(x.note);
      if (keep) {
        r.runs.push(x);
        if (x.refused) r.refusals.push(x.refused);
      }
    }
  };
  round(false);
  for (let i = 0; i < runs; i++) round(true);
  const out = {};
  for (const [k, r] of res) {
    if (r.failed) {
      out[k] = { failed: r.failed };
      continue;
    }
    const pick = (key) => summarize(r.runs.map((x) => x[key]));
    if (r.refusals.length)
      r.notes.add(`refused in ${r.refusals.length} of ${r.runs.length} runs (timed all the same; nothing compared): ${r.refusals[0]}`);
    out[k] = {
      wall: pick('wall'),
      cpu: pick('cpu'),
      rss: pick('rss'),
      refused: r.refusals.length,
      ...(r.notes.size ? { notes: [...r.notes] } : {}),
    };
  }
  return out;
}

/** A row B / A of `alongside`'s summaries. */
function ratioRow(name, A, B, extra = {}) {
  if (B.skipped || B.failed) return { name, a: A, b: B, wallRatio: NaN, cpuRatio: NaN, ...extra };
  return { name, a: A, b: B, wallRatio: B.wall.median / A.wall.median, cpuRatio: B.cpu.median / A.cpu.median, ...extra };
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

// Can the eBPF back end trace here (root or sudo, a kernel with BTF, the collector)? When
// it cannot, its rows say so, with ioana's reason.
const ebpf = ebpfAvailable(cli);
if (!ebpf.ok) console.error(`bench: the eBPF rows are skipped: ${ebpf.reason}`);

// Tracing overhead: the same clean build, bare, under `ioana check` (strace) and under
// `ioana check --backend ebpf` (tracing and analysis together, as a user runs it), the
// three in turn. The baseline is recorded under strace (the reference): an eBPF check
// that reports findings against it is timed all the same and noted.
function tracingOverhead(
  label,
  dir,
  build,
  { clean = () => rmSync(join(dir, 'build'), { recursive: true, force: true }), runs = RUNS } = {},
) {
  if (only && !only.some((w) => label.includes(w))) return [];
  const baseline = join(work, `${label.replace(/[^\w .,+-]+/g, '_')}.yml`);
  clean();
  execFileSync('node', [cli, 'update', '--fresh', '--baseline', baseline, '--workspace', dir, '--', ...build], {
    cwd: dir,
    stdio: 'ignore',
  });
  const check = (backend) => () => {
    clean();
    const r = time('node', [cli, 'check', '--backend', backend, '--baseline', baseline, '--workspace', dir, '--', ...build], {
      cwd: dir,
      ok: backend === 'ebpf' ? [0, 1, 2] : [0],
    });
    // The trace was refused as incomplete after the build ran to its end: timed. Any other
    // exit 2 (the collector could not load, …) ends this back end's row.
    if (r.code === 2 && /incomplete/.test(r.stderr)) return { ...r, refused: `exit 2 after ${fmt(r.wall)}: ${reason(r.stderr)}` };
    if (r.code === 2) return { failed: `exit 2 after ${fmt(r.wall)}: ${reason(r.stderr)}` };
    if (r.code === 1) return { ...r, note: `findings against the strace baseline (exit 1): ${reason(r.stderr)}` };
    return r;
  };
  const s = alongside(
    [
      ['bare', () => (clean(), time(build[0], build.slice(1), { cwd: dir }))],
      ['strace', check('strace')],
      ...(ebpf.ok ? [['ebpf', check('ebpf')]] : []),
    ],
    runs,
  );
  const what = `clean \`${build.length > 3 && build[0] === 'bash' ? build[build.length - 1] : build.join(' ')}\``;
  return [
    { kind: 'tracing', backend: 'strace', ...ratioRow(`${label}: ${what} under ioana check / bare`, s.bare, s.strace) },
    {
      kind: 'tracing',
      backend: 'ebpf',
      ...ratioRow(`${label}: same under ioana check --backend ebpf / bare`, s.bare, ebpf.ok ? s.ebpf : { skipped: ebpf.reason }),
    },
  ];
}

// The fixed cost of each back end: from starting ioana to the build's start.
const startup = startupCost(cli, quick ? 3 : 7, { ebpf: ebpf.ok });

const project = join(work, 'generated');
generateProject(project, FILES);
results.push(...tracingOverhead(`generated C project, ${FILES} files`, project, ['make', '-j2', '-s']));
// The floor of any strace-based tracer: following every process, stopping on no call.
if (!tracingOnly) {
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
if (!tracingOnly) {
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
results.push(...tracingOverhead(`generated C project, ${quick ? 20 : 100} files of ordinary weight`, heavy, ['make', '-j2', '-s']));
// zlib with CMake: configure (try_compile checks) and make -j2; then make -j2 alone of a
// configured tree, the build without CMake's many short processes.
const zlib = zlibProject(root, work);
results.push(...tracingOverhead(zlib.full.label, zlib.dir, zlib.full.build));
zlib.configure();
results.push(...tracingOverhead(zlib.make.label, zlib.dir, zlib.make.build, { clean: zlib.make.clean }));
const fixture = join(work, 'fixture');
cpSync(join(root, 'test', 'fixtures', 'cproject'), fixture, { recursive: true });
results.push(...tracingOverhead('test fixture C project', fixture, ['make', '-j2', '-s']));
// A real configure+make project: a fresh copy before each run (not timed).
const real = realProject(root, work);
results.push(...tracingOverhead(real.label, real.dir, real.build, { clean: real.fresh, runs: quick ? 1 : Math.min(RUNS, 5) }));

// One eBPF trace of the generated build kept as the collector's records and written as
// strace's log: the analysis of the same calls, read straight into operations / parsed
// from text. Ratio below 1: the records are faster.
function recordsVersusText() {
  const name = 'analyze one eBPF trace of the generated build: check --trace RECORDS / check --trace LOG (the same calls as strace text)';
  if (!ebpf.ok) return { kind: 'records', name, a: { wall: { median: NaN } }, b: { skipped: ebpf.reason } };
  const records = join(work, 'generated.records');
  const text = join(work, 'generated.ebpf.log');
  rmSync(join(project, 'build'), { recursive: true, force: true });
  execFileSync('node', [cli, 'trace', '--backend', 'ebpf', '--out', text, '--', 'make', '-j2', '-s'], {
    cwd: project,
    stdio: 'ignore',
    env: { ...process.env, IOANA_EBPF_RECORDS: records },
  });
  const calls = JSON.parse(execFileSync('node', [cli, 'graph', '--trace', text, '--parse-only'], { encoding: 'utf8' })).stats.syscalls;
  const base = join(work, `generated C project, ${FILES} files.yml`);
  // The tracing row recorded it; without that row (--only), this trace does.
  if (!existsSync(base))
    execFileSync('node', [cli, 'update', '--fresh', '--baseline', base, '--workspace', project, '--trace', text], { stdio: 'ignore' });
  const check = (trace) => () => time('node', [cli, 'check', '--baseline', base, '--workspace', project, '--trace', trace], { ok: [0, 1] });
  return {
    kind: 'records',
    calls,
    recordBytes: statSync(records).size,
    textBytes: statSync(text).size,
    ...sideBySide(`${name.replace('generated build', `generated build (${calls} calls)`)}`, check(text), check(records)),
  };
}
if (!only || only.includes('records')) results.push(recordsVersusText());

const row = (r) =>
  r.b.skipped || r.b.failed
    ? `| ${r.name} | ${fmt(r.a.wall.median)} | ${r.b.skipped ? `skipped: ${r.b.skipped}` : `failed: ${r.b.failed}`} | — | — | — |`
    : `| ${r.name} | ${fmt(r.a.wall.median)} | ${fmt(r.b.wall.median)} | **${r.wallRatio.toFixed(2)}×** | ${Number.isFinite(r.cpuRatio) ? `${r.cpuRatio.toFixed(2)}×` : '—'} | ${fmt(r.b.wall.min)}–${fmt(r.b.wall.max)} |` +
      (r.b.notes ? ` ${r.b.notes.join('; ')}` : '');
const startupTable = [
  '| start-up (a command that does nothing) | to the build start | whole run | runs |',
  '|---|---|---|---|',
  ...['bare', 'strace', 'ebpf'].map((k) =>
    startup[k]
      ? `| ${k === 'bare' ? 'bare `date`' : `ioana trace${k === 'ebpf' ? ' --backend ebpf' : ''} --out /dev/null -- date`} | ${fmt(startup[k].toStart.median)} | ${fmt(startup[k].total.median)} | ${startup[k].total.runs} |`
      : `| ioana trace --backend ebpf | skipped: ${ebpf.reason} | — | — |`,
  ),
].join('\n');
const uptime = () => {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
};
if (tracingOnly) {
  console.log(
    [
      '| measurement (B / A) | A median | B median | wall B/A | CPU B/A | B min–max |',
      '|---|---|---|---|---|---|',
      ...results.map(row),
    ].join('\n'),
  );
  console.log('\n' + startupTable);
  console.log(
    `\n${RUNS} runs each after a warm-up (the real project: ${quick ? 1 : Math.min(RUNS, 5)}); node ${process.version}; ${quick ? 'quick mode' : 'full mode'}; load: ${uptime()}`,
  );
  writeFileSync(
    join(here, 'results-tracing.json'),
    JSON.stringify({ node: process.version, quick, files: FILES, runs: RUNS, results, startup }, null, 2) + '\n',
  );
  process.exit(0);
}

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

const table = [
  '| measurement (B / A) | A median | B median | wall B/A | CPU B/A | B min–max |',
  '|---|---|---|---|---|---|',
  ...results.map(row),
  '',
  startupTable,
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
  `\ntime from 1× to ${scale[scale.length - 1].copies}×: ${growth.toFixed(1)}×; ${RUNS} runs each after a warm-up; node ${process.version}; ${quick ? 'quick mode' : 'full mode'}; load: ${uptime()}`,
);
writeFileSync(
  join(here, 'results.json'),
  JSON.stringify(
    {
      node: process.version,
      quick,
      files: FILES,
      runs: RUNS,
      results,
      startup,
      tracedCalls,
      microsecondsPerCall: perCall,
      scale,
      forks,
      large,
    },
    null,
    2,
  ) + '\n',
);
