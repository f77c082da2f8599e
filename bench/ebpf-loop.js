/**
 * The eBPF back end, many runs in a row on a loaded machine (issue 24): a real
 * configure + make project (libogg by default) is recorded once with strace, then
 * recorded with `--backend ebpf` N times (20 by default) while busy loops keep the other
 * cores working; each eBPF baseline is compared, entry for entry, with strace's (but for
 * the lines where two strace runs differ from each other: names the build makes anew each
 * run). A run the collector refused (lost records, unreadable names: exit 2) is counted
 * as a refusal; a baseline that differs, as a difference. Both should stay at 0.
 *
 *   node bench/ebpf-loop.js                    # libogg, 20 runs, 1 busy loop
 *   node bench/ebpf-loop.js --runs=5 --busy=2 --project=zlib
 *   node bench/ebpf-loop.js --cli OTHER/dist/cli.js
 *
 * Not a unit test: it takes about a minute a run, and says how fast it was only to inform.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, readdirSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reason } from './backends.js';
import { fmt, summarize } from './stats.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const cliAt = process.argv.indexOf('--cli');
const CLI = cliAt > 0 ? resolve(process.argv[cliAt + 1]) : join(ROOT, 'dist', 'cli.js');
const RUNS = Number(arg('runs', '20'));
const BUSY = Number(arg('busy', '1'));
const PROJECT = arg('project', 'libogg');

const BUILDS = {
  libogg: './configure --disable-maintainer-mode >/dev/null && make -j2 >/dev/null',
  zlib: 'cmake -S . -B build -DCMAKE_POLICY_VERSION_MINIMUM=3.5 >/dev/null && cmake --build build -j2 >/dev/null',
};
if (!BUILDS[PROJECT]) {
  console.error(`bench/ebpf-loop.js: --project must be one of ${Object.keys(BUILDS).join(', ')}`);
  process.exit(2);
}
const build = ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', BUILDS[PROJECT]];

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : [],
  );
}

/** A fresh copy of the project at `dir`; an autotools tree gets its timestamps back in the order the tools made them. */
function fresh(dir) {
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(ROOT, 'test', 'fixtures', 'projects', PROJECT), dir, { recursive: true });
  if (!existsSync(join(dir, 'configure'))) return;
  const base = Math.floor(Date.now() / 1000) - 3600;
  for (const f of filesUnder(dir)) utimesSync(f, base, base);
  utimesSync(join(dir, 'aclocal.m4'), base + 10, base + 10);
  utimesSync(join(dir, 'configure'), base + 20, base + 20);
  for (const f of filesUnder(dir)) {
    const rel = relative(dir, f);
    if (rel.endsWith('Makefile.in') || rel === 'config.h.in') utimesSync(f, base + 30, base + 30);
  }
}

/** The baseline's entries (its header comment left out). */
const entries = (file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('#'));

function update(dir, baseline, backend) {
  fresh(dir);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(
    'node',
    [CLI, 'update', '--fresh', '--quiet', '--backend', backend, '--workspace', dir, '--baseline', baseline, '--', ...build],
    {
      cwd: dir,
      encoding: 'utf8',
    },
  );
  return { code: r.status, stderr: r.stderr ?? '', wall: Number(process.hrtime.bigint() - t0) / 1e9 };
}

if (!existsSync(CLI)) {
  console.error(`bench/ebpf-loop.js: ${CLI} is missing; run \`npm run package\` first.`);
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'ioana-ebpf-loop-'));
const dir = join(work, PROJECT);
const reference = join(work, 'strace.yml');
const s = update(dir, reference, 'strace');
if (s.code !== 0) {
  console.error(`bench/ebpf-loop.js: the strace baseline could not be recorded (exit ${s.code}): ${reason(s.stderr)}`);
  process.exit(2);
}
const expected = entries(reference);
// A second strace run: where strace disagrees with itself (configure's `conf$$` names
// of files it never makes, which carry its shell's pid), any run differs, whatever traces
// it; a difference anywhere else is the back end's.
const again = join(work, 'strace-again.yml');
const s2 = update(dir, again, 'strace');
if (s2.code !== 0) {
  console.error(`bench/ebpf-loop.js: the second strace baseline could not be recorded (exit ${s2.code}): ${reason(s2.stderr)}`);
  process.exit(2);
}
const second = entries(again);
const noisy = new Set(expected.flatMap((l, k) => (l !== second[k] ? [k] : [])));
console.log(`strace's baseline: ${expected.length} lines, ${noisy.size} of them differ between two strace runs (run-to-run names)`);
const busy = Array.from({ length: BUSY }, () => spawn('bash', ['-c', 'while :; do :; done'], { stdio: 'ignore' }));
const rows = [];
try {
  for (let i = 1; i <= RUNS; i++) {
    const file = join(work, `ebpf-${i}.yml`);
    const r = update(dir, file, 'ebpf');
    const load = loadavg()[0].toFixed(2);
    let result;
    if (r.code === 2 && /incomplete/.test(r.stderr)) result = `refused: ${reason(r.stderr)}`;
    else if (r.code !== 0) result = `failed (exit ${r.code}): ${reason(r.stderr)}`;
    else {
      const got = entries(file);
      const lines = got.flatMap((l, k) => (l !== expected[k] && !noisy.has(k) ? [k] : []));
      const differ = lines.length + Math.abs(got.length - expected.length);
      result = differ === 0 ? 'equal to strace’s baseline' : `differs from strace’s baseline in ${differ} line(s)`;
      for (const k of lines.slice(0, 5)) result += `\n  line ${k + 1}: eBPF ${got[k]}\n  line ${k + 1}: strace ${expected[k]}`;
    }
    rows.push({ run: i, wall: r.wall, load, result });
    console.log(`run ${i}/${RUNS}: ${fmt(r.wall)}, load ${load}: ${result}`);
  }
} finally {
  for (const b of busy) b.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
}
const refused = rows.filter((r) => r.result.startsWith('refused')).length;
const differs = rows.filter((r) => r.result.startsWith('differs')).length;
const failed = rows.filter((r) => r.result.startsWith('failed')).length;
const wall = summarize(rows.map((r) => r.wall));
console.log(
  `\n${PROJECT} under eBPF, ${RUNS} runs with ${BUSY} busy loop(s): ${rows.length - refused - differs - failed} equal to strace's baseline, ${refused} refused, ${differs} different, ${failed} failed; ` +
    `wall ${fmt(wall.min)}–${fmt(wall.max)} (median ${fmt(wall.median)}); strace's run ${fmt(s.wall)}; ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`,
);
process.exit(refused + differs + failed === 0 ? 0 : 1);
